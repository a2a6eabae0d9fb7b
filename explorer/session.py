"""Qt-free state of the explorer: the model catalogue, the step list a trace becomes, friendly labels, lesson
texts and the little bits of arithmetic the views show (all read from the cache, never recomputed by a model)."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "assets" / "lessons"
GROUPS = ("Encoder-only", "Encoder-decoder", "Decoder-only")
DEFAULT_TEXT = "The cat sat on the mat because it was tired."
DEFAULT_MODEL, FALLBACK_MODEL = "minilm", "bert-tiny"
MAX_CHARS = 5000            # the text box refuses more than this before anything runs
TOKENIZER_STEP = "__tokens__"
OUTPUT_STEP = "__output__"


# ----------------------------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class ModelEntry:
    name: str
    group: str
    title: str          # family title
    weights: str        # "random" or "real"
    source: str

    @property
    def label(self) -> str:
        return f"{self.name}  ·  {self.title}, {self.weights} weights"


def catalogue() -> list[ModelEntry]:
    """Every runnable preset (grouped as the seed groups them) plus the embedded real checkpoints. Robust to a
    family module that fails to import: the others still appear."""
    from engine.models import FAMILIES

    entries: list[ModelEntry] = []
    try:
        from engine.presets import all_presets
        presets = [(p.name, p.family, p.source, p.runnable) for p in all_presets().values()]
    except Exception:   # noqa: BLE001 - a half-written family must not take the whole picker down
        presets = []
        for family in FAMILIES.values():
            try:
                tiny = getattr(family.module, "TINY_PRESETS", {})
            except Exception:   # noqa: BLE001
                continue
            for name, config in tiny.items():
                presets.append((name, config.get("family", family.name), "a tiny configuration, random weights",
                                True))
    seen = set()
    for name, family_name, source, runnable in presets:
        family = FAMILIES.get(family_name)
        if not runnable or family is None or name in seen:
            continue
        seen.add(name)
        entries.append(ModelEntry(name, family.group, family.title, "random", source))
    try:
        from engine import checkpoint
        for name in getattr(checkpoint, "EMBEDDED", {}):
            entries.append(ModelEntry(name, "Encoder-only", "BERT architecture", "real",
                                      "embedded checkpoint (Hugging Face format, loaded offline)"))
    except Exception:   # noqa: BLE001
        pass
    order = {g: i for i, g in enumerate(GROUPS)}
    entries.sort(key=lambda e: (order.get(e.group, 9), e.weights != "real", e.name))
    return entries


# ----------------------------------------------------------------------------------------------- lessons
class Lessons:
    """assets/lessons/*.json merged: {"key": {"en": ..., "zh": ...}}."""

    def __init__(self, folder: Path = LESSONS_DIR):
        self.texts: dict[str, dict[str, str]] = {}
        for path in sorted(Path(folder).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                for key, value in data.items():
                    if isinstance(value, dict):
                        self.texts.setdefault(key, {}).update({k: str(v) for k, v in value.items()})

    def text(self, key: str, lang: str = "en") -> str:
        entry = self.texts.get(key)
        if entry is None:   # "attn.q_rope" -> "attn.q" -> nothing
            parts = key.split("_")
            while entry is None and len(parts) > 1:
                parts = parts[:-1]
                entry = self.texts.get("_".join(parts))
        if not entry:
            return ""
        return entry.get(lang) or entry.get("en") or next(iter(entry.values()), "")


# ----------------------------------------------------------------------------------------------- labels
KEY_LABELS = {
    "embed.token": "Token embedding", "embed.position": "Position embedding", "embed.segment": "Segment embedding",
    "embed.sum": "Sum of embeddings", "embed.norm": "LayerNorm of the sum", "embed.projection": "Projection E → H",
    "attn.q": "Q  (queries)", "attn.k": "K  (keys)", "attn.v": "V  (values)", "attn.scores": "Scores  Q·Kᵀ",
    "attn.scaled": "Scale  ÷ √d_k", "attn.mask": "Mask", "attn.masked": "Masked scores",
    "attn.pattern": "Softmax  (attention weights)", "attn.z": "Weighted sum of V", "attn.out": "Output projection",
    "block.attn_add": "Residual add (attention)", "block.mlp_add": "Residual add (FFN)",
    "block.attn_norm_post": "Add & Norm (after attention)", "block.attn_norm_pre": "Norm before attention",
    "block.mlp_norm_pre": "Norm before FFN", "block.out": "Layer output", "mlp.pre": "FFN: first linear",
    "mlp.post": "FFN: activation", "mlp.out": "FFN: second linear", "mlp.c_fc": "FFN: first linear",
    "pooler.out": "Pooler  tanh(W·h[CLS])", "mlm.transform": "MLM transform", "mlm.logits": "MLM logits",
    "nsp.logits": "NSP logits", "sop.logits": "SOP logits", "classifier.logits": "Classifier logits",
    "lm.logits": "LM logits (next token)", "final_norm": "Final norm",
}
PART_LABELS = {"attn": "Self-attention", "self_attn": "Self-attention", "cross_attn": "Cross-attention",
               "encdec_attn": "Cross-attention", "mlp": "Feed-forward", "ffn": "Feed-forward",
               "embeddings": "Embeddings", "embed_proj": "Embedding projection", "pooler": "Pooler",
               "mlm_head": "MLM head", "nsp_head": "NSP head", "sop_head": "SOP head",
               "classifier_head": "Classifier head", "lm_head": "LM head", "encoder": "Encoder",
               "decoder": "Decoder"}


def step_label(name: str, key: str) -> str:
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    if key and "." in key and f"attn.{key.rsplit('.', 1)[-1]}" in KEY_LABELS and "attn" in key:
        return KEY_LABELS[f"attn.{key.rsplit('.', 1)[-1]}"]   # cross_attn.pattern -> the attention label
    last = name.rsplit(".", 1)[-1]
    words = last[5:] if last.startswith("hook_") else last
    if words in ("out", "logits") and "." in name:
        words = f"{name.split('.')[-2]} {words}"
    label = words.replace("_", " ").strip()
    base = key.split(".")[-1].replace("_", " ") if key else ""
    text = label or base
    return text[:1].upper() + text[1:]


def part_label(part: str) -> str:
    return PART_LABELS.get(part, part.replace("_", " ").capitalize())


@dataclass
class Node:
    """A navigator tree node: a label, an optional step name, children."""
    label: str
    step: str | None = None
    children: list["Node"] = field(default_factory=list)

    def child(self, label: str) -> "Node":
        for c in self.children:
            if c.step is None and c.label == label:
                return c
        node = Node(label)
        self.children.append(node)
        return node


_STAGE = re.compile(r"^(?:(?P<prefix>.*?)\.)?blocks\.(?P<index>\d+)(?:\.(?P<rest>.*))?$")


def build_tree(step_names: list[str]) -> Node:
    """Tokenizer -> Embeddings -> Layer 1..N (attention / feed-forward inside) -> heads -> Output."""
    root = Node("model")
    root.children.append(Node("Tokenizer", TOKENIZER_STEP))
    for name in step_names:
        parts = name.split(".")
        match = _STAGE.match(".".join(parts[:-1]))
        if match:
            prefix = match.group("prefix")
            stage = f"Layer {int(match.group('index')) + 1}"
            if prefix:
                stage = f"{part_label(prefix.split('.')[-1])} layer {int(match.group('index')) + 1}"
            node = root.child(stage)
            rest = match.group("rest")
            if rest:
                node = node.child(part_label(rest.split(".")[0]))
        elif len(parts) > 1:
            node = root.child(part_label(parts[0]))
            for extra in parts[1:-1]:
                node = node.child(part_label(extra))
        else:   # a model-level step (final norm, GLM's 2D positions and mask) stands on its own, in order
            node = root
        node.children.append(Node("", name))
    root.children.append(Node("Output", OUTPUT_STEP))
    return root


def layer_of(name: str) -> tuple[str, int] | None:
    """("blocks", 3) for "blocks.3.attn.hook_q"; ("decoder.blocks", 1) for decoder layers."""
    match = re.match(r"^(.*?blocks)\.(\d+)\.", name)
    return (match.group(1), int(match.group(2))) if match else None


def same_step_in_layer(name: str, layer: int) -> str:
    return re.sub(r"(blocks)\.\d+\.", rf"\g<1>.{layer}.", name, count=1)


def attn_prefix(name: str) -> str:
    return name.rsplit(".", 1)[0]


# ----------------------------------------------------------------------------------------------- view kinds
def is_attention_dims(dims) -> bool:
    return "q_pos" in dims and "k_pos" in dims


def view_kinds(name: str, dims: tuple[str, ...], is_bool: bool, has_step=lambda n: False) -> list[str]:
    """Which views can show a step, the best first."""
    if name == TOKENIZER_STEP:
        return ["tokens"]
    if name == OUTPUT_STEP:
        return ["output", "similarity"]
    if is_attention_dims(dims):
        if is_bool:
            return ["mask", "masks-compare"]
        kinds = ["attention", "grid", "lines"]
        if has_step(attn_prefix(name) + ".hook_q"):
            kinds.append("qkv")
        if has_step(attn_prefix(name) + ".hook_mask"):
            kinds.append("mask")
        return kinds
    if "head_dim" in dims and "head" in dims:
        return ["qkv", "vectors"]
    if "vocab" in dims or "label" in dims:
        return ["output", "vectors"]
    return ["vectors"]


def as_matrix(tensor: np.ndarray, dims: tuple[str, ...], head: int = 0) -> tuple[np.ndarray, tuple[str, str]]:
    """A 2-D slice of a recorded tensor for a heatmap: batch 0, the given head; (rows, cols) axis names."""
    arr = np.asarray(tensor)
    dims = list(dims)
    if "batch" in dims and arr.ndim > 1:
        arr = arr[0]
        dims.remove("batch")
    if "head" in dims and arr.ndim > 2:
        idx = dims.index("head")
        arr = np.take(arr, min(head, arr.shape[idx] - 1), axis=idx)
        dims.pop(idx)
    while arr.ndim > 2:
        arr = arr[0]
        dims.pop(0)
    if arr.ndim == 1:
        arr = arr[None, :]
        dims = ["row"] + dims
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
        dims = ["row", "col"]
    return arr, (dims[0], dims[1])


# ----------------------------------------------------------------------------------------------- arithmetic
@dataclass
class CellArithmetic:
    products: np.ndarray     # q_i * k_j element-wise (head_dim,)
    total: float             # their sum
    cache_score: float       # hook_scores[i, j]
    scale: float | None      # the multiplier (1/sqrt(d_k)), None when the model does not scale
    scaled: float | None
    cache_scaled: float | None
    allowed: bool | None
    masked_row: np.ndarray | None
    probability: float
    cache_probability: float
    d_k: int
    position_bias: float | None = None   # T5: the learned relative-position bias added to this cell

    @property
    def ok(self) -> bool:
        good = math.isclose(self.total, self.cache_score, rel_tol=1e-4, abs_tol=1e-4)
        if self.scaled is not None and self.cache_scaled is not None:
            good &= math.isclose(self.scaled, self.cache_scaled, rel_tol=1e-4, abs_tol=1e-4)
        return good and math.isclose(self.probability, self.cache_probability, rel_tol=1e-3, abs_tol=1e-5)


def cell_arithmetic(cache, prefix: str, head: int, i: int, j: int) -> CellArithmetic | None:
    """Q·K for one (query, key) cell, rebuilt from the recorded q, k, scores, scaled, mask, masked and pattern."""
    def get(suffix):
        name = f"{prefix}.{suffix}"
        return cache[name][0].float().numpy() if name in cache else None

    q, k, scores = get("hook_q"), get("hook_k"), get("hook_scores")
    pattern = get("hook_pattern")
    if q is None or k is None or scores is None or pattern is None:
        return None
    kh = head * k.shape[0] // q.shape[0]
    products = q[head, i] * k[kh, j]
    total = float(products.sum(dtype=np.float64))
    scaled_t = get("hook_scaled")
    scale = cache_scaled = scaled = None
    if scaled_t is not None:
        cache_scaled = float(scaled_t[head, i, j])
        scale = 1.0 / math.sqrt(q.shape[-1])
        if abs(scores[head, i, j]) > 1e-6:
            ratio = scaled_t[head, i, j] / scores[head, i, j]
            if not math.isclose(ratio, scale, rel_tol=1e-3):
                scale = float(ratio)   # a model that scales by something else (GPT-2 by layer index too)
        scaled = total * scale
    mask_name = f"{prefix}.hook_mask"
    allowed = None
    if mask_name in cache:
        m = cache[mask_name][0].numpy()
        allowed = bool(m[min(head, m.shape[0] - 1), i, j])
    masked = get("hook_masked")
    row = masked[head, i] if masked is not None else None
    if row is not None:
        finite = row.astype(np.float64)
        e = np.exp(finite - finite.max())
        probability = float(e[j] / e.sum())
    else:
        probability = float(pattern[head, i, j])
    # T5 records its relative position bias once per stack, in the first layer's self-attention
    bias_name = prefix.split("blocks.")[0] + "blocks.0.attn.hook_position_bias"
    position_bias = None
    if prefix.endswith(".attn") and bias_name in cache:
        position_bias = float(cache[bias_name][0, head, i, j])
    return CellArithmetic(products, total, float(scores[head, i, j]), scale, scaled, cache_scaled, allowed, row,
                          probability, float(pattern[head, i, j]), int(q.shape[-1]), position_bias)


# ----------------------------------------------------------------------------------------------- outputs
def softmax(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def top_k(logits: np.ndarray, k: int = 5) -> list[tuple[int, float]]:
    probs = softmax(logits)
    order = np.argsort(-probs)[:k]
    return [(int(i), float(probs[i])) for i in order]


def mask_positions(tokens: list[str]) -> list[int]:
    return [i for i, t in enumerate(tokens) if t in ("[MASK]", "<mask>", "[mask]")]


def check_text(text: str, max_chars: int = MAX_CHARS) -> str | None:
    """A message for text that cannot run, None when it can."""
    if not text or not text.strip():
        return "The text is empty: type a sentence first."
    if len(text) > max_chars:
        return f"The text is {len(text)} characters long; the explorer takes at most {max_chars}. Shorten it."
    return None


def format_value(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "True (may attend)" if value else "False (blocked)"
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.4e}"
    return f"{value:.4f}"
