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

from engine.hooks import HookPoint, is_recording
from engine.layers.residual import PreNormBlock, summed
from engine.layers.attention import K, Q, Attention, merge_heads, repeat_kv, split_heads
from engine.layers.heads import LMHead
from engine.layers.masks import causal_mask, combine, padding_mask
from engine.layers.mlp import GatedMLP
from engine.layers.norms import RMSNorm
from engine.layers.rope import RotaryEmbedding, apply_rotary
from engine.models.base import ConfigMixin, Prepared
from engine.models.family import DECODER_ONLY, AttentionDims, FamilySpec

BTH = ("batch", "pos", "hidden")
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
    """The token table only: LLaMA adds no position vector (position enters inside attention, by RoPE). The model
    looks tokens up and records them (hook_embed)."""

    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.token = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)


class LlamaAttention(Attention):
    """Causal self-attention with RoPE on q and k and grouped-query key/value heads.

    Recorded as TransformerLens records it: the projections before the rotation (hook_q per query head, hook_k and
    hook_v per key/value head), the rotated hook_rot_q / hook_rot_k (per key/value head, cached keys included: what
    a KV cache holds); then our own hook_k_repeated / hook_v_repeated, what `repeat_kv` hands the shared core.

    rotary_interleaved: RoPE pairs neighbouring dims (ChatGLM2) instead of halves (LLaMA).
    o_bias: whether o_proj has a bias; None: as q/k/v (config.attention_bias), as LLaMA does.
    """

    def __init__(self, config: LlamaConfig, rotary_interleaved: bool = False, o_bias: bool | None = None):
        super().__init__(record_inputs=False)
        self.num_heads = config.num_attention_heads
        self.num_key_value_heads = config.num_key_value_heads
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.head_dim = config.head_dim
        self.rotary_interleaved = rotary_interleaved
        bias = config.attention_bias
        self.q_proj = nn.Linear(config.hidden_size, self.num_heads * self.head_dim, bias=bias)
        self.k_proj = nn.Linear(config.hidden_size, self.num_key_value_heads * self.head_dim, bias=bias)
        self.v_proj = nn.Linear(config.hidden_size, self.num_key_value_heads * self.head_dim, bias=bias)
        self.o_proj = nn.Linear(self.num_heads * self.head_dim, config.hidden_size,
                                bias=bias if o_bias is None else o_bias)
        self.scale = self.head_dim ** -0.5
        self.hook_q = HookPoint(Q, "attn.q")
        self.hook_k = HookPoint(KV, "attn.k")
        self.hook_v = HookPoint(KV, "attn.v")
        self.hook_rot_q = HookPoint(Q, "attn.rot_q")
        self.hook_rot_k = HookPoint(KV, "attn.rot_k")
        self.hook_k_repeated = HookPoint(K, "attn.k_repeated")
        self.hook_v_repeated = HookPoint(K, "attn.v_repeated")

    def forward(self, hidden_states, cos, sin, allowed, past_key_value=None):
        query_states = self.hook_q(split_heads(self.q_proj(hidden_states), self.num_heads))   # (B, nh, T, hs)
        key_states = self.hook_k(split_heads(self.k_proj(hidden_states), self.num_key_value_heads))  # (B, n_kv, T, hs)
        value_states = self.hook_v(split_heads(self.v_proj(hidden_states), self.num_key_value_heads))

        # the rotated q and k are recorded as the recipe apply_rotary over the recorded q / k and cos / sin
        rotary = (cos[:, None], sin[:, None], self.rotary_interleaved)                  # (B or 1, 1, T, hs) each
        query_states = self.hook_rot_q(apply_rotary(query_states, *rotary),
                                       derive=(apply_rotary, query_states, *rotary))
        recipe = (apply_rotary, key_states, *rotary) if past_key_value is None else None
        key_states = apply_rotary(key_states, *rotary)
        if past_key_value is not None:   # keys are cached already rotated, each at its own position
            key_states = torch.cat((past_key_value[0], key_states), dim=2)               # (B, n_kv, T_past+T, hs)
            value_states = torch.cat((past_key_value[1], value_states), dim=2)
        present = (key_states, value_states)
        key_states = self.hook_rot_k(key_states, derive=recipe)

        if is_recording():   # the explicit core needs a key / value per query head; SDPA shares them itself
            key_states = self._repeated(self.hook_k_repeated, key_states)                 # (B, nh, Tk, hs)
            value_states = self._repeated(self.hook_v_repeated, value_states)
        context = self.attend(query_states, key_states, value_states, allowed, self.scale)  # (B, nh, T, hs)
        return self.o_proj(merge_heads(context)), present                                  # (B, T, H)

    def _repeated(self, hook: HookPoint, states: torch.Tensor) -> torch.Tensor:
        """repeat_kv(states), recorded as that recipe over the recorded states: the n_rep copies cost the
        cache nothing."""
        n_rep = self.num_key_value_groups
        if n_rep == 1:
            return hook(states)   # repeat_kv hands the same tensor on
        return hook(repeat_kv(states, n_rep), derive=(repeat_kv, states, n_rep))


class LlamaMLP(GatedMLP):
    """SwiGLU: two parallel projections up to the FFN size; SiLU of one (the gate) scales the other (up), then
    down_proj brings the product back:  down_proj(SiLU(gate_proj(x)) * up_proj(x))."""

    def __init__(self, config: LlamaConfig):
        super().__init__(config.hidden_act)
        bias = config.mlp_bias
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=bias)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=bias)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=bias)

    def gate_and_up(self, hidden_states):
        return self.gate_proj(hidden_states), self.up_proj(hidden_states)                # (B, T, I) each

    def down(self, hidden_states):
        return self.down_proj(hidden_states)                                             # (B, T, H)


class LlamaBlock(PreNormBlock):
    """One decoder layer, pre-norm: RMSNorm before attention and before the MLP, residuals left un-normalised.
    attn / mlp: the two sub-layers (LLaMA's by default; ChatGLM passes its own)."""

    def __init__(self, config: LlamaConfig, attn: nn.Module | None = None, mlp: nn.Module | None = None):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden_size, eps=config.rms_norm_eps)
        self.attn = attn if attn is not None else LlamaAttention(config)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, eps=config.rms_norm_eps)
        self.mlp = mlp if mlp is not None else LlamaMLP(config)

    def forward(self, hidden_states, cos, sin, allowed, past_key_value=None):
        resid_pre = self.hook_resid_pre(hidden_states)                                     # (B, T, H)
        attn_out, present = self.attn(self.hook_attn_norm(self.input_layernorm(resid_pre)), cos, sin, allowed,
                                      past_key_value)
        resid_mid = summed(self.hook_resid_mid, resid_pre, self.hook_attn_out(attn_out))
        mlp_out = self.hook_mlp_out(self.mlp(self.hook_mlp_norm(self.post_attention_layernorm(resid_mid))))
        return self.hook_resid_post(resid_mid + mlp_out), present


class Llama(nn.Module):
    """blocks / rotary_emb: the layers and the RoPE tables (LLaMA's by default; ChatGLM passes its own)."""
    primary_head = "lm"

    def __init__(self, config: LlamaConfig, blocks: list[nn.Module] | None = None,
                 rotary_emb: RotaryEmbedding | None = None):
        super().__init__()
        self.config = config
        self.embeddings = LlamaEmbeddings(config)
        self.hook_embed = HookPoint(("batch", "pos", "embed"), "embed.token")
        if rotary_emb is None:
            rotary_emb = RotaryEmbedding(config.head_dim, config.rope_theta, config.rope_parameters)
        self.rotary_emb = rotary_emb
        if blocks is None:
            blocks = [LlamaBlock(config) for _ in range(config.num_hidden_layers)]
        self.blocks = nn.ModuleList(blocks)
        self.norm = RMSNorm(config.hidden_size, eps=config.rms_norm_eps)
        self.hook_final_norm = HookPoint(BTH, "final_norm")
        self.lm_head = LMHead(config.hidden_size, config.vocab_size)
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

        hidden_states = self.hook_embed(self.embeddings.token(input_ids))          # (B, T, H)
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


def config_rules(c) -> list[str]:
    if c.head_dim * c.num_attention_heads != c.hidden_size and c.hidden_size % c.num_attention_heads:
        return [f"hidden_size {c.hidden_size} does not split into {c.num_attention_heads} heads of equal size "
                f"(or set head_dim)"]
    return []


SAVE_NAMES = [
    (r"^embeddings\.token\.", "model.embed_tokens."),
    (r"^blocks\.(\d+)\.attn\.(q_proj|k_proj|v_proj|o_proj)\.", r"model.layers.\1.self_attn.\2."),
    (r"^blocks\.(\d+)\.mlp\.(gate_proj|up_proj|down_proj|gate_up_proj)\.", r"model.layers.\1.mlp.\2."),
    (r"^blocks\.(\d+)\.(input_layernorm|post_attention_layernorm)\.", r"model.layers.\1.\2."),
    (r"^norm\.", "model.norm."),
    (r"^lm_head\.", "lm_head."),
]

FAMILY = FamilySpec(
    name="llama", title="LLaMA", group=DECODER_ONLY, paper="Touvron et al. 2023; Meta 2024 (LLaMA-3)",
    config_cls=LlamaConfig, model_cls=Llama, hf_renames=HF_RENAMES, hf_save_names=SAVE_NAMES,
    hf_save_class="LlamaForCausalLM", hf_model_types=("llama",),
    hf_architectures=("Llama",), prepare_inputs=prepare_inputs,
    param_formula=param_formula, attention_dims=attention_dims, config_rules=config_rules,
    depth={"layers": ("num_hidden_layers", "num_hidden_layers")},
    tokenizer_recipe="llama", lessons=("common", "llama"), tiny_presets=TINY_PRESETS,
)
