"""LLaMA (Touvron et al., 2023; LLaMA 2 and 3 the same architecture): a pre-norm decoder-only Transformer with the
seed's three changes to GPT: RMSNorm, rotary positions (RoPE) and a SwiGLU feed-forward, plus grouped-query
attention (GQA, `repeat_kv`) in LLaMA-2 70B and all of LLaMA-3.

    hidden_states = embed_tokens(input_ids)                        # no position vector is added
    for each layer:
        q, k = RoPE(x W_q), RoPE(x W_k)   with x = RMSNorm(hidden_states)
        hidden_states = hidden_states + W_o Attention(q, repeat_kv(k), repeat_kv(x W_v))
        x = RMSNorm(hidden_states)
        hidden_states = hidden_states + down_proj(SiLU(gate_proj(x)) * up_proj(x))
    logits = lm_head(RMSNorm(hidden_states))

LLaMA-1, -2 and -3 differ only in their configs: context length (2048 / 4096 / 8192), key/value heads (GQA),
RoPE base (10000 / 10000 / 500000) and vocabulary (32000 / 32000 / 128256).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.hooks import HookPoint
from engine.layers.activations import activation
from engine.layers.attention import Attention, merge_heads, repeat_kv, split_heads
from engine.layers.masks import causal_mask, combine, padding_mask
from engine.layers.norms import RMSNorm
from engine.layers.rope import RotaryEmbedding, apply_rotary
from engine.models.base import ConfigMixin, Prepared
from engine.models.family import DECODER_ONLY, AttentionDims, FamilySpec

BTH = ("batch", "pos", "hidden")
BTF = ("batch", "pos", "ffn")
KV = ("batch", "kv_head", "k_pos", "head_dim")


@dataclass
class LlamaConfig(ConfigMixin):
    vocab_size: int = 32000
    hidden_size: int = 4096
    intermediate_size: int = 11008
    num_hidden_layers: int = 32
    num_attention_heads: int = 32
    num_key_value_heads: int | None = None   # None: one key/value head per query head (LLaMA-1, plain MHA)
    head_dim: int | None = None              # None: hidden_size // num_attention_heads
    hidden_act: str = "silu"
    max_position_embeddings: int = 2048
    rms_norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    rope_parameters: dict | None = None      # transformers 5 keeps rope_theta (and any scaling) in here
    rope_scaling: dict | None = None         # older config.json files keep the scaling here
    tie_word_embeddings: bool = False
    attention_bias: bool = False
    mlp_bias: bool = False
    pad_token_id: int | None = None
    bos_token_id: int | None = 1
    eos_token_id: int | tuple[int, ...] | None = 2   # LLaMA-3.1 lists several

    def __post_init__(self):
        if self.num_key_value_heads is None:
            self.num_key_value_heads = self.num_attention_heads
        if self.head_dim is None:
            self.head_dim = self.hidden_size // self.num_attention_heads
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError(f"num_attention_heads ({self.num_attention_heads}) must be a multiple of "
                             f"num_key_value_heads ({self.num_key_value_heads})")
        # Read theta from wherever the file keeps it; afterwards `rope_theta` is the one source of truth.
        params = dict(self.rope_parameters or {})
        if "rope_theta" in params:
            self.rope_theta = float(params.pop("rope_theta"))
        if self.rope_scaling:
            params = {**self.rope_scaling, **params}
        self.rope_parameters = params or None
        self.rope_scaling = None

    @property
    def max_length(self) -> int:
        return self.max_position_embeddings


class LlamaEmbeddings(nn.Module):
    """Token embeddings only: LLaMA has no position vector to add (position enters inside attention, by RoPE)."""

    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.token = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.hook_token = HookPoint(("batch", "pos", "embed"), "embed.token")

    def forward(self, input_ids):
        return self.hook_token(self.token(input_ids))   # (B, T, H)


class LlamaAttention(Attention):
    interleaved_rotary = False   # rotate_half layout (ChatGLM pairs neighbouring dims instead)
    output_bias = True           # o_proj has a bias whenever attention_bias is set
    """Causal self-attention with RoPE on q and k and grouped-query key/value heads.

    Recorded beyond the shared attention steps: q and k before the rotation (`hook_q_pre_rope`,
    `hook_k_pre_rope`), and the rotated keys and the values per key/value head before `repeat_kv` shares them
    (`hook_k_grouped`, `hook_v_grouped`: what a KV cache stores). The shared `hook_q` / `hook_k` / `hook_v`
    are after the rotation and after `repeat_kv`.
    """

    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.num_key_value_heads = config.num_key_value_heads
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.head_dim = config.head_dim
        bias = config.attention_bias
        self.q_proj = nn.Linear(config.hidden_size, self.num_heads * self.head_dim, bias=bias)
        self.k_proj = nn.Linear(config.hidden_size, self.num_key_value_heads * self.head_dim, bias=bias)
        self.v_proj = nn.Linear(config.hidden_size, self.num_key_value_heads * self.head_dim, bias=bias)
        self.o_proj = nn.Linear(self.num_heads * self.head_dim, config.hidden_size, bias=bias and self.output_bias)
        self.scale = self.head_dim ** -0.5
        self.hook_q_pre_rope = HookPoint(("batch", "head", "q_pos", "head_dim"), "attn.q_pre_rope")
        self.hook_k_pre_rope = HookPoint(KV, "attn.k_pre_rope")
        self.hook_k_grouped = HookPoint(KV, "attn.k_grouped")
        self.hook_v_grouped = HookPoint(KV, "attn.v_grouped")
        # The shared steps mean something more specific here: say so in their lesson texts.
        self.hook_q.key, self.hook_k.key, self.hook_v.key = "attn.q_rope", "attn.k_rope_repeated", "attn.v_repeated"
        self.hook_mask.key = "attn.mask_causal"

    def forward(self, hidden_states, cos, sin, allowed, past_key_value=None):
        query_states = split_heads(self.q_proj(hidden_states), self.num_heads)          # (B, nh, T, hs)
        key_states = split_heads(self.k_proj(hidden_states), self.num_key_value_heads)  # (B, n_kv, T, hs)
        value_states = split_heads(self.v_proj(hidden_states), self.num_key_value_heads)
        query_states = self.hook_q_pre_rope(query_states)
        key_states = self.hook_k_pre_rope(key_states)

        cos, sin = cos[:, None], sin[:, None]                                            # (B or 1, 1, T, hs)
        query_states = apply_rotary(query_states, cos, sin, interleaved=self.interleaved_rotary)
        key_states = apply_rotary(key_states, cos, sin, interleaved=self.interleaved_rotary)
        if past_key_value is not None:   # keys are cached already rotated, each at its own position
            key_states = torch.cat((past_key_value[0], key_states), dim=2)               # (B, n_kv, T_past+T, hs)
            value_states = torch.cat((past_key_value[1], value_states), dim=2)
        present = (key_states, value_states)
        key_states = self.hook_k_grouped(key_states)
        value_states = self.hook_v_grouped(value_states)

        key_states = repeat_kv(key_states, self.num_key_value_groups)                    # (B, nh, Tk, hs)
        value_states = repeat_kv(value_states, self.num_key_value_groups)
        context = self.attend(query_states, key_states, value_states, allowed, self.scale)  # (B, nh, T, hs)
        return self.hook_out(self.o_proj(merge_heads(context))), present                 # (B, T, H)


class LlamaMLP(nn.Module):
    """SwiGLU: two parallel projections up to the FFN size; SiLU of one gates the other, then down again."""

    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.make_projections(config)
        self.act_fn = activation(config.hidden_act)
        self.hook_gate_pre = HookPoint(BTF, "swiglu.gate_pre")
        self.hook_gate = HookPoint(BTF, "swiglu.gate")
        self.hook_up = HookPoint(BTF, "swiglu.up")
        self.hook_act_mul = HookPoint(BTF, "swiglu.act_mul")
        self.hook_out = HookPoint(BTH, "mlp.out")

    def make_projections(self, config) -> None:
        bias = config.mlp_bias
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=bias)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=bias)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=bias)

    def gate_and_up(self, hidden_states):
        return self.gate_proj(hidden_states), self.up_proj(hidden_states)           # (B, T, I) each

    def forward(self, hidden_states):
        gate, up = self.gate_and_up(hidden_states)
        gate = self.hook_gate(self.act_fn(self.hook_gate_pre(gate)))                     # (B, T, I)
        up = self.hook_up(up)                                                            # (B, T, I)
        return self.hook_out(self.down_proj(self.hook_act_mul(gate * up)))                      # (B, T, H)


class LlamaBlock(nn.Module):
    """One decoder layer, pre-norm: RMSNorm before attention and before the MLP, residuals left un-normalised."""
    attention_cls, mlp_cls = LlamaAttention, LlamaMLP

    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden_size, eps=config.rms_norm_eps)
        self.attn = self.attention_cls(config)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, eps=config.rms_norm_eps)
        self.mlp = self.mlp_cls(config)
        self.hook_attn_norm = HookPoint(BTH, "block.attn_rmsnorm")
        self.hook_attn_add = HookPoint(BTH, "block.attn_add")
        self.hook_mlp_norm = HookPoint(BTH, "block.mlp_rmsnorm")
        self.hook_out = HookPoint(BTH, "block.out")

    def forward(self, hidden_states, cos, sin, allowed, past_key_value=None):
        attn_output, present = self.attn(self.hook_attn_norm(self.input_layernorm(hidden_states)), cos, sin,
                                         allowed, past_key_value)
        hidden_states = self.hook_attn_add(hidden_states + attn_output)
        mlp_output = self.mlp(self.hook_mlp_norm(self.post_attention_layernorm(hidden_states)))
        return self.hook_out(hidden_states + mlp_output), present


class LMHead(nn.Linear):
    """hidden -> one score per vocabulary token for the next token. Its own matrix in LLaMA 1-3 (tied to the
    embeddings only when the config says so, as in the small LLaMA-3.2 models)."""

    def __init__(self, hidden_size: int, vocab_size: int, key: str = "llama.lm_logits"):
        super().__init__(hidden_size, vocab_size, bias=False)
        self.hook_logits = HookPoint(("batch", "pos", "vocab"), key)

    def forward(self, hidden_states):
        return self.hook_logits(super().forward(hidden_states))


class Llama(nn.Module):
    primary_head = "lm"
    block_cls, embeddings_cls, logits_key = LlamaBlock, LlamaEmbeddings, "llama.lm_logits"

    @staticmethod
    def make_rotary(config):
        return RotaryEmbedding(config.head_dim, config.rope_theta, config.rope_parameters)

    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.config = config
        self.embeddings = self.embeddings_cls(config)
        self.rotary_emb = self.make_rotary(config)
        self.blocks = nn.ModuleList(self.block_cls(config) for _ in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, eps=config.rms_norm_eps)
        self.hook_final_norm = HookPoint(BTH, "norm.final_rmsnorm")
        self.lm_head = LMHead(config.hidden_size, config.vocab_size, self.logits_key)
        if config.tie_word_embeddings:
            self.lm_head.weight = self.embeddings.token.weight

    def forward(self, input_ids, attention_mask=None, position_ids=None, past_key_values=None, use_cache=False):
        """input_ids (B, T) of new tokens; attention_mask (B, T_past + T) of 1/0 when there is padding;
        past_key_values: one (key_states, value_states) pair per layer, each (B, n_kv, T_past, hs)."""
        batch, length = input_ids.shape
        past_length = past_key_values[0][0].shape[2] if past_key_values else 0
        total = past_length + length
        if position_ids is None:
            position_ids = _position_ids(attention_mask, past_length, length, input_ids.device)  # (B or 1, T)
        allowed = causal_mask(length, total, device=input_ids.device)                          # (1, 1, T, Tk)
        if attention_mask is not None:
            allowed = combine(allowed, padding_mask(attention_mask))                             # (B, 1, T, Tk)

        hidden_states = self.embeddings(input_ids)                                # (B, T, H)
        cos, sin = self.rotary_emb(position_ids, hidden_states.dtype)             # (B or 1, T, hs) each
        presents = []
        for i, block in enumerate(self.blocks):
            past = past_key_values[i] if past_key_values else None
            hidden_states, present = block(hidden_states, cos, sin, allowed, past)
            presents.append(present)
        hidden_states = self.hook_final_norm(self.norm(hidden_states))   # pre-norm: the stream is normed once more
        outputs = {"last_hidden_state": hidden_states, "lm": self.lm_head(hidden_states)}
        if use_cache:
            outputs["past_key_values"] = presents
        return outputs


def _position_ids(attention_mask, past_length: int, length: int, device) -> torch.Tensor:
    """Positions of the new tokens. Without a mask: past_length, past_length + 1, ... (as HF's forward). With one,
    count only real tokens, so a left-padded prompt starts at 0 (as HF's generate); padding gets position 0."""
    if attention_mask is None:
        return torch.arange(past_length, past_length + length, device=device)[None]   # (1, T)
    positions = attention_mask.long().cumsum(-1) - 1                                     # (B, Tk)
    positions = positions.masked_fill(attention_mask == 0, 0)
    return positions[:, -length:]                                                        # (B, T)


_LAYER = r"^(?:model\.)?layers\.(\d+)\."

# Hugging Face name -> ours (LlamaForCausalLM / LlamaModel; Meta's original .pth names are not handled).
HF_RENAMES = [
    (r"^(?:model\.)?embed_tokens\.", "embeddings.token."),
    (_LAYER + r"self_attn\.rotary_emb\.inv_freq$", None),   # old conversions stored the RoPE frequencies
    (_LAYER + r"self_attn\.(q_proj|k_proj|v_proj|o_proj)\.", r"blocks.\1.attn.\2."),
    (_LAYER + r"mlp\.(gate_proj|up_proj|down_proj)\.", r"blocks.\1.mlp.\2."),
    (_LAYER + r"(input_layernorm|post_attention_layernorm)\.", r"blocks.\1.\2."),
    (r"^(?:model\.)?norm\.", "norm."),
    (r"^lm_head\.", "lm_head."),   # tied to embeddings.token.weight when tie_word_embeddings
]


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None) -> Prepared:
    """A decoder reads one stream: the tokenizer's encoding (LLaMA's prepends <s>); a second text is appended."""
    encoding = tokenizer.encode(text, text_pair)
    input_ids = torch.tensor([encoding.ids])
    return Prepared(encoding, {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)})


TINY_PRESETS = {
    # Grouped-query attention stays visible: 4 query heads share 2 key/value heads.
    "llama-tiny": dict(hidden_size=64, intermediate_size=172, num_hidden_layers=4, num_attention_heads=4,
                       num_key_value_heads=2, max_position_embeddings=512, rope_theta=10000.0, rms_norm_eps=1e-6,
                       tie_word_embeddings=False),
}


# --- the family ------------------------------------------------------------------------------------------------

def decoder_parameters(c, qkv_bias: bool, o_bias: bool, mlp_bias: bool) -> tuple[int, int]:
    """A pre-norm RMSNorm decoder with grouped key/value heads and a gated FFN (LLaMA, ChatGLM2/3)."""
    h, i, hd = c.hidden_size, c.intermediate_size, c.head_dim
    q, kv = c.num_attention_heads * hd, c.num_key_value_heads * hd
    attn = h * q + 2 * h * kv + q * h + ((q + 2 * kv) if qkv_bias else 0) + (h if o_bias else 0)
    mlp = 3 * h * i + ((2 * i + h) if mlp_bias else 0)
    body = c.vocab_size * h + c.num_hidden_layers * (attn + mlp + 2 * h) + h
    return body, body + (0 if c.tie_word_embeddings else c.vocab_size * h)


def param_formula(c) -> tuple[int, int, str]:
    body, total = decoder_parameters(c, c.attention_bias, c.attention_bias, c.mlp_bias)
    return body, total, "VH + L(H·nh·hd + 2H·nkv·hd + nh·hd·H + 3HI + 2H) + H (+ VH untied head)"


def attention_dims(c) -> AttentionDims:
    return AttentionDims("decoder", c.hidden_size, c.vocab_size, c.num_hidden_layers, c.num_attention_heads,
                         c.num_key_value_heads, c.head_dim, c.max_position_embeddings)


FAMILY = FamilySpec(
    name="llama", title="LLaMA", group=DECODER_ONLY, paper="Touvron et al. 2023; Meta 2024 (LLaMA-3)",
    config_cls=LlamaConfig, model_cls=Llama, hf_renames=HF_RENAMES, hf_model_types=("llama",),
    hf_architectures=("Llama",), prepare_inputs=prepare_inputs,
    param_formula=param_formula, attention_dims=attention_dims,
    depth={"layers": ("num_hidden_layers", "num_hidden_layers")},
    tokenizer_recipe="llama", lessons=("common", "llama"), tiny_presets=TINY_PRESETS,
)
