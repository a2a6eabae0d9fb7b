"""Rotary position embedding (RoPE, Su et al., 2021): position enters by *rotating* q and k, not by adding a vector.

Pair up the dimensions of a query/key vector; pair j at position m is turned by the angle m * theta_j, with
theta_j = base^(-2j/d). Rotations compose, so for q at position m and k at position n

    <R(m) q, R(n) k> = <q, R(n - m) k>

and the attention score depends on the positions only through m - n.

Two layouts of the pairs exist in released code; both are here:
  rotate_half (LLaMA, GPT-NeoX):      pair j = (x[j], x[j + d/2]),  cos/sin tables = cat(freqs, freqs)
  interleaved (GPT-J, ChatGLM2):       pair j = (x[2j], x[2j + 1]),  cos/sin tables = each freq repeated twice
Partial rotary: only the first `rot_dim` dimensions of each head turn (ChatGLM rotates half); the rest pass through.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from engine.cache import portable
from engine.hooks import HookPoint


def rope_inv_freq(rot_dim: int, base: float = 10000.0, scaling: dict | None = None) -> torch.Tensor:
    """theta_j = base^(-2j/rot_dim) for j = 0 .. rot_dim/2 - 1, optionally rescaled for a longer context.

    scaling: a config's `rope_parameters` / `rope_scaling` dict. Supported rope_type: "default", "linear"
    (positions divided by `factor`) and "llama3" (LLaMA-3.1: only the long wavelengths are stretched).
    """
    inv_freq = 1.0 / (base ** (torch.arange(0, rot_dim, 2, dtype=torch.int64).float() / rot_dim))  # (rot_dim/2,)
    kind = (scaling or {}).get("rope_type", (scaling or {}).get("type", "default"))
    if kind == "default":
        return inv_freq
    if kind == "linear":
        return inv_freq / scaling["factor"]
    if kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        old_context = scaling["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv_freq
        # short wavelengths (< old_context / high) are kept, long ones (> old_context / low) divided by factor,
        # those in between interpolated smoothly
        smooth = ((old_context / wavelen - low) / (high - low)).clamp(0.0, 1.0)
        return (1 - smooth) * inv_freq / factor + smooth * inv_freq
    raise ValueError(f"RoPE scaling type {kind!r} is not supported (known: default, linear, llama3)")


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    """(x1, x2) -> (-x2, x1) on the two halves of the last axis: the 90-degree turn of every pair (x[j], x[j+d/2])."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rotate_every_two(x: torch.Tensor) -> torch.Tensor:
    """(x0, x1, x2, x3, ...) -> (-x1, x0, -x3, x2, ...): the same turn for interleaved pairs (x[2j], x[2j+1])."""
    x_even, x_odd = x[..., 0::2], x[..., 1::2]
    return torch.stack((-x_odd, x_even), dim=-1).flatten(-2)


def rope_tables(position_ids: torch.Tensor, inv_freq: torch.Tensor, interleaved: bool = False,
                dtype: torch.dtype = torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of every angle m * theta_j, laid out to match the pairs: (..., T) -> two (..., T, rot_dim)."""
    freqs = position_ids[..., None].float() * inv_freq.float()          # (..., T, rot_dim/2)
    if interleaved:
        angles = freqs.repeat_interleave(2, dim=-1)                       # (..., T, rot_dim): t0 t0 t1 t1 ...
    else:
        angles = torch.cat((freqs, freqs), dim=-1)                        # (..., T, rot_dim): t0 t1 ... t0 t1 ...
    return angles.cos().to(dtype), angles.sin().to(dtype)


@portable
def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, interleaved: bool = False) -> torch.Tensor:
    """Rotate the first cos.shape[-1] dims of x (the rest pass through). cos/sin must broadcast against x's
    leading axes, e.g. x (B, nh, T, hs) with cos (B, 1, T, rot_dim). Products, one sum and copies only: it gives
    the same bits again on any device, so the recorder keeps it as a recipe (engine.cache.portable)."""
    rot_dim = cos.shape[-1]
    x_rot, x_pass = x[..., :rot_dim], x[..., rot_dim:]
    turn = rotate_every_two(x_rot) if interleaved else rotate_half(x_rot)
    x_rot = x_rot * cos + turn * sin
    return torch.cat((x_rot, x_pass), dim=-1) if x_pass.shape[-1] else x_rot


class RotaryEmbedding(nn.Module):
    """Builds (and records) the cos/sin tables for the positions of one forward pass.

    The frequencies are a buffer left out of the state dict, as in released checkpoints (old LLaMA conversions
    that do store `rotary_emb.inv_freq` are dropped by the rename table).
    """

    def __init__(self, rot_dim: int, base: float = 10000.0, scaling: dict | None = None, interleaved: bool = False,
                 dim_label: str = "head_dim"):
        super().__init__()
        self.rot_dim = rot_dim
        self.base = base
        self.interleaved = interleaved
        self.register_buffer("inv_freq", rope_inv_freq(rot_dim, base, scaling), persistent=False)
        dims = ("batch", "pos", dim_label)
        self.hook_cos = HookPoint(dims, "rope.cos")
        self.hook_sin = HookPoint(dims, "rope.sin")

    def forward(self, position_ids: torch.Tensor, dtype: torch.dtype = torch.float32):
        """position_ids (B or 1, T) -> cos, sin each (B or 1, T, rot_dim)."""
        cos, sin = rope_tables(position_ids, self.inv_freq.to(position_ids.device), self.interleaved, dtype)
        return self.hook_cos(cos), self.hook_sin(sin)

    def extra_repr(self) -> str:
        return f"rot_dim={self.rot_dim}, base={self.base:g}, interleaved={self.interleaved}"
