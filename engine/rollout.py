"""Attention read across layers and head by head: attention rollout and per-head summaries.

Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers", section 3): the residual
connection carries each token on, so a layer's attention is modelled as A = 0.5 W_att + 0.5 I (W_att averaged
over the heads), rows renormalised to sum to one; the rollout to layer l multiplies them through the layers,

    rollout_l = A_l @ A_(l-1) @ ... @ A_1

row q of rollout_l: how much of each input token reaches position q after l layers, if attention alone moved it.

Per-head summaries, for sorting heads to find the interesting ones fast:
    entropy        mean over query rows of -sum_k p log2 p, in bits (0: one key; log2(T): even over T keys)
    distance       mean over query rows of sum_k p |q - k|: how far a head looks
    special        the share of attention on special tokens ([CLS], [SEP], <s>, ...), mean over rows
    first          the share on position 0 (the first token: where many heads park attention)
    self           the share on the query's own position (the diagonal)
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.errors import InputError


def stacks(cache) -> list[str]:
    """The stacks with self-attention patterns, in recording order: ["blocks"], or T5's encoder and decoder."""
    out = []
    for name in cache.names():
        if name.endswith(".attn.hook_pattern"):
            stack = name.split(".attn.")[0].rsplit(".", 1)[0]
            if stack not in out:
                out.append(stack)
    return out


def stack_patterns(cache, stack: str = "blocks") -> torch.Tensor:
    """(L, nh, T, T) self-attention probabilities of every layer of one stack (batch row 0)."""
    layers = []
    while f"{stack}.{len(layers)}.attn.hook_pattern" in cache:
        layers.append(cache[f"{stack}.{len(layers)}.attn.hook_pattern"][0].float())
    if not layers:
        raise InputError(f"no attention patterns under {stack!r} in this trace")
    return torch.stack(layers)


def rollout(patterns: torch.Tensor, residual: float = 0.5) -> torch.Tensor:
    """patterns (L, nh, T, T) -> (L, T, T): the rollout after each layer. Rows sum to one."""
    length = patterns.shape[-1]
    eye = torch.eye(length, dtype=patterns.dtype, device=patterns.device)
    flow = eye
    out = []
    for layer in patterns:                                       # (nh, T, T)
        a = (1 - residual) * layer.mean(0) + residual * eye      # (T, T): heads averaged, the residual added
        a = a / a.sum(-1, keepdim=True)
        flow = a @ flow
        out.append(flow)
    return torch.stack(out)


@dataclass
class HeadSummary:
    site: str          # "blocks.2.attn"
    layer: int         # 0-based, as in the step name
    head: int          # 0-based
    entropy: float     # bits
    distance: float    # positions
    special: float     # share of attention
    first: float
    self_share: float

    @property
    def step(self) -> str:
        return f"{self.site}.hook_pattern"

    def to_json(self) -> dict:
        return {"site": self.site, "layer": self.layer + 1, "head": self.head + 1, "step": self.step,
                "entropy_bits": round(self.entropy, 4), "mean_distance": round(self.distance, 4),
                "special_share": round(self.special, 4), "first_share": round(self.first, 4),
                "self_share": round(self.self_share, 4)}


def special_positions(tokens: list[str], tokenizer) -> list[int]:
    if tokenizer is None:
        return []
    names = {tokenizer.id_to_token(i) for i in tokenizer.special_ids}
    return [i for i, t in enumerate(tokens) if t in names]


def pattern_summary(pattern: torch.Tensor, special: list[int]) -> dict[str, torch.Tensor]:
    """pattern (nh, Tq, Tk) -> per-head (nh,) entropy (bits), distance, special, first, self shares. A query
    that sees keys after cached ones (Tk > Tq) sits at position Tk - Tq + q."""
    p = pattern.float()
    tq, tk = p.shape[-2:]
    q_pos = torch.arange(tq, dtype=torch.float32)[:, None] + (tk - tq)
    k_pos = torch.arange(tk, dtype=torch.float32)[None, :]
    entropy = -(p * torch.log2(p.clamp_min(1e-30))).sum(-1).mean(-1)
    distance = (p * (q_pos - k_pos).abs()).sum(-1).mean(-1)
    specials = p[..., special].sum(-1).mean(-1) if special else torch.zeros(p.shape[0])
    first = p[..., 0].mean(-1)
    diagonal = (q_pos == k_pos).float()
    self_share = (p * diagonal).sum(-1).mean(-1)
    return {"entropy": entropy, "distance": distance, "special": specials, "first": first, "self": self_share}


def head_summaries(trace, tokenizer=None) -> list[HeadSummary]:
    """One summary per head of every attention layer (cross-attention included: its distance compares target and
    source positions and means little; T5's decoder sites name their own tokens)."""
    out = []
    decoder_tokens = (trace.extras or {}).get("decoder_tokens") or []
    for name in trace.cache.names():
        if not name.endswith(".hook_pattern"):
            continue
        site = name[: -len(".hook_pattern")]
        keys = decoder_tokens if site.startswith("decoder") and not site.endswith("cross_attn") else trace.tokens
        numbers = pattern_summary(trace.cache[name][0], special_positions(keys, tokenizer))
        layer = int(site.split(".")[-2])
        for h in range(numbers["entropy"].shape[0]):
            out.append(HeadSummary(site, layer, h, *(float(numbers[k][h]) for k in
                                                     ("entropy", "distance", "special", "first", "self"))))
    return out
