"""T5 (Raffel et al., 2019): every task as text-to-text. An encoder reads the source ("translate English to
German: ..."), a decoder writes the target one token at a time, looking at the source through cross-attention.

    x = shared(input_ids)                                    # no position embedding at all
    for each encoder layer:                                  # pre-norm, RMSNorm (no mean, no bias)
        x = x + SelfAttention(RMSNorm(x), bias=relative_position_bias(bidirectional))
        x = x + FFN(RMSNorm(x))
    encoder_hidden_states = RMSNorm(x)

    y = shared(decoder_input_ids)                            # [start] + target shifted right
    for each decoder layer:
        y = y + MaskedSelfAttention(RMSNorm(y), bias=relative_position_bias(causal))
        y = y + CrossAttention(RMSNorm(y), keys/values = encoder_hidden_states)
        y = y + FFN(RMSNorm(y))
    logits = lm_head(RMSNorm(y) * d_model**-0.5)             # the rescale only when the head is tied (T5 1.0)

Attention scores are q.k with no 1/sqrt(d) scaling (the initialisation absorbs it), plus a learned bias per head
and per *bucket* of relative distance key - query; the bias is computed by the first layer of each stack and
shared by all its layers. FFN is ReLU (`wi`, `wo`) in T5 1.0 and gated-GELU (`wi_0`, `wi_1`, `wo`) in T5 v1.1.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import torch
from torch import nn

from engine.hooks import HookPoint
from engine.layers.residual import PreNormBlock, summed
from engine.layers.attention import QK, Attention, merge_heads, split_heads
from engine.layers.masks import causal_mask, combine, padding_mask
from engine.layers.mlp import MLP, GatedMLP
from engine.layers.norms import RMSNorm
from engine.models.base import ConfigMixin, Prepared
from engine.models.family import ENCODER_DECODER, AttentionDims, FamilySpec

BTH = ("batch", "pos", "hidden")


@dataclass
class T5Config(ConfigMixin):
    vocab_size: int = 32128
    d_model: int = 512
    d_kv: int = 64                      # per-head size; d_model need not equal num_heads * d_kv
    d_ff: int = 2048
    num_layers: int = 6                 # encoder layers
    num_decoder_layers: int | None = None   # None: as many as the encoder
    num_heads: int = 8
    relative_attention_num_buckets: int = 32
    relative_attention_max_distance: int = 128
    layer_norm_epsilon: float = 1e-6
    feed_forward_proj: str = "relu"     # "relu" (T5 1.0) or "gated-gelu" (T5 v1.1, Flan-T5)
    tie_word_embeddings: bool = True    # T5 1.0: LM head = embedding table (and rescaled); v1.1: its own
    pad_token_id: int = 0
    eos_token_id: int = 1
    decoder_start_token_id: int = 0     # T5 starts the decoder with <pad>

    @property
    def n_decoder_layers(self) -> int:
        return self.num_layers if self.num_decoder_layers is None else self.num_decoder_layers

    @property
    def is_gated_act(self) -> bool:
        return self.feed_forward_proj.split("-")[0] == "gated"

    @property
    def dense_act_fn(self) -> str:
        if self.feed_forward_proj == "gated-gelu":
            return "gelu_new"   # v1.1 was trained with the tanh approximation
        return self.feed_forward_proj.split("-")[-1]

    @property
    def max_length(self) -> None:
        return None   # relative positions: no table to run off the end of


def relative_position_bucket(relative_position: torch.Tensor, bidirectional: bool, num_buckets: int,
                             max_distance: int) -> torch.Tensor:
    """Distance key - query -> bucket id. Half of the buckets count small distances one by one, the other half
    cover max_exact .. max_distance in log-spaced bins (everything further shares the last bucket). Bidirectional
    (encoder): keys to the right get the upper half of the buckets. Causal (decoder): only the past is told apart."""
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets = buckets + (relative_position > 0).long() * num_buckets
        distance = relative_position.abs()
    else:
        distance = (-relative_position).clamp(min=0)   # future keys (masked anyway) fall into bucket 0
    max_exact = num_buckets // 2
    is_small = distance < max_exact
    # clamp only keeps log() finite where is_small picks the exact bucket anyway
    log_ratio = torch.log(distance.clamp(min=max_exact).float() / max_exact) / math.log(max_distance / max_exact)
    large = (max_exact + (log_ratio * (num_buckets - max_exact)).long()).clamp(max=num_buckets - 1)
    return buckets + torch.where(is_small, distance, large)


class T5Embedding(nn.Module):
    """Each stack looks its tokens up in the one table both stacks (and the tied LM head) share; the stack
    records the lookup (hook_embed)."""

    def __init__(self, shared: nn.Embedding):
        super().__init__()
        self.token = shared


class T5Attention(Attention):
    """q/k/v/o without biases (T5 has none anywhere)."""

    def __init__(self, config: T5Config):
        super().__init__()
        self.num_heads = config.num_heads
        inner = config.num_heads * config.d_kv
        self.q = nn.Linear(config.d_model, inner, bias=False)
        self.k = nn.Linear(config.d_model, inner, bias=False)
        self.v = nn.Linear(config.d_model, inner, bias=False)
        self.o = nn.Linear(inner, config.d_model, bias=False)


class T5SelfAttention(T5Attention):
    """The first layer of a stack owns the relative position bias table; the others receive its bias."""

    def __init__(self, config: T5Config, has_relative_attention_bias: bool, bidirectional: bool):
        super().__init__(config)
        self.bidirectional = bidirectional
        self.num_buckets = config.relative_attention_num_buckets
        self.max_distance = config.relative_attention_max_distance
        self.has_relative_attention_bias = has_relative_attention_bias
        if has_relative_attention_bias:
            self.relative_attention_bias = nn.Embedding(config.relative_attention_num_buckets, config.num_heads)
            self.hook_buckets = HookPoint(("q_pos", "k_pos"), "t5.buckets")
            self.hook_position_bias = HookPoint(QK, "t5.position_bias")

    def compute_bias(self, query_length: int, key_length: int, past_length: int = 0) -> torch.Tensor:
        device = self.relative_attention_bias.weight.device
        query_position = torch.arange(query_length, device=device)[:, None] + past_length   # after cached tokens
        key_position = torch.arange(key_length, device=device)[None, :]
        buckets = self.hook_buckets(relative_position_bucket(
            key_position - query_position, self.bidirectional, self.num_buckets, self.max_distance))  # (Tq, Tk)
        values = self.relative_attention_bias(buckets)                # (Tq, Tk, nh)
        return self.hook_position_bias(values.permute(2, 0, 1)[None])  # (1, nh, Tq, Tk)

    def forward(self, hidden_states, allowed, position_bias=None, past_key_value=None):
        query_states = split_heads(self.q(hidden_states), self.num_heads)   # (B, nh, T, hs)
        key_states = split_heads(self.k(hidden_states), self.num_heads)
        value_states = split_heads(self.v(hidden_states), self.num_heads)
        past_length = 0
        if past_key_value is not None:   # keys/values of the tokens already generated
            past_length = past_key_value[0].shape[2]
            key_states = torch.cat([past_key_value[0], key_states], dim=2)       # (B, nh, T_total, hs)
            value_states = torch.cat([past_key_value[1], value_states], dim=2)
        if position_bias is None:
            position_bias = self.compute_bias(query_states.shape[2], key_states.shape[2], past_length)
        context = self.attend(query_states, key_states, value_states, allowed, None, position_bias)
        output = self.o(merge_heads(context))                                 # (B, T, H)
        return output, position_bias, (key_states, value_states)


class T5CrossAttention(T5Attention):
    """Queries from the target (decoder) tokens, keys and values from the source (encoder) tokens; no position
    bias (HF adds a zero one), only the source's padding mask."""

    def __init__(self, config: T5Config):
        super().__init__(config)
        for part in ("q", "k", "v", "mask", "pattern"):   # same maths, a different story to tell
            getattr(self, f"hook_{part}").key = f"cross_attn.{part}"

    def forward(self, hidden_states, encoder_hidden_states, encoder_allowed):
        query_states = split_heads(self.q(hidden_states), self.num_heads)           # (B, nh, T, hs)
        key_states = split_heads(self.k(encoder_hidden_states), self.num_heads)     # (B, nh, S, hs)
        value_states = split_heads(self.v(encoder_hidden_states), self.num_heads)
        context = self.attend(query_states, key_states, value_states, encoder_allowed, None)
        return self.o(merge_heads(context))                                         # (B, T, H)


class T5DenseActDense(MLP):
    """T5 1.0's feed-forward: wo(ReLU(wi x)), no biases."""
    fc_in, fc_out = "wi", "wo"


class T5DenseGatedActDense(GatedMLP):
    """T5 v1.1's gated-GELU feed-forward: wo(GELU(wi_0 x) * wi_1 x), no biases."""

    def __init__(self, config: T5Config):
        super().__init__(config.dense_act_fn)
        self.wi_0 = nn.Linear(config.d_model, config.d_ff, bias=False)
        self.wi_1 = nn.Linear(config.d_model, config.d_ff, bias=False)
        self.wo = nn.Linear(config.d_ff, config.d_model, bias=False)

    def gate_and_up(self, hidden_states):
        return self.wi_0(hidden_states), self.wi_1(hidden_states)   # (B, T, F) each

    def down(self, hidden_states):
        return self.wo(hidden_states)                               # (B, T, H)


class T5Block(PreNormBlock):
    """One pre-norm layer: self-attention, (decoder only) cross-attention, feed-forward, each as x + f(norm(x)).
    Steps as TransformerLens' T5Block: resid_pre -> attn_out -> resid_mid (-> cross_attn_out -> resid_mid_cross)
    -> mlp_out -> resid_post; the norms' outputs are ours (attn_norm, cross_norm, mlp_norm)."""

    def __init__(self, config: T5Config, is_decoder: bool, has_relative_attention_bias: bool):
        super().__init__()
        eps = config.layer_norm_epsilon
        self.is_decoder = is_decoder
        self.attn_norm = RMSNorm(config.d_model, eps)
        self.attn = T5SelfAttention(config, has_relative_attention_bias, bidirectional=not is_decoder)
        if is_decoder:
            self.cross_norm = RMSNorm(config.d_model, eps)
            self.cross_attn = T5CrossAttention(config)
            self.hook_cross_norm = HookPoint(BTH, "block.cross_norm_pre")
            self.hook_cross_attn_out = HookPoint(BTH, "cross_attn.out")
            self.hook_resid_mid_cross = HookPoint(BTH, "block.resid_mid_cross")
        self.mlp_norm = RMSNorm(config.d_model, eps)
        if config.is_gated_act:
            self.mlp = T5DenseGatedActDense(config)
        else:
            self.mlp = T5DenseActDense(config.d_model, config.d_ff, config.dense_act_fn, bias=False)

    def forward(self, hidden_states, allowed, position_bias=None, encoder_hidden_states=None,
                encoder_allowed=None, past_key_value=None):
        resid = self.hook_resid_pre(hidden_states)                                            # (B, T, H)
        normed = self.hook_attn_norm(self.attn_norm(resid))
        attn_out, position_bias, present = self.attn(normed, allowed, position_bias, past_key_value)
        resid = summed(self.hook_resid_mid, resid, self.hook_attn_out(attn_out))
        if self.is_decoder:
            normed = self.hook_cross_norm(self.cross_norm(resid))
            cross_out = self.cross_attn(normed, encoder_hidden_states, encoder_allowed)    # (B, T, H)
            resid = summed(self.hook_resid_mid_cross, resid, self.hook_cross_attn_out(cross_out))
        mlp_out = self.hook_mlp_out(self.mlp(self.hook_mlp_norm(self.mlp_norm(resid))))
        return self.hook_resid_post(resid + mlp_out), position_bias, present


class T5Stack(nn.Module):
    """The encoder or the decoder: embeddings, layers sharing the first layer's position bias, a final RMSNorm."""

    def __init__(self, config: T5Config, shared: nn.Embedding, is_decoder: bool):
        super().__init__()
        layers = config.n_decoder_layers if is_decoder else config.num_layers
        self.embed = T5Embedding(shared)
        self.blocks = nn.ModuleList(T5Block(config, is_decoder, has_relative_attention_bias=(i == 0))
                                    for i in range(layers))
        self.hook_embed = HookPoint(BTH, "embed.token")
        self.final_norm = RMSNorm(config.d_model, config.layer_norm_epsilon)
        self.hook_final_norm = HookPoint(BTH, "final_norm")

    def forward(self, input_ids, allowed, encoder_hidden_states=None, encoder_allowed=None, past_key_values=None):
        hidden_states = self.hook_embed(self.embed.token(input_ids))   # (B, T, H)
        position_bias = None                    # the first block computes it, the others reuse it
        presents = []
        for i, block in enumerate(self.blocks):
            past = past_key_values[i] if past_key_values is not None else None
            hidden_states, position_bias, present = block(hidden_states, allowed, position_bias,
                                                          encoder_hidden_states, encoder_allowed, past)
            presents.append(present)
        return self.hook_final_norm(self.final_norm(hidden_states)), presents


class T5LMHead(nn.Module):
    """Decoder states -> vocabulary scores. A head tied to the embedding table first rescales by d_model**-0.5
    (T5 1.0, as in Mesh TensorFlow); v1.1's untied head does not."""

    def __init__(self, config: T5Config):
        super().__init__()
        self.proj = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.rescale = config.d_model ** -0.5 if config.tie_word_embeddings else None
        if self.rescale is not None:
            self.hook_rescaled = HookPoint(BTH, "t5.lm_rescale")
        self.hook_logits = HookPoint(("batch", "pos", "vocab"), "logits")

    def forward(self, hidden_states):
        if self.rescale is not None:
            hidden_states = self.hook_rescaled(hidden_states * self.rescale)
        return self.hook_logits(self.proj(hidden_states))   # (B, T, V)


class T5(nn.Module):
    primary_head = "lm"
    is_encoder_decoder = True
    # transformers' T5 draws the shared table from N(0, 1), not 0.02: nothing scales it up on the way in, and the
    # tied head reads it through d_model^-0.5, so a 0.02 table would start every logit near zero and learn slowly
    init_stds = {"shared.": 1.0}

    def __init__(self, config: T5Config):
        super().__init__()
        self.config = config
        self.shared = nn.Embedding(config.vocab_size, config.d_model)
        self.encoder = T5Stack(config, self.shared, is_decoder=False)
        self.decoder = T5Stack(config, self.shared, is_decoder=True)
        self.lm_head = T5LMHead(config)
        if config.tie_word_embeddings:
            self.lm_head.proj.weight = self.shared.weight

    def forward(self, input_ids, attention_mask=None, decoder_input_ids=None, encoder_hidden_states=None,
                past_key_values=None, use_cache=False, decoder_attention_mask=None):
        """decoder_input_ids: [start] + target shifted right (teacher forcing), or, with past_key_values, only the
        new tokens. encoder_hidden_states: a previous call's, so generation runs the encoder once.
        decoder_attention_mask: (B, T_total) 1/0 over all target tokens, cached ones included."""
        batch = input_ids.shape[0]
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        encoder_allowed = padding_mask(attention_mask)   # (B, 1, 1, S): padded source tokens are never looked at
        if encoder_hidden_states is None:
            encoder_hidden_states, _ = self.encoder(input_ids, encoder_allowed)   # (B, S, H)
        if decoder_input_ids is None:   # nothing written yet: just the start token
            decoder_input_ids = torch.full((batch, 1), self.config.decoder_start_token_id, dtype=torch.long,
                                           device=input_ids.device)
        past_length = past_key_values[0][0].shape[2] if past_key_values else 0
        length = decoder_input_ids.shape[1]
        allowed = causal_mask(length, past_length + length, device=input_ids.device)   # (1, 1, T, T_total)
        if decoder_attention_mask is not None:
            allowed = combine(allowed, padding_mask(decoder_attention_mask))
        hidden_states, presents = self.decoder(decoder_input_ids, allowed, encoder_hidden_states, encoder_allowed,
                                               past_key_values if past_key_values else None)
        outputs = {"lm": self.lm_head(hidden_states), "last_hidden_state": hidden_states,
                   "encoder_hidden_states": encoder_hidden_states}
        if use_cache:
            outputs["past_key_values"] = presents   # self-attention only; cross-attention keys are recomputed
        return outputs


_BLOCK = r"^(encoder|decoder)\.block\.(\d+)\.layer\."

# Hugging Face name -> ours. T5 numbers the sub-layers: encoder 0 = self-attention, 1 = FFN; decoder 0 =
# self-attention, 1 = cross-attention, 2 = FFN.
HF_RENAMES = [
    (r"^shared\.", "shared."),
    (r"^(encoder|decoder)\.embed_tokens\.", r"\1.embed.token."),   # tied to shared
    (_BLOCK + r"0\.SelfAttention\.", r"\1.blocks.\2.attn."),
    (_BLOCK + r"0\.layer_norm\.", r"\1.blocks.\2.attn_norm."),
    # some old checkpoints carry an unused bias table in the first cross-attention
    (r"^decoder\.block\.0\.layer\.1\.EncDecAttention\.relative_attention_bias\.", None),
    (r"^decoder\.block\.(\d+)\.layer\.1\.EncDecAttention\.", r"decoder.blocks.\1.cross_attn."),
    (r"^decoder\.block\.(\d+)\.layer\.1\.layer_norm\.", r"decoder.blocks.\1.cross_norm."),
    (r"^encoder\.block\.(\d+)\.layer\.1\.DenseReluDense\.", r"encoder.blocks.\1.mlp."),
    (r"^encoder\.block\.(\d+)\.layer\.1\.layer_norm\.", r"encoder.blocks.\1.mlp_norm."),
    (r"^decoder\.block\.(\d+)\.layer\.2\.DenseReluDense\.", r"decoder.blocks.\1.mlp."),
    (r"^decoder\.block\.(\d+)\.layer\.2\.layer_norm\.", r"decoder.blocks.\1.mlp_norm."),
    (r"^(encoder|decoder)\.final_layer_norm\.", r"\1.final_norm."),
    (r"^lm_head\.", "lm_head.proj."),   # tied to shared in T5 1.0
]

_PREFIX = re.compile(r"^\s*([^:\n]{1,60}):\s")   # "translate English to German: ...", "summarize: ..."


def _start_id(tokenizer) -> int:
    start = tokenizer.role_id("start")
    return tokenizer.role_id("pad") if start is None else start


def _decoder_extras(tokenizer, decoder_ids: list[int]) -> dict:
    return {"decoder_tokens": [tokenizer.id_to_token(i) or f"<{i}>" for i in decoder_ids]}


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None) -> Prepared:
    """text: the encoder's input, task prefix included as typed (T5 learns tasks from the prefix; without one it
    is kept as is). text_pair: the target; the decoder reads [start] + target shifted right (teacher forcing) and
    each position is scored on the next target token. No target: the decoder gets only the start token."""
    encoding = tokenizer.encode(text)
    input_ids = torch.tensor([encoding.ids])
    decoder_ids = [_start_id(tokenizer)]
    extras = {}
    if text_pair is not None and text_pair.strip():
        labels = tokenizer.encode(text_pair).ids   # ends with </s>: the model must learn to stop
        decoder_ids += labels[:-1]
        extras["labels"] = labels
        extras["target_tokens"] = [tokenizer.id_to_token(i) or f"<{i}>" for i in labels]
    match = _PREFIX.match(text)
    if match:
        extras["task_prefix"] = match.group(1).strip()
    extras.update(_decoder_extras(tokenizer, decoder_ids))
    inputs = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids),
              "decoder_input_ids": torch.tensor([decoder_ids])}
    return Prepared(encoding, inputs, extras)


def inputs_from_ids(tokenizer, config: T5Config, input_ids: torch.Tensor, **options) -> Prepared:
    """Raw source ids: the decoder starts from the start token alone. A folder without tokenizer files has only
    its config to say which id that is."""
    start = config.decoder_start_token_id
    inputs = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids),
              "decoder_input_ids": torch.full((input_ids.shape[0], 1), start, dtype=torch.long)}
    label = (tokenizer.id_to_token(start) if tokenizer is not None else None) or f"<{start}>"
    return Prepared(None, inputs, {"decoder_tokens": [label]})


TINY_PRESETS = {
    "t5-tiny": dict(d_model=64, d_kv=16, d_ff=128, num_layers=2, num_decoder_layers=2, num_heads=4,
                    relative_attention_num_buckets=32, relative_attention_max_distance=64,
                    feed_forward_proj="relu", tie_word_embeddings=True),
}


# --- the family ------------------------------------------------------------------------------------------------

def param_formula(c) -> tuple[int, int, str]:
    d, inner, ff, v = c.d_model, c.num_heads * c.d_kv, c.d_ff, c.vocab_size
    attn = 4 * d * inner
    ffn = (3 if c.is_gated_act else 2) * d * ff
    body = (v * d + c.num_layers * (attn + ffn + 2 * d) + c.n_decoder_layers * (2 * attn + ffn + 3 * d)
            + 2 * c.relative_attention_num_buckets * c.num_heads + 2 * d)
    head = 0 if c.tie_word_embeddings else v * d
    return (body, body + head,
            "Vd + Le(4d·hk + F + 2d) + Ld(8d·hk + F + 3d) + 2·buckets·heads + 2d, F = 2d·ff (3d·ff gated)"
            + ("" if c.tie_word_embeddings else " + Vd [untied head]"))


def attention_dims(c) -> AttentionDims:
    # the T5 paper trains on 512-token inputs; relative positions set no limit
    return AttentionDims("encoder-decoder", c.d_model, c.vocab_size, c.n_decoder_layers, c.num_heads, c.num_heads,
                         c.d_kv, 512, encoder_layers=c.num_layers)


SAVE_NAMES = [
    (r"^shared\.", "shared."),
    (r"^(encoder|decoder)\.blocks\.(\d+)\.attn\.", r"\1.block.\2.layer.0.SelfAttention."),
    (r"^(encoder|decoder)\.blocks\.(\d+)\.attn_norm\.", r"\1.block.\2.layer.0.layer_norm."),
    (r"^decoder\.blocks\.(\d+)\.cross_attn\.", r"decoder.block.\1.layer.1.EncDecAttention."),
    (r"^decoder\.blocks\.(\d+)\.cross_norm\.", r"decoder.block.\1.layer.1.layer_norm."),
    (r"^encoder\.blocks\.(\d+)\.mlp\.", r"encoder.block.\1.layer.1.DenseReluDense."),
    (r"^encoder\.blocks\.(\d+)\.mlp_norm\.", r"encoder.block.\1.layer.1.layer_norm."),
    (r"^decoder\.blocks\.(\d+)\.mlp\.", r"decoder.block.\1.layer.2.DenseReluDense."),
    (r"^decoder\.blocks\.(\d+)\.mlp_norm\.", r"decoder.block.\1.layer.2.layer_norm."),
    (r"^(encoder|decoder)\.final_norm\.", r"\1.final_layer_norm."),
    (r"^lm_head\.proj\.", "lm_head."),
]

FAMILY = FamilySpec(
    name="t5", title="T5", group=ENCODER_DECODER, paper="Raffel et al. 2019",
    config_cls=T5Config, model_cls=T5, hf_renames=HF_RENAMES, hf_save_names=SAVE_NAMES,
    hf_save_class="T5ForConditionalGeneration", hf_model_types=("t5",), hf_architectures=("T5",),
    prepare_inputs=prepare_inputs, inputs_from_ids=inputs_from_ids,
    param_formula=param_formula, attention_dims=attention_dims,
    depth={"encoder": ("num_layers", "num_layers"), "decoder": ("num_decoder_layers", "n_decoder_layers")},
    tokenizer_recipe="t5", lessons=("common", "t5"), tiny_presets=TINY_PRESETS,
)
