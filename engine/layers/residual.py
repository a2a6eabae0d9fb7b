"""The hook points along a layer's residual stream, with TransformerLens's names, for the two orders the chapter
compares. A block subclasses one of these and builds its own sub-layers; its forward calls the hooks in order."""
from __future__ import annotations

import torch
from torch import nn

from engine.hooks import HookPoint

BTH = ("batch", "pos", "hidden")


def summed(hook: HookPoint, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """hook(a + b), recorded as the recipe torch.add(a, b): a residual sum of two recorded steps (the stream and
    what a sub-layer adds) costs the cache no tensor of its own (engine.cache.Derived)."""
    return hook(a + b, derive=(torch.add, a, b))


class PreNormBlock(nn.Module):
    """hidden = hidden + Attention(Norm(hidden)); hidden = hidden + FFN(Norm(hidden)): the stream itself is never
    normalised (GPT-2/3, LLaMA, ChatGLM, T5, GLM's released code)."""

    def __init__(self) -> None:
        super().__init__()
        self.hook_resid_pre = HookPoint(BTH, "block.resid_pre")
        self.hook_attn_norm = HookPoint(BTH, "block.attn_norm_pre")
        self.hook_attn_out = HookPoint(BTH, "attn.out")
        self.hook_resid_mid = HookPoint(BTH, "block.resid_mid")
        self.hook_mlp_norm = HookPoint(BTH, "block.mlp_norm_pre")
        self.hook_mlp_out = HookPoint(BTH, "mlp.out")
        self.hook_resid_post = HookPoint(BTH, "block.resid_post")


class PostNormBlock(nn.Module):
    """hidden = Norm(hidden + Attention(hidden)); hidden = Norm(hidden + FFN(hidden)): Add & Norm (BERT, GPT-1,
    GLM as the seed reads it). As TransformerLens's BertBlock: resid_mid and resid_post are the sums,
    normalized_resid_* what the norms make of them. `add_key`: the lesson of the sums when they are not plain."""

    def __init__(self, add_key: str | None = None) -> None:
        super().__init__()
        self.hook_resid_pre = HookPoint(BTH, "block.resid_pre")
        self.hook_attn_out = HookPoint(BTH, "attn.out")
        self.hook_resid_mid = HookPoint(BTH, add_key or "block.attn_add")
        self.hook_normalized_resid_mid = HookPoint(BTH, "block.attn_norm_post")
        self.hook_mlp_out = HookPoint(BTH, "mlp.out")
        self.hook_resid_post = HookPoint(BTH, add_key or "block.mlp_add")
        self.hook_normalized_resid_post = HookPoint(BTH, "block.mlp_norm_post")
