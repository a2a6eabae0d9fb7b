"""GPT-1, GPT-2 and GPT-3: decoder-only Transformers trained to predict the next token (causal language modelling).

All three embed tokens and learned positions, run N decoder layers with causal self-attention (no cross-attention:
there is no encoder), and map the last hidden states to the vocabulary with the token embedding matrix (tied).

GPT-1 (Radford et al., 2018), post-norm like the original Transformer:
    hidden_states = wte(input_ids) + wpe(positions)
    for each layer:
        hidden_states = ln_1(hidden_states + attn(hidden_states))     # Add & Norm
        hidden_states = ln_2(hidden_states + mlp(hidden_states))      # Add & Norm
    logits = hidden_states @ wte^T

GPT-2 (Radford et al., 2019), pre-norm plus a final LayerNorm:
    for each layer:
        hidden_states = hidden_states + attn(ln_1(hidden_states))
        hidden_states = hidden_states + mlp(ln_2(hidden_states))
    logits = ln_f(hidden_states) @ wte^T

GPT-3 (Brown et al., 2020, section 2.1): GPT-2's layers, "with the exception that we use alternating dense and
locally banded sparse attention patterns in the layers of the transformer, similar to the Sparse Transformer".
Dense layers let query i see keys 0..i; banded layers only keys i-w+1..i (w = `sparse_window`).

The MLP is HF's `Conv1D` pair c_fc / c_proj: a 1-D convolution with kernel size 1, i.e. the same Linear applied to
each token; we use nn.Linear and transpose the released (in, out) weights when loading.

Step names follow TransformerLens' HookedTransformer: hook_embed, hook_pos_embed (and our hook_embed_sum) at the
top; in a layer resid_pre -> attn_out -> resid_mid -> mlp_out -> resid_post (GPT-1's post-norm layer as its
BertBlock, with the normalised sums as normalized_resid_mid / normalized_resid_post).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import InputError
from engine.hooks import HookPoint
from engine.layers.residual import PostNormBlock, PreNormBlock, summed
from engine.layers.attention import Attention, merge_heads, split_heads
from engine.layers.heads import LMHead
from engine.layers.masks import banded_causal_mask, causal_mask, combine, padding_mask
from engine.layers.mlp import MLP
from engine.models.base import ConfigMixin, encoder_inputs
from engine.weights import transpose
from engine.models.family import DECODER_ONLY, AttentionDims, FamilySpec

BTH = ("batch", "pos", "hidden")


@dataclass
class GPT2Config(ConfigMixin):
    """Field names of GPT-2's config.json; the defaults are GPT-2 small (124M)."""
    vocab_size: int = 50257
    n_positions: int = 1024
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    n_inner: int | None = None                     # None: 4 * n_embd
    activation_function: str = "gelu_new"          # tanh-approximated GELU
    layer_norm_epsilon: float = 1e-5
    scale_attn_weights: bool = True                # divide scores by sqrt(head_dim)
    scale_attn_by_inverse_layer_idx: bool = False  # and by layer index + 1 (some later GPT-2 checkpoints)
    bos_token_id: int | None = 50256
    eos_token_id: int | None = 50256
    pad_token_id: int | None = None

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    @property
    def intermediate_size(self) -> int:
        return self.n_inner or 4 * self.n_embd

    @property
    def max_length(self) -> int:
        return self.n_positions


@dataclass
class GPT1Config(ConfigMixin):
    """Field names of openai-gpt's config.json; the defaults are the released GPT-1 (hidden 768, FFN 3072)."""
    vocab_size: int = 40478
    n_positions: int = 512
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    afn: str = "gelu"               # OpenAI's "gelu" is the tanh approximation (see GPT1_ACTIVATIONS)
    layer_norm_epsilon: float = 1e-5
    bos_token_id: int | None = None
    eos_token_id: int | None = None
    pad_token_id: int | None = None

    # GPT-1 always scales by sqrt(head_dim) and its FFN is always 4 * n_embd.
    scale_attn_weights = True
    scale_attn_by_inverse_layer_idx = False

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    @property
    def intermediate_size(self) -> int:
        return 4 * self.n_embd

    @property
    def max_length(self) -> int:
        return self.n_positions

    @property
    def activation_function(self) -> str:
        return GPT1_ACTIVATIONS.get(self.afn, self.afn)


# openai-gpt's `afn` names -> ours: its "gelu" was always the tanh approximation, not the exact erf GELU.
GPT1_ACTIVATIONS = {"gelu": "gelu_new"}


@dataclass
class GPT3Config(GPT2Config):
    """GPT-2's fields plus the sparse-attention layout. Defaults: GPT-3 Small (125M: GPT-2 small with 2048 positions).

    The paper does not publish the band width, nor exactly which layers are banded; the window here is this
    app's choice, and by default even layers (0, 2, ...) are dense and odd layers (1, 3, ...) banded.
    """
    n_positions: int = 2048
    sparse_window: int = 256                       # a banded layer's query sees itself and the w-1 keys before it
    sparse_layers: tuple[int, ...] | None = None   # None: the odd layers

    def is_sparse(self, layer: int) -> bool:
        return layer % 2 == 1 if self.sparse_layers is None else layer in self.sparse_layers


class GPTEmbeddings(nn.Module):
    """The two tables: token embedding + learned absolute position embedding (no segments, no norm). The model
    looks them up and records each (hook_embed, hook_pos_embed)."""

    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)    # token embedding, also the LM head
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)   # one learned vector per position


class GPTAttention(Attention):
    """Masked (causal) multi-head self-attention with GPT-2's fused q|k|v projection `c_attn`."""

    def __init__(self, config, layer_idx: int, banded: bool = False):
        super().__init__()
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)   # q | k | v in one matrix
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.scale = 1.0 / math.sqrt(config.head_dim) if config.scale_attn_weights else None
        if config.scale_attn_by_inverse_layer_idx:
            self.scale = (self.scale or 1.0) / (layer_idx + 1)
        if banded:   # GPT-3's locally banded layers: a different mask, its own lesson
            self.hook_mask.key = "attn.mask_banded"

    def forward(self, hidden_states, allowed, layer_past=None):
        query_states, key_states, value_states = self.c_attn(hidden_states).split(self.n_embd, dim=2)  # 3 x (B, T, H)
        query_states = split_heads(query_states, self.n_head)     # (B, nh, T, hs)
        key_states = split_heads(key_states, self.n_head)         # (B, nh, T, hs)
        value_states = split_heads(value_states, self.n_head)     # (B, nh, T, hs)
        if layer_past is not None:   # keys and values of the earlier tokens, computed once
            key_states = torch.cat([layer_past[0], key_states], dim=2)      # (B, nh, T_past + T, hs)
            value_states = torch.cat([layer_past[1], value_states], dim=2)  # (B, nh, T_past + T, hs)
        context = self.attend(query_states, key_states, value_states, allowed, self.scale)  # (B, nh, T, hs)
        return self.c_proj(merge_heads(context)), (key_states, value_states)               # (B, T, H)


class GPTMLP(MLP):
    """c_fc (H -> 4H), GELU, c_proj (4H -> H), on each token alone."""
    fc_in, fc_out = "c_fc", "c_proj"


class GPT1Block(PostNormBlock):
    """Post-norm: the residual sum is normalised after attention and after the MLP."""

    def __init__(self, config, layer_idx: int):
        super().__init__()
        self.attn = GPTAttention(config, layer_idx)
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = GPTMLP(config.n_embd, config.intermediate_size, config.activation_function)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)

    def forward(self, hidden_states, allowed, layer_past=None):
        resid_pre = self.hook_resid_pre(hidden_states)                               # (B, T, H)
        attn_out, present = self.attn(resid_pre, allowed, layer_past)
        resid_mid = summed(self.hook_resid_mid, resid_pre, self.hook_attn_out(attn_out))  # Add ...
        hidden_states = self.hook_normalized_resid_mid(self.ln_1(resid_mid))         # ... & Norm
        resid_post = summed(self.hook_resid_post, hidden_states, self.hook_mlp_out(self.mlp(hidden_states)))
        return self.hook_normalized_resid_post(self.ln_2(resid_post)), present


class GPT2Block(PreNormBlock):
    """Pre-norm: each sub-layer reads a normalised copy; the residual stream itself is never normalised."""

    def __init__(self, config, layer_idx: int, banded: bool = False):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = GPTAttention(config, layer_idx, banded)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = GPTMLP(config.n_embd, config.intermediate_size, config.activation_function)

    def forward(self, hidden_states, allowed, layer_past=None):
        resid_pre = self.hook_resid_pre(hidden_states)                                              # (B, T, H)
        attn_out, present = self.attn(self.hook_attn_norm(self.ln_1(resid_pre)), allowed, layer_past)
        resid_mid = summed(self.hook_resid_mid, resid_pre, self.hook_attn_out(attn_out))
        mlp_out = self.hook_mlp_out(self.mlp(self.hook_mlp_norm(self.ln_2(resid_mid))))
        return self.hook_resid_post(resid_mid + mlp_out), present


class GPT2(nn.Module):
    """The decoder-only stack all three generations share; subclasses choose the block and each layer's mask."""
    primary_head = "lm"
    final_norm = True

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = GPTEmbeddings(config)
        dims = ("batch", "pos", "embed")
        self.hook_embed = HookPoint(dims, "embed.token")
        self.hook_pos_embed = HookPoint(dims, "embed.position")
        self.hook_embed_sum = HookPoint(dims, "embed.sum")
        self.blocks = nn.ModuleList(self.make_block(config, i) for i in range(config.n_layer))
        if self.final_norm:
            self.ln_f = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
            self.hook_final_norm = HookPoint(BTH, "final_norm")
        self.lm_head = LMHead(config.n_embd, config.vocab_size)
        self.lm_head.weight = self.embeddings.wte.weight   # tied

    def make_block(self, config, layer_idx: int) -> nn.Module:
        return GPT2Block(config, layer_idx)

    def layer_mask(self, layer_idx: int, q_len: int, k_len: int, device) -> torch.Tensor:
        """Which keys each query may see in this layer: everything up to itself (the causal mask)."""
        return causal_mask(q_len, k_len, device)

    def mask_kind(self, layer_idx: int) -> str:
        """Layers of one kind see through the same mask."""
        return "causal"

    def forward(self, input_ids, attention_mask=None, past_key_values=None, use_cache=False, position_ids=None):
        batch, length = input_ids.shape
        past_length = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        total = past_length + length
        if total > self.config.n_positions:
            raise InputError(f"{total} tokens, but this model has only {self.config.n_positions} positions.")
        if position_ids is None:   # positions continue after the cached tokens
            position_ids = torch.arange(past_length, total, device=input_ids.device)[None]   # (1, T)
        padding = None if attention_mask is None else padding_mask(attention_mask)           # (B, 1, 1, T_total)

        token = self.hook_embed(self.embeddings.wte(input_ids))              # (B, T, H)
        position = self.hook_pos_embed(self.embeddings.wpe(position_ids))    # (1, T, H)
        hidden_states = self.hook_embed_sum(token + position)                 # (B, T, H)
        presents = []
        masks = {}   # one per kind of layer (GPT-3: dense and banded), so layers share it and what is known of it
        for i, block in enumerate(self.blocks):
            kind = self.mask_kind(i)
            if kind not in masks:
                masks[kind] = combine(self.layer_mask(i, length, total, input_ids.device), padding)
            allowed = masks[kind]                                                # (B or 1, 1, T, T_total)
            layer_past = None if past_key_values is None else past_key_values[i]
            hidden_states, present = block(hidden_states, allowed, layer_past)
            presents.append(present)
        if self.final_norm:
            hidden_states = self.hook_final_norm(self.ln_f(hidden_states))

        outputs = {"lm": self.lm_head(hidden_states), "last_hidden_state": hidden_states}
        if use_cache:
            outputs["past_key_values"] = presents
        return outputs


class GPT1(GPT2):
    """Post-norm blocks and no final LayerNorm: the last block's Add & Norm already normalises."""
    final_norm = False

    def make_block(self, config, layer_idx: int) -> nn.Module:
        return GPT1Block(config, layer_idx)


class GPT3(GPT2):
    """GPT-2 blocks; by default even layers are dense (causal) and odd layers locally banded (config.is_sparse)."""

    def make_block(self, config, layer_idx: int) -> nn.Module:
        return GPT2Block(config, layer_idx, banded=config.is_sparse(layer_idx))

    def mask_kind(self, layer_idx: int) -> str:
        return "banded" if self.config.is_sparse(layer_idx) else "causal"

    def layer_mask(self, layer_idx: int, q_len: int, k_len: int, device) -> torch.Tensor:
        if self.config.is_sparse(layer_idx):
            return banded_causal_mask(q_len, k_len, self.config.sparse_window, device)
        return causal_mask(q_len, k_len, device)


_PREFIX = r"^(?:transformer\.)?"

# Hugging Face name -> ours. Conv1D weights are stored (in, out): transposed into nn.Linear's (out, in).
HF_RENAMES = [
    (_PREFIX + r"(?:wte|tokens_embed)\.", "embeddings.wte."),
    (_PREFIX + r"(?:wpe|positions_embed)\.", "embeddings.wpe."),
    (_PREFIX + r"position_ids$", None),
    (_PREFIX + r"h\.(\d+)\.attn\.(?:bias|masked_bias)$", None),   # old files carry the causal mask as a buffer
    (_PREFIX + r"h\.(\d+)\.(attn|mlp)\.(c_attn|c_proj|c_fc)\.weight$", r"blocks.\1.\2.\3.weight", transpose),
    (_PREFIX + r"h\.(\d+)\.(attn|mlp)\.(c_attn|c_proj|c_fc)\.bias$", r"blocks.\1.\2.\3.bias"),
    (_PREFIX + r"h\.(\d+)\.(ln_1|ln_2)\.", r"blocks.\1.\2."),
    (_PREFIX + r"ln_f\.", "ln_f."),
    (r"^lm_head\.weight$", "lm_head.weight"),   # tied to embeddings.wte.weight
]


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None):
    """GPT reads the text as it is: its tokenizers add no [CLS]/[SEP]-like tokens and it has no segments."""
    return encoder_inputs(tokenizer, text, text_pair, use_segments=False)


GPT1_TINY = {"gpt1-tiny": dict(n_embd=64, n_layer=4, n_head=4, n_positions=256)}
GPT2_TINY = {"gpt2-tiny": dict(n_embd=64, n_layer=4, n_head=4, n_positions=256)}
# window 4: on a short sentence the band in layers 1 and 3 is plain to see beside the triangles of 0 and 2
GPT3_TINY = {"gpt3-tiny": dict(n_embd=64, n_layer=4, n_head=4, n_positions=256, sparse_window=4)}
TINY_PRESETS = {**GPT1_TINY, **GPT2_TINY, **GPT3_TINY}


# --- the families ----------------------------------------------------------------------------------------------

def _parameters(c, final_norm: bool) -> int:
    h, i = c.n_embd, c.intermediate_size
    layer = (3 * h * h + 3 * h) + (h * h + h) + (h * i + i) + (i * h + h) + 2 * 2 * h
    return (c.vocab_size + c.n_positions) * h + c.n_layer * layer + (2 * h if final_norm else 0)


def gpt1_formula(c) -> tuple[int, int, str]:
    body = _parameters(c, final_norm=False)
    return body, body, "(V+P)H + L(4H² + 4H + 2HI + I + H + 4H); head tied"


def gpt2_formula(c) -> tuple[int, int, str]:
    body = _parameters(c, final_norm=True)
    return body, body, "(V+P)H + L(4H² + 4H + 2HI + I + H + 4H) + 2H; head tied"


def attention_dims(c) -> AttentionDims:
    return AttentionDims("decoder", c.n_embd, c.vocab_size, c.n_layer, c.n_head, c.n_head, c.head_dim,
                         c.n_positions)


def config_rules(c) -> list[str]:
    if c.n_embd % c.n_head:
        return [f"n_embd {c.n_embd} does not split into {c.n_head} heads of equal size"]
    return []


_BODY_SAVE_NAMES = [
    (r"^blocks\.(\d+)\.(attn|mlp)\.(c_attn|c_proj|c_fc)\.weight$", r"transformer.h.\1.\2.\3.weight", transpose),
    (r"^blocks\.(\d+)\.(attn|mlp)\.(c_attn|c_proj|c_fc)\.bias$", r"transformer.h.\1.\2.\3.bias"),
    (r"^blocks\.(\d+)\.(ln_1|ln_2)\.", r"transformer.h.\1.\2."),
    (r"^ln_f\.", "transformer.ln_f."),
    (r"^lm_head\.weight$", "lm_head.weight"),
]
GPT1_SAVE_NAMES = [(r"^embeddings\.wte\.", "transformer.tokens_embed."),
                   (r"^embeddings\.wpe\.", "transformer.positions_embed.")] + _BODY_SAVE_NAMES
GPT2_SAVE_NAMES = [(r"^embeddings\.wte\.", "transformer.wte."),
                   (r"^embeddings\.wpe\.", "transformer.wpe.")] + _BODY_SAVE_NAMES

_GPT = dict(group=DECODER_ONLY, hf_renames=HF_RENAMES, prepare_inputs=prepare_inputs, attention_dims=attention_dims,
            config_rules=config_rules, depth={"layers": ("n_layer", "n_layer")})

GPT1_FAMILY = FamilySpec(
    name="gpt1", title="GPT-1", paper="Radford et al. 2018", config_cls=GPT1Config, model_cls=GPT1,
    hf_model_types=("openai-gpt",), hf_architectures=("OpenAIGPT",),
    hf_save_names=GPT1_SAVE_NAMES, hf_save_class="OpenAIGPTLMHeadModel", param_formula=gpt1_formula,
    tokenizer_recipe="gpt1", lessons=("common", "gpt"), tiny_presets=GPT1_TINY,
    **_GPT)
GPT2_FAMILY = FamilySpec(
    name="gpt2", title="GPT-2", paper="Radford et al. 2019", config_cls=GPT2Config, model_cls=GPT2,
    hf_model_types=("gpt2",), hf_architectures=("GPT2",),
    hf_save_names=GPT2_SAVE_NAMES, hf_save_class="GPT2LMHeadModel", param_formula=gpt2_formula,
    tokenizer_recipe="gpt2", lessons=("common", "gpt"), tiny_presets=GPT2_TINY,
    **_GPT)
# GPT-3 was never released: no checkpoint format of its own (GPT-2's rename table reads GPT-2-shaped files)
GPT3_FAMILY = FamilySpec(
    name="gpt3", title="GPT-3", paper="Brown et al. 2020", config_cls=GPT3Config, model_cls=GPT3,
    hf_model_types=("gpt3",), hf_save_names=GPT2_SAVE_NAMES, param_formula=gpt2_formula, tokenizer_recipe="gpt2", lessons=("common", "gpt"),
    tiny_presets=GPT3_TINY, **_GPT)
