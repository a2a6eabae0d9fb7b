"""ALBERT (Lan et al., 2019): BERT made lighter by two changes and given a harder sentence task.

    1. Factorized embeddings: tokens live in a small space E (V x E), then one projection E -> H.
    2. Cross-layer sharing: one layer's parameters, applied num_hidden_layers times.
    3. Sentence-order prediction (SOP) replaces NSP.

Each application of the shared layer is recorded as its own step (blocks.0 ... blocks.N-1), though every one of
them runs the same module.
"""
from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from engine.hooks import HookPoint, renamed
from engine.models.base import encoder_inputs
from engine.models import bert
from engine.models.bert import (BertBlock, BertConfig, BertEmbeddings, Pooler, add_encoder_heads,
                                embed_encoder_inputs, encoder_heads)
from engine.models.family import ENCODER_ONLY, AttentionDims, FamilySpec


@dataclass
class AlbertConfig(BertConfig):
    vocab_size: int = 30000
    embedding_size: int = 128
    hidden_size: int = 4096
    num_hidden_layers: int = 12
    num_hidden_groups: int = 1       # how many distinct parameter sets the layers share
    inner_group_num: int = 1         # layers inside one group
    num_attention_heads: int = 64
    intermediate_size: int = 16384
    hidden_act: str = "gelu_new"
    layer_norm_eps: float = 1e-12
    pad_token_id: int = 0
    heads: tuple[str, ...] = ("mlm", "sop")


class EmbeddingProjection(nn.Module):
    """E -> H: the second factor of ALBERT's V x E + E x H embedding."""

    def __init__(self, embedding_size: int, hidden_size: int):
        super().__init__()
        self.dense = nn.Linear(embedding_size, hidden_size)
        self.hook_out = HookPoint(("batch", "pos", "hidden"), "embed.projection")

    def forward(self, embeddings):
        return self.hook_out(self.dense(embeddings))   # (B, T, E) -> (B, T, H)


class Albert(nn.Module):
    primary_head = "mlm"

    def __init__(self, config: AlbertConfig):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config, embedding_size=config.embedding_size)
        self.embed_proj = EmbeddingProjection(config.embedding_size, config.hidden_size)
        # layer_groups[g][j]: group g's j-th layer; with the released configs that is a single shared layer
        self.layer_groups = nn.ModuleList(
            nn.ModuleList(BertBlock(config) for _ in range(config.inner_group_num))
            for _ in range(config.num_hidden_groups))
        if config.add_pooler:
            self.pooler = Pooler(config.hidden_size)
        add_encoder_heads(self, config, config.embedding_size)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, position_ids=None):
        config = self.config
        embeddings, allowed = embed_encoder_inputs(self.embeddings, input_ids, attention_mask, token_type_ids,
                                                   position_ids)                  # (B, T, E), (B, 1, 1, T)
        hidden_states = self.embed_proj(embeddings)                                 # (B, T, H)
        layers_per_group = config.num_hidden_layers // config.num_hidden_groups
        for i in range(config.num_hidden_layers):
            group = i // layers_per_group
            for j, layer in enumerate(self.layer_groups[group]):
                step = i * config.inner_group_num + j
                with renamed(f"layer_groups.{group}.{j}", f"blocks.{step}"):   # same module, its own step
                    hidden_states = layer(hidden_states, allowed)
        return encoder_heads(self, hidden_states)


_LAYER = r"^(?:albert\.)?encoder\.albert_layer_groups\.(\d+)\.albert_layers\.(\d+)\."

HF_RENAMES = [
    (r"^(?:albert\.)?embeddings\.word_embeddings\.", "embeddings.token."),
    (r"^(?:albert\.)?embeddings\.position_embeddings\.", "embeddings.position."),
    (r"^(?:albert\.)?embeddings\.token_type_embeddings\.", "embeddings.segment."),
    (r"^(?:albert\.)?embeddings\.LayerNorm\.", "embeddings.norm."),
    (r"^(?:albert\.)?embeddings\.position_ids$", None),
    (r"^(?:albert\.)?encoder\.embedding_hidden_mapping_in\.", "embed_proj.dense."),
    (_LAYER + r"attention\.(query|key|value)\.", r"layer_groups.\1.\2.attn.\3."),
    (_LAYER + r"attention\.dense\.", r"layer_groups.\1.\2.attn.output."),
    (_LAYER + r"attention\.LayerNorm\.", r"layer_groups.\1.\2.attn_norm."),
    (_LAYER + r"ffn\.", r"layer_groups.\1.\2.mlp.intermediate."),
    (_LAYER + r"ffn_output\.", r"layer_groups.\1.\2.mlp.output."),
    (_LAYER + r"full_layer_layer_norm\.", r"layer_groups.\1.\2.mlp_norm."),
    (r"^(?:albert\.)?pooler\.", "pooler.dense."),
    (r"^predictions\.dense\.", "mlm_head.dense."),
    (r"^predictions\.LayerNorm\.", "mlm_head.norm."),
    (r"^predictions\.(?:decoder\.)?bias$", "mlm_head.bias"),
    (r"^predictions\.decoder\.weight$", "mlm_head.decoder.weight"),   # tied to embeddings.token.weight
    (r"^sop_classifier\.classifier\.", "sop_head.classifier."),
    (r"^classifier\.", "classifier_head.classifier."),
]


def configure_from_keys(config, state_dict):
    return bert.configure_from_keys(config, state_dict, {"mlm": r"^predictions\.", "sop": r"^sop_classifier\.",
                                                         "classifier": r"^classifier\."})


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None):
    return encoder_inputs(tokenizer, text, text_pair)


TINY_PRESETS = {
    "albert-tiny": dict(embedding_size=16, hidden_size=64, num_hidden_layers=4, num_attention_heads=4,
                        intermediate_size=256, max_position_embeddings=256),
}


# --- the family ------------------------------------------------------------------------------------------------

def param_formula(c) -> tuple[int, int, str]:
    h, e, v = c.hidden_size, c.embedding_size, c.vocab_size
    sets = c.num_hidden_groups * c.inner_group_num
    body = ((v + c.max_position_embeddings + c.type_vocab_size) * e + 2 * e + (e * h + h)
            + sets * bert.layer_parameters(h, c.intermediate_size) + (h * h + h))
    return (body, body + bert.head_parameters(c, h, e),
            "(V+P+T)E + 2E + (EH + H) + G(4(H²+H) + 2HI + I + H + 4H) + H² + H; G shared parameter sets")


def attention_dims(c) -> AttentionDims:
    heads = c.num_attention_heads   # the shared layer is applied num_hidden_layers x inner_group_num times
    return AttentionDims("encoder", c.hidden_size, c.vocab_size, c.num_hidden_layers * c.inner_group_num, heads,
                         heads, c.hidden_size // heads, c.max_length)


def config_rules(c) -> list[str]:
    problems = bert.config_rules(c)
    if c.embedding_size > c.hidden_size:
        problems.append(f"embedding_size E = {c.embedding_size} is larger than hidden_size H = {c.hidden_size}: "
                        f"the factorisation V x E + E x H only saves parameters when E < H")
    if c.num_hidden_layers % c.num_hidden_groups:
        problems.append(f"{c.num_hidden_layers} layers cannot be shared evenly by {c.num_hidden_groups} groups")
    return problems


_GROUP_LAYER = r"^layer_groups\.(\d+)\.(\d+)\."
_HF_GROUP_LAYER = r"albert.encoder.albert_layer_groups.\1.albert_layers.\2."
SAVE_NAMES = [
    (r"^embeddings\.token\.", "albert.embeddings.word_embeddings."),
    (r"^embeddings\.position\.", "albert.embeddings.position_embeddings."),
    (r"^embeddings\.segment\.", "albert.embeddings.token_type_embeddings."),
    (r"^embeddings\.norm\.", "albert.embeddings.LayerNorm."),
    (r"^embed_proj\.dense\.", "albert.encoder.embedding_hidden_mapping_in."),
    (_GROUP_LAYER + r"attn\.(query|key|value)\.", _HF_GROUP_LAYER + r"attention.\3."),
    (_GROUP_LAYER + r"attn\.output\.", _HF_GROUP_LAYER + "attention.dense."),
    (_GROUP_LAYER + r"attn_norm\.", _HF_GROUP_LAYER + "attention.LayerNorm."),
    (_GROUP_LAYER + r"mlp\.intermediate\.", _HF_GROUP_LAYER + "ffn."),
    (_GROUP_LAYER + r"mlp\.output\.", _HF_GROUP_LAYER + "ffn_output."),
    (_GROUP_LAYER + r"mlp_norm\.", _HF_GROUP_LAYER + "full_layer_layer_norm."),
    (r"^pooler\.dense\.", "albert.pooler."),
    (r"^mlm_head\.dense\.", "predictions.dense."),
    (r"^mlm_head\.norm\.", "predictions.LayerNorm."),
    (r"^mlm_head\.bias$", "predictions.bias"),
    (r"^mlm_head\.decoder\.weight$", "predictions.decoder.weight"),
    (r"^sop_head\.classifier\.", "sop_classifier.classifier."),
    (r"^classifier_head\.classifier\.", "classifier."),
]

FAMILY = FamilySpec(
    name="albert", title="ALBERT", group=ENCODER_ONLY, paper="Lan et al. 2019",
    config_cls=AlbertConfig, model_cls=Albert, hf_renames=HF_RENAMES, hf_save_names=SAVE_NAMES,
    hf_save_class="AlbertForPreTraining", hf_model_types=("albert",),
    hf_architectures=("Albert",), configure_from_keys=configure_from_keys, prepare_inputs=prepare_inputs,
    param_formula=param_formula, attention_dims=attention_dims, config_rules=config_rules,
    depth={},   # built whole: its parameter sets (num_hidden_groups x inner_group_num), whatever its depth
    tokenizer_recipe="albert", lessons=("common", "bert", "albert"), tiny_presets=TINY_PRESETS,
)
