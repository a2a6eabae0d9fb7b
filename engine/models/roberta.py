"""RoBERTa (Liu et al., 2019): BERT's encoder trained better. Architecturally: no NSP head and no segment types
(one type embedding, always 0), positions counted from past the padding index, and an LM head of its own.
The other differences the seed lists (10x data, dynamic masking, byte-level BPE) live in the tokenizer and the
objectives, not in these modules.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.models.base import encoder_inputs
from engine.models import bert
from engine.models.bert import HF_RENAMES as BERT_RENAMES
from engine.models.bert import BertBlock, BertConfig, BertEmbeddings, MLMHead, embed_encoder_inputs
from engine.models.family import ENCODER_ONLY, FamilySpec


@dataclass
class RobertaConfig(BertConfig):
    vocab_size: int = 50265
    max_position_embeddings: int = 514
    type_vocab_size: int = 1
    layer_norm_eps: float = 1e-5
    pad_token_id: int = 1
    heads: tuple[str, ...] = ("mlm",)

    @property
    def max_length(self) -> int:
        # positions 0..pad are never used by real tokens: they start at pad_token_id + 1
        return self.max_position_embeddings - self.pad_token_id - 1


def position_ids_past_padding(input_ids: torch.Tensor, pad_token_id: int) -> torch.Tensor:
    """Real tokens count 1, 2, 3... from pad_token_id + 1; padding keeps position pad_token_id."""
    is_token = (input_ids != pad_token_id).long()                  # (B, T)
    return torch.cumsum(is_token, dim=1) * is_token + pad_token_id


class Roberta(nn.Module):
    primary_head = "mlm"

    def __init__(self, config: RobertaConfig):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.embeddings.position.padding_idx = config.pad_token_id
        self.blocks = nn.ModuleList(BertBlock(config) for _ in range(config.num_hidden_layers))
        if "mlm" in config.heads:
            # RoBERTa's LM head always uses exact GELU, whatever hidden_act says
            self.mlm_head = MLMHead(config.hidden_size, config.hidden_size, config.vocab_size, "gelu",
                                    config.layer_norm_eps)
            self.mlm_head.decoder.weight = self.embeddings.token.weight   # tied

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, position_ids=None):
        if attention_mask is None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        if position_ids is None:
            position_ids = position_ids_past_padding(input_ids, self.config.pad_token_id)
        hidden_states, allowed = embed_encoder_inputs(self.embeddings, input_ids, attention_mask, token_type_ids,
                                                      position_ids)               # (B, T, H), (B, 1, 1, T)
        for block in self.blocks:
            hidden_states = block(hidden_states, allowed)
        outputs = {"last_hidden_state": hidden_states}
        if hasattr(self, "mlm_head"):
            outputs["mlm"] = self.mlm_head(hidden_states)
        return outputs


# BERT's table with RoBERTa's prefix, then its own LM head.
HF_RENAMES = [(pattern.replace(r"(?:bert\.)?", r"(?:roberta\.)?"), *rest)
              for pattern, *rest in BERT_RENAMES if not pattern.startswith((r"^cls\.", r"^classifier\."))] + [
    (r"^lm_head\.dense\.", "mlm_head.dense."),
    (r"^lm_head\.layer_norm\.", "mlm_head.norm."),
    (r"^lm_head\.(?:decoder\.)?bias$", "mlm_head.bias"),
    (r"^lm_head\.decoder\.weight$", "mlm_head.decoder.weight"),   # tied to embeddings.token.weight
]


def configure_from_keys(config, state_dict):
    return bert.configure_from_keys(config, state_dict, {"mlm": r"^lm_head\."})


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None):
    return encoder_inputs(tokenizer, text, text_pair, use_segments=False)


TINY_PRESETS = {
    "roberta-tiny": dict(hidden_size=64, num_hidden_layers=4, num_attention_heads=4, intermediate_size=256,
                         max_position_embeddings=258),
}


# --- the family ------------------------------------------------------------------------------------------------

def param_formula(c) -> tuple[int, int, str]:
    h, v = c.hidden_size, c.vocab_size
    body = ((v + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h
            + c.num_hidden_layers * bert.layer_parameters(h, c.intermediate_size))
    head = (h * h + h + 2 * h + v) if "mlm" in c.heads else 0
    return body, body + head, "(V+P+T)H + 2H + L(4(H²+H) + 2HI + I + H + 4H); no pooler"


SAVE_NAMES = bert.body_save_names("roberta.") + [
    (r"^mlm_head\.dense\.", "lm_head.dense."),
    (r"^mlm_head\.norm\.", "lm_head.layer_norm."),
    (r"^mlm_head\.bias$", "lm_head.bias"),
    (r"^mlm_head\.decoder\.weight$", "lm_head.decoder.weight"),
]

FAMILY = FamilySpec(
    name="roberta", title="RoBERTa", group=ENCODER_ONLY, paper="Liu et al. 2019",
    config_cls=RobertaConfig, model_cls=Roberta, hf_renames=HF_RENAMES, hf_save_names=SAVE_NAMES,
    hf_save_class="RobertaForMaskedLM", hf_model_types=("roberta",),
    hf_architectures=("Roberta",), configure_from_keys=configure_from_keys, prepare_inputs=prepare_inputs,
    param_formula=param_formula, attention_dims=bert.attention_dims, config_rules=bert.config_rules,
    depth={"layers": ("num_hidden_layers", "num_hidden_layers")},
    tokenizer_recipe="roberta", lessons=("common", "bert", "roberta"), tiny_presets=TINY_PRESETS,
)
