"""Architecture graphs drawn with Qt graphics: one item per node (a box, a block holding its components, an add as a
circle) and one per edge (a path with an arrowhead), coloured by kind, with a legend; laid out by
explorer.widgets.arch_layout.

    ArchScene.add_graph(graph, x, y, badges) -> Drawing   one graph's items, placed at (x, y)
    ArchScene.add_title / add_legend                     a heading; the kinds and line styles shown
    ArchCanvas(QGraphicsView)                            pans by dragging, zooms with Ctrl+wheel, fits the scene;
                                                         `node_clicked(key, node)` on a click (not a drag)
    render_png / render_svg                              the whole scene (not only what is on screen) as a picture

Everything the user reads counts layers from 1 (the engine's node data counts from 0).
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF)
from PySide6.QtWidgets import (QApplication, QGraphicsItem, QGraphicsObject, QGraphicsPathItem, QGraphicsScene,
                               QGraphicsView)

from explorer.i18n import translate, translate_message
from explorer.widgets.arch_layout import Box, Layout, layout

# kind -> (fill, border)
KIND_COLOURS = {
    "input": ("#eceff1", "#78909c"),
    "embedding": ("#c8e6c9", "#43a047"),
    "position": ("#b2ebf2", "#00838f"),
    "position_bias": ("#b2ebf2", "#00838f"),
    "projection": ("#dcedc8", "#689f38"),
    "norm": ("#fff59d", "#f9a825"),
    "attention": ("#ffccbc", "#e64a19"),
    "cross_attention": ("#f8bbd0", "#c2185b"),
    "mlp": ("#bbdefb", "#1e88e5"),
    "add": ("#ffffff", "#546e7a"),
    "block": ("#f7f9fb", "#90a4ae"),
    "pooler": ("#d1c4e9", "#5e35b1"),
    "head": ("#e1bee7", "#8e24aa"),
    "module": ("#eeeeee", "#9e9e9e"),
}
KIND_NAMES = {
    "input": QT_TRANSLATE_NOOP("arch_scene", "input"), "embedding": QT_TRANSLATE_NOOP("arch_scene", "embedding"),
    "position": QT_TRANSLATE_NOOP("arch_scene", "positions (RoPE)"),
    "position_bias": QT_TRANSLATE_NOOP("arch_scene", "position bias"),
    "projection": QT_TRANSLATE_NOOP("arch_scene", "projection"), "norm": QT_TRANSLATE_NOOP("arch_scene", "norm"),
    "attention": QT_TRANSLATE_NOOP("arch_scene", "self-attention"),
    "cross_attention": QT_TRANSLATE_NOOP("arch_scene", "cross-attention"),
    "mlp": QT_TRANSLATE_NOOP("arch_scene", "feed-forward"), "add": QT_TRANSLATE_NOOP("arch_scene", "add (residual sum)"),
    "block": QT_TRANSLATE_NOOP("arch_scene", "block"), "pooler": QT_TRANSLATE_NOOP("arch_scene", "pooler"),
    "head": QT_TRANSLATE_NOOP("arch_scene", "head"), "module": QT_TRANSLATE_NOOP("arch_scene", "other"),
}
# edge kind -> (colour, width, dashes)
EDGE_STYLES = {
    "data": ("#455a64", 1.6, None),
    "residual": ("#2e7d32", 1.7, [5.0, 3.0]),
    "cross": ("#e65100", 2.4, None),
    "position": ("#00838f", 1.6, [1.5, 2.5]),
    "repeat": ("#6a1b9a", 1.7, None),
}
EDGE_NAMES = {
    "data": QT_TRANSLATE_NOOP("arch_scene", "data"), "residual": QT_TRANSLATE_NOOP("arch_scene", "residual (skip)"),
    "cross": QT_TRANSLATE_NOOP("arch_scene", "cross: encoder → decoder"),
    "position": QT_TRANSLATE_NOOP("arch_scene", "positions"),
    "repeat": QT_TRANSLATE_NOOP("arch_scene", "into the next layer (× N)"),
}
HIGHLIGHT = QColor("#ff6d00")
BADGE = QColor("#c62828")
ADD_SIZE = 26.0
MIN_BOX_WIDTH = 120.0
PAD_X, PAD_Y = 10.0, 5.0


# The engine's words on the graph (engine.graph writes English and knows no Qt): its node labels (label_of), the
# per-layer variants, the node and graph notes. A label no template matches (a module's own name) stays as it is.
ENGINE_GRAPH = (
    QT_TRANSLATE_NOOP("engine_graph", "token embedding ({rows} x {width})"),
    QT_TRANSLATE_NOOP("engine_graph", "position embedding ({rows} x {width})"),
    QT_TRANSLATE_NOOP("engine_graph", "block position embedding (2D positions, row 2) ({rows} x {width})"),
    QT_TRANSLATE_NOOP("engine_graph", "segment embedding ({rows} x {width})"),
    QT_TRANSLATE_NOOP("engine_graph", "embedding table ({rows} x {width})"),
    QT_TRANSLATE_NOOP("engine_graph", "RoPE cos/sin tables, {rot} of {dims} dims, interleaved pairs"),
    QT_TRANSLATE_NOOP("engine_graph", "RoPE cos/sin tables, {rot} of {dims} dims"),
    QT_TRANSLATE_NOOP("engine_graph", "RoPE cos/sin tables, interleaved pairs"),
    QT_TRANSLATE_NOOP("engine_graph", "RoPE cos/sin tables"),
    QT_TRANSLATE_NOOP("engine_graph", "relative position bias ({buckets} buckets x {heads} heads)"),
    QT_TRANSLATE_NOOP("engine_graph", "final norm (released tensors only)"),
    QT_TRANSLATE_NOOP("engine_graph", "{part} (released tensors only)"),
    QT_TRANSLATE_NOOP("engine_graph", "final {norm}"),
    QT_TRANSLATE_NOOP("engine_graph", "embedding {norm}"),
    QT_TRANSLATE_NOOP("engine_graph", "self-attention ({heads} heads, {kv} key/value heads)"),
    QT_TRANSLATE_NOOP("engine_graph", "self-attention ({heads} heads)"),
    QT_TRANSLATE_NOOP("engine_graph", "cross-attention ({heads} heads, {kv} key/value heads)"),
    QT_TRANSLATE_NOOP("engine_graph", "cross-attention ({heads} heads)"),
    QT_TRANSLATE_NOOP("engine_graph", "feed-forward {act} (gated) ({hidden} -> {ffn} -> {out})"),
    QT_TRANSLATE_NOOP("engine_graph", "feed-forward GELU (tanh) ({hidden} -> {ffn} -> {out})"),
    QT_TRANSLATE_NOOP("engine_graph", "feed-forward {act} ({hidden} -> {ffn} -> {out})"),
    QT_TRANSLATE_NOOP("engine_graph", "projection ({inputs} -> {outputs})"),
    QT_TRANSLATE_NOOP("engine_graph", "classifier head"),
    QT_TRANSLATE_NOOP("engine_graph", "{name} head"),
    QT_TRANSLATE_NOOP("engine_graph", "encoder block"),
    QT_TRANSLATE_NOOP("engine_graph", "decoder block"),
    QT_TRANSLATE_NOOP("engine_graph", "block"),
    QT_TRANSLATE_NOOP("engine_graph", "add"),
    QT_TRANSLATE_NOOP("engine_graph", "pooler"),
    QT_TRANSLATE_NOOP("engine_graph", "decoder input ids"),
    QT_TRANSLATE_NOOP("engine_graph", "input ids"),
    QT_TRANSLATE_NOOP("engine_graph", "token type ids"),
    QT_TRANSLATE_NOOP("engine_graph", "dense"),
    QT_TRANSLATE_NOOP("engine_graph", "banded"),
    QT_TRANSLATE_NOOP("engine_graph", "not in the released tensors: counted 0 (this app's class approximates the "
                                      "model)"),
    QT_TRANSLATE_NOOP("engine_graph", "in the released tensors, not in this app's class: no step of a trace shows it"),
    QT_TRANSLATE_NOOP("engine_graph", "Built on meta with {a} of {b} encoder layers and {c} of {d} decoder layers and "
                                      "traced once; the other layers repeat the last probed one."),
    QT_TRANSLATE_NOOP("engine_graph", "Built on meta with {a} of {b} layers and traced once; the other layers repeat "
                                      "the last probed one (every layer was built to read which kind each is)."),
    QT_TRANSLATE_NOOP("engine_graph", "Built on meta with {a} of {b} layers and traced once; the other layers repeat "
                                      "the last probed one."),
    QT_TRANSLATE_NOOP("engine_graph", "Parameters are counted from the released tensor layout (analytic); the boxes "
                                      "are this app's {name} class, which approximates it. {rest}"),
)


def engine_text(text) -> str:
    """A label, variant or note engine.graph wrote, in the interface's language."""
    return translate_message("engine_graph", str(text), ENGINE_GRAPH)


def human(n) -> str:
    from engine.params import human as engine_human
    return engine_human(n)


def pretty(text: str) -> str:
    return str(text).replace("->", "→").replace(" x ", " × ")


def layer_list(layers, limit: int = 4) -> str:
    """Layers counted from 1: "1, 3", "1–12" for a run, "1, 3, 5, … 95" for a long regular series."""
    shown = [int(l) + 1 for l in layers]
    if len(shown) <= 2:
        return ", ".join(map(str, shown))
    steps = {b - a for a, b in zip(shown, shown[1:])}
    if steps == {1}:
        return f"{shown[0]}–{shown[-1]}"
    if len(shown) <= limit:
        return ", ".join(map(str, shown))
    if len(steps) == 1:
        return f"{shown[0]}, {shown[1]}, {shown[2]}, … {shown[-1]}"
    return ", ".join(map(str, shown[:limit])) + translate("arch_scene", ", … ({count} layers)").format(
        count=len(shown))


def stack_name(stack: str | None) -> str:
    """"encoder" / "decoder" in words; "" for a model with one stack."""
    if stack == "encoder":
        return translate("arch_scene", "encoder")
    if stack == "decoder":
        return translate("arch_scene", "decoder")
    return ""


def text_width(text: str) -> int:
    """Width in Latin characters: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def split_label(label: str, limit: int = 26) -> list[str]:
    """A long label on two lines: "feed-forward SwiGLU (gated)" / "4096 → 14336 → 4096" (in Chinese: before the
    last full-width bracket, which stays)."""
    label = pretty(engine_text(label))
    if text_width(label) <= limit:
        return [label]
    if label.endswith(")") and " (" in label:
        cut = label.rfind(" (")
        if cut > 4:
            return [label[:cut], label[cut + 2:-1]]
    if label.endswith("）") and "（" in label:
        cut = label.rfind("（")
        if cut > 2:
            return [label[:cut], label[cut:]]
    for comma in (", ", "，"):
        if comma in label:
            cut = label.find(comma)
            return [label[:cut], label[cut + len(comma):]]
    return [label]


def node_lines(graph, node: str) -> tuple[list[str], list[str]]:
    """(title lines, detail lines) written on a node's box."""
    d = graph.nodes[node]
    title = split_label(d["label"])
    details = []
    params, each, repeat = d.get("params", 0), d.get("params_each"), d.get("repeat", 1)
    if d.get("shared") and repeat > 1:
        details.append(translate("arch_scene", "{count} params, shared by {repeat} layers").format(
            count=human(params), repeat=repeat))
    elif params and repeat > 1 and each:
        details.append(translate("arch_scene", "{count} params / layer").format(count=human(each)))
    elif params:
        details.append(translate("arch_scene", "{count} params").format(count=human(params)))
    if d.get("tied_to"):
        owners = sorted(set(d["tied_to"].values()))
        labels = graph.graph.get("labels") or {}
        named = ", ".join(short_label(graph.nodes[o]["label"] if o in graph else labels.get(o, o)) for o in owners)
        details.append(translate("arch_scene", "tied to the {name}").format(name=named))
    if d.get("shared_with"):
        other = d["shared_with"]
        layers = (graph.nodes[other].get("layers") or []) if other in graph else []
        if d.get("layer") is not None and layers:   # ALBERT's unfolded layers: all share the first one's
            details.append(translate("arch_scene", "same parameters as layer {layers}").format(
                layers=layer_list(layers)))
        else:
            named = short_label(graph.nodes[other]["label"]) if other in graph else other
            where = graph.nodes[other].get("stack") if other in graph else None
            if where == "encoder":
                details.append(translate("arch_scene", "the encoder {name}, shared").format(name=named))
            elif where == "decoder":
                details.append(translate("arch_scene", "the decoder {name}, shared").format(name=named))
            else:
                details.append(translate("arch_scene", "the {name}, shared").format(name=named))
    if d.get("variants"):
        details.append(" · ".join(f"{engine_text(word)}: {layer_list(layers)}" for word, layers in d["variants"].items()))
    if d.get("variant"):
        details.append(engine_text(d["variant"]))
    return title, details


def short_label(label) -> str:
    """A label without its bracketed sizes: "token embedding"."""
    return pretty(engine_text(label)).split(" (")[0].split("（")[0]


def tooltip(graph, node: str, badges: list[str] | None = None, clickable: str = "") -> str:
    d = graph.nodes[node]
    kind = translate("arch_scene", KIND_NAMES[d["kind"]]) if d["kind"] in KIND_NAMES else d["kind"]
    rows = [f"<b>{html.escape(pretty(engine_text(d['label'])))}</b> <span style='color:#666'>({html.escape(kind)})"
            "</span>", f"<code>{html.escape(node)}</code>"]
    repeat = d.get("repeat", 1)
    count = d.get("params_inside", d.get("params", 0))
    layers = layer_list(d.get("layers") or [])
    if d["kind"] == "block":
        if repeat > 1:
            rows.append(translate("arch_scene", "parameters: {count} in {repeat} layers (layers {layers})").format(
                count=f"{count:,}", repeat=repeat, layers=layers))
        else:
            rows.append(translate("arch_scene", "parameters: {count}").format(count=f"{count:,}"))
    elif d.get("params"):
        if repeat > 1 and d.get("params_each") and not d.get("shared"):
            rows.append(translate("arch_scene", "parameters: {count} ({each} per layer × {repeat})").format(
                count=f"{d['params']:,}", each=f"{d['params_each']:,}", repeat=repeat))
        else:
            rows.append(translate("arch_scene", "parameters: {count}").format(count=f"{d['params']:,}"))
    else:
        rows.append(translate("arch_scene", "no parameters of its own"))
    if d.get("shared"):
        rows.append(translate("arch_scene", "shared: {sets} parameter set applied {repeat} times").format(
            sets=d.get("parameter_sets", 1), repeat=repeat))
    if d.get("shape"):
        rows.append(translate("arch_scene", "output shape: {shape}").format(
            shape=f"<code>{html.escape(d['shape']['text'])}</code>"))
    for parameter, owner in (d.get("tied_to") or {}).items():
        rows.append(translate("arch_scene", "tied: {what}").format(
            what=f"<code>{html.escape(f'{parameter} = {owner}')}</code>"))
    if d.get("shared_with"):
        rows.append(translate("arch_scene", "same parameters as {node}").format(
            node=f"<code>{html.escape(d['shared_with'])}</code>"))
    for word, layers in (d.get("variants") or {}).items():
        rows.append(translate("arch_scene", "{kind}: layers {layers}").format(
            kind=html.escape(engine_text(word)), layers=layer_list(layers, 12)))
    if d.get("variant"):
        rows.append(html.escape(engine_text(d["variant"])))
    if d.get("note"):
        rows.append(f"<i>{html.escape(engine_text(d['note']))}</i>")
    steps = d.get("steps") or []
    if steps:
        shown = ", ".join(html.escape(s) for s in steps[:3]) + (" …" if len(steps) > 3 else "")
        rows.append(translate("arch_scene", "steps ({count}): {steps}").format(count=len(steps),
                                                                             steps=f"<code>{shown}</code>"))
    if badges:
        rows.append("<span style='color:#c62828'>" + html.escape(
            translate("arch_scene", "differs: {aspects}").format(aspects=", ".join(badges))) + "</span>")
    if clickable:
        rows.append(f"<span style='color:#1565c0'>{html.escape(clickable)}</span>")
    return "<br>".join(rows)


# ---------------------------------------------------------------------------------------------- fonts
def fonts() -> dict[str, QFont]:
    base = QFont(QApplication.font())
    size = max(base.pointSizeF(), 9.0) if base.pointSizeF() > 0 else 9.0
    title = QFont(base)
    title.setPointSizeF(size)
    title.setBold(True)
    detail = QFont(base)
    detail.setPointSizeF(size - 1.0)
    header = QFont(base)
    header.setPointSizeF(size + 0.5)
    header.setBold(True)
    heading = QFont(base)
    heading.setPointSizeF(size + 3)
    heading.setBold(True)
    return {"title": title, "detail": detail, "header": header, "heading": heading, "plain": base}


WIDE_LINE = 1.3   # a line with Chinese in it is this much taller (its fallback font is)


def wide(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)


def line_height(metrics, text: str) -> float:
    return metrics.height() * (WIDE_LINE if wide(text) else 1.0)


class Metrics:
    """QFontMetricsF that leaves room for text drawn in a fallback font (Chinese), whose advance the primary font's
    metrics can underestimate."""

    def __init__(self, font: QFont):
        self.metrics = QFontMetricsF(font)

    def horizontalAdvance(self, text: str) -> float:   # noqa: N802 - the Qt name
        width = self.metrics.horizontalAdvance(text)
        count = sum(1 for ch in text if ord(ch) > 0x2E80)
        return width + count * self.metrics.height() * 0.25

    def height(self) -> float:
        return self.metrics.height()


# ---------------------------------------------------------------------------------------------- items
class NodeItem(QGraphicsObject):
    """A node's box (an add: a circle with +), its text, a highlight when it is the current step's node, and the
    numbers of the differences it takes part in (badges)."""

    def __init__(self, key: str, node: str, kind: str, box: Box, title: list[str], details: list[str],
                 font_set: dict, badges: list[str] | None = None):
        super().__init__()
        self.key, self.node, self.kind = key, node, kind
        self.rect = QRectF(0, 0, box.w, box.h)
        self.setPos(box.x, box.y)
        self.title, self.details = title, details
        self.fonts = font_set
        self.badges = list(badges or [])
        self.current = False
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        if not self.badges:
            return self.rect.adjusted(-6, -6, 6, 6)
        return self.rect.adjusted(-14 - 7 * len(",".join(self.badges)), -14, 6, 6)

    def set_current(self, on: bool) -> None:
        if on != self.current:
            self.current = on
            self.update()

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        fill, border = KIND_COLOURS.get(self.kind, KIND_COLOURS["module"])
        if self.current:
            glow = QColor(HIGHLIGHT)
            glow.setAlpha(70)
            painter.setPen(Qt.NoPen)
            painter.setBrush(glow)
            if self.kind == "add":
                painter.drawEllipse(self.rect.adjusted(-5, -5, 5, 5))
            else:
                painter.drawRoundedRect(self.rect.adjusted(-5, -5, 5, 5), 9, 9)
        pen = QPen(HIGHLIGHT if self.current else QColor(border), 3.0 if self.current else 1.3)
        painter.setPen(pen)
        painter.setBrush(QColor(fill))
        if self.kind == "add":
            painter.drawEllipse(self.rect)
            c = self.rect.center()
            r = self.rect.width() * 0.27
            painter.setPen(QPen(QColor("#37474f"), 1.8))
            painter.drawLine(QPointF(c.x() - r, c.y()), QPointF(c.x() + r, c.y()))
            painter.drawLine(QPointF(c.x(), c.y() - r), QPointF(c.x(), c.y() + r))
        else:
            painter.drawRoundedRect(self.rect, 6, 6)
            y = PAD_Y
            painter.setPen(QColor("#212121"))
            title_metrics = QFontMetricsF(self.fonts["title"])
            painter.setFont(self.fonts["title"])
            for line in self.title:
                painter.drawText(QRectF(0, y, self.rect.width(), line_height(title_metrics, line)),
                                 Qt.AlignHCenter | Qt.AlignVCenter, line)
                y += line_height(title_metrics, line)
            detail_metrics = QFontMetricsF(self.fonts["detail"])
            painter.setFont(self.fonts["detail"])
            painter.setPen(QColor("#455a64"))
            for line in self.details:
                painter.drawText(QRectF(0, y, self.rect.width(), line_height(detail_metrics, line)),
                                 Qt.AlignHCenter | Qt.AlignVCenter, line)
                y += line_height(detail_metrics, line)
        if self.badges:
            text = ",".join(self.badges)
            painter.setFont(self.fonts["detail"])
            metrics = QFontMetricsF(self.fonts["detail"])
            w = max(metrics.horizontalAdvance(text) + 8, metrics.height() + 2)
            badge = QRectF(-w / 2 + 4, -metrics.height() / 2 - 3, w, metrics.height() + 2)
            painter.setPen(Qt.NoPen)
            painter.setBrush(BADGE)
            painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignCenter, text)


class BlockItem(QGraphicsObject):
    """A block: a box around its components, a header saying what it is (x N, shared, parameters) and what a
    click does (unfold the stack / fold it back)."""

    def __init__(self, key: str, node: str, box: Box, header_at: tuple[float, float], lines: list[str],
                 font_set: dict, shared: bool = False, badges: list[str] | None = None):
        super().__init__()
        self.key, self.node, self.kind = key, node, "block"
        self.rect = QRectF(0, 0, box.w, box.h)
        self.setPos(box.x, box.y)
        self.header = QPointF(header_at[0] - box.x, header_at[1] - box.y)
        self.lines = lines
        self.fonts = font_set
        self.shared = shared
        self.badges = list(badges or [])
        self.current = False
        self.note = ""   # "now: layer 6" while a step of a folded block plays
        self.setZValue(0)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-6, -12, 14, 6)

    def set_current(self, on: bool, note: str = "") -> None:
        if on != self.current or note != self.note:
            self.current, self.note = on, note
            self.update()

    def header_rect(self) -> QRectF:
        metrics = QFontMetricsF(self.fonts["header"])
        detail = QFontMetricsF(self.fonts["detail"])
        return QRectF(0, 0, self.rect.width(), self.header.y() + metrics.height() + detail.height() + 4)

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        fill, border = KIND_COLOURS["block"]
        pen = QPen(HIGHLIGHT if self.current else QColor(border), 3.0 if self.current else 1.4)
        if self.shared:
            pen.setStyle(Qt.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor("#f3eefa") if self.shared else QColor(fill))
        painter.drawRoundedRect(self.rect, 10, 10)
        metrics = QFontMetricsF(self.fonts["header"])
        x, y = self.header.x(), self.header.y()
        painter.setFont(self.fonts["header"])
        painter.setPen(QColor("#4a148c") if self.shared else QColor("#263238"))
        painter.drawText(QPointF(x, y + metrics.ascent()), self.lines[0])
        y += line_height(metrics, self.lines[0])
        painter.setFont(self.fonts["detail"])
        detail = QFontMetricsF(self.fonts["detail"])
        painter.setPen(QColor("#546e7a"))
        for line in self.lines[1:] + ([self.note] if self.note else []):
            if line == self.note:
                painter.setPen(HIGHLIGHT.darker(120))
            painter.drawText(QPointF(x, y + detail.ascent()), line)
            y += line_height(detail, line)
        if self.badges:
            text = ",".join(self.badges)
            w = max(detail.horizontalAdvance(text) + 8, detail.height() + 2)
            badge = QRectF(self.rect.right() - w / 2 - 4, -detail.height() / 2 - 3, w, detail.height() + 2)
            painter.setPen(Qt.NoPen)
            painter.setBrush(BADGE)
            painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignCenter, text)


class EdgeItem(QGraphicsPathItem):
    """An edge: its route as a path, styled by kind, with an arrowhead at the target and, for a repeat loop,
    its "x N" label."""

    def __init__(self, key: str, edge: tuple[str, str], kind: str, points: list[tuple[float, float]],
                 carries: str | None = None, label: str = "", label_at=None, font: QFont | None = None):
        super().__init__()
        self.key, self.edge, self.kind, self.carries = key, edge, kind, carries
        colour, width, dashes = EDGE_STYLES.get(kind, EDGE_STYLES["data"])
        self.colour = QColor(colour)
        path = QPainterPath(QPointF(*points[0]))
        for p in points[1:]:
            path.lineTo(QPointF(*p))
        self.setPath(path)
        pen = QPen(self.colour, width)
        if dashes or (kind == "repeat" and carries == "residual"):
            pen.setDashPattern(dashes or [5.0, 3.0])
        pen.setCapStyle(Qt.FlatCap)
        pen.setJoinStyle(Qt.MiterJoin)
        self.setPen(pen)
        self.points = points
        self.label, self.label_at, self.font = label, label_at, font
        self.setZValue(1 if kind != "cross" else 1.5)

    def arrow(self) -> QPolygonF:
        (x0, y0), (x1, y1) = self.points[-2], self.points[-1]
        angle = math.atan2(y1 - y0, x1 - x0)
        size = 8.0 if self.kind != "cross" else 10.0
        left = (x1 - size * math.cos(angle - 0.45), y1 - size * math.sin(angle - 0.45))
        right = (x1 - size * math.cos(angle + 0.45), y1 - size * math.sin(angle + 0.45))
        return QPolygonF([QPointF(x1, y1), QPointF(*left), QPointF(*right)])

    def label_rect(self) -> QRectF | None:
        if not self.label or self.label_at is None or self.font is None:
            return None
        metrics = QFontMetricsF(self.font)
        w, h = metrics.horizontalAdvance(self.label) + 10, metrics.height() + 2
        return QRectF(self.label_at[0] - w / 2, self.label_at[1] - h / 2, w, h)

    def boundingRect(self) -> QRectF:
        rect = super().boundingRect().united(self.arrow().boundingRect()).adjusted(-2, -2, 2, 2)
        label = self.label_rect()
        return rect.united(label) if label is not None else rect

    def shape(self) -> QPainterPath:
        path = super().shape()
        label = self.label_rect()
        if label is not None:
            path.addRect(label)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        super().paint(painter, option, widget)
        painter.setPen(Qt.NoPen)
        painter.setBrush(self.colour)
        painter.drawPolygon(self.arrow())
        label = self.label_rect()
        if label is not None:
            painter.setPen(QPen(self.colour, 1.2))
            painter.setBrush(QColor("white"))
            painter.drawRoundedRect(label, label.height() / 2, label.height() / 2)
            painter.setFont(self.font)
            painter.setPen(self.colour)
            painter.drawText(label, Qt.AlignCenter, self.label)


class TextItem(QGraphicsObject):
    """Plain text lines at a point (headings, lane names, the legend's words)."""

    def __init__(self, lines: list[str], font: QFont, colour: str = "#212121"):
        super().__init__()
        self.lines, self.font, self.colour = lines, font, QColor(colour)
        metrics = QFontMetricsF(font)
        self.size = (max((Metrics(font).horizontalAdvance(l) for l in lines), default=0) + 2,
                     sum(line_height(metrics, l) for l in lines))

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self.size)

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        painter.setFont(self.font)
        painter.setPen(self.colour)
        metrics = QFontMetricsF(self.font)
        y = 0.0
        for line in self.lines:
            painter.drawText(QPointF(0, y + metrics.ascent()), line)
            y += line_height(metrics, line)


class LegendItem(QGraphicsObject):
    """The node kinds (coloured swatches) and the line styles a drawing uses: one column, or (wide) the kinds in
    rows of up to five entries and the lines in a row below."""

    def __init__(self, kinds: list[str], edge_kinds: list[str], font_set: dict, wide: bool = False):
        super().__init__()
        self.kinds, self.edge_kinds, self.fonts, self.wide = kinds, edge_kinds, font_set, wide
        metrics = QFontMetricsF(font_set["plain"])
        self.title = translate("arch_scene", "Legend")
        self.words = {("kind", k): kind_words(k) for k in kinds}
        self.words.update({("edge", k): edge_words(k) for k in edge_kinds})
        self.entries = [(what, k, w) for (what, k), w in self.words.items()]
        tall = any(ord(ch) > 0x2E80 for words in [self.title, *self.words.values()] for ch in words)
        self.row = max(metrics.height() * (WIDE_LINE if tall else 1.0) + 5, 20.0)
        self.cell = 62 + max((Metrics(font_set["plain"]).horizontalAdvance(w) for _, _, w in self.entries), default=40)
        self.places = []
        if wide:
            per_row = 5
            kind_rows = [kinds[i:i + per_row] for i in range(0, len(kinds), per_row)]
            y = 8.0 + self.row
            for row in kind_rows:
                self.places += [(("kind", k), 10 + i * self.cell, y) for i, k in enumerate(row)]
                y += self.row
            edges_per_row = per_row
            for start in range(0, len(edge_kinds), edges_per_row):
                y_row = y + (4 if start == 0 else 0)
                self.places += [(("edge", k), 10 + i * self.cell, y_row)
                                for i, k in enumerate(edge_kinds[start:start + edges_per_row])]
                y = y_row + self.row
            self.width = 20 + self.cell * min(per_row, max(len(kinds), len(edge_kinds), 1))
            self.height = y + 8
        else:
            y = 8.0 + self.row
            for k in kinds:
                self.places.append((("kind", k), 0.0, y))
                y += self.row
            y += self.row * 0.5
            for k in edge_kinds:
                self.places.append((("edge", k), 0.0, y))
                y += self.row
            self.width = self.cell
            self.height = y + 10
        self.setZValue(3)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

    def paint(self, painter: QPainter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(QColor("#cfd8dc"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(self.boundingRect(), 6, 6)
        metrics = QFontMetricsF(self.fonts["plain"])
        painter.setFont(self.fonts["title"])
        painter.setPen(QColor("#263238"))
        painter.drawText(QPointF(10, 8 + metrics.ascent()), self.title)
        painter.setFont(self.fonts["plain"])
        for (what, kind), x, y in self.places:
            if what == "kind":
                fill, border = KIND_COLOURS.get(kind, KIND_COLOURS["module"])
                painter.setPen(QPen(QColor(border), 1.2))
                painter.setBrush(QColor(fill))
                swatch = QRectF(x + 12, y + 2, 38, self.row - 8)
                if kind == "add":
                    painter.drawEllipse(QRectF(swatch.center().x() - swatch.height() / 2, swatch.top(),
                                               swatch.height(), swatch.height()))
                else:
                    painter.drawRoundedRect(swatch, 3, 3)
                words = self.words[(what, kind)]
            else:
                colour, width, dashes = EDGE_STYLES[kind]
                pen = QPen(QColor(colour), width)
                if dashes:
                    pen.setDashPattern(dashes)
                painter.setPen(pen)
                mid = y + self.row / 2 - 2
                painter.drawLine(QPointF(x + 12, mid), QPointF(x + 44, mid))
                painter.setPen(Qt.NoPen)
                painter.setBrush(QColor(colour))
                painter.drawPolygon(QPolygonF([QPointF(x + 50, mid), QPointF(x + 43, mid - 4),
                                               QPointF(x + 43, mid + 4)]))
                words = self.words[(what, kind)]
            painter.setPen(QColor("#212121"))
            painter.drawText(QPointF(x + 58, y + metrics.ascent() + 1), words)


def kind_words(kind: str) -> str:
    return translate("arch_scene", KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def edge_words(kind: str) -> str:
    return translate("arch_scene", EDGE_NAMES[kind]) if kind in EDGE_NAMES else kind


# ---------------------------------------------------------------------------------------------- one drawing
@dataclass
class Drawing:
    """One graph's items in a scene."""
    key: str
    graph: object
    layout: Layout
    nodes: dict = field(default_factory=dict)   # node -> NodeItem / BlockItem
    edges: dict = field(default_factory=dict)   # (u, v) -> EdgeItem
    current: str | None = None

    def set_current(self, node: str | None, note: str = "") -> None:
        """Highlight `node` (None: nothing); the folded block around it says which layer plays (note)."""
        for item in self.nodes.values():
            item.set_current(False)
        self.current = node if node in self.nodes else None
        if self.current is None:
            return
        item = self.nodes[self.current]
        if isinstance(item, BlockItem):
            item.set_current(True, note)
            return
        item.set_current(True)
        parent = self.graph.nodes[self.current].get("parent")
        if note and parent in self.nodes:
            self.nodes[parent].set_current(False, note)

    def kinds(self) -> list[str]:
        present = {d["kind"] for _, d in self.graph.nodes(data=True)}
        return [k for k in KIND_COLOURS if k in present]

    def edge_kinds(self) -> list[str]:
        present = {d["kind"] for _, _, d in self.graph.edges(data=True)}
        return [k for k in EDGE_STYLES if k in present]


def block_lines(graph, node: str, folded_hint: bool = True) -> list[str]:
    """A block's header: what it is and how often; its parameters; what a click does."""
    d = graph.nodes[node]
    repeat = d.get("repeat", 1)
    layers = d.get("layers") or []
    label = pretty(engine_text(d["label"]))
    stack = d.get("stack")
    params = human(d.get("params_inside", 0))
    if repeat > 1:
        if d.get("shared"):
            sets = d.get("parameter_sets", 1)
            first = (translate("arch_scene", "{label}: shared × {repeat} (1 parameter set)") if sets == 1 else
                     translate("arch_scene", "{label}: shared × {repeat} ({sets} parameter sets)")).format(
                label=label, repeat=repeat, sets=sets)
        else:
            first = f"{label} × {repeat}"
        second = translate("arch_scene", "layers {layers} · {count} params").format(layers=layer_list(layers),
                                                                                   count=params)
        hint = translate("arch_scene", "click here to unfold the layers") if folded_hint else ""
    else:
        which = layer_list(layers) if layers else "?"
        if stack == "encoder":
            first = translate("arch_scene", "encoder layer {layers}").format(layers=which)
        elif stack == "decoder":
            first = translate("arch_scene", "decoder layer {layers}").format(layers=which)
        else:
            first = translate("arch_scene", "layer {layers}").format(layers=which)
        owners = {graph.nodes[c]["shared_with"] for c, cd in graph.nodes(data=True)
                  if cd.get("parent") == node and cd.get("shared_with") in graph}
        owner_layers = sorted({l for o in owners for l in graph.nodes[o].get("layers") or []})
        if owner_layers:
            first += translate("arch_scene", ": the parameters of layer {layers}").format(
                layers=layer_list(owner_layers))
            second = translate("arch_scene", "no parameters of its own")
        else:
            second = translate("arch_scene", "{count} params").format(count=params)
        hint = translate("arch_scene", "click here to fold the layers") if folded_hint else ""
    return [first, second] + ([hint] if hint else [])


class ArchScene(QGraphicsScene):
    """A white scene holding one or more drawings, headings and a legend."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fonts = fonts()
        self.drawings: dict[str, Drawing] = {}
        self.setBackgroundBrush(QColor("white"))

    def measure(self, graph, blocks_clickable: bool):
        title = Metrics(self.fonts["title"])
        detail = Metrics(self.fonts["detail"])
        header = Metrics(self.fonts["header"])

        def size_of(node: str) -> tuple[float, float]:
            d = graph.nodes[node]
            if d["kind"] == "add":
                return ADD_SIZE, ADD_SIZE
            if d["kind"] == "block":
                lines = block_lines(graph, node, blocks_clickable)
                w = max([header.horizontalAdvance(lines[0])] + [detail.horizontalAdvance(l) for l in lines[1:]])
                note = line_height(detail, lines[-1]) if d.get("repeat", 1) > 1 else 0.0   # "now: layer 6"
                return w + 4, line_height(header, lines[0]) + sum(line_height(detail, l) for l in lines[1:]) + note + 2
            titles, details = node_lines(graph, node)
            w = max([title.horizontalAdvance(t) for t in titles] + [detail.horizontalAdvance(t) for t in details])
            return (max(MIN_BOX_WIDTH, w + 2 * PAD_X),
                    sum(line_height(title, t) for t in titles) + sum(line_height(detail, t) for t in details)
                    + 2 * PAD_Y)
        return size_of

    def add_graph(self, graph, key: str = "main", x: float = 0.0, y: float = 0.0,
                  badges: dict[str, list[str]] | None = None, badge_words: dict[str, list[str]] | None = None,
                  blocks_clickable: bool = True, click_words: dict[str, str] | None = None) -> Drawing:
        """Lay out and draw `graph` with its top-left at (x, y); badges: node -> difference numbers."""
        placed = layout(graph, self.measure(graph, blocks_clickable))
        placed.shift(x - placed.bounds.x, y - placed.bounds.y)
        drawing = Drawing(key, graph, placed)
        badges, badge_words, click_words = badges or {}, badge_words or {}, click_words or {}
        for node, d in graph.nodes(data=True):
            box = placed.boxes[node]
            if d["kind"] == "block":
                item = BlockItem(key, node, box, placed.headers[node], block_lines(graph, node, blocks_clickable),
                                 self.fonts, bool(d.get("shared")), badges.get(node))
            else:
                titles, details = node_lines(graph, node)
                item = NodeItem(key, node, d["kind"], box, titles, details, self.fonts, badges.get(node))
            item.setToolTip(tooltip(graph, node, badge_words.get(node), click_words.get(node, "")))
            self.addItem(item)
            drawing.nodes[node] = item
        for (u, v), route in placed.routes.items():
            data = graph.edges[u, v]
            label = ""
            if route.label_at is not None:
                block = graph.nodes[u].get("parent")
                repeat = graph.nodes[block]["repeat"] if block in graph else graph.nodes[u].get("repeat", 1)
                shared = block in graph and graph.nodes[block].get("shared")
                label = (translate("arch_scene", "shared × {repeat}") if shared else "× {repeat}").format(
                    repeat=repeat)
            item = EdgeItem(key, (u, v), route.kind, route.points, data.get("carries"), label, route.label_at,
                            self.fonts["detail"])
            words = edge_words(route.kind)
            if data.get("carries") == "residual":
                words = translate("arch_scene", "{line} (carries the residual)").format(line=words)
            item.setToolTip(f"{html.escape(words)}: <code>{html.escape(u)}</code> → <code>{html.escape(v)}</code>")
            self.addItem(item)
            drawing.edges[(u, v)] = item
        for name, extent in placed.lanes:
            text = TextItem([stack_name(name) or name], self.fonts["header"], "#37474f")
            text.setPos(extent.cx - text.size[0] / 2, extent.top - text.size[1] - 10)
            self.addItem(text)
        self.drawings[key] = drawing
        return drawing

    def add_text(self, lines: list[str], x: float, y: float, style: str = "heading",
                 colour: str = "#212121") -> TextItem:
        item = TextItem(lines, self.fonts[style], colour)
        item.setPos(x, y)
        self.addItem(item)
        return item

    def add_legend(self, kinds: list[str], edge_kinds: list[str], x: float, y: float,
                   columns: bool = False) -> LegendItem:
        item = LegendItem(kinds, edge_kinds, self.fonts, wide=columns)
        item.setPos(x, y)
        self.addItem(item)
        return item

    def fit_rect(self, margin: float = 24.0) -> QRectF:
        return self.itemsBoundingRect().adjusted(-margin, -margin, margin, margin)


# ---------------------------------------------------------------------------------------------- the view
class ArchCanvas(QGraphicsView):
    """Shows an ArchScene: drag to pan, Ctrl+wheel to zoom, fits itself to the picture until the user zooms.
    node_clicked(key, node) on a click that is not a drag."""
    node_clicked = Signal(str, str)
    MIN_FIT = 0.6    # below this the picture is shown at READABLE and scrolled, not shrunk
    READABLE = 0.85

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.auto_fit = True
        self._press = None

    # clicks
    def mousePressEvent(self, event) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.LeftButton:
            return
        if (event.position().toPoint() - press).manhattanLength() > 5:
            return   # a drag
        item = self.item_at(press)
        if item is not None:
            self.node_clicked.emit(item.key, item.node)

    def item_at(self, point):
        """The node or block under a viewport point (a node before the block around it); None elsewhere."""
        for item in self.items(point):
            while item is not None and not isinstance(item, (NodeItem, BlockItem)):
                item = item.parentItem()
            if isinstance(item, NodeItem):
                return item
        for item in self.items(point):
            if isinstance(item, BlockItem):
                return item
        return None

    # zoom
    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
        else:
            super().wheelEvent(event)

    def zoom(self, factor: float) -> None:
        self.auto_fit = False
        scale = self.transform().m11() * factor
        if 0.1 <= scale <= 4.0:
            self.scale(factor, factor)

    def actual_size(self) -> None:
        self.auto_fit = False
        self.resetTransform()

    def fit(self) -> None:
        """The whole picture when it stays readable (never enlarged past 1.25), else readable from the top."""
        self.auto_fit = True
        scene = self.scene()
        if scene is None:
            return
        rect = scene.sceneRect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.width() < 10 or view.height() < 10:
            return
        scale = min(view.width() / rect.width(), view.height() / rect.height(), 1.25)
        self.resetTransform()
        if scale >= self.MIN_FIT:
            self.scale(scale, scale)
            self.centerOn(rect.center())
        else:
            self.scale(self.READABLE, self.READABLE)
            self.centerOn(QPointF(rect.center().x(), rect.top() + view.height() / self.READABLE / 2))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()

    def reveal(self, item: QGraphicsItem) -> None:
        """Scroll so that `item` is on screen (when it is not already)."""
        rect = item.sceneBoundingRect()
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if not visible.contains(rect):
            self.ensureVisible(rect, 40, 40)


def render_png(scene: QGraphicsScene, path, scale: float = 2.0, extra=None):
    """The whole scene (and `extra(painter, x, y) -> (w, h)` beside it) as a PNG, atomically; the path written."""
    from PySide6.QtGui import QImage, QImageWriter

    from engine.errors import ExportError
    from engine.files import atomic_write, writable_target

    writable_target(path, ".png")
    source = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
    extra_w, extra_h = extra.size() if extra is not None else (0, 0)
    width = source.width() + (extra_w + 30 if extra_w else 0)
    height = max(source.height(), extra_h)
    if width <= 0 or height <= 0:
        raise ExportError(translate("arch_scene", "There is nothing to export yet: no graph is drawn."))
    image = QImage(int(width * scale), int(height * scale), QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    painter.scale(scale, scale)
    scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    if extra is not None:
        extra.paint(painter, source.width() + 20, 0)
    painter.end()

    def write(temporary) -> None:
        writer = QImageWriter(str(temporary), b"png")
        if not writer.write(image):
            raise ExportError(translate("arch_scene", "The PNG could not be encoded ({reason}).").format(
                reason=writer.errorString()))

    return atomic_write(path, write, ".png")


def render_svg(scene: QGraphicsScene, path, title: str = "PLM Explorer", extra=None):
    """The whole scene (and `extra` beside it) as SVG vectors, made in memory, checked, written atomically."""
    from PySide6.QtCore import QBuffer, QIODevice, QRect, QSize
    from PySide6.QtSvg import QSvgGenerator

    from engine.errors import ExportError
    from engine.files import atomic_write, writable_target

    writable_target(path, ".svg")
    source = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
    extra_w, extra_h = extra.size() if extra is not None else (0, 0)
    width = int(source.width() + (extra_w + 30 if extra_w else 0))
    height = int(max(source.height(), extra_h))
    if width <= 0 or height <= 0:
        raise ExportError(translate("arch_scene", "There is nothing to export yet: no graph is drawn."))
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle(title)
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
    scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    if extra is not None:
        extra.paint(painter, source.width() + 20, 0)
    painter.end()
    buffer.close()
    data = bytes(buffer.data())
    if b"<svg" not in data or not data.rstrip().endswith(b"</svg>"):
        raise ExportError(translate("arch_scene", "The graph could not be drawn as SVG (the generator produced no "
                                                "document)."))

    def write(temporary) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)

    return atomic_write(path, write, ".svg")
