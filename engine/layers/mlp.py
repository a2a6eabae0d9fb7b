"""The position-wise feed-forward networks, with TransformerLens' step names.

MLP (the original Transformer's, BERT, GPT, GLM, T5 1.0):    out = W_out act(W_in x + b_in) + b_out
    hook_pre  = W_in x + b_in, before the activation;  hook_post = act(hook_pre)
GatedMLP (GLU variants: LLaMA's SwiGLU, ChatGLM2, T5 v1.1's gated-GELU):    out = W_down (act(x W_gate) * x W_up)
    hook_pre  = x W_gate, before the activation;  hook_pre_linear = x W_up;  hook_post = act(gate) * up
    and our own hook_gate_act = act(gate)
While recording, hook_post is kept as a recipe over the steps it is computed from (engine.cache.Derived).
The block records what the sub-layer adds to the residual stream (hook_mlp_out).
"""
from __future__ import annotations

import torch
from torch import nn

from engine.hooks import HookPoint
from engine.layers.activations import RECOMPUTES_EXACTLY, activation

BTF = ("batch", "pos", "ffn")


class MLP(nn.Module):
    """Linear(H -> F), activation, Linear(F -> H), on each token alone. Subclasses only name the two linears as the
    family's released weights do (`fc_in`, `fc_out`)."""
    fc_in, fc_out = "fc_in", "fc_out"

    def __init__(self, hidden_size: int, ffn_size: int, act: str, bias: bool = True):
        super().__init__()
        setattr(self, self.fc_in, nn.Linear(hidden_size, ffn_size, bias=bias))
        self.act = activation(act)
        setattr(self, self.fc_out, nn.Linear(ffn_size, hidden_size, bias=bias))
        self.hook_pre = HookPoint(BTF, "mlp.pre")
        self.hook_post = HookPoint(BTF, "mlp.post")

    def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
        pre = self.hook_pre(getattr(self, self.fc_in)(hidden_states))   # (B, T, F)
        # hook_post is kept as the recipe act(hook_pre) where that recomputes bit for bit: no second (T x F) tensor
        recipe = (self.act, pre) if self.act in RECOMPUTES_EXACTLY and pre.numel() > 1 else None
        post = self.hook_post(self.act(pre), derive=recipe)              # (B, T, F)
        return getattr(self, self.fc_out)(post)                          # (B, T, H)


class GatedMLP(nn.Module):
    """act(gate) * up, then down. Subclasses create their linears under the released names and say how a token's
    vector becomes (gate, up) (`gate_and_up`) and how the product goes back to the hidden size (`down`)."""

    def __init__(self, act: str):
        super().__init__()
        self.act_fn = activation(act)
        self.hook_pre = HookPoint(BTF, "mlp.pre")
        self.hook_gate_act = HookPoint(BTF, "mlp.gate_act")
        self.hook_pre_linear = HookPoint(BTF, "mlp.pre_linear")
        self.hook_post = HookPoint(BTF, "mlp.post")

    def gate_and_up(self, hidden_states: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError

    def down(self, hidden_states: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_and_up(hidden_states)                # (B, T, F) each
        gate = self.hook_gate_act(self.act_fn(self.hook_pre(gate)))
        up = self.hook_pre_linear(up)
        # hook_post is kept as the recipe gate_act * up (both recorded): an exact product, no fourth (T x F) tensor
        return self.down(self.hook_post(gate * up, derive=(torch.mul, gate, up)))   # (B, T, H)
