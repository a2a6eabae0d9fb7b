"""The scaled dot-product core every family shares, with a hook point at each step of the seed's recipe:

    scores = Q K^T -> scaled = scores / sqrt(d_k) (+ bias) -> attn_scores (masked) -> softmax -> pattern @ V = z

Families subclass `Attention` and do their own projections (BERT query/key/value, T5 q/k/v/o, GPT-2's fused
c_attn, LLaMA's rotary q/k and repeat_kv), then call `attend`; the output projection and its hook
(`hook_attn_out`) belong to the block. While a recorder is active `attend` takes the explicit path so the
probability matrix exists; otherwise it calls the fused `scaled_dot_product_attention` (with no mask at all when every
key is visible, SDPA's own causal path when the mask is exactly causal, and there its own sharing of grouped key/value
heads).

Recording keeps one (q x k) matrix per layer besides the pattern: hook_scores, or hook_scaled where the scale is a
power of two (then computed as (Q x scale) K^T, bit for bit the same). The other two are recorded as recipes over it
(engine.cache.Derived), recomputed with the forward pass's own operations when read.

Step names follow TransformerLens where the quantity is the same (hook_q, hook_k, hook_v, hook_attn_scores,
hook_pattern, hook_z); hook_scores (unscaled Q K^T), hook_scaled and hook_mask (the boolean mask) are ours.
"""
from __future__ import annotations

import math
import weakref

import torch
import torch.nn.functional as F
from torch import nn

from engine.cache import portable
from engine.hooks import HookPoint, is_recording
from engine.layers.masks import to_additive

QK = ("batch", "head", "q_pos", "k_pos")
Q = ("batch", "head", "q_pos", "head_dim")
K = ("batch", "head", "k_pos", "head_dim")


class Attention(nn.Module):
    """record_inputs: whether `attend` records the queries, keys and values it is given as hook_q/k/v. LLaMA and
    ChatGLM pass False: their hook_q/k/v are the projections *before* RoPE and repeat_kv (as in TransformerLens),
    so they record those themselves, and what reaches `attend` as rot_q / k_repeated / v_repeated."""

    def __init__(self, record_inputs: bool = True) -> None:
        super().__init__()
        self.record_inputs = record_inputs
        if record_inputs:
            self.hook_q = HookPoint(Q, "attn.q")
            self.hook_k = HookPoint(K, "attn.k")
            self.hook_v = HookPoint(K, "attn.v")
        self.hook_scores = HookPoint(QK, "attn.scores")
        self.hook_scaled = HookPoint(QK, "attn.scaled")
        self.hook_mask = HookPoint(QK, "attn.mask")
        # TransformerLens' hook_attn_scores: scaled, biased and masked, what the softmax reads. Masked cells hold
        # finfo(dtype).min here where TransformerLens has -inf (a fully masked row stays finite, not NaN).
        self.hook_attn_scores = HookPoint(QK, "attn.masked_scores")
        self.hook_pattern = HookPoint(QK, "attn.pattern")
        self.hook_z = HookPoint(Q, "attn.z")

    def attend(
        self,
        query_states: torch.Tensor,        # (B, nh, Tq, hs)
        key_states: torch.Tensor,          # (B, nh, Tk, hs); not recording, (B, n_kv, Tk, hs) will do (GQA)
        value_states: torch.Tensor,        # (B, nh, Tk, hs); likewise
        allowed: torch.Tensor | None,      # bool, broadcastable to (B, nh, Tq, Tk); True = may attend
        scale: float | None,               # None: no scaling at all (T5 folds it into the weights)
        bias: torch.Tensor | None = None,  # additive, broadcastable to (B, nh, Tq, Tk): T5's position bias
    ) -> torch.Tensor:                     # (B, nh, Tq, hs)
        if self.record_inputs:
            query_states = self.hook_q(query_states)
            key_states = self.hook_k(key_states)
            value_states = self.hook_v(value_states)
        if not is_recording():
            return self._fused(query_states, key_states, value_states, allowed, scale, bias)

        keys_t = key_states.transpose(-1, -2)                                     # (B, nh, hs, Tk)
        # One (q x k) matrix per layer is stored; hook_scores, hook_scaled and hook_attn_scores are it or recipes
        # over it (engine.cache.Derived), recomputed with the forward pass's own operations when a step is read.
        if _exact_scale(scale, query_states.dtype):
            # scale = 2^-n (head_dim 64: 1/8): (Q x scale) K^T is (Q K^T) x scale bit for bit, and scaling Q takes
            # Tk / hs times less work than scaling the (q x k) matrix. Q K^T is then the recipe scaled x 2^n.
            stored = (query_states * scale) @ keys_t                              # (B, nh, Tq, Tk)
            self.hook_scores.derived(_scaled, stored, 1 / scale, like=stored)
            attn_scores = self.hook_scaled(stored)
            left = None                                                           # the scale still to apply
        else:
            stored = attn_scores = self.hook_scores(query_states @ keys_t)       # (B, nh, Tq, Tk)
            left = scale
            if scale is not None:
                attn_scores = self.hook_scaled(stored * scale, derive=(_scaled, stored, scale))
        if bias is not None:
            attn_scores = _add(attn_scores, bias, attn_scores is not stored)
        blocking = None   # the mask, when it blocks anything (adding zeros everywhere would change nothing)
        if allowed is not None:
            self.hook_mask(allowed.expand(attn_scores.shape[0], -1, attn_scores.shape[2], attn_scores.shape[3]))
            if not _all_true(allowed):
                blocking = allowed
                attn_scores = _add(attn_scores, _additive(allowed, attn_scores.dtype), attn_scores is not stored)
        attn_scores = self.hook_attn_scores(attn_scores, derive=(_masked, stored, left, bias, blocking))
        pattern = torch.softmax(attn_scores.float(), dim=-1).to(value_states.dtype)
        pattern = self.hook_pattern(pattern)
        return self.hook_z(pattern @ value_states)  # (B, nh, Tq, hs)

    @staticmethod
    def _fused(query_states, key_states, value_states, allowed, scale, bias):
        """key_states / value_states may have fewer heads than the queries, each shared by as many query heads
        (grouped-query attention, not yet repeated)."""
        scale = 1.0 if scale is None else scale
        n_rep = query_states.shape[1] // key_states.shape[1]
        if allowed is not None and _all_true(allowed):
            allowed = None   # every key visible: no mask at all (the kernels without a mask are faster)
        causal = allowed is not None and _is_causal(allowed, query_states.shape[2], key_states.shape[2])
        if bias is None and (allowed is None or causal):   # SDPA shares the key / value heads itself: no copies
            return F.scaled_dot_product_attention(query_states, key_states, value_states, is_causal=causal,
                                                  scale=scale, enable_gqa=n_rep > 1)
        if n_rep > 1:   # with a mask SDPA's own sharing takes its slow path: repeat the heads first
            key_states, value_states = repeat_kv(key_states, n_rep), repeat_kv(value_states, n_rep)
        additive = bias
        if allowed is not None:
            mask = _additive(allowed, query_states.dtype)
            additive = mask if additive is None else additive + mask
        return F.scaled_dot_product_attention(query_states, key_states, value_states, attn_mask=additive, scale=scale)


def _add(x: torch.Tensor, y: torch.Tensor, in_place: bool) -> torch.Tensor:
    """x + y, into x when x is a temporary of our own that y's broadcast fits (the same numbers either way)."""
    if in_place and torch.broadcast_shapes(x.shape, y.shape) == x.shape and x.dtype == torch.result_type(x, y):
        return x.add_(y)
    return x + y


def _exact_scale(scale: float | None, dtype: torch.dtype) -> bool:
    """Whether scale is a power of two that multiplies exactly in dtype: float16 would round the small products to
    subnormals, float32 / bfloat16 / float64 only below 1e-38."""
    return scale is not None and scale > 0 and math.frexp(scale)[0] == 0.5 and \
        dtype in (torch.float32, torch.float64, torch.bfloat16)


@portable
def _scaled(scores: torch.Tensor, scale: float) -> torch.Tensor:
    """hook_scaled from hook_scores (or hook_scores from hook_scaled, scale 2^n): one exact multiplication."""
    return scores * scale


@portable
def _masked(scores: torch.Tensor, scale: float | None, bias: torch.Tensor | None,
            allowed: torch.Tensor | None) -> torch.Tensor:
    """hook_attn_scores from hook_scores: scale, + bias, + the additive mask, in the forward pass's order."""
    x = scores * scale if scale is not None else scores
    if bias is not None:
        x = x + bias
    if allowed is not None:
        x = x + to_additive(allowed, x.dtype)
    return x


# What was last learnt about the two latest masks (GPT-3 alternates a dense and a banded one): [(weak reference to
# the mask, its version, {question: answer})], the latest first. Every layer of a forward pass gets the same mask
# tensor; reading it again (T x T booleans, and a sync on a GPU) in each layer cost LLaMA about 1% of its fused
# forward at 512 tokens, and making its additive form again in each layer another 0.5%.
_known_masks: list[tuple] = []


def _known(allowed: torch.Tensor, question: tuple, answer):
    _known_masks[:] = [entry for entry in _known_masks if entry[0]() is not None]   # a mask gone: its answers too
    for ref, version, answers in _known_masks:
        if ref() is allowed and version == allowed._version:
            break
    else:
        answers = {}
        _known_masks.insert(0, (weakref.ref(allowed), allowed._version, answers))
        del _known_masks[2:]
    if question not in answers:
        answers[question] = answer()
    return answers[question]


def _additive(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """The mask as an additive bias, made once for all the layers that share it (read only: never added into)."""
    return _known(allowed, ("additive", dtype), lambda: to_additive(allowed, dtype))


def _all_true(allowed: torch.Tensor) -> bool:
    """Whether every key is visible to every query (on meta, where nothing can be read, assume not)."""
    return allowed.device.type != "meta" and _known(allowed, ("all",), lambda: bool(allowed.all()))


def _is_causal(allowed: torch.Tensor, q_len: int, k_len: int) -> bool:
    """Whether the mask is exactly "query i sees keys 0..i" for every row (SDPA's is_causal), square."""
    if q_len != k_len or allowed.device.type == "meta" or allowed.shape[-2:] != (q_len, k_len):
        return False

    def causal() -> bool:
        lower = torch.ones(q_len, k_len, dtype=torch.bool, device=allowed.device).tril_()
        return bool((allowed == lower).all())

    return _known(allowed, ("causal", q_len, k_len), causal)


def split_heads(x: torch.Tensor, num_heads: int) -> torch.Tensor:
    """(B, T, nh*hs) -> (B, nh, T, hs)"""
    batch, length, _ = x.shape
    return x.view(batch, length, num_heads, -1).transpose(1, 2)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """(B, nh, T, hs) -> (B, T, nh*hs)"""
    batch, _, length, _ = x.shape
    return x.transpose(1, 2).reshape(batch, length, -1)


@portable
def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    """Grouped-query attention: (B, n_kv, T, hs) -> (B, n_kv*n_rep, T, hs), each key/value head shared by n_rep query heads."""
    if n_rep == 1:
        return x
    batch, n_kv, length, head_dim = x.shape
    return x[:, :, None].expand(batch, n_kv, n_rep, length, head_dim).reshape(batch, n_kv * n_rep, length, head_dim)
