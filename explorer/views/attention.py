"""Attention: the query x key heatmap with layer and head selectors, the all-heads grid and the head-lines view."""
from __future__ import annotations

import warnings

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLineF, QT_TRANSLATE_NOOP, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget)

from explorer.session import (as_matrix, attention_title, format_value, head_title, is_pattern, layer_of,
                              same_step_in_layer)
from explorer.i18n import mark_data, translate
from explorer.views.base import StepContext, View
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import Graveyard, add_label, follow_language, layout_widget
from explorer.widgets.token_axis import nice_step

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
        self.head.setMinimum(1)
        self.head.setKeyboardTracking(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title, 1)
        self.layer_label = QLabel()
        layout.addWidget(self.layer_label)
        layout.addWidget(self.layer)
        layout.addWidget(self.head)
        self._layers: list[int] = []
        self.retranslate()
        self.layer.activated.connect(self._layer_activated)
        self.head.valueChanged.connect(self._head_value)

    def retranslate(self) -> None:
        self.head.setPrefix(translate("attention", "head "))
        self.layer_label.setText(translate("attention", "layer"))

    def changeEvent(self, event) -> None:   # noqa: N802 - Qt's name
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _layer_activated(self, index: int) -> None:
        if 0 <= index < len(self._layers):
            self.layer_changed.emit(self._layers[index])

    def _head_value(self, value: int) -> None:
        self.head_changed.emit(value - 1)

    def update_for(self, ctx: StepContext, heads: int) -> None:
        # only what changed is set: an unchanged combo or spin box is not repainted (a head change stays cheap)
        layers = layers_of(ctx)
        where = layer_of(ctx.name)
        self.layer.blockSignals(True)
        if layers != self._layers:
            self._layers = layers
            self.layer.clear()
            self.layer.addItems([f"{i + 1}" for i in layers])
        if where is not None and where[1] in layers and self.layer.currentIndex() != layers.index(where[1]):
            self.layer.setCurrentIndex(layers.index(where[1]))
        self.layer.blockSignals(False)
        self.head.blockSignals(True)
        if self.head.maximum() != max(heads, 1):
            self.head.setRange(1, max(heads, 1))
        if self.head.value() != min(ctx.head, heads - 1) + 1:
            self.head.setValue(min(ctx.head, heads - 1) + 1)
        self.head.blockSignals(False)

    def set_title(self, text: str) -> None:
        if self.title.text() != text:
            self.title.setText(text)


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
    name, title = "attention", QT_TRANSLATE_NOOP("views", "Attention")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.bar = LayerHeadBar()
        self.heatmap = Heatmap()
        # long inputs: a window of rows around one query, every key still in view (click a cell to pick it)
        self.near = QCheckBox()
        self.query_box = QSpinBox()   # positions from 0, as the token labels count them
        self.query_box.setKeyboardTracking(False)
        near = QHBoxLayout()
        near.setContentsMargins(0, 0, 0, 0)
        near.addWidget(self.near)
        near.addWidget(self.query_box)
        near.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(near)
        layout.addWidget(self.heatmap, 1)
        self.bar.layer_changed.connect(self._choose_layer)
        self.bar.head_changed.connect(self._choose_head)
        self.near.toggled.connect(self._show_near)
        self.query_box.valueChanged.connect(self._query_chosen)
        self.heatmap.cell_clicked.connect(self._cell_clicked)
        state.events.selection.connect(self._selection_changed)
        self.retranslate()
        follow_language(self, self.retranslate)

    NEAR_ROWS = 32

    def retranslate(self) -> None:
        self.bar.retranslate()
        self.heatmap.retranslate()
        self.near.setText(translate("attention", "only the {count} rows around query").format(count=self.NEAR_ROWS))
        self.near.setToolTip(translate("attention", "a window of rows around the chosen query; click a cell to "
                                                    "choose its query"))

    def _cell_clicked(self, row: int, col: int) -> None:
        self.state.select(row, col)

    def _query_chosen(self, query: int) -> None:
        self.state.select(query, self.state.key)

    def _selection_changed(self, _cell) -> None:
        if self.ctx is None or self.state.query is None:
            return
        self.query_box.blockSignals(True)
        self.query_box.setValue(min(self.state.query, self.query_box.maximum()))
        self.query_box.blockSignals(False)
        if self.near.isChecked():   # (otherwise the user's own zoom stays)
            self._show_near()

    def _show_near(self, *_) -> None:
        """The window of rows around the query when asked for, else the whole matrix."""
        if self.near.isChecked():
            query = self.query_box.value()
            self.heatmap.show_rows(query - self.NEAR_ROWS // 2, query + self.NEAR_ROWS // 2 - 1)
        else:
            self.heatmap.reset_view()

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
        title = translate("attention", "<b>{name}</b>  shape {shape} · rows: queries, columns: keys")
        self.bar.set_title(title.format(name=ctx.name, shape=tuple(step.shape)))
        self.heatmap.set_matrix(mat, rows, cols, mode=mode, row_name="query", col_name="key",
                                title=f"{attention_title(ctx.name)} · {head_title(head)}")
        if self.query_box.maximum() != mat.shape[0] - 1:
            self.query_box.blockSignals(True)
            self.query_box.setRange(0, mat.shape[0] - 1)
            self.query_box.setValue(min(self.state.query or 0, mat.shape[0] - 1))
            self.query_box.blockSignals(False)
        if self.near.isChecked():   # (a new size of matrix resets the view)
            self._show_near()


def head_slice(arr: np.ndarray, dims: tuple[str, ...], head: int) -> np.ndarray:
    """as_matrix's (rows, cols) slice of batch 0 and one head, as a view into `arr` (no copy)."""
    index = []
    for d in dims:
        if d == "batch":
            index.append(0)
        elif d == "head":
            index.append(min(head, arr.shape[len(index)] - 1))
        else:
            index.append(slice(None))
    mat = arr[tuple(index)]
    while mat.ndim > 2:
        mat = mat[0]
    return mat if mat.ndim == 2 else mat.reshape(1, -1)


BLANK = 255          # the mosaic's colour index of gaps and masked cells (white)
_LUT = None


def mosaic_lut() -> np.ndarray:
    """(256, 4) uint8 RGBA: viridis in 0..254, white at BLANK."""
    global _LUT
    if _LUT is None:
        _LUT = np.empty((256, 4), dtype=np.uint8)
        _LUT[:255] = pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 255, alpha=True)
        _LUT[BLANK] = 255
    return _LUT


def heads_view(tensor, dims: tuple[str, ...], heads: int):
    """A recorded (batch, head, rows, cols)-like tensor -> (heads, rows, cols): batch 0, the first `heads` heads,
    as a view (no copy)."""
    index, head_axis = [], None
    for d in dims:
        if d == "batch":
            index.append(0)
        elif d == "head":
            head_axis = len([i for i in index if not isinstance(i, int)])
            index.append(slice(0, heads))
        else:
            index.append(slice(None))
    view = tensor[tuple(index)]
    if head_axis is None:
        view = view[None]
        head_axis = 0
    view = view.movedim(head_axis, 0)
    while view.dim() > 3:
        view = view[:, 0]
    return view if view.dim() == 3 else view.reshape(view.shape[0], 1, -1)


def thumbnails(view, factor: int) -> np.ndarray:
    """(H, rows, cols) tensor -> (H, ceil(rows/f), ceil(cols/f)) float32: the largest value of each f x f block
    (a thin bright line stays visible), masked cells (finfo.min) NaN, and NaN only where a whole block is (a
    block's max ignores its masked cells, which hold the most negative float). One max-pool pass, no copy first."""
    import torch

    view = view.float()
    if factor > 1:
        view = torch.nn.functional.max_pool2d(view[None], factor, ceil_mode=True)[0]
    out = view.numpy()
    masked = out <= np.finfo(np.float32).min / 2
    if masked.any():
        out = np.where(masked, np.nan, out)
    return out


class Thumb:
    """Where one thumbnail sits in the grid's mosaic (the interface of the ViewBox each thumbnail used to be):
    thumbnail coordinates are (column, row) of the full matrix. Holds the mosaic's ViewBox, not the grid (no
    reference cycle through the view)."""

    def __init__(self, box, x0: float, y0: float, shape: tuple[int, int]):
        self.box, self.x0, self.y0, self.shape = box, x0, y0, shape

    def origin(self) -> tuple[float, float]:
        return self.x0, self.y0

    def mapViewToScene(self, point):   # noqa: N802 - Qt's spelling
        return self.box.mapViewToScene(QPointF(self.x0 + point.x(), self.y0 + point.y()))

    def mapSceneToView(self, scene_pos):   # noqa: N802
        point = self.box.mapSceneToView(scene_pos)
        return QPointF(point.x() - self.x0, point.y() - self.y0)

    def sceneBoundingRect(self) -> QRectF:   # noqa: N802
        rows, cols = self.shape
        return self.box.mapViewToScene(QRectF(self.x0, self.y0, cols, rows)).boundingRect()


class GridView(View):
    """Layers x heads thumbnails of the current attention step; click one to open it.

    One image: every thumbnail is coloured at once (numpy, a lookup table) into a single mosaic, shown by one
    ImageItem; a head or layer change moves the frame only, another step of the same layers recolours the mosaic.
    Thumbnails of long inputs are reduced to at most THUMB pixels a side (the largest value of each block);
    hovering still reads the exact value from the cache."""
    name, title = "grid", QT_TRANSLATE_NOOP("views", "All heads")
    THUMB = 128
    MAX_HEADS = 32

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.graveyard = Graveyard()
        self.canvas = layout_widget()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setTextFormat(Qt.PlainText)   # token labels such as <s> are text, not markup
        self.scaling = QComboBox()   # shared: thumbnails comparable; own: each one's pattern visible
        self.scaling.addItem("", "shared")
        self.scaling.addItem("", "own")
        self.scaling.currentIndexChanged.connect(self._scaling_chosen)
        self.scale_text = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.scaling)
        top.addWidget(self.scale_text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        self.caption = add_label(self.canvas, " ", row=0, col=0)
        self.box = self.canvas.addViewBox(row=1, col=0, lockAspect=True, enableMouse=False)
        self.box.invertY(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.image)
        self.frame = pg.QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self.frame.setPen(pg.mkPen("#ff00ff", width=3))
        self.frame.setVisible(False)
        self.box.addItem(self.frame)
        self.labels: list = []          # the L1.. and h1.. text items in the mosaic
        self.cells: list[tuple[Thumb, int | None, int, np.ndarray]] = []   # (where, layer, head, the full matrix)
        self.layers: list[int | None] = []
        self.heads = 0
        self.shape = (1, 1)             # (rows, cols) of one thumbnail's matrix
        self.pitch = 1.0                # view units from one thumbnail to the next (matrix cells + the gap)
        self._drawn = None              # (generation, the step names shown): what the mosaic holds
        self._labelled = None           # the layout the labels were placed for
        self.shown_range = (0.0, 1.0)   # (low, high) of the colour scale: shared, or the extremes of the own ones
        self.canvas.scene().sigMouseClicked.connect(self._clicked)
        self.canvas.scene().sigMouseMoved.connect(self._hovered)
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.info.setText(translate("attention", "click a thumbnail to open that layer and head"))
        self.readout.setText(translate("attention", "hover a thumbnail to read a value"))
        mark_data(self.readout, False)
        self.scaling.setItemText(0, translate("attention", "one colour scale for all heads"))
        self.scaling.setItemText(1, translate("attention", "each thumbnail its own scale"))
        self._drawn = None   # the captions are written while drawing

    def shown_key(self) -> tuple:
        return super().shown_key() + (self.state.head, self.scaling.currentData())   # the chosen head is framed

    def _scaling_chosen(self, _index: int) -> None:
        self.refresh()

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        layers = layers_of(ctx) or [None]
        names = tuple(same_step_in_layer(ctx.name, layer) if layer is not None else ctx.name for layer in layers)
        drawn = (self.state.generation, names, self.scaling.currentData())
        if drawn != self._drawn:
            self._draw(ctx, layers, names)
            self._drawn = drawn
        self._place_frame(ctx)

    def _draw(self, ctx: StepContext, layers: list, names: tuple) -> None:
        steps = [ctx.cache.step(name) for name in names]
        dims = steps[0].dims
        heads = min(int(steps[0].shape[dims.index("head")]) if "head" in dims else 1, self.MAX_HEADS)
        pattern = is_pattern(ctx.name)
        rows, cols = head_slice(np.broadcast_to(np.uint8(0), steps[0].shape), dims, 0).shape
        factor = max(1, int(np.ceil(max(rows, cols) / self.THUMB)))
        mats, reduced = [], []
        for step in steps:   # one layer at a time: only the reduced thumbnails are kept together
            tensor = step.tensor.float()
            arr = tensor.numpy()
            mats.append([head_slice(arr, dims, h) for h in range(heads)])   # views into the cache, no copies
            reduced.append(thumbnails(heads_view(tensor, dims, heads), factor))
        shared = self.scaling.currentData() == "shared"
        index, (lo, hi) = self._colour(np.stack(reduced), pattern, shared)          # (L, H, r', c') uint8
        n_layers = len(layers)
        t_r, t_c = index.shape[2], index.shape[3]
        gap = max(1, max(t_r, t_c) // 16)
        cell = max(t_r, t_c) + gap
        mosaic = np.full((n_layers * cell, heads * cell), BLANK, dtype=np.uint8)
        mosaic.reshape(n_layers, cell, heads, cell)[:, :t_r, :, :t_c] = index.transpose(0, 2, 1, 3)
        # uint8 indices and a 256-colour table: Qt draws it as an indexed image, no per-pixel colouring here
        self.image.setImage(mosaic, levels=(0, 255), lut=mosaic_lut(), autoLevels=False)
        self.pitch = cell * factor
        self.image.setRect(QRectF(0, 0, heads * self.pitch, n_layers * self.pitch))
        self.shape = (rows, cols)
        self.layers = layers
        self.heads = heads
        self.cells = [(Thumb(self.box, h * self.pitch, i * self.pitch, (rows, cols)), layer, h, mats[i][h])
                      for i, layer in enumerate(layers) for h in range(heads)]
        if (n_layers, heads, tuple(layers), self.pitch) != self._labelled:
            self._label(layers, heads)
            self._labelled = (n_layers, heads, tuple(layers), self.pitch)
            self.box.setRange(QRectF(-0.06 * self.pitch * heads, -0.06 * self.pitch * n_layers,
                                     self.pitch * heads * 1.08, self.pitch * n_layers * 1.08), padding=0)
        head_text = f"h1 … h{heads}" if heads > 1 else "h1"
        layer_text = f"L1 … L{n_layers}" if layers[0] is not None and n_layers > 1 else "L1"
        caption = translate("attention", "rows: layers {layers} · columns: heads {heads}").format(layers=layer_text,
                                                                                                 heads=head_text)
        if factor > 1:
            caption += translate("attention", " · thumbnails reduced {factor}x (largest of each block)").format(
                factor=factor)
        self.caption.setText(caption)
        self.info.setText(translate("attention", "{step} for every layer (rows, L1 first) and head (columns, h1 "
                                                 "first) · click one to open it").format(step=steps[0].key))
        low = "0" if pattern else format_value(float(lo.min()))
        self.shown_range = (float(lo.min()), float(hi.max()))
        largest = format_value(float(hi.max()))
        if shared:
            scale = translate("attention", "colour (viridis): {low} … max {high}, the same for every thumbnail")
        elif pattern:
            scale = translate("attention", "colour (viridis): each thumbnail from 0 to its own max (the largest: "
                                           "{high}; hover to read values)")
        else:
            scale = translate("attention", "colour (viridis): each thumbnail from its min to its own max (the "
                                           "largest: {high}; hover to read values)")
        self.scale_text.setText(scale.format(low=low, high=largest))

    @staticmethod
    def _colour(values: np.ndarray, pattern: bool, shared: bool = True) -> tuple[np.ndarray, tuple]:
        """(L, H, r, c) values (NaN: masked) -> ((L, H, r, c) colour indices 0..254, (low, high)): one range for
        all thumbnails (shared) or each its own; patterns start at 0, other steps at their min; masked BLANK.
        low and high are arrays that broadcast over the thumbnails."""
        axes = (0, 1, 2, 3) if shared else (2, 3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # a thumbnail masked everywhere
            hi = np.nan_to_num(np.nanmax(values, axis=axes, keepdims=True), nan=1.0)
            lo = np.zeros_like(hi) if pattern else np.nan_to_num(np.nanmin(values, axis=axes, keepdims=True))
        with np.errstate(all="ignore"):   # (NaN cells are cast to anything, then set BLANK)
            scaled = values - lo
            scaled *= 254.0 / np.maximum(hi - lo, 1e-12)
            np.clip(scaled, 0, 254, out=scaled)
            index = scaled.astype(np.uint8)
        index[np.isnan(values)] = BLANK
        return index, (lo, hi)

    def _label(self, layers: list, heads: int) -> None:
        for item in self.labels:
            if item.scene() is not None:
                self.box.removeItem(item)
        self.graveyard.bury(self.labels)
        self.labels = []
        for i, layer in enumerate(layers):
            text = pg.TextItem(f"L{layer + 1}" if layer is not None else "", color="k", anchor=(1, 0.5))
            text.setPos(-0.02 * self.pitch, (i + 0.45) * self.pitch)
            self.box.addItem(text)
            self.labels.append(text)
        for h in range(heads):
            text = pg.TextItem(f"h{h + 1}", color="k", anchor=(0.5, 1))
            text.setPos((h + 0.45) * self.pitch, -0.01 * self.pitch)
            self.box.addItem(text)
            self.labels.append(text)

    def _place_frame(self, ctx: StepContext) -> None:
        where = layer_of(ctx.name)
        layer = where[1] if where is not None else None
        chosen = min(ctx.head, max(self.heads - 1, 0))
        for thumb, cell_layer, head, mat in self.cells:
            if cell_layer == layer and head == chosen:
                x0, y0 = thumb.origin()
                self.frame.setRect(QRectF(x0, y0, mat.shape[1], mat.shape[0]))
                self.frame.setVisible(True)
                return
        self.frame.setVisible(False)

    def cell_at(self, scene_pos):
        """(thumb, layer, head, matrix, row, col) under a scene position, or None."""
        if not self.cells:
            return None
        point = self.box.mapSceneToView(scene_pos)
        x, y = point.x(), point.y()
        if x < 0 or y < 0:
            return None
        h, i = int(x // self.pitch), int(y // self.pitch)
        if h >= self.heads or i >= len(self.layers):
            return None
        thumb, layer, head, mat = self.cells[i * self.heads + h]
        col, row = int(np.floor(x - h * self.pitch)), int(np.floor(y - i * self.pitch))
        if 0 <= row < mat.shape[0] and 0 <= col < mat.shape[1]:
            return thumb, layer, head, mat, row, col
        return None

    def _clicked(self, event) -> None:
        found = self.cell_at(event.scenePos())
        if found is not None:
            self.open(found[1], found[2])

    def _hovered(self, scene_pos) -> None:
        """The value under the cursor, read from the cache (the full matrix, whatever the thumbnail shows)."""
        found = self.cell_at(scene_pos)
        if found is None:
            return
        _, layer, head, mat, row, col = found
        queries = self.ctx.tokens_for("q_pos", mat.shape[0])
        keys = self.ctx.tokens_for("k_pos", mat.shape[1])
        where = translate("attention", "layer {layer} · ").format(layer=layer + 1) if layer is not None else ""
        mark_data(self.readout)   # it names tokens
        self.readout.setText(where + translate("attention", "{head} · query {query} [{query_token}] → key {key} "
                                                            "[{key_token}]: {value}").format(
            head=head_title(head), query=row, query_token=queries[row], key=col, key_token=keys[col],
            value=format_value(float(mat[row, col]))))

    def open(self, layer, head) -> None:
        """Open one thumbnail's layer and head in the attention view."""
        name = same_step_in_layer(self.ctx.name, layer) if layer is not None else self.ctx.name
        self.state.go_to(name, "attention")
        self.state.set_head(head)


class LinesCanvas(QWidget):
    """Tokens on the left (queries) and right (keys); a line per weight, thickness by weight, one colour per head.

    Which lines: every weight >= MIN_WEIGHT while there are at most ALL_UP_TO query tokens; beyond that only the
    top_k(T) strongest links of each query token (the rule is written on the canvas), so a long input stays a
    readable fan rather than a solid mass; all of a hovered row. Lines are chosen with numpy when the data changes
    and drawn in batches of one pen each (weights rounded to LEVELS steps of thickness and opacity): a paint costs
    a few drawLines calls, not one Python iteration per (query, key)."""
    MIN_WEIGHT = 0.02
    TOP = 44   # px above the first row: the rule, then the column titles
    ALL_UP_TO = 32
    TOP_K = ((128, 3), (256, 2))   # (up to this many tokens, links per query token); beyond: 1
    SMOOTH_UP_TO = 150   # antialiased when at most this many lines are drawn (6x dearer for thick lines)
    LEVELS = 24

    def __init__(self):
        super().__init__()
        self.setMouseTracking(True)
        self.left_tokens: list[str] = []
        self.right_tokens: list[str] = []
        self.weights: dict[int, np.ndarray] = {}   # head -> (q, k)
        self.focus: int | None = None
        self.hidden = 0                            # links >= MIN_WEIGHT the rule left out (said on the canvas)
        self.drawn = 0                             # lines drawn by the last paint
        self.strongest = 1.0                       # the largest weight drawn by the last paint
        self.label_rects: dict[str, list[QRectF]] = {"left": [], "right": []}
        self._chosen: dict[tuple[int, int | None], tuple] = {}
        self.setMinimumHeight(200)

    def set_data(self, left, right, weights) -> None:
        self.left_tokens, self.right_tokens, self.weights = left, right, weights
        self._chosen = {}
        self.update()

    def _row_y(self, i, n: int):
        top, bottom = self.TOP, self.height() - 20
        return top + (bottom - top) * (np.asarray(i) + 0.5) / max(n, 1)

    def lines_of(self, head: int, focus: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """(query rows, key columns, weights, how many more were left out) of one head's drawn lines."""
        key = (head, focus)
        if key not in self._chosen:
            mat = self.weights[head]
            if focus is not None:
                if focus >= mat.shape[0]:
                    self._chosen[key] = (np.zeros(0, int), np.zeros(0, int), np.zeros(0), 0)
                    return self._chosen[key]
                row = np.nan_to_num(np.asarray(mat[focus], dtype=np.float64), nan=0.0)
                cols = np.flatnonzero(row >= self.MIN_WEIGHT)
                self._chosen[key] = (np.full(len(cols), focus), cols, row[cols], 0)
            else:
                w = np.nan_to_num(np.asarray(mat, dtype=np.float32), nan=0.0)
                shown = int(np.count_nonzero(w >= self.MIN_WEIGHT))
                if self.top_k(w.shape[0]) is None:
                    rows, cols = np.nonzero(w >= self.MIN_WEIGHT)
                else:   # each query row's TOP_K strongest, however weak (at 512 tokens a weight is ~1/512)
                    k = min(self.top_k(w.shape[0]), w.shape[1])
                    cols = w.argmax(axis=1) if k == 1 else np.argpartition(w, -k, axis=1)[:, -k:].ravel()
                    rows = np.repeat(np.arange(w.shape[0]), k)
                    some = w[rows, cols] > 0
                    rows, cols = rows[some], cols[some]
                values = w[rows, cols]
                left_out = shown - int(np.count_nonzero(values >= self.MIN_WEIGHT))   # links >= MIN_WEIGHT left out
                order = np.argsort(values, kind="stable")   # strong lines drawn last, on top
                self._chosen[key] = (rows[order], cols[order], values[order].astype(np.float64), left_out)
        return self._chosen[key]

    def top_k(self, queries: int) -> int | None:
        """How many links of each query token are drawn (None: all of them >= MIN_WEIGHT)."""
        if queries <= self.ALL_UP_TO:
            return None
        return next((k for most, k in self.TOP_K if queries <= most), 1)

    def rule(self) -> str:
        """Which lines are drawn, in words (on the canvas)."""
        k = self.top_k(len(self.left_tokens))
        if self.focus is not None:
            return translate("attention", "every link of query {query} ≥ {weight}").format(query=self.focus,
                                                                                           weight=self.MIN_WEIGHT)
        if k is None:
            return translate("attention", "every link ≥ {weight}").format(weight=self.MIN_WEIGHT)
        text = translate("attention", "top {count} links per query token") if k > 1 else \
            translate("attention", "top {count} link per query token")
        return text.format(count=k) + translate("attention", " · thickness relative to the strongest drawn "
                                                             "({strongest}) · hover a query for its whole row").format(
            strongest=format_value(self.strongest))

    def mouseMoveEvent(self, event):
        x, y = event.position().x(), event.position().y()
        n = len(self.left_tokens)
        focus = None
        if n and x < self.width() * 0.35:
            i = int((y - self.TOP) / max((self.height() - self.TOP - 20) / n, 1))
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
        head = QFontMetricsF(font).height()   # the rule on the first line, then the column titles
        painter.drawText(QRectF(0, head + 4, xl - 8, head), Qt.AlignRight | Qt.AlignVCenter,
                         translate("attention", "queries"))
        painter.drawText(QRectF(xr + 8, head + 4, w - xr - 8, head), Qt.AlignLeft | Qt.AlignVCenter,
                         translate("attention", "keys"))
        # labels thin out to one per line of text (the font's own height: the same at any screen scale)
        metrics = QFontMetricsF(font)
        spacing = (self.height() - self.TOP - 20) / max(nq, nk, 1)
        step = nice_step((metrics.height() + 1) / max(spacing, 1e-6))
        name = (lambda i, token: token) if step == 1 else (lambda i, token: f"{i} {token}")   # thinned: where
        self.label_rects = {"left": [], "right": []}   # what each drawn label covers (tests check no overlap)
        for side, tokens, n, x0, x1, align in (("left", self.left_tokens, nq, 0, xl - 8, Qt.AlignRight),
                                                ("right", self.right_tokens, nk, xr + 8, w, Qt.AlignLeft)):
            painter.setPen(QColor("#222"))
            for i in range(0, n, step):
                box = QRectF(x0, float(self._row_y(i, n)) - metrics.height() / 2, x1 - x0, metrics.height())
                painter.drawText(box, align | Qt.AlignVCenter, name(i, tokens[i]))
                self.label_rects[side].append(painter.boundingRect(box, align | Qt.AlignVCenter, name(i, tokens[i])))
        if self.focus is not None and self.focus < nq:   # the hovered query, over the thinned labels
            box = QRectF(0, float(self._row_y(self.focus, nq)) - metrics.height() / 2, xl - 8, metrics.height())
            painter.fillRect(painter.boundingRect(box, Qt.AlignRight | Qt.AlignVCenter,
                                                  name(self.focus, self.left_tokens[self.focus])), QColor("white"))
            painter.setPen(QColor("#c00"))
            painter.drawText(box, Qt.AlignRight | Qt.AlignVCenter, name(self.focus, self.left_tokens[self.focus]))
        left_out = 0
        chosen = {head: self.lines_of(head, self.focus) for head in self.weights}
        # few lines: antialiased and translucent; many: opaque colours mixed with white (translucent lines cost
        # Qt's raster engine 5-20x more, and a dense fan looks the same)
        smooth = sum(len(c[2]) for c in chosen.values()) <= self.SMOOTH_UP_TO
        painter.setRenderHint(QPainter.Antialiasing, smooth)
        # thickness: the weight itself, or (top-k links of a long input, all weak) relative to the strongest drawn
        self.strongest = max((float(c[2].max()) for c in chosen.values() if len(c[2])), default=1.0)
        relative = self.focus is None and self.top_k(nq) is not None and self.strongest > 0
        gain = 1.0 / self.strongest if relative else 1.0
        for head in self.weights:
            rows, cols, values, more = chosen[head]
            left_out += more
            if not len(values):
                continue
            y0, y1 = self._row_y(rows, nq), self._row_y(cols, nk)
            levels = np.clip(np.rint(values * gain * self.LEVELS), 1, self.LEVELS).astype(int)
            base = QColor(HEAD_COLOURS[head % len(HEAD_COLOURS)])
            # at most 8 px, and no thicker than about a row's spacing: at 512 tokens rows are 1-2 px apart, and
            # wider lines would only cost blending time
            widest = min(8.0, max(1.0, 1.5 * (self.height() - self.TOP - 20) / max(nq, nk, 1)))
            for level in np.unique(levels).tolist():
                weight = level / self.LEVELS
                strength = min(1.0, 0.15 + 0.85 * weight)
                if smooth:
                    colour = QColor(base)
                    colour.setAlphaF(strength)
                else:
                    colour = QColor.fromRgbF(*(1 - (1 - c) * strength for c in (base.redF(), base.greenF(),
                                                                                  base.blueF())))
                painter.setPen(QPen(colour, max(0.5, widest * weight)))
                picked = np.flatnonzero(levels == level)
                painter.drawLines([QLineF(xl, a, xr, b) for a, b in zip(y0[picked].tolist(), y1[picked].tolist())])
        self.hidden = left_out
        self.drawn = sum(len(c[2]) for c in chosen.values())
        painter.setPen(QColor("#555"))
        rule_box = QRectF(0, 2, w, QFontMetricsF(font).height())
        painter.drawText(rule_box, Qt.AlignCenter,
                         self.rule() + (translate("attention", " · {count} weaker not drawn").format(
                             count=f"{left_out:,}") if left_out else ""))
        painter.end()


class LinesView(HeadView):
    name, title = "lines", QT_TRANSLATE_NOOP("views", "Head lines")

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
        self.legend = QLabel()
        self.legend.setWordWrap(True)   # a long label must not set the window's minimum width
        layout.addWidget(self.legend)
        self.bar.layer_changed.connect(self._choose_layer)
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.bar.retranslate()
        self.legend.setText(translate("attention", "line thickness = attention weight (weights < {weight} hidden; "
                                                   "beyond {count} tokens only each query's strongest few) · hover a "
                                                   "query token to isolate its row · tick heads to overlay them in "
                                                   "their colours").format(weight=LinesCanvas.MIN_WEIGHT,
                                                                           count=LinesCanvas.ALL_UP_TO))
        self.canvas.update()

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        step = ctx.step
        heads = heads_of(step)
        self.bar.update_for(ctx, heads)
        self.bar.set_title(f"<b>{ctx.name}</b>")
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
