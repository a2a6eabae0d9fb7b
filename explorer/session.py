"""Qt-free knowledge of the explorer: the model catalogue (read from the engine's registry), the step list a trace
becomes, friendly labels, lesson texts and the little bits of arithmetic the views show (all read from the cache,
never recomputed by a model).

Everything the explorer knows about particular step names (hook_q, hook_pattern, hook_mask, cross_attn, the
encoder/decoder stacks) is in this module: views ask these helpers instead of spelling step names."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from explorer.i18n import QT_TRANSLATE_NOOP, translate

DEFAULT_TEXT = "The cat sat on the mat because it was tired."
DEFAULT_MODEL, FALLBACK_MODEL = "minilm", "bert-tiny"
MAX_CHARS = 5000            # the text box refuses more than this before anything runs
TOKENIZER_STEP = "__tokens__"
OUTPUT_STEP = "__output__"


GROUP_TITLES = (QT_TRANSLATE_NOOP("session", "Encoder-only"), QT_TRANSLATE_NOOP("session", "Encoder-decoder"),
                QT_TRANSLATE_NOOP("session", "Decoder-only"), QT_TRANSLATE_NOOP("session", "Models on this computer"))
LOCAL_GROUP = GROUP_TITLES[-1]


def group_title(group: str) -> str:
    """A picker group's heading in the interface's language (the engine's registry names them in English)."""
    return translate("session", group)


# ----------------------------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class ModelEntry:
    name: str
    group: str
    title: str          # family title
    weights: str        # "random", "real" or "toy"
    source: str
    family: str = ""    # the family's title alone (the label says the rest in the interface's language)
    kind: str = ""      # "random", "embedded", "toy" or "local"

    @property
    def label(self) -> str:
        family = self.family or self.title
        if self.kind == "embedded":
            text = translate("session", "{name}  ·  {family} architecture, real weights")
        elif self.kind == "toy":
            text = translate("session", "{name}  ·  {family}, trained by this app, toy weights")
        elif self.kind == "random":
            text = translate("session", "{name}  ·  {family}, random weights")
        elif self.weights == "real":
            text = translate("session", "{name}  ·  {family}, real weights")
        else:
            return f"{self.name}  ·  {self.title}, {self.weights} weights"
        return text.format(name=self.name, family=family)

    @property
    def tooltip(self) -> str:
        """The weights and where the configuration or checkpoint comes from (a citation stays as written)."""
        weights = {"random": translate("session", "random weights"), "real": translate("session", "real weights"),
                   "toy": translate("session", "toy weights")}.get(self.weights, self.weights)
        if self.kind == "embedded":
            source = translate("session", "embedded checkpoint (Hugging Face format, loaded offline)")
        else:
            source = source_text(self.source)
        return f"{weights} · {source}"


def source_text(source: str) -> str:
    """Where a model comes from, in the interface's language when the app wrote it (a paper's citation or a hub
    path stays as written)."""
    if source == "a tiny configuration of this app, random weights (seeded)":
        return translate("session", "a tiny configuration of this app, random weights (seeded)")
    found = re.fullmatch(r"trained by this app on its bundled corpus \(engine/shipped\.py\); ([\d,]+) steps, "
                         r"([\d,]+)-token vocabulary: a toy that knows only that corpus", source)
    if found:
        return translate("session", "trained by this app on its bundled corpus (engine/shipped.py); {steps} steps, "
                         "{vocab}-token vocabulary: a toy that knows only that corpus").format(
            steps=found.group(1), vocab=found.group(2))
    return source


def groups() -> tuple[str, ...]:
    """The picker's groups, in the engine registry's order."""
    from engine.models import GROUPS
    return tuple(GROUPS)


def catalogue(local=(), local_group: str = LOCAL_GROUP) -> list[ModelEntry]:
    """Every runnable preset of the engine's registry (grouped and titled by its family) plus the embedded real
    checkpoints. Read at run time: a family added to the engine appears here without touching the explorer.

    local: checkpoints found on this computer (engine.discovery.LocalModel, found by a worker: scanning is never
    done here), listed last in `local_group` by their folder (the name engine.load takes), unusable ones left out."""
    from engine.models import FAMILIES

    try:
        from engine.presets import all_presets
        presets = list(all_presets().values())
    except Exception:   # noqa: BLE001 - a half-written family must not take the whole picker down
        presets = []
    entries: list[ModelEntry] = []
    seen = set()
    for preset in presets:
        family = FAMILIES.get(preset.family)
        if not preset.runnable or family is None or preset.name in seen:
            continue
        seen.add(preset.name)
        entries.append(ModelEntry(preset.name, family.group, family.title, "random", preset.source, family.title,
                                  "random"))
    try:
        from engine import checkpoint
        embedded = dict(getattr(checkpoint, "EMBEDDED", {}))
    except Exception:   # noqa: BLE001
        embedded = {}
    try:
        from engine.shipped import SHIPPED as shipped
    except Exception:   # noqa: BLE001
        shipped = {}
    for name, folder in embedded.items():
        try:
            from engine.models import family_for_config
            family = family_for_config(checkpoint.read_config(Path(folder())))
        except Exception:   # noqa: BLE001 - a checkpoint package that is not installed: no entry
            continue
        if family is None:
            continue
        if name in shipped:   # a toy this app trained on its corpus: listed as such, in its family's group
            entries.append(ModelEntry(name, family.group, f"{family.title}, trained by this app", "toy",
                                      f"trained by this app on its bundled corpus (engine/shipped.py); "
                                      f"{shipped[name].steps:,} steps, {shipped[name].vocab_size:,}-token "
                                      f"vocabulary: a toy that knows only that corpus", family.title, "toy"))
            continue
        entries.append(ModelEntry(name, family.group, f"{family.title} architecture", "real",
                                  "embedded checkpoint (Hugging Face format, loaded offline)", family.title,
                                  "embedded"))
    order = {g: i for i, g in enumerate(groups())}
    rank = {"real": 0, "toy": 1}   # real checkpoints, then the app's trained toys, then random weights
    entries.sort(key=lambda e: (order.get(e.group, len(order)), rank.get(e.weights, 2), e.name))
    for model in local:
        if getattr(model, "problem", None) is None and model.path not in seen:
            seen.add(model.path)
            entries.append(ModelEntry(model.path, local_group, model.title or "?", "real",
                                      f"{model.source}: {model.name}", model.title or "?", "local"))
    return entries


def compare_presets() -> list[tuple[str, bool]]:
    """(preset, is encoder-decoder) for the first tiny preset of each family, in the registry's order: the models
    the masks view runs side by side."""
    from engine.models import ENCODER_DECODER, FAMILIES
    from engine.presets import all_presets

    first: dict[str, str] = {}
    for preset in all_presets().values():
        if preset.is_tiny and preset.runnable and preset.family in FAMILIES:
            first.setdefault(preset.family, preset.name)
    return [(first[f], FAMILIES[f].group == ENCODER_DECODER) for f in FAMILIES if f in first]


# ----------------------------------------------------------------------------------------------- lessons
def lesson_text(key: str, lang: str = "en", family: str | None = None, facts=None) -> str:
    """The lesson for a step's key as `family` tells it (engine.lessons: its own files first, then common), with
    the live sentences `facts` can fill after a blank line."""
    from engine.lessons import lesson_text as engine_lesson_text

    return engine_lesson_text(key, lang, family, facts)


def lesson_facts(loaded, trace=None) -> dict:
    """The numbers of this run the lessons name (engine.lessons.lesson_facts); {} when they cannot be read."""
    from engine.lessons import lesson_facts as engine_lesson_facts

    try:
        return engine_lesson_facts(loaded, trace)
    except Exception:   # noqa: BLE001 - an odd checkpoint: the general lessons stand alone
        return {}


def sharing_note(loaded, name: str, lang: str = "en") -> str:   # (lang: read from the translator now)
    """ALBERT's cross-layer sharing, said beside a layer's step: the layers are one set of weights run again."""
    config = getattr(loaded, "config", None)
    if getattr(getattr(loaded, "family", None), "name", None) != "albert" or layer_of(name) is None:
        return ""
    layers = int(getattr(config, "num_hidden_layers", 0) or 0)
    groups = int(getattr(config, "num_hidden_groups", 1) or 1)
    if groups == 1:
        return translate("session", "the same weights in all {layers} layers (cross-layer sharing)").format(
            layers=layers)
    return translate("session", "{layers} layers share {groups} sets of weights").format(layers=layers, groups=groups)


def live_heading(lang: str = "en") -> str:
    from engine.lessons import LIVE_HEADING

    return LIVE_HEADING.get(lang, LIVE_HEADING["en"])


# ----------------------------------------------------------------------------------------------- labels
KEY_LABELS = {
    "embed.token": QT_TRANSLATE_NOOP("session", "Token embedding"),
    "embed.position": QT_TRANSLATE_NOOP("session", "Position embedding"),
    "embed.segment": QT_TRANSLATE_NOOP("session", "Segment embedding"),
    "embed.sum": QT_TRANSLATE_NOOP("session", "Sum of embeddings"),
    "embed.norm": QT_TRANSLATE_NOOP("session", "LayerNorm of the sum"),
    "embed.projection": QT_TRANSLATE_NOOP("session", "Projection E → H"),
    "glm.block_position": QT_TRANSLATE_NOOP("session", "Block position (2D, row 2)"),
    "attn.q": QT_TRANSLATE_NOOP("session", "Q  (queries)"),
    "attn.k": QT_TRANSLATE_NOOP("session", "K  (keys)"),
    "attn.v": QT_TRANSLATE_NOOP("session", "V  (values)"),
    "attn.rot_q": QT_TRANSLATE_NOOP("session", "Q after RoPE"),
    "attn.rot_k": QT_TRANSLATE_NOOP("session", "K after RoPE (per key/value head)"),
    "attn.k_repeated": QT_TRANSLATE_NOOP("session", "K shared by its query heads (repeat_kv)"),
    "attn.v_repeated": QT_TRANSLATE_NOOP("session", "V shared by its query heads (repeat_kv)"),
    "attn.scores": QT_TRANSLATE_NOOP("session", "Scores  Q·Kᵀ"),
    "attn.scaled": QT_TRANSLATE_NOOP("session", "Scale  ÷ √d_k"),
    "attn.mask": QT_TRANSLATE_NOOP("session", "Mask"),
    "attn.mask_banded": QT_TRANSLATE_NOOP("session", "Mask (banded, sparse layer)"),
    "attn.masked_scores": QT_TRANSLATE_NOOP("session", "Masked scores"),
    "attn.pattern": QT_TRANSLATE_NOOP("session", "Softmax  (attention weights)"),
    "attn.z": QT_TRANSLATE_NOOP("session", "Weighted sum of V"),
    "attn.out": QT_TRANSLATE_NOOP("session", "Attention output (after W_O)"),
    "block.resid_pre": QT_TRANSLATE_NOOP("session", "Layer input (residual stream)"),
    "block.resid_mid": QT_TRANSLATE_NOOP("session", "Residual add (attention)"),
    "block.resid_mid_cross": QT_TRANSLATE_NOOP("session", "Residual add (cross-attention)"),
    "block.resid_post": QT_TRANSLATE_NOOP("session", "Residual add (FFN): layer output"),
    "block.attn_add": QT_TRANSLATE_NOOP("session", "Residual add (attention)"),
    "block.mlp_add": QT_TRANSLATE_NOOP("session", "Residual add (FFN)"),
    "block.attn_norm_post": QT_TRANSLATE_NOOP("session", "Add & Norm (after attention)"),
    "block.mlp_norm_post": QT_TRANSLATE_NOOP("session", "Add & Norm (after FFN): layer output"),
    "block.attn_norm_pre": QT_TRANSLATE_NOOP("session", "Norm before attention"),
    "block.cross_norm_pre": QT_TRANSLATE_NOOP("session", "Norm before cross-attention"),
    "block.mlp_norm_pre": QT_TRANSLATE_NOOP("session", "Norm before FFN"),
    "glm.deepnorm_add": QT_TRANSLATE_NOOP("session", "DeepNorm add  α·x + F(x)"),
    "mlp.pre": QT_TRANSLATE_NOOP("session", "FFN: first linear"),
    "mlp.pre_linear": QT_TRANSLATE_NOOP("session", "FFN: up projection"),
    "mlp.gate_act": QT_TRANSLATE_NOOP("session", "FFN: activated gate"),
    "mlp.post": QT_TRANSLATE_NOOP("session", "FFN: activation"),
    "mlp.out": QT_TRANSLATE_NOOP("session", "FFN output (second linear)"),
    "rope.cos": QT_TRANSLATE_NOOP("session", "RoPE cos table"),
    "rope.sin": QT_TRANSLATE_NOOP("session", "RoPE sin table"),
    "pooler.out": QT_TRANSLATE_NOOP("session", "Pooler  tanh(W·h[CLS])"),
    "mlm.transform": QT_TRANSLATE_NOOP("session", "MLM transform"),
    "logits": QT_TRANSLATE_NOOP("session", "Logits (one score per token)"),
    "nsp.logits": QT_TRANSLATE_NOOP("session", "NSP logits"),
    "sop.logits": QT_TRANSLATE_NOOP("session", "SOP logits"),
    "classifier.logits": QT_TRANSLATE_NOOP("session", "Classifier logits"),
    "final_norm": QT_TRANSLATE_NOOP("session", "Final norm"),
    "glm.position_ids": QT_TRANSLATE_NOOP("session", "Position ids"),
    "glm.mask": QT_TRANSLATE_NOOP("session", "GLM mask"),
    "t5.buckets": QT_TRANSLATE_NOOP("session", "Buckets"),
    "t5.lm_rescale": QT_TRANSLATE_NOOP("session", "Rescaled"),
    "t5.position_bias": QT_TRANSLATE_NOOP("session", "Position bias"),
}
PART_LABELS = {
    "attn": QT_TRANSLATE_NOOP("session", "Self-attention"),
    "self_attn": QT_TRANSLATE_NOOP("session", "Self-attention"),
    "cross_attn": QT_TRANSLATE_NOOP("session", "Cross-attention"),
    "encdec_attn": QT_TRANSLATE_NOOP("session", "Cross-attention"),
    "mlp": QT_TRANSLATE_NOOP("session", "Feed-forward"),
    "ffn": QT_TRANSLATE_NOOP("session", "Feed-forward"),
    "embeddings": QT_TRANSLATE_NOOP("session", "Embeddings"),
    "embed_proj": QT_TRANSLATE_NOOP("session", "Embedding projection"),
    "pooler": QT_TRANSLATE_NOOP("session", "Pooler"),
    "mlm_head": QT_TRANSLATE_NOOP("session", "MLM head"),
    "nsp_head": QT_TRANSLATE_NOOP("session", "NSP head"),
    "sop_head": QT_TRANSLATE_NOOP("session", "SOP head"),
    "classifier_head": QT_TRANSLATE_NOOP("session", "Classifier head"),
    "lm_head": QT_TRANSLATE_NOOP("session", "LM head"),
    "encoder": QT_TRANSLATE_NOOP("session", "Encoder"),
    "decoder": QT_TRANSLATE_NOOP("session", "Decoder"),
    "rotary_emb": QT_TRANSLATE_NOOP("session", "Rotary embedding"),
}


def step_label(name: str, key: str) -> str:
    """A step's title in the interface's language: its key's label, else words made from its name."""
    if key in KEY_LABELS:
        return translate("session", KEY_LABELS[key])
    if key and "." in key and f"attn.{key.rsplit('.', 1)[-1]}" in KEY_LABELS and "attn" in key:
        return translate("session", KEY_LABELS[f"attn.{key.rsplit('.', 1)[-1]}"])   # cross_attn.pattern
    last = name.rsplit(".", 1)[-1]
    words = last[5:] if last.startswith("hook_") else last
    if words in ("out", "logits") and "." in name:
        words = f"{name.split('.')[-2]} {words}"
    label = words.replace("_", " ").strip()
    base = key.split(".")[-1].replace("_", " ") if key else ""
    text = label or base
    return text[:1].upper() + text[1:]


def part_label(part: str) -> str:
    if part in PART_LABELS:
        return translate("session", PART_LABELS[part])
    return part.replace("_", " ").capitalize()


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
    root.children.append(Node(translate("session", "Tokenizer"), TOKENIZER_STEP))
    for name in step_names:
        parts = name.split(".")
        match = _STAGE.match(".".join(parts[:-1]))
        if match:
            prefix = match.group("prefix")
            number = int(match.group("index")) + 1
            stage = translate("session", "Layer {n}").format(n=number)
            if prefix:
                stage = translate("session", "{stack} layer {n}").format(stack=part_label(prefix.split(".")[-1]),
                                                                         n=number)
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
    root.children.append(Node(translate("session", "Output"), OUTPUT_STEP))
    return root


def layer_of(name: str) -> tuple[str, int] | None:
    """("blocks", 3) for "blocks.3.attn.hook_q"; ("decoder.blocks", 1) for decoder layers. 0-based, as in names."""
    match = re.match(r"^(.*?blocks)\.(\d+)\.", name)
    return (match.group(1), int(match.group(2))) if match else None


def same_step_in_layer(name: str, layer: int) -> str:
    return re.sub(r"(blocks)\.\d+\.", rf"\g<1>.{layer}.", name, count=1)


def attn_prefix(name: str) -> str:
    return name.rsplit(".", 1)[0]


# What a user reads counts layers and heads from 1; step names and every index inside the code stay 0-based.
def layer_title(name: str) -> str:
    """"layer 1" for blocks.0.*, "decoder layer 2" for decoder.blocks.1.*; "" for a step outside the layers."""
    where = layer_of(name)
    if where is None:
        return ""
    stack = where[0].rsplit(".", 1)[0] if "." in where[0] else ""
    number = where[1] + 1
    if stack == ENCODER_STACK:
        return translate("session", "encoder layer {n}").format(n=number)
    if stack == DECODER_STACK:
        return translate("session", "decoder layer {n}").format(n=number)
    if stack:
        return translate("session", "{stack} layer {n}").format(stack=stack, n=number)
    return translate("session", "layer {n}").format(n=number)


def head_title(head: int) -> str:
    return translate("session", "head {n}").format(n=head + 1)


def attention_title(name: str) -> str:
    """Where an attention step sits, in words: "layer 1", "decoder layer 1 · cross-attention"."""
    where = layer_title(name) or attn_prefix(name)
    return translate("session", "{where} · cross-attention").format(where=where) if is_cross_attention(name) \
        else where


# ----------------------------------------------------------------------------------------------- step names
ENCODER_STACK, DECODER_STACK = "encoder", "decoder"
CROSS_ATTENTION = "cross_attn"
KEY_AXES = ("k_pos",)
# The q and k that make the scores: after RoPE where the model rotates them (LLaMA, ChatGLM), else as projected
SCORED = {"q": ("hook_rot_q", "hook_q"), "k": ("hook_rot_k", "hook_k"), "v": ("hook_v",)}
PATTERN, MASK = "hook_pattern", "hook_mask"


def is_cross_attention(name: str) -> bool:
    return CROSS_ATTENTION in name.split(".")


def is_pattern(name: str) -> bool:
    """The softmax probabilities (0..1) rather than scores."""
    return name.endswith("." + PATTERN) or name == PATTERN


def is_mask(name: str) -> bool:
    return name.endswith("." + MASK) or name == MASK


def qkv_step(prefix: str, which: str, cache=None) -> str:
    """"blocks.0.attn" + "q" -> "blocks.0.attn.hook_q" ("...hook_rot_q" where the cache has the rotated one)."""
    for suffix in SCORED[which] if cache is not None else ():
        if f"{prefix}.{suffix}" in cache:
            return f"{prefix}.{suffix}"
    return f"{prefix}.{SCORED[which][-1]}"


def mask_step(prefix: str) -> str:
    return f"{prefix}.{MASK}"


def token_side(name: str, axis: str) -> str:
    """"encoder" or "decoder": whose tokens label a position axis of a step, for a model with a decoder input
    (T5). Encoder steps and the keys of cross-attention read the encoder's tokens; every other step after the
    encoder (decoder layers, the LM head, the output) reads the decoder's."""
    if name == TOKENIZER_STEP or name.split(".")[0] == ENCODER_STACK:
        return "encoder"
    if is_cross_attention(name) and axis in KEY_AXES:
        return "encoder"
    return "decoder"


def position_tokens(trace, name: str, axis: str, n: int | None = None) -> list[str]:
    """Labels for a position axis of a step: the tokens of its side (see token_side); plain indices when their
    number is not the axis length (never the other side's tokens by a guess)."""
    decoder = (getattr(trace, "extras", None) or {}).get("decoder_tokens")
    tokens = list(decoder) if decoder and token_side(name, axis) == "decoder" else list(trace.tokens)
    if n is not None and len(tokens) != n:
        return [str(i) for i in range(n)]
    return [str(t) for t in tokens]


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
        if has_step(qkv_step(attn_prefix(name), "q")):
            kinds.append("qkv")
        if has_step(mask_step(attn_prefix(name))):
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

    q = get(qkv_step(prefix, "q", cache).rsplit(".", 1)[1])
    k = get(qkv_step(prefix, "k", cache).rsplit(".", 1)[1])
    scores = get("hook_scores")
    pattern = get(PATTERN)
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
    mask_name = mask_step(prefix)
    allowed = None
    if mask_name in cache:
        m = cache[mask_name][0].numpy()
        allowed = bool(m[min(head, m.shape[0] - 1), i, j])
    masked = get("hook_attn_scores")
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
        return translate("session", "The text is empty: type a sentence first.")
    if len(text) > max_chars:
        return translate("session", "The text is {length} characters long; the explorer takes at most {limit}. "
                         "Shorten it.").format(length=len(text), limit=max_chars)
    return None


def format_value(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return translate("session", "True (may attend)") if value else translate("session", "False (blocked)")
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.4e}"
    return f"{value:.4f}"
