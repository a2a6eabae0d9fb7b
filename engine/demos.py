"""The chapter's claims as numbers a learner can check, computed with the project's own layers.

    positions      RoPE: the score of q at m and k at n depends only on m - n (every RoPE family, its own rope
                   code, LLaMA's rotate-half pairs and ChatGLM2's interleaved half-rotary head); learned absolute
                   positions (how similar each position's vector is to the others); the sinusoidal table of the
                   original Transformer; T5's buckets of relative distance and each head's learned bias
    norms          LayerNorm vs RMSNorm on the same vector; pre-norm vs post-norm (and DeepNorm) in a deep stack
                   at initialisation: activation and gradient norms layer by layer
    feed-forward   GELU MLP vs SwiGLU: how much of each feature the gate lets through
    grouped heads  which query heads share which key/value head (repeat_kv), and the cache it saves
    ALBERT         one set of weights at every depth, hidden states that still change layer by layer
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from engine.errors import InputError
from engine.layers.activations import activation
from engine.layers.norms import RMSNorm
from engine.layers.rope import RotaryEmbedding, apply_rotary


# ----------------------------------------------------------------------------------------------- RoPE
@dataclass
class RopeSetup:
    rotary: RotaryEmbedding
    interleaved: bool      # ChatGLM2 pairs (x[2j], x[2j+1]); LLaMA pairs (x[j], x[j + d/2])
    head_dim: int          # the rotated part is rotary.rot_dim of it (ChatGLM2: half)


def rope_setup(module: nn.Module) -> RopeSetup | None:
    """The model's own RoPE (its RotaryEmbedding and the attention's pair layout), or None without RoPE."""
    rotary = next((m for m in module.modules() if isinstance(m, RotaryEmbedding)), None)
    if rotary is None:
        return None
    attention = next((m for m in module.modules() if hasattr(m, "rotary_interleaved")), None)
    interleaved = bool(getattr(attention, "rotary_interleaved", rotary.interleaved))
    head_dim = int(getattr(attention, "head_dim", rotary.rot_dim))
    return RopeSetup(rotary, interleaved, head_dim)


def rope_families() -> dict[str, str]:
    """family name -> a tiny preset of it, for every family whose model rotates q and k (read from the models,
    not listed by hand)."""
    from engine.models import FAMILIES

    out = {}
    for family in FAMILIES.values():
        for preset, values in family.tiny_presets.items():
            with torch.device("meta"):
                module = family.model_cls(family.config(values))
            if rope_setup(module) is not None:
                out[family.name] = preset
                break
    return out


def rotated(setup: RopeSetup, vector: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
    """vector (hs,) placed at each position, rotated there: (P, hs)."""
    cos, sin = setup.rotary(positions[None].to(setup.rotary.inv_freq.device))      # (1, P, rot) each
    x = vector.to(cos.dtype).expand(1, 1, len(positions), -1)                      # (1, 1, P, hs)
    return apply_rotary(x, cos[:, None], sin[:, None], setup.interleaved)[0, 0]


@dataclass
class RopeCheck:
    m: int
    n: int
    score: float                        # <R(m) q, R(n) k>
    shifted: list[tuple[int, int, float]]   # (m + s, n + s, score) for a few shifts s
    scores: torch.Tensor                # (P, P): score of q at row m, k at column n
    deviation: float                    # the largest spread of the scores along any diagonal m - n = const
    scale: float                        # the largest |score|, to read the deviation against
    angles_m: torch.Tensor              # (rot_dim/2,): each pair's angle at m (radians, mod 2 pi)
    angles_n: torch.Tensor
    rot_dim: int
    head_dim: int
    interleaved: bool

    @property
    def relative(self) -> bool:
        return self.deviation <= 1e-4 * max(self.scale, 1.0)


@torch.no_grad()
def rope_check(setup: RopeSetup, m: int, n: int, positions: int = 64, seed: int = 0,
               q: torch.Tensor | None = None, k: torch.Tensor | None = None) -> RopeCheck:
    """The score of q at m and k at n, the same pair moved together by several shifts, and the (P, P) score
    matrix, whose diagonals are constant when the score depends only on m - n."""
    if m < 0 or n < 0:
        raise InputError("positions count from 0")
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(setup.head_dim, generator=generator) if q is None else q.float()
    k = torch.randn(setup.head_dim, generator=generator) if k is None else k.float()
    length = max(positions, m + 1, n + 1)
    grid = torch.arange(length)
    scores = rotated(setup, q, grid) @ rotated(setup, k, grid).T                       # (P, P)
    spread = 0.0
    for d in range(-length + 1, length):
        diagonal = torch.diagonal(scores, offset=d)
        spread = max(spread, float(diagonal.max() - diagonal.min()))
    shifted = []
    for s in (1, 7, 100, 1000):
        a, b = m + s, n + s
        pair = torch.tensor([a, b])
        shifted.append((a, b, float(rotated(setup, q, pair[:1])[0] @ rotated(setup, k, pair[1:])[0])))
    theta = setup.rotary.inv_freq.float().cpu()
    return RopeCheck(m, n, float(scores[m, n]), shifted, scores, spread, float(scores.abs().max()),
                     (m * theta) % (2 * math.pi), (n * theta) % (2 * math.pi), setup.rotary.rot_dim,
                     setup.head_dim, setup.interleaved)


# ----------------------------------------------------------------------------------------------- absolute positions
def position_tables(module: nn.Module) -> dict[str, torch.Tensor]:
    """The learned position tables a model adds to its tokens: BERT/RoBERTa/ALBERT `embeddings.position`, GPT's
    `wpe`, GLM's two rows (position and block position). Empty for RoPE and T5 (no table)."""
    embeddings = getattr(module, "embeddings", None)
    out = {}
    for name, label in (("position", "position"), ("wpe", "position"), ("block_position", "block position (row 2)")):
        table = getattr(embeddings, name, None) if embeddings is not None else None
        if isinstance(table, nn.Embedding):
            out[label] = table.weight.detach().float().cpu()
    return out


def cosine_matrix(vectors: torch.Tensor) -> torch.Tensor:
    """(P, d) -> (P, P) cosine similarity of every pair of rows."""
    unit = torch.nn.functional.normalize(vectors.float(), dim=-1)
    return unit @ unit.T


def sinusoidal_table(positions: int, dim: int) -> torch.Tensor:
    """The original Transformer's fixed table (Vaswani et al. 2017, section 3.5):
    PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)). (P, d)."""
    position = torch.arange(positions, dtype=torch.float64)[:, None]
    rate = torch.exp(-math.log(10000.0) * torch.arange(0, dim, 2, dtype=torch.float64) / dim)   # (d/2,)
    table = torch.zeros(positions, dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate)[:, : dim // 2]
    return table.float()


# ----------------------------------------------------------------------------------------------- T5
def t5_buckets(length: int, bidirectional: bool = True, num_buckets: int = 32, max_distance: int = 128):
    """(T, T) bucket id of each (query, key) pair, T5's own function."""
    from engine.models.t5 import relative_position_bucket

    position = torch.arange(length)
    return relative_position_bucket(position[None, :] - position[:, None], bidirectional, num_buckets,
                                    max_distance)


def t5_bias(module: nn.Module, length: int, decoder: bool = False) -> torch.Tensor:
    """(nh, T, T): the learned bias each head adds to its scores (the stack's first layer owns the table)."""
    stack = module.decoder if decoder else module.encoder
    attention = stack.blocks[0].attn
    with torch.no_grad():
        return attention.compute_bias(length, length)[0].float().cpu()


# ----------------------------------------------------------------------------------------------- norms
@dataclass
class NormCompare:
    x: torch.Tensor
    layer_norm: torch.Tensor      # (x - mean) / std * g + b
    rms_norm: torch.Tensor        # x / rms(x) * g
    mean: float
    rms: float
    std: float


def norm_compare(x: torch.Tensor, eps: float = 1e-6) -> NormCompare:
    """The same vector through LayerNorm and RMSNorm (unit gain, zero bias): LayerNorm removes the mean first;
    RMSNorm only rescales, so a vector with a mean keeps it."""
    x = x.float()
    size = x.shape[-1]
    with torch.no_grad():
        layer_norm = nn.LayerNorm(size, eps=eps)(x)
        rms_norm = RMSNorm(size, eps=eps)(x)
    return NormCompare(x, layer_norm, rms_norm, float(x.mean()), float(x.pow(2).mean().sqrt()),
                       float(x.std(unbiased=False)))


@dataclass
class NormPlacement:
    style: str
    activation: list[float]   # per layer: mean over tokens of ||hidden state|| after the layer
    gradient: list[float]     # per layer: ||d loss / d parameters of that layer||


def norm_placement(depth: int = 24, hidden: int = 64, heads: int = 4, tokens: int = 32, seed: int = 0,
                   styles: tuple[str, ...] = ("pre", "post", "deepnorm")) -> list[NormPlacement]:
    """GLM's three placements (pre-norm, post-norm, DeepNorm) of the same deep stack at initialisation (normal
    0.02 weights), one language-modelling loss on random tokens: the norm of each layer's output and of each
    layer's parameter gradient. Pre-norm adds every sub-layer to a stream it never normalises, so the stream grows
    with depth; post-norm renormalises it after every sum (Xiong et al. 2020, "On Layer Normalization in the
    Transformer Architecture", analyse these gradients at initialisation)."""
    from engine.api import init_weights
    from engine.models.glm import GLM, GLMConfig

    out = []
    for style in styles:
        config = GLMConfig(vocab_size=256, hidden_size=hidden, num_layers=depth, num_attention_heads=heads,
                           max_sequence_length=max(tokens, 64), norm_style=style)
        model = GLM(config)
        init_weights(model, seed)
        model.train(False)
        ids = torch.randint(0, 256, (1, tokens), generator=torch.Generator().manual_seed(seed))
        norms: list[float] = []
        handles = [block.register_forward_hook(lambda _m, _i, output: norms.append(
            float(output[0].detach().norm(dim=-1).mean()))) for block in model.blocks]
        try:
            logits = model(ids)["lm"]
        finally:
            for handle in handles:
                handle.remove()
        loss = nn.functional.cross_entropy(logits[0, :-1], ids[0, 1:])
        loss.backward()
        gradients = [float(torch.sqrt(sum((p.grad.float() ** 2).sum() for p in block.parameters()
                                          if p.grad is not None))) for block in model.blocks]
        out.append(NormPlacement(style, norms, gradients))
    return out


# ----------------------------------------------------------------------------------------------- feed-forward
def activation_curves(points: int = 161, low: float = -4.0, high: float = 4.0) -> dict[str, torch.Tensor]:
    """x and the activations the families use: ReLU (T5 1.0), GELU (BERT, GPT), SiLU (LLaMA's gate)."""
    x = torch.linspace(low, high, points)
    return {"x": x, "ReLU": activation("relu")(x), "GELU": activation("gelu")(x), "SiLU": activation("silu")(x)}


@dataclass
class GateReport:
    layer: int
    gated: bool                # SwiGLU / gated-GELU (True) or a plain MLP (False)
    pre: torch.Tensor          # (T, F) gate_proj x (gated) or W_in x (plain), before the activation
    passed: torch.Tensor       # (T, F) act(pre) / pre: the fraction of each feature let through
    up: torch.Tensor | None    # (T, F) up_proj x (gated only)
    post: torch.Tensor         # (T, F) what reaches the down projection
    open_share: float          # share of features passing more than half (act(x)/x > 0.5)
    closed_share: float        # share passing less than a tenth


def ffn_gates(trace, layer: int, stack: str = "blocks") -> GateReport:
    """A layer's feed-forward gate from a trace: how much of each feature its activation lets through.
    GELU(x) = x Phi(x) and SiLU(x) = x sigma(x) both multiply x by a gate between 0 and 1; a plain MLP gates its own
    pre-activation, SwiGLU computes the gate from one projection and applies it to another (up)."""
    name = f"{stack}.{layer}.mlp"
    cache = trace.cache
    if f"{name}.hook_pre" not in cache:
        raise InputError(f"no feed-forward steps under {name} in this trace")
    pre = cache[f"{name}.hook_pre"][0].float()
    gated = f"{name}.hook_gate_act" in cache
    acted = cache[f"{name}.hook_gate_act"][0].float() if gated else cache[f"{name}.hook_post"][0].float()
    passed = torch.where(pre.abs() > 1e-12, acted / pre.where(pre.abs() > 1e-12, torch.ones_like(pre)),
                         torch.full_like(pre, 0.5))
    up = cache[f"{name}.hook_pre_linear"][0].float() if gated else None
    post = cache[f"{name}.hook_post"][0].float()
    return GateReport(layer, gated, pre, passed, up, post, float((passed > 0.5).float().mean()),
                      float((passed < 0.1).float().mean()))


# ----------------------------------------------------------------------------------------------- grouped heads
@dataclass
class Grouping:
    heads: int
    kv_heads: int
    head_dim: int
    layers: int
    kv_of_query: list[int]         # query head i reads key/value head kv_of_query[i] (0-based)
    bytes_per_token: int           # the KV cache of one token, all layers, at `element_size`
    mha_bytes_per_token: int       # one key/value head per query head
    mqa_bytes_per_token: int       # a single key/value head

    @property
    def kind(self) -> str:
        if self.kv_heads == self.heads:
            return "multi-head (MHA)"
        return "multi-query (MQA)" if self.kv_heads == 1 else "grouped-query (GQA)"

    @property
    def saved(self) -> float:
        """The share of the full multi-head cache this model does not keep."""
        return 1 - self.bytes_per_token / self.mha_bytes_per_token


def grouping(heads: int, kv_heads: int, head_dim: int, layers: int, element_size: int = 2) -> Grouping:
    """repeat_kv's layout: key/value head j is shared by query heads j*r .. j*r + r - 1, r = heads / kv_heads.
    The cache keeps a key and a value vector per key/value head, layer and token."""
    if heads % kv_heads:
        raise InputError(f"{heads} query heads cannot share {kv_heads} key/value heads evenly")
    share = heads // kv_heads

    def per_token(kv: int) -> int:
        return 2 * layers * kv * head_dim * element_size

    return Grouping(heads, kv_heads, head_dim, layers, [i // share for i in range(heads)], per_token(kv_heads),
                    per_token(heads), per_token(1))


def model_grouping(family, config, element_size: int = 2) -> Grouping:
    dims = family.attention_dims(config)
    return grouping(dims.heads, dims.kv_heads, dims.head_dim, dims.layers, element_size)


# ----------------------------------------------------------------------------------------------- ALBERT
@dataclass
class Sharing:
    layers: int
    parameter_sets: int            # distinct sets of layer weights (ALBERT: 1; BERT: one per layer)
    cosine: list[float]            # cosine of each layer's output with the previous one's (mean over tokens)
    change: list[float]            # ||h_l - h_(l-1)|| / ||h_(l-1)||, mean over tokens


def layer_outputs(trace, stack: str = "blocks") -> list[torch.Tensor]:
    """Each layer's output hidden states (T, H), the first block's input first."""
    from engine.lens import layer_names

    return [trace.cache[name][0].float() for _label, name in layer_names(trace.cache, stack)]


def sharing(loaded, trace) -> Sharing:
    """How many distinct weight sets the layers use, and how much the hidden states still change per layer."""
    from engine.layers.residual import PostNormBlock, PreNormBlock

    blocks = [m for m in loaded.module.modules() if isinstance(m, (PreNormBlock, PostNormBlock))]
    distinct = len(blocks)   # a module's parameters are its own: ALBERT has one block module, applied N times
    states = layer_outputs(trace)
    cosine, change = [], []
    for before, after in zip(states, states[1:]):
        cosine.append(float(nn.functional.cosine_similarity(before, after, dim=-1).mean()))
        change.append(float(((after - before).norm(dim=-1) / before.norm(dim=-1).clamp_min(1e-12)).mean()))
    return Sharing(len(states) - 1, distinct, cosine, change)
