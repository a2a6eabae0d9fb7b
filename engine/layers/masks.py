"""Boolean attention masks (True = may attend) and their additive form.

Masks are built and recorded as booleans so the explorer can show them on their own; only at the last moment
are they turned into an additive bias of `finfo(dtype).min` (never -inf, which turns fully masked rows into NaN).
"""
from __future__ import annotations

import torch


def padding_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(batch, k_pos) of 1/0 -> (batch, 1, 1, k_pos): padded keys are hidden from every query."""
    return attention_mask.bool()[:, None, None, :]


def causal_mask(q_len: int, k_len: int, device=None) -> torch.Tensor:
    """(1, 1, q_pos, k_pos): query i sees keys 0..i (shifted when earlier keys come from a KV cache)."""
    offset = k_len - q_len
    q = torch.arange(q_len, device=device)[:, None] + offset
    k = torch.arange(k_len, device=device)[None, :]
    return (k <= q)[None, None]


def banded_causal_mask(q_len: int, k_len: int, window: int, device=None) -> torch.Tensor:
    """GPT-3's locally banded sparse layers: query i sees keys i-window+1 .. i."""
    offset = k_len - q_len
    q = torch.arange(q_len, device=device)[:, None] + offset
    k = torch.arange(k_len, device=device)[None, :]
    return ((k <= q) & (k > q - window))[None, None]


def combine(*masks: torch.Tensor | None) -> torch.Tensor | None:
    """AND of the given masks with broadcasting; None where no mask applies."""
    result = None
    for mask in masks:
        if mask is None:
            continue
        result = mask if result is None else (result & mask)
    return result


def to_additive(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """True -> 0, False -> the most negative finite number of `dtype`."""
    zero = torch.zeros((), dtype=dtype, device=allowed.device)
    most_negative = torch.tensor(torch.finfo(dtype).min, dtype=dtype, device=allowed.device)
    return torch.where(allowed, zero, most_negative)
