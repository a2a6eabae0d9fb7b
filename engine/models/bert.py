"""BERT (Devlin et al., 2018): a stack of post-norm Transformer encoder layers with MLM, NSP and classifier heads.

    hidden_states = LayerNorm(token + position + segment)            # seed: three embeddings summed
    for each layer:
        hidden_states = LayerNorm(hidden_states + Attention(hidden_states))   # Add & Norm
        hidden_states = LayerNorm(hidden_states + FFN(hidden_states))         # Add & Norm

Step names of a layer, as TransformerLens' BertBlock: resid_pre -> attn_out -> resid_mid (the sum) -> our
normalized_resid_mid -> mlp_out -> resid_post (the sum) -> normalized_resid_post (the layer's output).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engine.hooks import HookPoint
from engine.layers.residual import PostNormBlock, summed
from engine.layers.activations import activation
from engine.layers.attention import Attention, merge_heads, split_heads
from engine.layers.masks import padding_mask
from engine.layers.mlp import MLP
from engine.models.base import ConfigMixin, encoder_inputs
from engine.models.family import ENCODER_ONLY, AttentionDims, FamilySpec

BTH = ("batch", "pos", "hidden")


@dataclass
class BertConfig(ConfigMixin):
    vocab_size: int = 30522
    hidden_size: int = 768
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    intermediate_size: int = 3072
    hidden_act: str = "gelu"
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    pad_token_id: int = 0
    num_labels: int = 2
    heads: tuple[str, ...] = ("mlm", "nsp", "classifier")   # which heads the model carries
    add_pooler: bool = True                                   # BertForMaskedLM-style files have no pooler

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def max_length(self) -> int:
        return self.max_position_embeddings


class BertEmbeddings(nn.Module):
    """token + position + segment, then LayerNorm; each component recorded on its own."""

    def __init__(self, config: BertConfig, embedding_size: int | None = None):
        super().__init__()
        size = embedding_size or config.hidden_size   # ALBERT embeds in a smaller E
        self.token = nn.Embedding(config.vocab_size, size, padding_idx=config.pad_token_id)
        self.position = nn.Embedding(config.max_position_embeddings, size)
        self.segment = nn.Embedding(config.type_vocab_size, size)
        self.norm = nn.LayerNorm(size, eps=config.layer_norm_eps)
        dims = ("batch", "pos", "embed")
        self.hook_embed = HookPoint(dims, "embed.token")
        self.hook_pos_embed = HookPoint(dims, "embed.position")
        self.hook_token_type_embed = HookPoint(dims, "embed.segment")
        self.hook_sum = HookPoint(dims, "embed.sum")
        self.hook_norm = HookPoint(dims, "embed.norm")

    def forward(self, input_ids, token_type_ids, position_ids):
        token = self.hook_embed(self.token(input_ids))                        # (B, T, E)
        position = self.hook_pos_embed(self.position(position_ids))           # (B or 1, T, E)
        segment = self.hook_token_type_embed(self.segment(token_type_ids))    # (B, T, E)
        total = self.hook_sum(token + segment + position)
        return self.hook_norm(self.norm(total))


class BertSelfAttention(Attention):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        inner = config.num_attention_heads * config.head_dim
        self.query = nn.Linear(config.hidden_size, inner)
        self.key = nn.Linear(config.hidden_size, inner)
        self.value = nn.Linear(config.hidden_size, inner)
        self.output = nn.Linear(inner, config.hidden_size)
        self.scale = 1.0 / math.sqrt(config.head_dim)

    def forward(self, hidden_states, allowed):
        query_states = split_heads(self.query(hidden_states), self.num_heads)  # (B, nh, T, hs)
        key_states = split_heads(self.key(hidden_states), self.num_heads)
        value_states = split_heads(self.value(hidden_states), self.num_heads)
        context = self.attend(query_states, key_states, value_states, allowed, self.scale)
        return self.output(merge_heads(context))                               # (B, T, H)


class BertMLP(MLP):
    """The "intermediate" feed-forward: Linear(H -> I), GELU, Linear(I -> H), applied to each token alone."""
    fc_in, fc_out = "intermediate", "output"


class BertBlock(PostNormBlock):
    """One encoder layer, post-norm: Add & Norm after attention and after the feed-forward."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.attn = BertSelfAttention(config)
        self.attn_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.mlp = BertMLP(config.hidden_size, config.intermediate_size, config.hidden_act)
        self.mlp_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, hidden_states, allowed):
        resid_pre = self.hook_resid_pre(hidden_states)                                  # (B, T, H)
        attn_out = self.hook_attn_out(self.attn(resid_pre, allowed))
        resid_mid = summed(self.hook_resid_mid, resid_pre, attn_out)                    # Add ...
        hidden_states = self.hook_normalized_resid_mid(self.attn_norm(resid_mid))       # ... & Norm
        mlp_out = self.hook_mlp_out(self.mlp(hidden_states))
        resid_post = summed(self.hook_resid_post, hidden_states, mlp_out)               # Add ...
        return self.hook_normalized_resid_post(self.mlp_norm(resid_post))               # ... & Norm


class Pooler(nn.Module):
    """tanh(W h_[CLS] + b): the sentence vector the NSP head and the classifier read."""

    def __init__(self, hidden_size: int):
        super().__init__()
        self.dense = nn.Linear(hidden_size, hidden_size)
        self.hook_out = HookPoint(("batch", "hidden"), "pooler.out")

    def forward(self, hidden_states):
        return self.hook_out(torch.tanh(self.dense(hidden_states[:, 0])))


class MLMHead(nn.Module):
    """The seed's prediction head: Linear -> GELU -> LayerNorm -> Linear to the vocabulary (tied to the token
    embeddings) + bias."""

    def __init__(self, hidden_size: int, embedding_size: int, vocab_size: int, act: str, eps: float):
        super().__init__()
        self.dense = nn.Linear(hidden_size, embedding_size)
        self.act = activation(act)
        self.norm = nn.LayerNorm(embedding_size, eps=eps)
        self.decoder = nn.Linear(embedding_size, vocab_size, bias=False)   # weight tied by the model
        self.bias = nn.Parameter(torch.zeros(vocab_size))
        self.hook_transform = HookPoint(("batch", "pos", "embed"), "mlm.transform")
        self.hook_logits = HookPoint(("batch", "pos", "vocab"), "logits")

    def forward(self, hidden_states):
        transformed = self.hook_transform(self.norm(self.act(self.dense(hidden_states))))
        # the bias goes into the product (one addmm, as a Linear with a bias): adding it afterwards was another
        # pass over the (T x V) logits, about 4% of bert-base's forward at 128 tokens
        return self.hook_logits(F.linear(transformed, self.decoder.weight, self.bias))   # (B, T, V)


class SentenceHead(nn.Module):
    """A linear classifier on the pooled [CLS] vector: NSP / SOP (2 labels) or the fine-tuned "small classifier"."""

    def __init__(self, hidden_size: int, num_labels: int, key: str):
        super().__init__()
        self.classifier = nn.Linear(hidden_size, num_labels)
        self.hook_logits = HookPoint(("batch", "label"), key)

    def forward(self, pooled):
        return self.hook_logits(self.classifier(pooled))


class Bert(nn.Module):
    primary_head = "mlm"

    def __init__(self, config: BertConfig):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.blocks = nn.ModuleList(BertBlock(config) for _ in range(config.num_hidden_layers))
        if config.add_pooler:
            self.pooler = Pooler(config.hidden_size)
        add_encoder_heads(self, config, config.hidden_size)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, position_ids=None):
        hidden_states, allowed = embed_encoder_inputs(self.embeddings, input_ids, attention_mask, token_type_ids,
                                                      position_ids)               # (B, T, H), (B, 1, 1, T)
        for block in self.blocks:
            hidden_states = block(hidden_states, allowed)
        return encoder_heads(self, hidden_states)


def embed_encoder_inputs(embeddings: BertEmbeddings, input_ids, attention_mask=None, token_type_ids=None,
                         position_ids=None):
    """What every BERT-like encoder does first, with its defaults (every token real, one segment, positions 0 ..
    T-1): the summed embeddings, and which keys each query may see (padding never)."""
    if attention_mask is None:
        attention_mask = torch.ones_like(input_ids)
    if token_type_ids is None:
        token_type_ids = torch.zeros_like(input_ids)
    if position_ids is None:
        position_ids = torch.arange(input_ids.shape[1], device=input_ids.device)[None]   # (1, T)
    return embeddings(input_ids, token_type_ids, position_ids), padding_mask(attention_mask)


def add_encoder_heads(model: nn.Module, config, embedding_size: int) -> None:
    """The heads BERT-like encoders carry; which ones exist is `config.heads` (a real checkpoint may have none)."""
    if "mlm" in config.heads:
        model.mlm_head = MLMHead(config.hidden_size, embedding_size, config.vocab_size, config.hidden_act,
                                 config.layer_norm_eps)
        model.mlm_head.decoder.weight = model.embeddings.token.weight   # tied
    for head, key, labels in (("nsp", "nsp.logits", 2), ("sop", "sop.logits", 2),
                              ("classifier", "classifier.logits", config.num_labels)):
        if head in config.heads:
            setattr(model, f"{head}_head", SentenceHead(config.hidden_size, labels, key))


def encoder_heads(model: nn.Module, hidden_states: torch.Tensor) -> dict[str, torch.Tensor]:
    outputs = {"last_hidden_state": hidden_states}
    pooled = model.pooler(hidden_states) if hasattr(model, "pooler") else None
    if pooled is not None:
        outputs["pooled"] = pooled
    if hasattr(model, "mlm_head"):
        outputs["mlm"] = model.mlm_head(hidden_states)
    for head in ("nsp", "sop", "classifier"):
        if hasattr(model, f"{head}_head"):
            outputs[head] = getattr(model, f"{head}_head")(pooled)
    return outputs


_LAYER = r"^(?:bert\.)?encoder\.layer\.(\d+)\."

# Hugging Face name -> ours. A replacement of None drops the tensor on purpose (buffers some files carry).
HF_RENAMES = [
    (r"^(?:bert\.)?embeddings\.word_embeddings\.", "embeddings.token."),
    (r"^(?:bert\.)?embeddings\.position_embeddings\.", "embeddings.position."),
    (r"^(?:bert\.)?embeddings\.token_type_embeddings\.", "embeddings.segment."),
    (r"^(?:bert\.)?embeddings\.LayerNorm\.", "embeddings.norm."),
    (r"^(?:bert\.)?embeddings\.position_ids$", None),
    (_LAYER + r"attention\.self\.(query|key|value)\.", r"blocks.\1.attn.\2."),
    (_LAYER + r"attention\.output\.dense\.", r"blocks.\1.attn.output."),
    (_LAYER + r"attention\.output\.LayerNorm\.", r"blocks.\1.attn_norm."),
    (_LAYER + r"intermediate\.dense\.", r"blocks.\1.mlp.intermediate."),
    (_LAYER + r"output\.dense\.", r"blocks.\1.mlp.output."),
    (_LAYER + r"output\.LayerNorm\.", r"blocks.\1.mlp_norm."),
    (r"^(?:bert\.)?pooler\.dense\.", "pooler.dense."),
    (r"^cls\.predictions\.transform\.dense\.", "mlm_head.dense."),
    (r"^cls\.predictions\.transform\.LayerNorm\.", "mlm_head.norm."),
    (r"^cls\.predictions\.(?:decoder\.)?bias$", "mlm_head.bias"),
    (r"^cls\.predictions\.decoder\.weight$", "mlm_head.decoder.weight"),   # tied to embeddings.token.weight
    (r"^cls\.seq_relationship\.", "nsp_head.classifier."),
    (r"^classifier\.", "classifier_head.classifier."),
]


HEAD_PREFIXES = {"mlm": r"^cls\.predictions\.", "nsp": r"^cls\.seq_relationship\.", "classifier": r"^classifier\."}


def configure_from_keys(config, state_dict, head_prefixes=HEAD_PREFIXES, pooler=r"pooler\."):
    """A real file decides which heads exist: MiniLM carries none, bert-base-uncased carries MLM + NSP."""
    heads = tuple(head for head, prefix in head_prefixes.items() if any(re.search(prefix, k) for k in state_dict))
    changes = {"heads": heads, "add_pooler": any(re.search(pooler, k) for k in state_dict)}
    for key, tensor in state_dict.items():
        if "classifier" in heads and re.search(head_prefixes["classifier"] + "weight$", key):
            changes["num_labels"] = tensor.shape[0]
    return config.replace(**changes)


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None):
    return encoder_inputs(tokenizer, text, text_pair)


TINY_PRESETS = {
    "bert-tiny": dict(hidden_size=64, num_hidden_layers=4, num_attention_heads=4, intermediate_size=256,
                      max_position_embeddings=256),
}


# --- the family ------------------------------------------------------------------------------------------------

def layer_parameters(h: int, i: int) -> int:
    """One post-norm encoder layer: q k v o, FFN in/out, two LayerNorms (BERT, RoBERTa, ALBERT alike)."""
    return 4 * (h * h + h) + (h * i + i) + (i * h + h) + 2 * 2 * h


def head_parameters(c, h: int, e: int) -> int:
    """The heads `config.heads` lists; the MLM decoder is tied, so it adds only its transform and bias."""
    heads = {"mlm": h * e + e + 2 * e + c.vocab_size,
             "nsp": 2 * h + 2, "sop": 2 * h + 2, "classifier": c.num_labels * h + c.num_labels}
    return sum(n for head, n in heads.items() if head in c.heads)


def param_formula(c) -> tuple[int, int, str]:
    h, v = c.hidden_size, c.vocab_size
    body = ((v + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h
            + c.num_hidden_layers * layer_parameters(h, c.intermediate_size) + (h * h + h))
    return (body, body + head_parameters(c, h, h),
            "(V+P+T)H + 2H + L(4(H²+H) + 2HI + I + H + 4H) + H² + H [pooler]")


def attention_dims(c) -> AttentionDims:
    heads = c.num_attention_heads
    return AttentionDims("encoder", c.hidden_size, c.vocab_size, c.num_hidden_layers, heads, heads,
                         c.hidden_size // heads, c.max_length)


def config_rules(c) -> list[str]:
    if c.hidden_size % c.num_attention_heads:
        return [f"hidden_size {c.hidden_size} does not split into {c.num_attention_heads} heads of equal size"]
    return []


_LAYER = r"^blocks\.(\d+)\."
_BODY_SAVE_NAMES = [
    (r"^embeddings\.token\.", "{p}embeddings.word_embeddings."),
    (r"^embeddings\.position\.", "{p}embeddings.position_embeddings."),
    (r"^embeddings\.segment\.", "{p}embeddings.token_type_embeddings."),
    (r"^embeddings\.norm\.", "{p}embeddings.LayerNorm."),
    (_LAYER + r"attn\.(query|key|value)\.", r"{p}encoder.layer.\1.attention.self.\2."),
    (_LAYER + r"attn\.output\.", r"{p}encoder.layer.\1.attention.output.dense."),
    (_LAYER + r"attn_norm\.", r"{p}encoder.layer.\1.attention.output.LayerNorm."),
    (_LAYER + r"mlp\.intermediate\.", r"{p}encoder.layer.\1.intermediate.dense."),
    (_LAYER + r"mlp\.output\.", r"{p}encoder.layer.\1.output.dense."),
    (_LAYER + r"mlp_norm\.", r"{p}encoder.layer.\1.output.LayerNorm."),
    (r"^pooler\.dense\.", "{p}pooler.dense."),
]


def body_save_names(prefix: str) -> list:
    """The encoder's names as released under `prefix` ("bert.", "roberta.")."""
    return [(pattern, replacement.replace("{p}", prefix)) for pattern, replacement in _BODY_SAVE_NAMES]


SAVE_NAMES = body_save_names("bert.") + [
    (r"^mlm_head\.dense\.", "cls.predictions.transform.dense."),
    (r"^mlm_head\.norm\.", "cls.predictions.transform.LayerNorm."),
    (r"^mlm_head\.bias$", "cls.predictions.bias"),
    (r"^mlm_head\.decoder\.weight$", "cls.predictions.decoder.weight"),   # only when not tied
    (r"^nsp_head\.classifier\.", "cls.seq_relationship."),
    (r"^classifier_head\.classifier\.", "classifier."),
]

FAMILY = FamilySpec(
    name="bert", title="BERT", group=ENCODER_ONLY, paper="Devlin et al. 2018",
    config_cls=BertConfig, model_cls=Bert, hf_renames=HF_RENAMES, hf_save_names=SAVE_NAMES,
    hf_save_class="BertForPreTraining", hf_model_types=("bert",), hf_architectures=("Bert",),
    configure_from_keys=configure_from_keys, prepare_inputs=prepare_inputs, config_rules=config_rules,
    param_formula=param_formula, attention_dims=attention_dims,
    depth={"layers": ("num_hidden_layers", "num_hidden_layers")},
    tokenizer_recipe="bert", lessons=("common", "bert"), tiny_presets=TINY_PRESETS,
)
