"""Attention: the query x key heatmap with layer and head selectors, the all-heads grid and the head-lines view."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget)

from explorer.session import (as_matrix, attention_title, format_value, head_title, is_pattern, layer_of,
                              same_step_in_layer)
from explorer.views.base import StepContext, View
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import Graveyard, add_label, layout_widget

HEAD_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"]


def layers_of(ctx: StepContext) -> list[int]:
    where = layer_of(ctx.name)
    if where is None:
        return []
    out, i = [], 0
    while same_step_in_layer(ctx.name, i) in ctx.cache:
        out.append(i)
        i += 1
    return out


def qk_labels(ctx: StepContext, shape) -> tuple[list[str], list[str]]:
    return ctx.tokens_for("q_pos", shape[0]), ctx.tokens_for("k_pos", shape[1])


def mode_for(key: str, name: str) -> str:
    return "prob" if is_pattern(name) else "signed"


class LayerHeadBar(QWidget):
    """A layer combo and a head spin box. They show layers and heads counted from 1; the signals carry 0-based
    indices."""
    layer_changed = Signal(int)   # 0-based layer
    head_changed = Signal(int)    # 0-based head

    def __init__(self):
        super().__init__()
        self.layer = QComboBox()
        self.head = QSpinBox()
        self.head.setPrefix("head ")
        self.head.setMinimum(1)
        self.head.setKeyboardTracking(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title, 1)
        layout.addWidget(QLabel("layer"))
        layout.addWidget(self.layer)
        layout.addWidget(self.head)
        self._layers: list[int] = []
        self.layer.activated.connect(self._layer_activated)
        self.head.valueChanged.connect(self._head_value)

    def _layer_activated(self, index: int) -> None:
        if 0 <= index < len(self._layers):
            self.layer_changed.emit(self._layers[index])

    def _head_value(self, value: int) -> None:
        self.head_changed.emit(value - 1)

    def update_for(self, ctx: StepContext, heads: int) -> None:
        self._layers = layers_of(ctx)
        where = layer_of(ctx.name)
        self.layer.blockSignals(True)
        self.layer.clear()
        self.layer.addItems([f"{i + 1}" for i in self._layers])
        if where is not None and where[1] in self._layers:
            self.layer.setCurrentIndex(self._layers.index(where[1]))
        self.layer.blockSignals(False)
        self.head.blockSignals(True)
        self.head.setRange(1, max(heads, 1))
        self.head.setValue(min(ctx.head, heads - 1) + 1)
        self.head.blockSignals(False)


class HeadView(View):
    """A view of one head at a time, with the layer/head bar: it follows the state's head and layer."""

    def shown_key(self) -> tuple:
        return super().shown_key() + (self.state.head,)

    def _choose_layer(self, layer: int) -> None:
        if self.ctx is not None:
            self.state.go_to(same_step_in_layer(self.ctx.name, layer), self.name)

    def _choose_head(self, head: int) -> None:
        self.state.set_head(head)


def heads_of(step) -> int:
    return int(step.shape[step.dims.index("head")]) if step is not None and "head" in step.dims else 1


class AttentionView(HeadView):
    name, title = "attention", "Attention"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.bar = LayerHeadBar()
        self.heatmap = Heatmap()
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.heatmap, 1)
        self.bar.layer_changed.connect(self._choose_layer)
        self.bar.head_changed.connect(self._choose_head)

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        step = ctx.step
        heads = heads_of(step)
        self.bar.update_for(ctx, heads)
        head = min(ctx.head, heads - 1)
        arr = step.tensor.float().numpy() if step.tensor.is_floating_point() else step.tensor.numpy()
        mat, _ = as_matrix(arr, step.dims, head)
        rows, cols = qk_labels(ctx, mat.shape)
        mode = "bool" if mat.dtype == bool else mode_for(step.key, step.name)
        self.bar.title.setText(f"<b>{ctx.name}</b>  shape {tuple(step.shape)} · rows: queries, columns: keys")
        self.heatmap.set_matrix(mat, rows, cols, mode=mode, row_name="query", col_name="key",
                                title=f"{attention_title(ctx.name)} · {head_title(head)}")


class GridView(View):
    """Layers x heads thumbnails of the current attention step; click one to open it."""
    name, title = "grid", "All heads"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.graveyard = Graveyard()
        self.canvas = layout_widget()
        self.info = QLabel("click a thumbnail to open that layer and head")
        self.info.setWordWrap(True)
        self.readout = QLabel("hover a thumbnail to read a value")
        self.readout.setTextFormat(Qt.PlainText)   # token labels such as <s> are text, not markup
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        self.cells: list[tuple[pg.ViewBox, int, int, np.ndarray]] = []   # (box, layer, head, the shown matrix)
        self.canvas.scene().sigMouseClicked.connect(self._clicked)
        self.canvas.scene().sigMouseMoved.connect(self._hovered)

    def shown_key(self) -> tuple:
        return super().shown_key() + (self.state.head,)   # the chosen head is framed

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        self.graveyard.clear_layout(self.canvas)
        self.cells = []
        layers = layers_of(ctx) or [None]
        cmap = pg.colormap.get("viridis")
        for row, layer in enumerate(layers):
            name = same_step_in_layer(ctx.name, layer) if layer is not None else ctx.name
            step = ctx.cache.step(name)
            arr = step.tensor.float().numpy()
            heads = arr.shape[step.dims.index("head")] if "head" in step.dims else 1
            label = add_label(self.canvas, f"L{layer + 1 if layer is not None else ''}", row=row, col=0)
            label.setFixedWidth(28)
            for h in range(min(heads, 32)):
                mat, _ = as_matrix(arr, step.dims, h)
                shown = np.where(mat <= np.finfo(np.float32).min / 2, np.nan, mat)
                box = self.canvas.addViewBox(row=row, col=h + 1, lockAspect=True, enableMouse=False)
                box.invertY(True)
                image = pg.ImageItem(shown, axisOrder="row-major")
                image.setColorMap(cmap)
                finite = shown[np.isfinite(shown)]
                if is_pattern(name):
                    image.setLevels((0, 1))
                elif finite.size:
                    image.setLevels((float(finite.min()), float(finite.max()) + 1e-12))
                box.addItem(image)
                if layer is not None and layer == (layer_of(ctx.name) or (None, -1))[1] and h == ctx.head:
                    frame = pg.QtWidgets.QGraphicsRectItem(0, 0, mat.shape[1], mat.shape[0])
                    frame.setPen(pg.mkPen("#ff00ff", width=3))
                    box.addItem(frame)
                self.cells.append((box, layer, h, mat))
        for h in range(min(heads, 32)):
            add_label(self.canvas, f"h{h + 1}", row=len(layers), col=h + 1)
        self.info.setText(f"{ctx.cache.step(ctx.name).key} for every layer (rows, L1 first) and head (columns, h1 "
                          f"first) · colour: viridis, {'0 → 1' if is_pattern(ctx.name) else 'min → max per head'} · "
                          "click one to open it")

    def _clicked(self, event) -> None:
        for box, layer, head, _ in self.cells:
            if box.sceneBoundingRect().contains(event.scenePos()):
                self.open(layer, head)
                return

    def _hovered(self, scene_pos) -> None:
        """The value under the cursor, read from the cached matrix the thumbnail shows."""
        for box, layer, head, mat in self.cells:
            if not box.sceneBoundingRect().contains(scene_pos):
                continue
            point = box.mapSceneToView(scene_pos)
            row, col = int(np.floor(point.y())), int(np.floor(point.x()))
            if 0 <= row < mat.shape[0] and 0 <= col < mat.shape[1]:
                queries = self.ctx.tokens_for("q_pos", mat.shape[0])
                keys = self.ctx.tokens_for("k_pos", mat.shape[1])
                where = f"layer {layer + 1} · " if layer is not None else ""
                self.readout.setText(f"{where}{head_title(head)} · query {row} [{queries[row]}] → key {col} "
                                     f"[{keys[col]}]: {format_value(float(mat[row, col]))}")
            return

    def open(self, layer, head) -> None:
        """Open one thumbnail's layer and head in the attention view."""
        name = same_step_in_layer(self.ctx.name, layer) if layer is not None else self.ctx.name
        self.state.go_to(name, "attention")
        self.state.set_head(head)


class LinesCanvas(QWidget):
    """Tokens on the left (queries) and right (keys); a line per weight, thickness by weight, one colour per head."""

    def __init__(self):
        super().__init__()
        self.setMouseTracking(True)
        self.left_tokens: list[str] = []
        self.right_tokens: list[str] = []
        self.weights: dict[int, np.ndarray] = {}   # head -> (q, k)
        self.focus: int | None = None
        self.setMinimumHeight(200)

    def set_data(self, left, right, weights) -> None:
        self.left_tokens, self.right_tokens, self.weights = left, right, weights
        self.update()

    def _row_y(self, i: int, n: int) -> float:
        top, bottom = 30, self.height() - 20
        return top + (bottom - top) * (i + 0.5) / max(n, 1)

    def mouseMoveEvent(self, event):
        x, y = event.position().x(), event.position().y()
        n = len(self.left_tokens)
        focus = None
        if n and x < self.width() * 0.35:
            i = int((y - 30) / max((self.height() - 50) / n, 1))
            focus = i if 0 <= i < n else None
        if focus != self.focus:
            self.focus = focus
            self.update()

    def leaveEvent(self, event):
        self.focus = None
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        w = self.width()
        xl, xr = w * 0.3, w * 0.7
        nq, nk = len(self.left_tokens), len(self.right_tokens)
        font = QFont()
        font.setPointSize(10 if max(nq, nk, 1) < 40 else 7)
        painter.setFont(font)
        painter.setPen(QColor("#333"))
        painter.drawText(QRectF(0, 2, xl - 8, 24), Qt.AlignRight | Qt.AlignVCenter, "queries")
        painter.drawText(QRectF(xr + 8, 2, w - xr - 8, 24), Qt.AlignLeft | Qt.AlignVCenter, "keys")
        step = max(1, max(nq, nk) // 60)
        for i, t in enumerate(self.left_tokens):
            if i % step == 0 or i == self.focus:
                painter.setPen(QColor("#c00") if i == self.focus else QColor("#222"))
                painter.drawText(QRectF(0, self._row_y(i, nq) - 9, xl - 8, 18), Qt.AlignRight | Qt.AlignVCenter, t)
        painter.setPen(QColor("#222"))
        for j, t in enumerate(self.right_tokens):
            if j % step == 0:
                painter.drawText(QRectF(xr + 8, self._row_y(j, nk) - 9, w - xr - 8, 18),
                                 Qt.AlignLeft | Qt.AlignVCenter, t)
        for head, mat in self.weights.items():
            colour = QColor(HEAD_COLOURS[head % len(HEAD_COLOURS)])
            rows = [self.focus] if self.focus is not None else range(mat.shape[0])
            for i in rows:
                if i >= mat.shape[0]:
                    continue
                for j in range(mat.shape[1]):
                    weight = float(mat[i, j])
                    if not np.isfinite(weight) or weight < 0.02:
                        continue
                    colour.setAlphaF(min(1.0, 0.15 + 0.85 * weight))
                    painter.setPen(QPen(colour, max(0.5, 8 * weight)))
                    painter.drawLine(QPointF(xl, self._row_y(i, nq)), QPointF(xr, self._row_y(j, nk)))
        painter.end()


class LinesView(HeadView):
    name, title = "lines", "Head lines"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.bar = LayerHeadBar()
        self.bar.head.hide()
        self.checks_box = QHBoxLayout()
        self.checks: list[QCheckBox] = []
        self.canvas = LinesCanvas()
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(self.checks_box)
        layout.addWidget(self.canvas, 1)
        legend = QLabel("line thickness = attention weight (weights < 0.02 hidden) · hover a query token "
                        "to isolate its row · tick heads to overlay them in their colours")
        legend.setWordWrap(True)   # a long label must not set the window's minimum width
        layout.addWidget(legend)
        self.bar.layer_changed.connect(self._choose_layer)

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        step = ctx.step
        heads = heads_of(step)
        self.bar.update_for(ctx, heads)
        self.bar.title.setText(f"<b>{ctx.name}</b>")
        if len(self.checks) != heads:
            for c in self.checks:
                c.deleteLater()
            self.checks = []
            for h in range(heads):
                c = QCheckBox(f"h{h + 1}")
                c.setStyleSheet(f"color: {HEAD_COLOURS[h % len(HEAD_COLOURS)]}; font-weight: bold;")
                c.stateChanged.connect(self._redraw)
                self.checks_box.addWidget(c)
                self.checks.append(c)
            self.checks_box.addStretch(1)
        for h, c in enumerate(self.checks):
            c.blockSignals(True)
            c.setChecked(h == min(ctx.head, heads - 1))
            c.blockSignals(False)
        self._redraw()

    def _redraw(self, *_):
        ctx = self.ctx
        step = ctx.step
        arr = step.tensor.float().numpy()
        weights = {}
        for h, c in enumerate(self.checks):
            if c.isChecked():
                mat, _ = as_matrix(arr, step.dims, h)
                if not is_pattern(step.name):   # show scores as their row softmax would weigh them
                    mat = np.where(mat <= np.finfo(np.float32).min / 2, np.nan, mat)
                    mat = np.nan_to_num((mat - np.nanmin(mat)) / (np.nanmax(mat) - np.nanmin(mat) + 1e-12))
                weights[h] = mat
        shape = as_matrix(arr, step.dims, 0)[0].shape
        left, right = qk_labels(ctx, shape)
        self.canvas.set_data(left, right, weights)
