"""The Architecture page: the model as boxes and arrows (engine.graph), read from its module on the meta device, and
two (or three) layers of different families side by side with their differences named.

    Model graph   the graph of the model in the step-through (or of any preset picked here, the ones too large to
                  run too): embeddings at the top, blocks, heads at the bottom; T5's encoder and decoder side by
                  side with the cross-attention lines between them. Repeated layers are folded into one block
                  "x N" holding its components; a click on a block's header unfolds that stack (every layer drawn)
                  and folds it back. Nodes are coloured by kind (legend); hovering shows parameters and the output
                  shape; residual lines are dashed and run beside the main path; a repeat loop goes from a folded
                  block's last component back to its first (ALBERT's: "shared x 12"); GPT-3's attention says which
                  layers are dense and which banded. The node of the step-through's current step is highlighted
                  and follows it; a click on a node opens its first step (in the current layer when it is folded)
                  in the step-through.
    Compare       one block of each picked preset beside the others, the nodes that differ numbered, the
                  differences (engine.graph.compare_blocks) listed in words: BERT vs LLaMA's three changes,
                  GPT-1 vs GPT-2's norm placement, GLM's pre-norm / post-norm / DeepNorm.

Graphs are built in this page's Runners (a large preset takes up to a second); PNG and SVG exports draw the whole
picture (engine.files.atomic_write), a failure is said on the page. The window talks to the page through `open()`,
and the page to the window through `step_opened` (show the step-through) and `run_requested(model, step)` (run a
preset that is not loaded yet, then open the step).
"""
from __future__ import annotations

import argparse
import html
import weakref
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from explorer.i18n import translate, translate_message
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP, layer_of, layer_title
from explorer.widgets.arch_scene import (ArchCanvas, ArchScene, Metrics, engine_text, human, render_png, render_svg,
                                        stack_name)
from explorer.views.base import save_and_say
from explorer.workers import Runner

TABS = ("graph", "compare")
VIEW_NAMES = ("graph", "architecture")
DEFAULT_COMPARE = ("bert-base-uncased", "llama-2-7b")
QUICK_PICKS = [
    (QT_TRANSLATE_NOOP("graph", "BERT vs LLaMA: the three changes"), ("bert-base-uncased", "llama-2-7b")),
    (QT_TRANSLATE_NOOP("graph", "GPT-1 vs GPT-2: where the norm goes"), ("openai-gpt", "gpt2")),
    (QT_TRANSLATE_NOOP("graph", "GLM: pre-norm, post-norm, DeepNorm"), ("glm-tiny", "glm-post-tiny", "glm-deepnorm-tiny")),
]
# engine.graph.compare_blocks' aspects, in words
ASPECTS = {"norm": QT_TRANSLATE_NOOP("graph", "norm"), "norm placement": QT_TRANSLATE_NOOP("graph", "norm placement"),
           "residual scale": QT_TRANSLATE_NOOP("graph", "residual scale"),
           "final norm": QT_TRANSLATE_NOOP("graph", "final norm"),
           "feed-forward": QT_TRANSLATE_NOOP("graph", "feed-forward"), "attention": QT_TRANSLATE_NOOP("graph", "attention"),
           "heads": QT_TRANSLATE_NOOP("graph", "heads"), "widths": QT_TRANSLATE_NOOP("graph", "widths"),
           "position": QT_TRANSLATE_NOOP("graph", "position"), "biases": QT_TRANSLATE_NOOP("graph", "biases"),
           "cross-attention": QT_TRANSLATE_NOOP("graph", "cross-attention"),
           "sharing": QT_TRANSLATE_NOOP("graph", "sharing"), "layer kinds": QT_TRANSLATE_NOOP("graph", "layer kinds")}
GROUPS = {"Encoder-only": QT_TRANSLATE_NOOP("graph", "Encoder-only"),
          "Decoder-only": QT_TRANSLATE_NOOP("graph", "Decoder-only"),
          "Encoder-decoder": QT_TRANSLATE_NOOP("graph", "Encoder-decoder")}
# The words engine.graph.trait_words (and block_traits) writes for each aspect of a block; a piece no template
# matches (a class name: LayerNorm, SwiGLU) stays as it is.
ENGINE_TRAITS = (
    QT_TRANSLATE_NOOP("engine_traits", "pre-norm (a norm before each sub-layer; the residual stream is never "
                                       "normalised)"),
    QT_TRANSLATE_NOOP("engine_traits", "post-norm (a norm after each residual add)"),
    QT_TRANSLATE_NOOP("engine_traits", "pre-norm"),
    QT_TRANSLATE_NOOP("engine_traits", "post-norm"),
    QT_TRANSLATE_NOOP("engine_traits", "mixed"),
    QT_TRANSLATE_NOOP("engine_traits", "no norm"),
    QT_TRANSLATE_NOOP("engine_traits", "none"),
    QT_TRANSLATE_NOOP("engine_traits", "residual scaled by {scale} before each add"),
    QT_TRANSLATE_NOOP("engine_traits", "residual added as it is"),
    QT_TRANSLATE_NOOP("engine_traits", "a final norm after the last block"),
    QT_TRANSLATE_NOOP("engine_traits", "no final norm"),
    QT_TRANSLATE_NOOP("engine_traits", "{act} (gated) feed-forward, a gate multiplies the activation"),
    QT_TRANSLATE_NOOP("engine_traits", "{act} feed-forward, a gate multiplies the activation"),
    QT_TRANSLATE_NOOP("engine_traits", "GELU (tanh) feed-forward"),
    QT_TRANSLATE_NOOP("engine_traits", "GELU (tanh)"),
    QT_TRANSLATE_NOOP("engine_traits", "{act} (gated) feed-forward"),
    QT_TRANSLATE_NOOP("engine_traits", "{act} feed-forward"),
    QT_TRANSLATE_NOOP("engine_traits", "{act} (gated)"),
    QT_TRANSLATE_NOOP("engine_traits", "{kind}: {heads} query heads share {kv} key/value head(s)"),
    QT_TRANSLATE_NOOP("engine_traits", "{kind}: every head its own keys and values"),
    QT_TRANSLATE_NOOP("engine_traits", "{heads} heads x {dims} dims"),
    QT_TRANSLATE_NOOP("engine_traits", "hidden {hidden}, feed-forward {ffn}"),
    QT_TRANSLATE_NOOP("engine_traits", "learned absolute positions, 2D (a second, block position table)"),
    QT_TRANSLATE_NOOP("engine_traits", "learned absolute positions, 2D"),
    QT_TRANSLATE_NOOP("engine_traits", "learned absolute positions"),
    QT_TRANSLATE_NOOP("engine_traits", "relative position bias (learned per head and distance bucket)"),
    QT_TRANSLATE_NOOP("engine_traits", "relative position bias"),
    QT_TRANSLATE_NOOP("engine_traits", "RoPE (rotary) on {rot} of {dims} dims per head, interleaved pairs"),
    QT_TRANSLATE_NOOP("engine_traits", "RoPE (rotary) on {rot} of {dims} dims per head"),
    QT_TRANSLATE_NOOP("engine_traits", "RoPE (rotary), interleaved pairs"),
    QT_TRANSLATE_NOOP("engine_traits", "RoPE (rotary)"),
    QT_TRANSLATE_NOOP("engine_traits", "no bias terms"),
    QT_TRANSLATE_NOOP("engine_traits", "biases in {parts}"),
    QT_TRANSLATE_NOOP("engine_traits", "attention"),
    QT_TRANSLATE_NOOP("engine_traits", "feed-forward"),
    QT_TRANSLATE_NOOP("engine_traits", "norms"),
    QT_TRANSLATE_NOOP("engine_traits", "attention {names} only"),
    QT_TRANSLATE_NOOP("engine_traits", "feed-forward {names} only"),
    QT_TRANSLATE_NOOP("engine_traits", "cross-attention to the encoder"),
    QT_TRANSLATE_NOOP("engine_traits", "no cross-attention"),
    QT_TRANSLATE_NOOP("engine_traits", "{own} parameter set(s) shared by {depth} layers"),
    QT_TRANSLATE_NOOP("engine_traits", "each layer its own parameters"),
    QT_TRANSLATE_NOOP("engine_traits", "every layer alike"),
    QT_TRANSLATE_NOOP("engine_traits", "the module is this app's approximation of the released model"),
)
CIRCLED = "①②③④⑤⑥⑦⑧⑨"
RUNNABLE_ROLE = Qt.UserRole + 1


# ---------------------------------------------------------------------------------------------- Qt-free helpers
def preset_of(name):
    from engine.presets import get_preset
    return get_preset(name) if isinstance(name, str) else None


def plain_preset(loaded) -> bool:
    """Whether a loaded model is exactly its preset (so the preset's cached graph is its graph)."""
    preset = preset_of(getattr(loaded, "name", None))
    if preset is None:
        return False
    try:
        from engine.models import FAMILIES
        return FAMILIES[preset.family].config(preset.config) == loaded.config
    except Exception:   # noqa: BLE001 - anything unexpected: draw the loaded model itself
        return False


def node_of_step(graph, step: str | None) -> str | None:
    """The node to highlight for a step: the tokens -> the input ids, the output -> the first head."""
    from engine.graph import node_for_step

    if graph is None or not step:
        return None
    if step == TOKENIZER_STEP:
        return next((n for n, d in graph.nodes(data=True) if d["kind"] == "input"), None)
    if step == OUTPUT_STEP:
        return next((n for n, d in graph.nodes(data=True) if d["kind"] == "head"), None)
    return node_for_step(graph, step)


def step_for_node(data: dict, steps, current: str | None = None) -> str | None:
    """The step a click on a node opens: its first recorded step; for a folded node, its first one in the current
    step's layer when it has one there. The input ids open the tokens."""
    available = set(steps)
    if data["kind"] == "input" and TOKENIZER_STEP in available:
        return TOKENIZER_STEP
    own = [s for s in data.get("steps") or [] if s in available]
    if not own:
        return None
    where = layer_of(current or "")
    if where is not None:
        same = [s for s in own if layer_of(s) == where]
        if same:
            return same[0]
    return own[0]


def layer_subgraph(graph, stack: str | None = None) -> nx.DiGraph:
    """One block of a stack (the first) with its components, and what feeds it and what it feeds."""
    stacks = list(graph.graph.get("stacks") or {})
    stack = stack or (stacks[0] if stacks else None)
    block = next((n for n, d in graph.nodes(data=True) if d["kind"] == "block" and d.get("stack") == stack), None)
    if block is None:
        return graph.copy()
    inner = {block} | {n for n, d in graph.nodes(data=True) if d.get("parent") == block}
    around = set()
    for u, v, d in graph.edges(data=True):
        if d["kind"] == "cross":
            continue
        if v in inner and u not in inner:
            around.add(u)
        if u in inner and v not in inner:
            around.add(v)
    sub = nx.DiGraph()
    sub.graph.update(graph.graph)
    sub.graph["stacks"] = {stack: (graph.graph.get("stacks") or {}).get(stack, {})}
    sub.graph["block"] = block
    sub.graph["labels"] = {n: d["label"] for n, d in graph.nodes(data=True)}
    for node, data in graph.nodes(data=True):
        if node in inner or node in around:
            sub.add_node(node, **data)
    for u, v, d in graph.edges(data=True):
        if u in sub and v in sub and (u in inner or v in inner):
            sub.add_edge(u, v, **d)
    return sub


def aspect_nodes(sub: nx.DiGraph, aspect: str) -> list[str]:
    """The nodes of a layer subgraph an aspect of compare_blocks is about (where its number goes)."""
    block = sub.graph.get("block")
    inner = [n for n, d in sub.nodes(data=True) if d.get("parent") == block]

    def of(kinds, nodes=inner):
        return [n for n in nodes if sub.nodes[n]["kind"] in kinds]
    if aspect in ("norm", "norm placement"):
        return of(("norm",))
    if aspect == "final norm":
        return [n for n, d in sub.nodes(data=True) if n not in inner and d["kind"] == "norm"
                and str(d["label"]).startswith("final")]
    if aspect == "residual scale":
        return of(("add",))
    if aspect in ("feed-forward", "widths"):
        return of(("mlp",))
    if aspect in ("attention", "heads", "layer kinds"):
        return of(("attention",))
    if aspect == "position":
        tables = [n for n, d in sub.nodes(data=True) if d["kind"] in ("position", "position_bias")
                  or (d["kind"] == "embedding" and "position" in str(d["label"]))]
        return tables or of(("attention",))
    if aspect == "cross-attention":
        return of(("cross_attention",))
    if aspect == "sharing":
        return [block] if block in sub else []
    return []


def trait_text(words: str) -> str:
    """Words engine.graph wrote about a block, in the interface's language (pieces joined by "; " or ", " one by
    one: the positions, the biases)."""
    def one(piece: str) -> str:
        return translate_message("engine_traits", piece, ENGINE_TRAITS)
    words = str(words)
    if words.startswith("biases in "):
        parts = list_separator().join(one(p) for p in words[len("biases in "):].split(", "))
        return translate("engine_traits", "biases in {parts}").format(parts=parts)
    if one(words) != words:
        return one(words)
    if "; " in words:
        return "; ".join(trait_text(p) for p in words.split("; "))
    if "attn: " in words:   # GPT-3's layer kinds: "attn: dense (layers 0, 2), banded (layers 1, 3)"
        return layer_kinds_text(words)
    return words


def list_separator() -> str:
    """Between the items of a list: ", " (in Chinese the enumeration comma)."""
    return translate("graph", ", ")


def layer_kinds_text(words: str) -> str:
    import re

    def kind(match) -> str:
        return translate("graph", "{kind} (layers {layers})").format(kind=engine_text(match["kind"]),
                                                                     layers=match["layers"])
    return re.sub(r"(?P<kind>\w+) \(layers (?P<layers>[^()]*(?:\([^()]*\))?)\)", kind, words)


def aspect_text(aspect: str) -> str:
    return translate("graph", ASPECTS[aspect]) if aspect in ASPECTS else aspect


def three_changes(comparison) -> list[tuple[str, list[str]]] | None:
    """The chapter's three changes (norm kind and placement, the feed-forward, the positions) when all three differ:
    [(words for the second block, aspects)], else None."""
    aspects = set(comparison.aspects())
    norm = [a for a in ("norm placement", "norm") if a in aspects]
    if not norm or "feed-forward" not in aspects or "position" not in aspects:
        return None
    b = comparison.b
    return [(translate("graph", "{placement} with {norm}").format(placement=trait_text(b.placement), norm=b.norm), norm),
            (trait_text(f"{b.feed_forward} feed-forward"), ["feed-forward"]),
            (translate("graph", "{position} positions").format(position=trait_text(b.position)), ["position"])]


def numbered(comparisons) -> list[tuple[int, int, object]]:
    """(number, which comparison, Difference), numbered 1.. across the comparisons."""
    rows, number = [], 0
    for index, comparison in enumerate(comparisons):
        for difference in comparison.differences:
            number += 1
            rows.append((number, index, difference))
    return rows


def differences_html(comparisons) -> str:
    """The differences in words, numbered as the badges on the drawing; the three changes when they are there."""
    parts = []
    rows = numbered(comparisons)
    for index, comparison in enumerate(comparisons):
        a, b = comparison.a.name, comparison.b.name
        count = len(comparison.differences)
        heading = (translate("graph", "{a} vs {b}: 1 difference") if count == 1 else
                   translate("graph", "{a} vs {b}: {count} differences")).format(a=a, b=b, count=count)
        parts.append("<h3 style='margin:4px 0'>" + html.escape(heading) + "</h3>")
        mine = [(n, d) for n, i, d in rows if i == index]
        number_of = {d.aspect: n for n, d in mine}
        changes = three_changes(comparison)
        if changes:
            items = " ".join(f"{CIRCLED[i]} <b>{html.escape(words)}</b> <span style='color:#c62828'>("
                             + ", ".join(str(n) for n in sorted(number_of[a] for a in aspects)) + ")</span>"
                             for i, (words, aspects) in enumerate(changes))
            parts.append("<p style='background:#fff3e0; padding:6px'>" +
                         translate("graph", "<b>The three changes</b> from {a} to {b}: ").format(
                             a=html.escape(a), b=html.escape(b)) + items + "</p>")
        if not mine:
            parts.append("<p>" + translate("graph", "These two blocks are built alike.") + "</p>")
            continue
        table = ["<table cellspacing='0' cellpadding='4' width='100%' style='border-collapse:collapse'>",
                 "<tr style='background:#eceff1'><th>#</th><th align='left'>" + translate("graph", "aspect") +
                 f"</th><th align='left'>{html.escape(a)}</th><th align='left'>{html.escape(b)}</th></tr>"]
        for n, d in mine:
            table.append(f"<tr><td valign='top' style='color:#c62828'><b>{n}</b></td>"
                         f"<td valign='top'><b>{html.escape(aspect_text(d.aspect))}</b></td>"
                         f"<td valign='top'>{html.escape(trait_text(d.a))}</td>"
                         f"<td valign='top'>{html.escape(trait_text(d.b))}</td></tr>")
        table.append("</table>")
        parts.append("".join(table))
        if comparison.same:
            same = translate("graph", "the same: {aspects}").format(
                aspects=list_separator().join(aspect_text(s) for s in comparison.same))
            parts.append(f"<p style='color:#666'>{html.escape(same)}</p>")
        notes = [t for t in (comparison.a, comparison.b) if t.note]
        for t in notes:
            parts.append(f"<p style='color:#666'><i>{html.escape(t.name)}: {html.escape(trait_text(t.note))}</i></p>")
    return "".join(parts)


def trait_line(traits) -> str:
    position = trait_text(traits.position.split(" (")[0])
    return translate("graph", "{placement} {norm} · {act} · {position}").format(
        placement=trait_text(traits.placement), norm=traits.norm, act=trait_text(traits.feed_forward),
        position=position)


def fold_line(line: str, metrics, width: float = 380.0) -> list[str]:
    """A block's traits above its drawing: on two lines (split at a " · ") when one would be wider than a block."""
    parts = line.split(" · ")
    if len(parts) < 3 or metrics.horizontalAdvance(line) <= width:
        return [line]
    best = min(range(1, len(parts)), key=lambda k: max(metrics.horizontalAdvance(" · ".join(parts[:k])),
                                                         metrics.horizontalAdvance(" · ".join(parts[k:]))))
    return [" · ".join(parts[:best]), " · ".join(parts[best:])]


# ---------------------------------------------------------------------------------------------- the page
class DifferencesPicture:
    """The differences' text beside the drawing in an exported picture."""

    def __init__(self, markup: str, width: float = 480.0):
        self.document = QTextDocument()
        self.document.setHtml(markup)
        self.document.setTextWidth(width)

    def size(self) -> tuple[float, float]:
        return self.document.textWidth(), self.document.size().height()

    def paint(self, painter, x: float, y: float) -> None:
        painter.save()
        painter.translate(x, y)
        self.document.drawContents(painter)
        painter.restore()


def _note_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
    label.setStyleSheet("color:#444")
    return label


def _fill_presets(combo: QComboBox, first: tuple[str, object] | None = None) -> None:
    """Every preset, grouped by family (the ones too large to run say so)."""
    from engine.models import FAMILIES
    from engine.presets import all_presets

    if first is not None:
        combo.addItem(*first)
    presets = list(all_presets().values())
    for family in FAMILIES.values():
        mine = [p for p in presets if p.family == family.name]
        if not mine:
            continue
        combo.addItem(f"── {family.title} ──")
        combo.model().item(combo.count() - 1).setEnabled(False)
        for p in mine:
            combo.addItem(f"  {p.name}", p.name)
            combo.setItemData(combo.count() - 1, p.runnable, RUNNABLE_ROLE)


def _name_presets(combo: QComboBox) -> None:
    """The preset entries' words: the ones too large to run say so."""
    words = translate("graph", "(graph only: too large to run)")
    for i in range(combo.count()):
        name = combo.itemData(i)
        if name and combo.itemData(i, RUNNABLE_ROLE) is False:
            combo.setItemText(i, f"  {name}  {words}")


class GraphView(QWidget):
    """The Architecture page. `ready` after each drawing (or failure); `step_opened` once a click moved the state
    (the window shows the step-through); `run_requested(model, step)` for a click on a preset not loaded yet."""
    name = "graph"
    title = "Architecture"
    ready = Signal()
    step_opened = Signal()
    run_requested = Signal(str, str)

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.runner = Runner(self, "graph")
        self.compare_runner = Runner(self, "graph-compare")
        # what is drawn
        self.follow = True              # the step-through's model (else self.preset)
        self.preset: str | None = None
        self.fallback: str | None = None   # what to draw while following and nothing is loaded (--model)
        self.expand: set[str] = set()
        self.graph = None
        self.drawing = None
        self.scene: ArchScene | None = None
        self.shown_key = None
        self.pending_key = None
        self.stale = True
        self._loaded_ref = None
        self.compare_names: list[str] = list(DEFAULT_COMPARE)
        self.compare_graphs: list = []
        self.comparisons: list = []
        self.compare_scene: ArchScene | None = None
        self.compare_drawings: list = []
        self.compare_key = None
        self.compare_pending = None

        # the graph tab
        self.model_label = QLabel()
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(300)
        _fill_presets(self.model_combo, ("", None))
        self.model_combo.currentIndexChanged.connect(self._model_chosen)
        self.unfold_box = QCheckBox()
        self.unfold_box.toggled.connect(self._unfold_all)
        self.fit_button = QPushButton()
        self.fit_button.clicked.connect(self._fit)
        self.actual_button = QPushButton("100%")
        self.actual_button.clicked.connect(self._actual)
        self.canvas = ArchCanvas()
        self.canvas.node_clicked.connect(self._clicked)
        self.info = _note_label()
        bar = QHBoxLayout()
        for w in (self.model_label, self.model_combo, self.unfold_box):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.actual_button)
        graph_tab = QWidget()
        gl = QVBoxLayout(graph_tab)
        gl.setContentsMargins(4, 4, 4, 4)
        gl.addLayout(bar)
        gl.addWidget(self.canvas, 1)
        gl.addWidget(self.info)

        # the compare tab
        self.pick_label = QLabel()
        self.picks = [QComboBox(), QComboBox(), QComboBox()]
        for i, combo in enumerate(self.picks):
            _fill_presets(combo, ("—", None) if i == 2 else None)
            combo.setMinimumWidth(180)
            combo.currentIndexChanged.connect(self._picked)
        self.vs_labels = [QLabel(), QLabel()]
        self.quick = []
        for _words, names in QUICK_PICKS:
            button = QPushButton()
            button.setProperty("names", list(names))
            button.clicked.connect(self._quick)
            self.quick.append(button)
        self.compare_canvas = ArchCanvas()
        self.differences = QTextBrowser()
        self.differences.setOpenLinks(False)
        self.differences.setMinimumWidth(300)
        picks = QHBoxLayout()
        picks.addWidget(self.pick_label)
        picks.addWidget(self.picks[0])
        picks.addWidget(self.vs_labels[0])
        picks.addWidget(self.picks[1])
        picks.addWidget(self.vs_labels[1])
        picks.addWidget(self.picks[2])
        picks.addStretch(1)
        quick = QHBoxLayout()
        for b in self.quick:
            quick.addWidget(b)
        quick.addStretch(1)
        self.compare_split = QSplitter(Qt.Horizontal)
        self.compare_split.addWidget(self.compare_canvas)
        self.compare_split.addWidget(self.differences)
        self.compare_split.setStretchFactor(0, 3)
        self.compare_split.setStretchFactor(1, 2)
        self.compare_split.setSizes([950, 430])
        compare_tab = QWidget()
        cl = QVBoxLayout(compare_tab)
        cl.setContentsMargins(4, 4, 4, 4)
        cl.addLayout(picks)
        cl.addLayout(quick)
        cl.addWidget(self.compare_split, 1)

        # the page: two tabs, the exports in their corner, a message line
        self.tabs = QTabWidget()
        self.tabs.addTab(graph_tab, "")
        self.tabs.addTab(compare_tab, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.png_button, self.svg_button = QPushButton(), QPushButton()
        self.png_button.clicked.connect(self._export_png)
        self.svg_button.clicked.connect(self._export_svg)
        corner = QWidget()
        cb = QHBoxLayout(corner)
        cb.setContentsMargins(0, 0, 4, 2)
        cb.addWidget(self.png_button)
        cb.addWidget(self.svg_button)
        self.tabs.setCornerWidget(corner, Qt.TopRightCorner)
        self.message = _note_label()
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

        self._set_picks(self.compare_names)
        events = state.events
        events.trace.connect(self._trace_changed)
        events.step.connect(self._step_changed)
        events.settings.connect(self._settings_changed)
        self.retranslate()

    # ------------------------------------------------------------------ opening
    def open(self, tab: str | None = None, model: str | None = None, compare: list[str] | None = None) -> list[str]:
        """Show a tab ("graph" or "compare"); model: what the graph shows while the step-through has nothing loaded
        (the window's model); compare: the presets to compare (2 or 3). Returns the names that are no preset."""
        unknown = []
        if model:
            self.fallback = model
            self.retranslate()
        if compare:
            unknown = [n for n in compare if preset_of(n) is None]
            known = [n for n in compare if preset_of(n) is not None][:3]
            if unknown:
                self.show_message(translate("graph", "No preset called {names} (`python -m engine presets` lists "
                                                     "them).").format(names=", ".join(unknown)))
            if len(known) >= 2:
                self._set_picks(known)
            elif compare and not unknown:
                self.show_message(translate("graph", "Pick two presets to compare."))
            tab = tab or "compare"
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))
        if self.current_tab() == "compare":
            self.compute_compare(force=True)
        else:
            self.refresh(force=True)
        return unknown

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._tab_changed)

    def _tab_changed(self, _index: int = 0) -> None:
        if not self.isVisible():
            return
        if self.current_tab() == "compare":
            self.compute_compare()
        elif self.stale or self.shown_key is None:
            self.refresh()

    # ------------------------------------------------------------------ which graph
    def source(self):
        """What the graph tab draws: a preset name or a loaded model (None: nothing yet)."""
        if not self.follow:
            return self.preset
        loaded = self.state.loaded
        if loaded is not None:
            return loaded.name if plain_preset(loaded) else loaded
        return self.fallback

    def _key(self, source) -> tuple:
        ident = source if isinstance(source, str) else ("loaded", id(source), getattr(source, "name", ""))
        return ident, tuple(sorted(self.expand))

    def refresh(self, force: bool = False) -> None:
        """Build the graph of source() in the worker, unless it is what is shown (or coming); only while the page is
        visible, unless forced (the command line starts it before the window shows)."""
        if not force and not self.isVisible():
            self.stale = True
            return
        self.stale = False
        source = self.source()
        if source is None:
            self._placeholder()
            return
        key = self._key(source)
        if key in (self.shown_key, self.pending_key):
            return
        self.pending_key = key
        expand = tuple(sorted(self.expand))
        self.runner.cancel_all()
        self.info.setText(translate("graph", "Reading the architecture…"))

        def work(job):   # worker thread: no Qt objects
            from engine.graph import build_graph

            subject = source
            if isinstance(subject, str) and preset_of(subject) is None:
                import engine
                job.progress(f"loading {subject}…")
                subject = engine.load(subject, device="cpu")
            job.check()
            return key, build_graph(subject, expand=expand)

        self.runner.start(work, self._graph_ready, self._graph_failed)

    def _graph_ready(self, result) -> None:
        key, graph = result
        if key != self.pending_key:
            return
        self.pending_key = None
        self.shown_key = key
        self.graph = graph
        self.draw()
        self.ready.emit()

    def _graph_failed(self, message: str, user_error: bool = True) -> None:
        self.pending_key = None
        self.show_message(message if user_error else translate("graph", "Something went wrong: {reason}").format(
            reason=message))
        self.info.setText("")
        self.ready.emit()

    def _placeholder(self) -> None:
        scene = ArchScene(self)
        scene.add_text([translate("graph", "Run a model in the step-through, or pick a preset above.")], 0, 0,
                       "header", "#546e7a")
        self._set_scene(self.canvas, scene)
        self.scene, self.drawing, self.graph, self.shown_key = scene, None, None, None
        self.canvas.fit()
        self.ready.emit()

    # ------------------------------------------------------------------ drawing
    def _set_scene(self, canvas: ArchCanvas, scene: ArchScene) -> None:
        old = canvas.scene()
        canvas.setScene(scene)
        scene.setSceneRect(scene.fit_rect())
        if old is not None:
            old.deleteLater()

    def draw(self) -> None:
        """Draw self.graph: the drawing, its title, its legend; highlight the current step's node."""
        graph = self.graph
        if graph is None:
            return
        scene = ArchScene(self)
        opens = translate("graph", "click: open its step in the step-through")
        unfolds = translate("graph", "click the header: unfold or fold the layers")
        clicks = {n: opens if d["kind"] != "block" else unfolds for n, d in graph.nodes(data=True)}
        drawing = scene.add_graph(graph, "main", 0, 0, click_words=clicks)
        bounds = drawing.layout.bounds
        meta = graph.graph
        top = bounds.top - (44 if drawing.layout.lanes else 12)
        group = translate("graph", GROUPS[meta["group"]]) if meta.get("group") in GROUPS else meta.get("group", "")
        heading = scene.add_text([translate("graph", "{name} — {family} ({group})").format(
            name=meta["name"], family=meta["title"], group=group)], bounds.left, 0, "heading")
        sub = scene.add_text([translate("graph", "{count} parameters · {depth}").format(
            count=human(meta["params"]), depth=self._depth_words(graph))], bounds.left, 0, "plain", "#546e7a")
        sub.setPos(bounds.left, top - sub.size[1])
        heading.setPos(bounds.left, top - sub.size[1] - heading.size[1])
        scene.add_legend(drawing.kinds(), drawing.edge_kinds(), bounds.right + 48, bounds.top)
        self._set_scene(self.canvas, scene)
        self.scene, self.drawing = scene, drawing
        self.canvas.fit()
        self._highlight(reveal=False)
        notes = [n for n in meta.get("notes", []) if not n.startswith("Layers differ")]
        notes = [engine_text(n) for n in notes]
        self.info.setText(html.escape(" ".join(notes)) + ("<br>" if notes else "") + "<span style='color:#777'>" +
                          translate("graph", "Click a part to open its step in the step-through; click a block's "
                                             "header to unfold its layers (and again to fold them). Hover for "
                                             "parameters and shapes; drag to pan, Ctrl+wheel to zoom.") + "</span>")

    def _depth_words(self, graph) -> str:
        parts = []
        for stack, info in (graph.graph.get("stacks") or {}).items():
            depth = info.get("depth", 0)
            folded = info.get("folded")
            what = stack_name(stack)
            if what:
                words = (translate("graph", "{stack} {depth} layers (folded)") if folded else
                         translate("graph", "{stack} {depth} layers (unfolded)"))
            else:
                words = (translate("graph", "{depth} layers (folded)") if folded else
                         translate("graph", "{depth} layers (unfolded)"))
            parts.append(words.format(stack=what, depth=depth))
        return ", ".join(parts)

    def matches_state(self) -> bool:
        """Whether the drawn graph is the step-through's loaded model (so steps can be highlighted and opened)."""
        loaded = self.state.loaded
        return (self.graph is not None and loaded is not None and self.state.trace is not None
                and self.graph.graph.get("name") == getattr(loaded, "name", None))

    def current_node(self) -> str | None:
        return self.drawing.current if self.drawing is not None else None

    def _highlight(self, reveal: bool = True) -> None:
        if self.drawing is None:
            return
        if not self.matches_state():
            self.drawing.set_current(None)
            return
        step = self.state.step
        node = node_of_step(self.graph, step)
        note = ""
        if node is not None and (self.graph.nodes[node].get("repeat", 1) > 1 or
                                 self.graph.nodes[node]["kind"] == "block") and layer_of(step or ""):
            note = translate("graph", "now: {layer}").format(layer=layer_title(step))
        self.drawing.set_current(node, note)
        if reveal and node is not None and self.isVisible():
            self.canvas.reveal(self.drawing.nodes[node])

    # ------------------------------------------------------------------ state -> page
    def _trace_changed(self, _trace) -> None:
        loaded = self.state.loaded
        self.retranslate()
        if self.follow and loaded is not None:
            ref = self._loaded_ref() if self._loaded_ref is not None else None
            if ref is not loaded:
                self._loaded_ref = weakref.ref(loaded)
                if self.graph is None or self.graph.graph.get("name") != loaded.name or not plain_preset(loaded):
                    self.expand.clear()
                self.refresh()
        self._highlight()

    def _step_changed(self, _step) -> None:
        self._highlight()

    def _settings_changed(self, change) -> None:
        if change[0] == "lang":
            self.retranslate()
            if self.graph is not None:
                self.draw()
            elif self.scene is not None:   # the placeholder's words
                self._placeholder()
            if self.compare_graphs:
                self.draw_compare()

    # ------------------------------------------------------------------ page -> state
    def _clicked(self, key: str, node: str) -> None:
        if key != "main" or self.graph is None or node not in self.graph:
            return
        data = self.graph.nodes[node]
        if data["kind"] == "block":
            self.toggle_stack(data.get("stack"))
            return
        self.open_node(node)

    def open_node(self, node: str) -> str | None:
        """Open the node's step in the step-through (the state moves, the window shows it); the step, or None with
        the reason said on the page."""
        data = self.graph.nodes[node]
        name = self.graph.graph.get("name", "")
        if self.matches_state():
            step = step_for_node(data, self.state.steps, self.state.step)
            if step is None:
                self.show_message(translate("graph", "{part} records no step in this run.").format(
                    part=engine_text(data["label"])))
                return None
            self.show_message("")
            self.state.go_to(step)
            self.step_opened.emit()
            return step
        preset = preset_of(name)
        if preset is not None and not preset.runnable:
            self.show_message(translate("graph", "{name} is too large to run here: its graph is read from its "
                                                 "configuration on the meta device. Pick a runnable preset to step "
                                                 "through it.").format(name=name))
            return None
        step = TOKENIZER_STEP if data["kind"] == "input" else next(iter(data.get("steps") or []), "")
        self.show_message("")
        self.run_requested.emit(name, step or "")
        return step or None

    def toggle_stack(self, stack: str | None) -> None:
        """Unfold a folded stack (every layer drawn), or fold it back."""
        if stack is None:
            return
        if stack in self.expand:
            self.expand.discard(stack)
        else:
            self.expand.add(stack)
        self._sync_unfold_box()
        self.refresh(force=True)

    def set_expanded(self, stacks) -> None:
        self.expand = set(stacks)
        self._sync_unfold_box()
        self.refresh(force=True)

    def _stacks(self) -> list[str]:
        return list((self.graph.graph.get("stacks") or {}) if self.graph is not None else [])

    def _sync_unfold_box(self) -> None:
        stacks = set(self._stacks())
        self.unfold_box.blockSignals(True)
        self.unfold_box.setChecked(bool(stacks) and stacks <= self.expand)
        self.unfold_box.blockSignals(False)

    def _unfold_all(self, on: bool) -> None:
        self.expand = set(self._stacks()) if on else set()
        self.refresh(force=True)

    def _model_chosen(self, _index: int) -> None:
        name = self.model_combo.currentData()
        self.follow = name is None
        self.preset = name
        self.expand.clear()
        self._sync_unfold_box()
        self.refresh(force=True)

    def _fit(self, _checked: bool = False) -> None:
        canvas = self.compare_canvas if self.current_tab() == "compare" else self.canvas
        canvas.fit()

    def _actual(self, _checked: bool = False) -> None:
        canvas = self.compare_canvas if self.current_tab() == "compare" else self.canvas
        canvas.actual_size()

    # ------------------------------------------------------------------ comparing layers
    def _set_picks(self, names: list[str]) -> None:
        names = list(names)[:3]
        for i, combo in enumerate(self.picks):
            combo.blockSignals(True)
            index = combo.findData(names[i]) if i < len(names) else (0 if i == 2 else combo.currentIndex())
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self.compare_names = [n for n in (c.currentData() for c in self.picks) if n]

    def _picked(self, _index: int = 0) -> None:
        self.compare_names = [n for n in (c.currentData() for c in self.picks) if n]
        self.compute_compare()

    def _quick(self, _checked: bool = False) -> None:
        button = self.sender()
        names = button.property("names") if button is not None else None
        if names:
            self.compare(list(names))

    def compare(self, names: list[str]) -> None:
        """Compare the blocks of these presets (2 or 3), side by side."""
        self._set_picks(names)
        self.compute_compare(force=True)

    def compute_compare(self, force: bool = False) -> None:
        if not force and not self.isVisible():
            return
        names = list(self.compare_names)
        if len(names) < 2:
            self.show_message(translate("graph", "Pick two presets to compare."))
            return
        key = tuple(names)
        if key in (self.compare_key, self.compare_pending):
            return
        self.compare_pending = key
        self.compare_runner.cancel_all()

        def work(job):   # worker thread
            from engine.graph import build_graph, compare_blocks

            graphs = []
            for name in names:
                job.check()
                graphs.append(build_graph(name))
            comparisons = [compare_blocks(a, b) for a, b in zip(names, names[1:])]
            return key, graphs, comparisons

        self.compare_runner.start(work, self._compare_ready, self._compare_failed)

    def _compare_ready(self, result) -> None:
        key, graphs, comparisons = result
        if key != self.compare_pending:
            return
        self.compare_pending = None
        self.compare_key = key
        self.compare_graphs, self.comparisons = graphs, comparisons
        self.draw_compare()
        self.ready.emit()

    def _compare_failed(self, message: str, user_error: bool = True) -> None:
        self.compare_pending = None
        self.show_message(message if user_error else translate("graph", "Something went wrong: {reason}").format(
            reason=message))
        self.ready.emit()

    def draw_compare(self) -> None:
        scene = ArchScene(self)
        rows = numbered(self.comparisons)
        traits = [c.a for c in self.comparisons] + [self.comparisons[-1].b] if self.comparisons else []
        x = 0.0
        drawings = []
        kinds, edge_kinds = [], []
        for i, graph in enumerate(self.compare_graphs):
            sub = layer_subgraph(graph)
            badges: dict[str, list[str]] = {}
            words: dict[str, list[str]] = {}
            for number, which, difference in rows:
                if which in (i - 1, i):
                    for node in aspect_nodes(sub, difference.aspect):
                        badges.setdefault(node, []).append(str(number))
                        words.setdefault(node, []).append(f"{number} {aspect_text(difference.aspect)}")
            heading = scene.add_text([graph.graph["name"]], x, 0, "heading")
            line = scene.add_text(fold_line(graph.graph["title"] + (" · " + trait_line(traits[i]) if i < len(traits)
                                                                    else ""), Metrics(scene.fonts["plain"])),
                                  x, heading.size[1], "plain", "#546e7a")
            top = heading.size[1] + line.size[1] + 22
            drawing = scene.add_graph(sub, f"c{i}", x, top, badges, words, blocks_clickable=False)
            drawings.append(drawing)
            kinds += [k for k in drawing.kinds() if k not in kinds]
            edge_kinds += [k for k in drawing.edge_kinds() if k not in edge_kinds]
            x = max(drawing.layout.bounds.right, x + heading.size[0], x + line.size[0]) + 70
        bottom = max((d.layout.bounds.bottom for d in drawings), default=0.0)
        scene.add_legend(kinds, edge_kinds, 0, bottom + 30, columns=True)
        self._set_scene(self.compare_canvas, scene)
        self.compare_scene, self.compare_drawings = scene, drawings
        self.compare_canvas.fit()
        self.differences.setHtml(differences_html(self.comparisons))

    def differences_text(self) -> str:
        return self.differences.toPlainText()

    # ------------------------------------------------------------------ language, messages
    def retranslate(self) -> None:
        self.tabs.setTabText(0, translate("graph", "Model graph"))
        self.tabs.setTabText(1, translate("graph", "Compare layers"))
        self.model_label.setText(translate("graph", "Model"))
        loaded = self.state.loaded
        follow = translate("graph", "the step-through's model")
        if loaded is not None:
            follow += f"  ({loaded.name})"
        elif self.fallback:
            follow += f"  ({self.fallback})"
        self.model_combo.setItemText(0, follow)
        self.unfold_box.setText(translate("graph", "Unfold every layer"))
        self.fit_button.setText(translate("graph", "Fit"))
        self.pick_label.setText(translate("graph", "Blocks of"))
        self.vs_labels[0].setText(translate("graph", "vs"))
        self.vs_labels[1].setText(translate("graph", "then"))
        self.picks[2].setItemText(0, translate("graph", "— (two only)"))
        for button, (words, _names) in zip(self.quick, QUICK_PICKS):
            button.setText(translate("graph", words))
        for combo in [self.model_combo] + self.picks:
            _name_presets(combo)
        self.png_button.setText(translate("graph", "Picture as PNG…"))
        self.svg_button.setText(translate("graph", "Picture as SVG…"))

    def show_message(self, text: str, error: bool = True) -> None:
        colour = "#b00020" if error else "#1a5e20"
        self.message.setStyleSheet(f"color:{colour}; background:{'#fdecea' if error else '#e8f5e9'}; padding:4px; "
                                   "border-radius:4px")
        self.message.setText(html.escape(text, quote=False))
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ export
    def _picture(self):
        """(scene, extra beside it, title) of the current tab."""
        from engine.errors import ExportError

        if self.current_tab() == "compare":
            if self.compare_scene is None or not self.compare_graphs:
                raise ExportError(translate("graph", "There is nothing to export yet: no comparison is drawn."))
            return (self.compare_scene, DifferencesPicture(differences_html(self.comparisons)),
                    "PLM Explorer: " + " vs ".join(self.compare_key or ()))
        if self.scene is None or self.graph is None:
            raise ExportError(translate("graph", "There is nothing to export yet: no graph is drawn."))
        return self.scene, None, f"PLM Explorer: {self.graph.graph.get('name', '')} architecture"

    def export_png(self, path: str | Path) -> Path:
        """The whole picture of the current tab as PNG, atomically (also the window's File > Export view); the path
        written, or ExportError with the reason."""
        scene, extra, _title = self._picture()
        return render_png(scene, path, extra=extra)

    def export_svg(self, path: str | Path) -> Path:
        scene, extra, title = self._picture()
        return render_svg(scene, path, title, extra=extra)

    def csv(self) -> str | None:
        return None

    def _ask(self, kind: str) -> str | None:
        stem = "compare" if self.current_tab() == "compare" else (self.graph.graph.get("name", "model")
                                                                  if self.graph is not None else "model")
        path, _ = QFileDialog.getSaveFileName(self, translate("graph", "Export {kind}").format(kind=kind.upper()),
                                              f"plm-architecture-{stem}.{kind}",
                                              f"{kind.upper()} (*.{kind})")
        return path or None

    def _export_png(self, _checked: bool = False) -> None:
        self.export_picture("png")

    def _export_svg(self, _checked: bool = False) -> None:
        self.export_picture("svg")

    def export_picture(self, kind: str, path: str | None = None) -> Path | None:
        """Export as PNG or SVG; the path written, or None with the reason said on the page (never a traceback)."""
        path = path or self._ask(kind)
        if not path:
            return None
        return save_and_say(lambda: self.export_png(path) if kind == "png" else self.export_svg(path),
                            self.show_message)

    # ------------------------------------------------------------------ workers
    def runners(self) -> list[Runner]:
        return self.findChildren(Runner)

    def busy(self) -> bool:
        return any(r.active for r in self.runners())


# ---------------------------------------------------------------------------------------------- command line
def wanted(args: argparse.Namespace) -> bool:
    """--view graph (or architecture) opens this page; with --compare A,B[,C] on its Compare tab."""
    return getattr(args, "view", None) in VIEW_NAMES


def open_from_args(view: GraphView, args: argparse.Namespace, model: str | None = None) -> None:
    compare = [n.strip() for n in (getattr(args, "compare", None) or "").split(",") if n.strip()]
    view.open("compare" if compare else "graph", model=getattr(args, "model", None) or model,
              compare=compare or None)
