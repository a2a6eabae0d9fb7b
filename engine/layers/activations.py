"""Activation functions by the names released configs use."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """The tanh approximation used by GPT-1/2 ("gelu_new")."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


ACTIVATIONS = {
    "gelu": F.gelu,                 # exact, erf-based (BERT, RoBERTa)
    "gelu_new": gelu_tanh,
    "gelu_fast": gelu_tanh,
    "gelu_pytorch_tanh": gelu_tanh,
    "relu": F.relu,
    "silu": F.silu,
    "swish": F.silu,
}


# Activations that give an element the same bits however a tensor of two or more elements is split into pieces
# (one per thread, a piece's last few elements): recomputing one on a recorded input reproduces the forward pass's
# value exactly, so the recorder may keep a recipe instead of the value. SiLU is not among them: its result depends
# on where an element falls in the vectorised loop (tests/engine/test_recording.py checks these on this machine).
RECOMPUTES_EXACTLY = frozenset({F.gelu, gelu_tanh, F.relu})


def activation(name: str):
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(sorted(ACTIVATIONS))}") from None
