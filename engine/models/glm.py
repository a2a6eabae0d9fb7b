"""GLM (Du et al., 2022, "GLM: General Language Model Pretraining with Autoregressive Blank Infilling") and its
ChatGLM2/3 generation (transformers' `GlmForCausalLM`).

GLM: one Transformer stack that is bidirectional over the given text and autoregressive over the blanks.
    Part A = the text, each blanked span replaced by one [MASK];  Part B = the spans, each opened by [START]
    input  = Part A + Part B;   Part B predicts its spans shifted by one: [S] x5 x6 -> x5 x6 [E]
    hidden_states = token(input) + position_a(row 1) + position_b(row 2)       # 2D positions, two tables
        row 1: the position in Part A (a Part B token takes the position of its span's [MASK])
        row 2: 0 in Part A, 1 .. len(span) + 1 inside a span of Part B
    mask: Part A sees all of Part A; Part B sees Part A and the earlier Part B tokens; Part A never sees Part B
    for each layer, by `norm_style`:
        "pre"       (the paper and its code, Megatron-LM order):
                    hidden_states = hidden_states + Attention(LN(hidden_states))
                    hidden_states = hidden_states + MLP(LN(hidden_states))            ... then a final LN
        "post"      (the chapter's reading):   hidden_states = LN(hidden_states + F(hidden_states))
        "deepnorm"  (GLM-130B, DeepNet):    hidden_states = LN(alpha * hidden_states + F(hidden_states)),
                    alpha = (2N)^0.5 for N layers
    MLP = Linear(H -> 4H), GeLU, Linear(4H -> H);  logits = hidden_states @ token^T (one linear layer, tied)

ChatGLM2/3: GLM's name on a LLaMA-like decoder (the seed: RoPE, SwiGLU, multi-query attention).
    hidden_states = embed_tokens(input_ids)
    for each layer (pre-norm, RMSNorm):
        q, k = RoPE(x W_q + b_q), RoPE(x W_k + b_k)   with x = RMSNorm(hidden_states)
               RoPE turns only the first half of each head (partial_rotary_factor 0.5), in interleaved pairs
        hidden_states = hidden_states + W_o Attention(q, repeat_kv(k), repeat_kv(x W_v + b_v))   # 2 kv groups
        gate, up = chunk(gate_up_proj(RMSNorm(hidden_states)), 2)
        hidden_states = hidden_states + down_proj(SiLU(gate) * up)
    logits = lm_head(RMSNorm(hidden_states))
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import InputError
from engine.hooks import HookPoint
from engine.layers.residual import PostNormBlock, PreNormBlock, summed
from engine.layers.attention import Attention, merge_heads, split_heads
from engine.layers.heads import LMHead
from engine.layers.masks import causal_mask, combine, padding_mask
from engine.layers.mlp import MLP, GatedMLP
from engine.layers.rope import RotaryEmbedding
from engine.models.base import ConfigMixin, Prepared
from engine.models.llama import Llama, LlamaAttention, LlamaBlock
from engine.models.family import DECODER_ONLY, AttentionDims, FamilySpec
from engine.models import llama

BTH = ("batch", "pos", "hidden")
IGNORE = -100   # target of a position that predicts nothing (all of Part A)


# --- autoregressive blank infilling: the data layout ---------------------------------------------------------------

def glm_mask(part_a_length, q_len: int, k_len: int, device=None) -> torch.Tensor:
    """GLM's 2D mixed mask, (B, q_pos, k_pos) bool: key j is visible to query i when j lies in Part A
    (j < part_a_length) or j <= i. Queries are the last q_len of k_len positions (earlier keys come from a cache)."""
    sep = torch.as_tensor(part_a_length, device=device).reshape(-1, 1, 1)   # (B, 1, 1)
    in_part_a = torch.arange(k_len, device=device)[None, None, :] < sep     # (B, 1, Tk)
    return causal_mask(q_len, k_len, device)[0] | in_part_a                 # (B, Tq, Tk)


def _assemble(part_a: list[int], blanks: list[tuple[int, list[int] | None]], start_id: int, end_id: int) -> dict:
    """Part A followed by one Part B piece per blank, in the order given. A blank is (index of its [MASK] in
    Part A, the span's token ids); ids None: the content is unknown (only [START] is added, nothing to predict)."""
    input_ids, targets = list(part_a), [IGNORE] * len(part_a)
    position_a, position_b = list(range(len(part_a))), [0] * len(part_a)
    for mask_index, span in blanks:
        piece = [] if span is None else list(span)
        input_ids += [start_id] + piece                                   # [S] x5 x6
        targets += (piece + [end_id]) if span is not None else [IGNORE]   # x5 x6 [E]
        position_a += [mask_index] * (len(piece) + 1)
        position_b += list(range(1, len(piece) + 2))
    length = len(input_ids)
    return {
        "input_ids": torch.tensor(input_ids),
        "position_ids": torch.tensor([position_a, position_b]),    # (2, T)
        "attention_mask": glm_mask(len(part_a), length, length)[0],  # (T, T) bool
        "targets": torch.tensor(targets),
        "part_a_length": len(part_a),
    }


def blank_infilling(token_ids, spans, mask_id: int, start_id: int, end_id: int) -> dict:
    """The paper's Figure 2 for one text.

    token_ids: the text's ids. spans: (start, end) half-open index ranges of token_ids to blank; they may not
    overlap. Part A keeps the text order; Part B lists the spans in the order given (the paper shuffles them:
    pass [(4, 6), (2, 3)] for x1..x6 to get its figure's [S] x5 x6 [S] x3).

    Returns input_ids (T,), position_ids (2, T), attention_mask (T, T) bool (True = may attend),
    targets (T,) (IGNORE = -100 on Part A) and part_a_length.
    """
    token_ids = [int(i) for i in token_ids]
    spans = [(int(s), int(e)) for s, e in spans]
    previous_end = 0
    for start, end in sorted(spans):
        if not 0 <= start < end <= len(token_ids):
            raise InputError(f"span ({start}, {end}) is empty or outside the {len(token_ids)} tokens")
        if start < previous_end:
            raise InputError(f"span ({start}, {end}) overlaps another span")
        previous_end = end
    part_a, mask_index, cursor = [], {}, 0
    for start, end in sorted(spans):
        part_a += token_ids[cursor:start]
        mask_index[(start, end)] = len(part_a)
        part_a.append(mask_id)                     # the whole span becomes one [MASK]
        cursor = end
    part_a += token_ids[cursor:]
    blanks = [(mask_index[(s, e)], token_ids[s:e]) for s, e in spans]
    return _assemble(part_a, blanks, start_id, end_id)


# --- GLM ------------------------------------------------------------------------------------------------------------

NORM_NOTES = {
    "pre": "Pre-norm, as the GLM paper says (it rearranges LayerNorm and the residual the way Megatron-LM does) "
           "and as its released code runs: LayerNorm before attention and before the MLP, plus a final LayerNorm.",
    "post": "Post-norm, as the chapter reads GLM: LayerNorm after each residual sum (Add & Norm), like BERT and "
            "GPT-1. The released GLM code does not do this.",
    "deepnorm": "DeepNorm (GLM-130B, after Wang et al. 2022 'DeepNet'): post-norm with the residual scaled up, "
                "LayerNorm(alpha * x + F(x)), alpha = (2N)^0.5, so very deep stacks train stably. (DeepNet also "
                "scales some initial weights down by beta = (8N)^-0.25; a random model here uses the common init.)",
}


@dataclass
class GLMConfig(ConfigMixin):
    """Field names of the released GLM config.json (THUDM/glm-10b); the defaults are GLM-10B."""
    vocab_size: int = 50048
    hidden_size: int = 4096
    num_layers: int = 48
    num_attention_heads: int = 64
    max_sequence_length: int = 1024
    block_position_encoding: bool = True   # the 2D positions; False: row 1 only
    intermediate_size: int | None = None   # None: 4 * hidden_size (GLM's MLP is always 4H)
    hidden_act: str = "gelu_new"           # Megatron-LM's gelu is the tanh approximation
    layernorm_epsilon: float = 1e-5
    norm_style: str = "pre"                # "pre" | "post" | "deepnorm": see NORM_NOTES
    pad_token_id: int | None = None
    eos_token_id: int | None = None

    def __post_init__(self):
        if self.norm_style not in NORM_NOTES:
            raise ValueError(f"norm_style must be one of {', '.join(NORM_NOTES)}, not {self.norm_style!r}")
        if self.intermediate_size is None:
            self.intermediate_size = 4 * self.hidden_size

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def max_length(self) -> int:
        return self.max_sequence_length

    @property
    def residual_alpha(self) -> float:
        """The residual's scale: (2N)^0.5 for DeepNorm, 1 otherwise."""
        return math.sqrt(2 * self.num_layers) if self.norm_style == "deepnorm" else 1.0

    @property
    def norm_note(self) -> str:
        """Which norm placement this configuration uses, and why."""
        return NORM_NOTES[self.norm_style]


class GLMEmbeddings(nn.Module):
    """The three tables: token, position (row 1) and block position (row 2). The tables have
    max_sequence_length + 1 rows, as in GLM's code when block positions are on. The model looks them up and
    records each (hook_embed, hook_pos_embed, hook_block_pos_embed)."""

    def __init__(self, config: GLMConfig):
        super().__init__()
        rows = config.max_sequence_length + (1 if config.block_position_encoding else 0)
        self.token = nn.Embedding(config.vocab_size, config.hidden_size)
        self.position = nn.Embedding(rows, config.hidden_size)
        self.block_position = nn.Embedding(rows, config.hidden_size) if config.block_position_encoding else None


class GLMAttention(Attention):
    """Multi-head self-attention with GLM's fused query_key_value projection and its output `dense`."""

    def __init__(self, config: GLMConfig):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.scale = 1.0 / math.sqrt(config.head_dim)

    def forward(self, hidden_states, allowed, layer_past=None):
        query_states, key_states, value_states = self.query_key_value(hidden_states).chunk(3, dim=-1)  # 3 x (B, T, H)
        query_states = split_heads(query_states, self.num_heads)    # (B, nh, T, hs)
        key_states = split_heads(key_states, self.num_heads)
        value_states = split_heads(value_states, self.num_heads)
        if layer_past is not None:
            key_states = torch.cat((layer_past[0], key_states), dim=2)       # (B, nh, T_past + T, hs)
            value_states = torch.cat((layer_past[1], value_states), dim=2)
        present = (key_states, value_states)
        context = self.attend(query_states, key_states, value_states, allowed, self.scale)   # (B, nh, T, hs)
        return self.dense(merge_heads(context)), present                                      # (B, T, H)


class GLMMLP(MLP):
    """Linear(H -> 4H), GeLU, Linear(4H -> H), GLM's (Megatron's) names."""
    fc_in, fc_out = "dense_h_to_4h", "dense_4h_to_h"


class GLMPreNormBlock(PreNormBlock):
    """norm_style "pre": each sub-layer reads a normalised copy; the residual stream is never normalised."""

    def __init__(self, config: GLMConfig):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layernorm_epsilon)
        self.attn = GLMAttention(config)
        self.post_attention_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layernorm_epsilon)
        self.mlp = GLMMLP(config.hidden_size, config.intermediate_size, config.hidden_act)

    def forward(self, hidden_states, allowed, layer_past=None):
        resid_pre = self.hook_resid_pre(hidden_states)                                           # (B, T, H)
        attn_out, present = self.attn(self.hook_attn_norm(self.input_layernorm(resid_pre)), allowed, layer_past)
        resid_mid = summed(self.hook_resid_mid, resid_pre, self.hook_attn_out(attn_out))
        mlp_out = self.hook_mlp_out(self.mlp(self.hook_mlp_norm(self.post_attention_layernorm(resid_mid))))
        return self.hook_resid_post(resid_mid + mlp_out), present


class GLMPostNormBlock(PostNormBlock):
    """norm_style "post" (alpha = 1) and "deepnorm" (alpha = (2N)^0.5): LayerNorm(alpha * x + F(x)).
    Step names as TransformerLens' BertBlock: resid_mid / resid_post are the sums, normalized_* what LN makes."""

    def __init__(self, config: GLMConfig):
        deepnorm = config.norm_style == "deepnorm"   # its scaled sum has a lesson of its own
        super().__init__(add_key="glm.deepnorm_add" if deepnorm else None)
        self.alpha = config.residual_alpha
        self.attn = GLMAttention(config)
        self.post_attention_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layernorm_epsilon)
        self.mlp = GLMMLP(config.hidden_size, config.intermediate_size, config.hidden_act)
        self.post_mlp_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layernorm_epsilon)

    def forward(self, hidden_states, allowed, layer_past=None):
        resid_pre = self.hook_resid_pre(hidden_states)                                        # (B, T, H)
        attn_out, present = self.attn(resid_pre, allowed, layer_past)
        resid_mid = self.hook_resid_mid(self.alpha * resid_pre + self.hook_attn_out(attn_out))
        hidden_states = self.hook_normalized_resid_mid(self.post_attention_layernorm(resid_mid))
        mlp_out = self.hook_mlp_out(self.mlp(hidden_states))
        resid_post = self.hook_resid_post(self.alpha * hidden_states + mlp_out)
        return self.hook_normalized_resid_post(self.post_mlp_layernorm(resid_post)), present


class GLM(nn.Module):
    """forward(input_ids, attention_mask=None, position_ids=None, part_a_length=None, past_key_values=None,
    use_cache=False).

    position_ids (B, 2, T) and part_a_length (int or (B,)) give the blank-infilling layout (see `blank_infilling`
    and `prepare_inputs`). Without them the whole input is Part B: plain left-to-right, positions counting on
    from any cached tokens, which is how the generic greedy decoder drives it.
    """
    primary_head = "lm"

    def __init__(self, config: GLMConfig):
        super().__init__()
        self.config = config
        self.hook_position_ids = HookPoint(("batch", "row", "pos"), "glm.position_ids")
        self.hook_glm_mask = HookPoint(("batch", "q_pos", "k_pos"), "glm.mask")
        self.embeddings = GLMEmbeddings(config)
        dims = ("batch", "pos", "embed")
        self.hook_embed = HookPoint(dims, "embed.token")
        self.hook_pos_embed = HookPoint(dims, "embed.position")
        if config.block_position_encoding:
            self.hook_block_pos_embed = HookPoint(dims, "glm.block_position")
        self.hook_embed_sum = HookPoint(dims, "embed.sum")
        block = GLMPreNormBlock if config.norm_style == "pre" else GLMPostNormBlock
        self.blocks = nn.ModuleList(block(config) for _ in range(config.num_layers))
        if config.norm_style == "pre":   # post-norm blocks end normalised already
            self.final_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layernorm_epsilon)
            self.hook_final_norm = HookPoint(BTH, "final_norm")
        self.lm_head = LMHead(config.hidden_size, config.vocab_size)
        self.lm_head.weight = self.embeddings.token.weight   # "a single linear output layer", tied

    def forward(self, input_ids, attention_mask=None, position_ids=None, part_a_length=None, past_key_values=None,
                use_cache=False):
        batch, length = input_ids.shape
        device = input_ids.device
        past_length = past_key_values[0][0].shape[2] if past_key_values else 0
        total = past_length + length
        if position_ids is None:   # row 1 counts on, row 2 stays 0
            position_a = torch.arange(past_length, total, device=device)
            position_ids = torch.stack((position_a, torch.zeros_like(position_a)))   # (2, T)
        position_ids = position_ids.to(device).expand(batch, 2, length)           # (B, 2, T)
        part_a_length = torch.as_tensor(0 if part_a_length is None else part_a_length, device=device)
        part_a_length = part_a_length.reshape(-1).expand(batch)                   # (B,)

        self.hook_position_ids(position_ids)
        mixed = self.hook_glm_mask(glm_mask(part_a_length, length, total, device))   # (B, T, T_total)
        padding = None if attention_mask is None else padding_mask(attention_mask)   # (B, 1, 1, T_total)
        allowed = combine(mixed[:, None], padding)                                   # (B, 1, T, T_total)

        tables = self.embeddings
        if int(position_ids.max()) >= tables.position.num_embeddings:
            raise InputError(f"position {int(position_ids.max())} is beyond this model's "
                             f"{tables.position.num_embeddings} positions; shorten the text.")
        hidden_states = self.hook_embed(tables.token(input_ids))                                   # (B, T, H)
        hidden_states = hidden_states + self.hook_pos_embed(tables.position(position_ids[:, 0]))   # row 1
        if tables.block_position is not None:                                                      # row 2
            hidden_states = hidden_states + self.hook_block_pos_embed(tables.block_position(position_ids[:, 1]))
        hidden_states = self.hook_embed_sum(hidden_states)
        presents = []
        for i, block in enumerate(self.blocks):
            hidden_states, present = block(hidden_states, allowed, past_key_values[i] if past_key_values else None)
            presents.append(present)
        if self.config.norm_style == "pre":
            hidden_states = self.hook_final_norm(self.final_layernorm(hidden_states))
        outputs = {"last_hidden_state": hidden_states, "lm": self.lm_head(hidden_states)}
        if use_cache:
            outputs["past_key_values"] = presents
        return outputs


# --- ChatGLM2/3 -----------------------------------------------------------------------------------------------------

@dataclass
class ChatGLMConfig(ConfigMixin):
    """transformers' GlmConfig field names (model_type "glm"); the defaults are ChatGLM2-6B / ChatGLM3-6B as
    released by THUDM (28 layers, hidden 4096, FFN 13696, 32 query heads sharing 2 key/value groups of 128
    dims, 32K context, padded vocabulary 65024)."""
    vocab_size: int = 65024
    hidden_size: int = 4096
    intermediate_size: int = 13696
    num_hidden_layers: int = 28
    num_attention_heads: int = 32
    num_key_value_heads: int = 2             # ChatGLM2's multi_query_group_num
    head_dim: int | None = 128               # ChatGLM2's kv_channels; None: hidden_size // num_attention_heads
    hidden_act: str = "silu"
    max_position_embeddings: int = 32768
    rms_norm_eps: float = 1e-5
    attention_bias: bool = True              # q, k, v carry a bias (ChatGLM2's add_qkv_bias); o_proj does not
    tie_word_embeddings: bool = False
    rope_theta: float = 10000.0
    partial_rotary_factor: float = 0.5       # RoPE turns the first half of each head only
    rope_parameters: dict | None = None      # transformers 5 keeps rope_theta / partial_rotary_factor in here
    pad_token_id: int | None = None
    bos_token_id: int | None = None
    eos_token_id: int | tuple[int, ...] | None = None

    def __post_init__(self):
        if self.head_dim is None:
            self.head_dim = self.hidden_size // self.num_attention_heads
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError(f"num_attention_heads ({self.num_attention_heads}) must be a multiple of "
                             f"num_key_value_heads ({self.num_key_value_heads})")
        params = dict(self.rope_parameters or {})
        self.rope_theta = float(params.pop("rope_theta", self.rope_theta))
        self.partial_rotary_factor = float(params.pop("partial_rotary_factor", self.partial_rotary_factor))
        if params.get("rope_type", "default") != "default":
            raise ValueError(f"ChatGLM: RoPE type {params['rope_type']!r} is not supported (only the default)")
        self.rope_parameters = None

    @property
    def rotary_dim(self) -> int:
        return int(self.head_dim * self.partial_rotary_factor)

    @property
    def max_length(self) -> int:
        return self.max_position_embeddings


class ChatGLMMLP(GatedMLP):
    """LLaMA's SwiGLU with one fused projection: gate_up_proj makes [gate | up] in one matrix, no biases."""

    def __init__(self, config: ChatGLMConfig):
        super().__init__(config.hidden_act)
        self.gate_up_proj = nn.Linear(config.hidden_size, 2 * config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)

    def gate_and_up(self, hidden_states):
        return self.gate_up_proj(hidden_states).chunk(2, dim=-1)                     # (B, T, I) each

    def down(self, hidden_states):
        return self.down_proj(hidden_states)                                         # (B, T, H)


def chatglm_block(config: ChatGLMConfig) -> LlamaBlock:
    """LLaMA's pre-norm RMSNorm layer around ChatGLM2's two sub-layers. Attention: q/k/v carry a bias
    (config.attention_bias) but o_proj does not, and RoPE pairs neighbouring dimensions (interleaved) instead of
    halves. Feed-forward: the fused SwiGLU above."""
    attn = LlamaAttention(config, rotary_interleaved=True, o_bias=False)
    return LlamaBlock(config, attn=attn, mlp=ChatGLMMLP(config))


class ChatGLM(Llama):
    """The ChatGLM2/3 generation: the LLaMA recipe (RMSNorm, pre-norm, RoPE, SwiGLU, grouped KV heads) with the
    layers above and RoPE turning only the first rot_dim dimensions of each head (interleaved tables); the forward
    pass is LLaMA's."""

    def __init__(self, config: ChatGLMConfig):
        rotary = RotaryEmbedding(config.rotary_dim, config.rope_theta, interleaved=True, dim_label="rot_dim")
        super().__init__(config, blocks=[chatglm_block(config) for _ in range(config.num_hidden_layers)],
                         rotary_emb=rotary)


# --- loading --------------------------------------------------------------------------------------------------------

_LAYER = r"^(?:model\.)?layers\.(\d+)\."

# transformers' GlmForCausalLM (model_type "glm": ChatGLM/GLM-4 checkpoints converted to the HF format).
# transformers' GlmForCausalLM (model_type "glm": ChatGLM/GLM-4 checkpoints converted to the HF format): LLaMA's
# table with the fused gate_up_proj in place of gate_proj and up_proj
CHATGLM_RENAMES = [(r"^(?:model\.)?layers\.(\d+)\.mlp\.(gate_up_proj|down_proj)\.", r"blocks.\1.mlp.\2.")
                   if "gate_proj" in rule[0] else rule for rule in llama.HF_RENAMES]

_GLM = r"^(?:glm\.)?(?:transformer\.)?"
_GLM_LAYER = r"^(?:glm\.)?transformer\.layers\.(\d+)\."

# THUDM's GLM checkpoints (GLM-10B, GLM-Large; Megatron names, optionally under `glm.`); post_mlp_layernorm only
# in this app's own post-norm and DeepNorm saves.
GLM_RENAMES = [
    (_GLM + r"word_embeddings\.", "embeddings.token."),
    (_GLM + r"position_embeddings\.", "embeddings.position."),
    (_GLM + r"block_position_embeddings\.", "embeddings.block_position."),
    (_GLM_LAYER + r"attention\.(query_key_value|dense)\.", r"blocks.\1.attn.\2."),
    (_GLM_LAYER + r"mlp\.(dense_h_to_4h|dense_4h_to_h)\.", r"blocks.\1.mlp.\2."),
    (_GLM_LAYER + r"(input_layernorm|post_attention_layernorm|post_mlp_layernorm)\.", r"blocks.\1.\2."),
    (_GLM + r"final_layernorm\.", "final_layernorm."),
]

# Hugging Face name -> ours. The two tables never match the same name, so one list serves both families.
HF_RENAMES = CHATGLM_RENAMES + GLM_RENAMES


# --- inputs ---------------------------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\[([^\[\]]*)\]|【([^【】]*)】")
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+")   # one CJK character, or a run of letters
TAIL_FRACTION = 0.15


def prepare_inputs(tokenizer, text: str, text_pair: str | None = None) -> Prepared:
    """GLM reads a blank-infilling layout. Which spans to blank, the first rule that applies:
      1. Square brackets in the text: "The cat [sat on] the mat." blanks "sat on" (full-width 【】 too).
      2. [MASK] written in the text: "Tsinghua University is in [MASK]." Each [MASK] is a blank; text_pair
         gives their contents in order, separated by "|" ("Beijing"). Without it, Part B holds only [START]
         for each blank: where the model would start writing.
      3. Nothing marked: the last ~15% of the words (at least one) are blanked, as one span.
    Part B lists the blanks in text order. text_pair is read only for rule 2.
    """
    mask_token = tokenizer.special_tokens.get("mask", "[MASK]")
    pieces = [(m.start(), m.end(), m.group(1) if m.group(1) is not None else m.group(2))
              for m in _BRACKETS.finditer(text)]
    pieces = [p for p in pieces if f"[{p[2]}]" not in tokenizer.special_tokens.values()]
    if pieces:
        return _bracketed(tokenizer, text, pieces)
    if mask_token in text:
        return _masked(tokenizer, text, text_pair)
    words = list(_WORD.finditer(text))
    if not words:
        raise InputError("GLM needs at least one word to blank out.")
    count = max(1, math.ceil(TAIL_FRACTION * len(words)))
    if count >= len(words) and len(words) > 1:
        count = len(words) - 1
    return _blank_chars(tokenizer, text, [(words[-count].start(), words[-1].end())], "tail")


def _bracketed(tokenizer, text: str, pieces) -> Prepared:
    """Rule 1: drop the brackets, remember where each bracketed span lies in the clean text."""
    clean, char_spans, cursor = "", [], 0
    for start, end, inner in pieces:
        clean += text[cursor:start]
        char_spans.append((len(clean), len(clean) + len(inner)))
        clean += inner
        cursor = end
    clean += text[cursor:]
    return _blank_chars(tokenizer, clean, char_spans, "brackets")


def _blank_chars(tokenizer, text: str, char_spans, rule: str) -> Prepared:
    """Blank the tokens whose characters overlap each character span (a token straddling an edge goes whole)."""
    encoding = tokenizer.encode(text)
    spans, blanks = [], []
    for char_start, char_end in char_spans:
        hits = [i for i, ((a, b), special) in enumerate(zip(encoding.offsets, encoding.special))
                if not special and a < char_end and b > char_start]
        if hits:
            spans.append((hits[0], hits[-1] + 1))
            blanks.append({"text": text[char_start:char_end]})
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if start < end:
            raise InputError("Two blanks share a token; put a space between them.")
    if not spans:
        raise InputError("Nothing to blank: the marked text has no tokens.")
    mask_id, start_id, end_id = _glm_ids(tokenizer)
    layout = blank_infilling(encoding.ids, spans, mask_id, start_id, end_id)
    part_a_offsets, part_b_offsets, cursor = [], [], 0
    for start, end in spans:
        part_a_offsets += encoding.offsets[cursor:start] + [(encoding.offsets[start][0], encoding.offsets[end - 1][1])]
        part_b_offsets += [(0, 0)] + encoding.offsets[start:end]
        cursor = end
    part_a_offsets += encoding.offsets[cursor:]
    return _prepared(tokenizer, layout, part_a_offsets + part_b_offsets, [0] * len(layout["input_ids"]), blanks, rule)


def _masked(tokenizer, text: str, text_pair: str | None) -> Prepared:
    """Rule 2: the [MASK]s are in the text already; their contents (if any) come from text_pair."""
    encoding = tokenizer.encode(text)
    mask_id, start_id, end_id = _glm_ids(tokenizer)
    mask_indices = [i for i, token_id in enumerate(encoding.ids) if token_id == mask_id]
    contents: list[str | None] = [None] * len(mask_indices)
    if text_pair is not None and text_pair.strip():
        contents = [part.strip() for part in text_pair.split("|")]
        if len(contents) != len(mask_indices):
            raise InputError(f"The text has {len(mask_indices)} [MASK] but the second text gives {len(contents)} "
                             f"answers; separate them with '|'.")
    blanks, offsets_b, segments_b, described = [], [], [], []
    for index, content in zip(mask_indices, contents):
        if content is None:
            blanks.append((index, None))
            offsets_b += [(0, 0)]
            segments_b += [1]
        else:
            piece = tokenizer.encode(content, add_special_tokens=False)
            shift = text_pair.index(content)
            blanks.append((index, piece.ids))
            offsets_b += [(0, 0)] + [(a + shift, b + shift) for a, b in piece.offsets]
            segments_b += [1] * (len(piece.ids) + 1)
        described.append({"text": content})
    layout = _assemble(encoding.ids, blanks, start_id, end_id)
    segments = [0] * len(encoding.ids) + segments_b
    return _prepared(tokenizer, layout, list(encoding.offsets) + offsets_b, segments, described, "mask")


def _glm_ids(tokenizer) -> tuple[int, int, int]:
    ids = tokenizer.role_id("mask"), tokenizer.role_id("start") or tokenizer.role_id("sop"), \
        tokenizer.role_id("end") or tokenizer.role_id("eop")
    if None in ids:
        raise InputError("This tokenizer has no [MASK] / [START] / [END] tokens, which GLM's blanks need.")
    return ids


def _prepared(tokenizer, layout: dict, offsets, segments, blanks: list[dict], rule: str) -> Prepared:
    """Wrap a layout: an Encoding of the whole input (Part A then Part B), the model's inputs, the layout extras."""
    from engine.tokenization import Encoding

    ids = layout["input_ids"].tolist()
    special_ids = tokenizer.special_ids
    encoding = Encoding(tokens=[tokenizer.id_to_token(i) for i in ids], ids=ids, offsets=list(offsets),
                        special=[i in special_ids for i in ids],
                        unknown=[tokenizer.unk_id is not None and i == tokenizer.unk_id for i in ids],
                        segments=list(segments))
    part_a_length = layout["part_a_length"]
    position_ids = layout["position_ids"]
    starts = [i for i in range(part_a_length, len(ids)) if position_ids[1, i] == 1]
    for blank, start, end in zip(blanks, starts, starts[1:] + [len(ids)]):
        blank["mask_position"] = int(position_ids[0, start])   # where its [MASK] sits in Part A
        blank["part_b"] = [start, end]                        # its [START] .. last token in the input
    input_ids = layout["input_ids"][None]
    inputs = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids),
              "position_ids": position_ids[None], "part_a_length": torch.tensor([part_a_length])}
    extras = {"part_a_length": part_a_length, "position_ids": position_ids.tolist(),
              "targets": layout["targets"].tolist(), "blanks": blanks, "blank_rule": rule,
              "part_b_order": "text order"}
    return Prepared(encoding, inputs, extras)


GLM_TINY = {
    # norm_style "pre": what the GLM paper and its released code do (see NORM_NOTES). The other two placements
    # are the same model with the switch turned, so the explorer can show all three side by side.
    "glm-tiny": dict(hidden_size=64, num_layers=4, num_attention_heads=4, max_sequence_length=256,
                     norm_style="pre"),
    "glm-post-tiny": dict(hidden_size=64, num_layers=4, num_attention_heads=4, max_sequence_length=256,
                          norm_style="post"),
    "glm-deepnorm-tiny": dict(hidden_size=64, num_layers=4, num_attention_heads=4, max_sequence_length=256,
                              norm_style="deepnorm"),
}
CHATGLM_TINY = {
    # ChatGLM2's grouped ("multi-query") attention stays visible: 4 query heads share 2 key/value groups.
    "chatglm2-tiny": dict(hidden_size=64, intermediate_size=172, num_hidden_layers=4,
                          num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=512,
                          rms_norm_eps=1e-5, partial_rotary_factor=0.5, attention_bias=True,
                          tie_word_embeddings=False),
}
TINY_PRESETS = {**GLM_TINY, **CHATGLM_TINY}


# --- the families ----------------------------------------------------------------------------------------------

def glm_formula(c) -> tuple[int, int, str]:
    h, i = c.hidden_size, c.intermediate_size
    rows = c.max_sequence_length + (1 if c.block_position_encoding else 0)
    tables = 2 if c.block_position_encoding else 1
    layer = 4 * (h * h + h) + (h * i + i) + (i * h + h) + 2 * 2 * h
    body = c.vocab_size * h + tables * rows * h + c.num_layers * layer + (2 * h if c.norm_style == "pre" else 0)
    return body, body, "VH + tables·(P+1)H + L(4H² + 4H + 2HI + I + H + 4H) + 2H [pre-norm final LN]; tied"


def glm_attention_dims(c) -> AttentionDims:
    return AttentionDims("decoder", c.hidden_size, c.vocab_size, c.num_layers, c.num_attention_heads,
                         c.num_attention_heads, c.head_dim, c.max_sequence_length)


def chatglm_formula(c) -> tuple[int, int, str]:
    body, total = llama.decoder_parameters(c, c.attention_bias, False, False)
    return body, total, "VH + L(H(nh+2nkv)hd + (nh+2nkv)hd [qkv bias] + nh·hd·H + 3HI + 2H) + H + VH [untied]"


def chatglm_attention_dims(c) -> AttentionDims:
    return AttentionDims("decoder", c.hidden_size, c.vocab_size, c.num_hidden_layers, c.num_attention_heads,
                         c.num_key_value_heads, c.head_dim, c.max_position_embeddings,
                         kv_note="ChatGLM2/3 call this multi-query attention (multi_query_group_num = 2); with 2 "
                                 "key/value groups it is grouped-query attention in today's terms.")


def glm_config_rules(c) -> list[str]:
    if c.hidden_size % c.num_attention_heads:
        return [f"hidden_size {c.hidden_size} does not split into {c.num_attention_heads} heads of equal size"]
    return []


GLM_SAVE_NAMES = [   # THUDM's Megatron names (pre-norm GLM; GLM_RENAMES reads nothing else)
    (r"^embeddings\.token\.", "word_embeddings."),
    (r"^embeddings\.position\.", "transformer.position_embeddings."),
    (r"^embeddings\.block_position\.", "transformer.block_position_embeddings."),
    (r"^blocks\.(\d+)\.attn\.(query_key_value|dense)\.", r"transformer.layers.\1.attention.\2."),
    (r"^blocks\.(\d+)\.mlp\.(dense_h_to_4h|dense_4h_to_h)\.", r"transformer.layers.\1.mlp.\2."),
    (r"^blocks\.(\d+)\.(input_layernorm|post_attention_layernorm|post_mlp_layernorm)\.",
     r"transformer.layers.\1.\2."),
    (r"^final_layernorm\.", "transformer.final_layernorm."),
]

GLM_FAMILY = FamilySpec(
    name="glm", title="GLM", group=DECODER_ONLY, paper="Du et al. 2022",
    config_cls=GLMConfig, model_cls=GLM, hf_renames=GLM_RENAMES, hf_save_names=GLM_SAVE_NAMES,
    hf_save_class="GLMModel", prepare_inputs=prepare_inputs,
    hf_architectures=("GLMModel", "GLMFor"),   # THUDM's classes; their model_type "glm" is ChatGLM's in transformers
    param_formula=glm_formula, attention_dims=glm_attention_dims, config_rules=glm_config_rules, depth={"layers": ("num_layers", "num_layers")},
    tokenizer_recipe="glm", lessons=("common", "glm"),
    tiny_presets=GLM_TINY,
)
CHATGLM_FAMILY = FamilySpec(
    name="chatglm", title="ChatGLM2/3", group=DECODER_ONLY, paper="THUDM 2023 (ChatGLM2-6B, ChatGLM3-6B)",
    config_cls=ChatGLMConfig, model_cls=ChatGLM, hf_renames=CHATGLM_RENAMES, hf_save_names=llama.SAVE_NAMES,
    hf_save_class="GlmForCausalLM", hf_model_types=("glm",),
    hf_architectures=("Glm",), prepare_inputs=llama.prepare_inputs,
    param_formula=chatglm_formula, attention_dims=chatglm_attention_dims, config_rules=llama.config_rules,
    depth={"layers": ("num_hidden_layers", "num_hidden_layers")},
    tokenizer_recipe="chatglm", lessons=("common", "llama", "chatglm"),
    tiny_presets=CHATGLM_TINY,
)
