"""A matrix as a heatmap: pyqtgraph ImageItem (row-major, so rows are rows) + ColorBarItem that says what the
colours map, token labels on both axes (thinned when long), zoom/pan, and the exact value under the cursor."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from explorer import i18n
from explorer.i18n import mark_data, translate
from explorer.session import format_value
from explorer.widgets.plots import plot_widget, style_plot_item
from explorer.widgets.text_lines import TextLines
from explorer.widgets.token_axis import TokenAxis

MODES = {   # colour map, and what the colours mean (translated where shown)
    "signed": ("CET-D1A", QT_TRANSLATE_NOOP("heatmap", "blue < 0 < red")),
    "prob": ("viridis", QT_TRANSLATE_NOOP("heatmap", "probability 0 → 1")),
    "linear": ("viridis", QT_TRANSLATE_NOOP("heatmap", "low → high")),
    "bool": (None, QT_TRANSLATE_NOOP("heatmap", "green: may attend · grey: blocked")),
}

# the names of rows and columns callers give (tensor dimensions among them), shown in the interface's language;
# a name not listed is shown as given. The CSV keeps the names as given.
AXIS_NAMES = (QT_TRANSLATE_NOOP("heatmap", "row"), QT_TRANSLATE_NOOP("heatmap", "col"),
              QT_TRANSLATE_NOOP("heatmap", "query"), QT_TRANSLATE_NOOP("heatmap", "key"),
              QT_TRANSLATE_NOOP("heatmap", "token"), QT_TRANSLATE_NOOP("heatmap", "sentence"),
              QT_TRANSLATE_NOOP("heatmap", "feature"), QT_TRANSLATE_NOOP("heatmap", "pos"),
              QT_TRANSLATE_NOOP("heatmap", "q_pos"), QT_TRANSLATE_NOOP("heatmap", "k_pos"),
              QT_TRANSLATE_NOOP("heatmap", "head_dim"), QT_TRANSLATE_NOOP("heatmap", "embed"),
              QT_TRANSLATE_NOOP("heatmap", "hidden"), QT_TRANSLATE_NOOP("heatmap", "ffn"),
              QT_TRANSLATE_NOOP("heatmap", "vocab"), QT_TRANSLATE_NOOP("heatmap", "label"),
              QT_TRANSLATE_NOOP("heatmap", "head"), QT_TRANSLATE_NOOP("heatmap", "layer"),
              QT_TRANSLATE_NOOP("heatmap", "position"))


def axis_name(name: str) -> str:
    """A row or column name in the interface's language (query -> 查询); an unknown name as it is."""
    return translate("heatmap", name) if name else name


_NUMBERS: list[str] = []


def _numbers(n: int) -> list[str]:
    """["0", "1", ..., str(n - 1)], built once for the longest asked (a 30522-column logits matrix)."""
    global _NUMBERS
    if len(_NUMBERS) < n:
        _NUMBERS = [str(i) for i in range(max(n, 2 * len(_NUMBERS)))]
    return _NUMBERS[:n]


def finite_range(values: np.ndarray) -> tuple[float, float]:
    """(min, max) of the finite values; (0, 1) when there are none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-NaN
        lo, hi = float(np.nanmin(values)) if values.size else np.nan, float(np.nanmax(values)) if values.size else np.nan
    if not (np.isfinite(lo) and np.isfinite(hi)):   # infinities (or nothing): the finite ones only
        finite = values[np.isfinite(values)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    return lo, hi


def reduced_image(data: np.ndarray, limit: tuple[int, int], boolean: bool = False,
                  check=None) -> tuple[np.ndarray, tuple]:
    """The float32 image of a matrix, at most `limit` (rows, cols): when larger, each pixel is the value of
    largest magnitude in its block (the block's max and min by max-pooling, in torch, which lets go of the GIL:
    a worker thread computing this leaves the UI thread free). Returns (image, (row factor, col factor)).
    check: called between chunks of rows (a worker's job.check, which stops a cancelled job there)."""
    import torch

    rows, cols = data.shape
    fr, fc = max(1, -(-rows // limit[0])), max(1, -(-cols // limit[1]))
    if boolean and data.dtype != bool:
        data = data.astype(bool)
    if (fr, fc) == (1, 1):
        return (data if data.dtype == np.float32 else data.astype(np.float32)), (1, 1)
    source = torch.from_numpy(data if data.dtype != bool else data.view(np.uint8))
    out = np.empty((-(-rows // fr), -(-cols // fc)), dtype=np.float32)
    step = fr * max(1, 2_000_000 // max(fr * cols, 1))   # rows per chunk, a whole number of blocks
    pool = torch.nn.functional.max_pool2d
    for start in range(0, rows, step):
        if check is not None:
            check()
        part = source[start:start + step].float()                              # (rows, cols)
        if fr * fc <= 8 and part.shape[0] % fr == 0 and cols % fc == 0:
            # small whole blocks (a 512 x 3072 MLP step): a reduction over a reshaped view, ~4x faster than pooling
            blocks = part.view(part.shape[0] // fr, fr, cols // fc, fc)
            high = blocks.amax(dim=(1, 3))
            low = None if boolean else blocks.amin(dim=(1, 3))
        else:
            high = pool(part[None], (fr, fc), ceil_mode=True)[0]
            low = None if boolean else pool(-part[None], (fr, fc), ceil_mode=True)[0].neg_()   # (part may be the
        reduced = high if low is None else torch.where(high.abs() >= low.abs(), high, low)  # cache's own memory)
        out[start // fr: start // fr + reduced.shape[0]] = reduced.numpy()
    return out, (fr, fc)


_NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is at least `value` (> 0): a
    colour range that reads well and stays the same across heads of similar size (the colour bar's axis, redrawn
    on every new range, is a good part of a head change)."""
    scale = 10.0 ** math.floor(math.log10(value))
    return next(step * scale for step in _NICE if step * scale >= value * (1 - 1e-9))


def _levels(shown: np.ndarray, mode: str) -> tuple[np.ndarray, float, float, int]:
    """(the image with masked cells blank, colour range low, high, how many cells are blank)."""
    blank = 0
    if mode == "bool":
        lo, hi = 0.0, 1.0
    else:
        # Additive masks of finfo.min would flatten every colour: draw them as blank, say so on hover.
        masked = shown <= np.finfo(np.float32).min / 2
        blank = int(np.count_nonzero(masked))
        if blank:
            shown = np.where(masked, np.nan, shown)
        lo, hi = finite_range(shown)
    if mode == "signed":
        bound = nice_ceiling(max(abs(lo), abs(hi), 1e-12))
        lo, hi = -bound, bound
    elif mode == "prob":
        lo, hi = 0.0, max(hi, 1e-12) if hi <= 1.0 else hi
        lo, hi = (0.0, 1.0) if hi > 0.5 else (0.0, hi)
    if hi <= lo:
        hi = lo + 1e-12
    return shown, lo, hi, blank


def quiet_axes(item) -> None:
    """No automatic SI prefix on a PlotItem's (or ColorBarItem's) axes: with it, every new range re-renders each
    axis label's HTML and asks the layout for a new size, a few ms per plot at every step; the values shown here
    are plain numbers."""
    for side in ("left", "bottom", "top", "right"):
        axis = item.getAxis(side) if side in getattr(item, "axes", {}) else None
        if axis is not None:
            axis.enableAutoSIPrefix(False)


class Heatmap(QWidget):
    cell_hovered = Signal(int, int)
    cell_clicked = Signal(int, int)

    def __init__(self, parent=None, title: str = ""):
        super().__init__(parent)
        self.data = np.zeros((1, 1))        # what the user sees: the cache's numbers
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
        self.row_name, self.col_name = "row", "col"
        self.mode = "signed"
        self.plot = plot_widget()
        self.plot.setMenuEnabled(False)
        item = self.plot.getPlotItem()
        # token labels that thin out with the zoom instead of overprinting
        item.setAxisItems({"left": TokenAxis("left"), "bottom": TokenAxis("bottom")})
        style_plot_item(item)
        item.invertY(True)
        item.setAspectLocked(False)
        item.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get("viridis"), interactive=False,
                                   width=14)
        self.bar.setImageItem(self.image, insert_in=item)
        style_plot_item(self.bar)
        quiet_axes(item)
        quiet_axes(self.bar)
        self.readout = QLabel(" ")
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.readout.setFont(QFont("monospace"))
        self.caption = TextLines(3, colour="#555")   # changes with every matrix: repaints itself only
        # long texts must never widen the window; a fixed height: a new text never changes the layout
        self.readout.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.readout.setFixedHeight(self.readout.fontMetrics().lineSpacing() * 2 + 4)
        self.reset_button = QToolButton()
        self.reset_button.clicked.connect(self.reset_view)
        under = QHBoxLayout()
        under.setContentsMargins(0, 0, 0, 0)
        under.addWidget(self.caption, 1)
        under.addWidget(self.reset_button, 0, Qt.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(under)
        layout.addWidget(self.readout)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.selected: tuple[int, int] | None = None
        self.marker = pg.QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self.marker.setPen(pg.mkPen(QColor("#ff00ff"), width=2))
        self.marker.setVisible(False)
        item.addItem(self.marker)
        self._runner = None        # reduces a large matrix off the UI thread (made when first needed)
        self._later = None         # starts that worker a moment later
        self._pending = None
        self._caption = None
        self._layout = None        # what the axes show now (size, labels): unchanged axes are not rebuilt
        self._title = None
        self._shown_mode = None
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the interface's language (on Qt's LanguageChange, and when a view asks)."""
        self.reset_button.setText(translate("heatmap", "Reset"))
        self.reset_button.setToolTip(translate("heatmap", "show the whole matrix again (wheel to zoom, drag to pan)"))
        if self._layout is not None:
            item = self.plot.getPlotItem()
            item.setLabel("left", axis_name(self.row_name))
            item.setLabel("bottom", axis_name(self.col_name))
        if self._caption is not None:
            self.caption.setText(self._caption_text(*self._caption))
        if self.selected is not None:
            self._read_out(self.describe_cell(*self.selected))
        else:
            self._hint()

    def _read_out(self, text: str) -> None:
        """A cell's description under the map: it names tokens, so it is data."""
        self.readout.setText(text)
        mark_data(self.readout)

    def _hint(self) -> None:
        self.readout.setText(translate("heatmap", "hover a cell to read its value"))
        mark_data(self.readout, False)

    def changeEvent(self, event) -> None:   # noqa: N802 - Qt's name
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _caption_text(rows, cols, mode, lo, hi, blank, factors, drawing) -> str:
        legend = translate("heatmap", MODES.get(mode, MODES["signed"])[1])
        text = translate("heatmap", "{rows} × {cols}   colour: {legend}   range [{low}, {high}]").format(
            rows=rows, cols=cols, legend=legend, low=format_value(lo), high=format_value(hi))
        if blank and mode != "bool":
            text += translate("heatmap", "  ({count} blank cells: masked, value finfo.min)").format(count=blank)
        if factors != (1, 1):
            text += translate("heatmap", "  · drawn reduced {rows}x{cols} (largest magnitude of each block; hover "
                                         "reads every cell)").format(rows=factors[0], cols=factors[1])
        if drawing:
            text += translate("heatmap", "  · drawing all {rows} × {cols}…").format(rows=f"{rows:,}",
                                                                                     cols=f"{cols:,}")
        return text + translate("heatmap", "   · wheel to zoom, drag to pan")

    # ------------------------------------------------------------------ data
    MAX_IMAGE = (1024, 1024)   # (rows, cols) of the image drawn, about a screen; larger matrices are reduced to fit

    def set_matrix(self, data, row_labels=None, col_labels=None, mode: str = "signed", row_name: str = "row",
                   col_name: str = "col", title: str = "") -> None:
        """Show `data` (kept as given: hovering, value_at and the CSV read it). The image is float32, masked cells
        (finfo.min) blank; a matrix larger than MAX_IMAGE (a T x 30522 logits matrix) is drawn reduced, each
        pixel the value of largest magnitude in its block, so nothing stalls and no peak disappears."""
        data = np.asarray(data)
        if data.ndim == 1:
            data = data[None]
        self.data = data
        rows, cols = data.shape
        self.row_labels = list(row_labels) if row_labels is not None and len(row_labels) == rows else \
            [str(i) for i in range(rows)]
        self.col_labels = list(col_labels) if col_labels is not None and len(col_labels) == cols else \
            _numbers(cols)
        self._cancel_full()
        rect_rows, rect_cols = rows, cols
        if data.size > self.LARGE:   # draw a corner now, the whole reduced picture when a worker has made it
            corner = data[: self.CORNER[0], : self.CORNER[1]]
            shown, factors = reduced_image(corner, self.CORNER, boolean=mode == "bool")
            rect_rows, rect_cols = corner.shape
            factors = (-(-rows // self.MAX_IMAGE[0]), -(-cols // self.MAX_IMAGE[1]))
            self._start_full(data, mode)
        else:
            shown, factors = reduced_image(data, self.MAX_IMAGE, boolean=mode == "bool")
        shown, lo, hi, blank = _levels(shown, mode)
        if mode != self.mode or self._shown_mode is None:
            cmap_name, _ = MODES.get(mode, MODES["signed"])
            cmap = pg.ColorMap([0.0, 1.0], [QColor("#9e9e9e"), QColor("#2e9d4a")]) if mode == "bool" \
                else pg.colormap.get(cmap_name)
            self.bar.setColorMap(cmap)
            self._shown_mode = mode
        self.mode = mode
        self.image.setImage(shown, autoLevels=False)
        if self.bar.levels() != (lo, hi):
            self.bar.setLevels((lo, hi))
        self.image.setRect(0, 0, rect_cols, rect_rows)
        item = self.plot.getPlotItem()
        layout = (rows, cols, tuple(self.row_labels), col_labels is None or tuple(self.col_labels), row_name,
                  col_name, i18n.current())
        if layout != self._layout:   # the same axes as shown (another head, another layer): leave them be
            self._layout = layout
            self.row_name, self.col_name = row_name, col_name
            item.getAxis("left").set_labels(self.row_labels, numeric=row_labels is None)
            item.getAxis("bottom").set_labels(self.col_labels, numeric=col_labels is None)
            item.setLabel("left", axis_name(row_name))
            item.setLabel("bottom", axis_name(col_name))
            item.vb.setLimits(xMin=-0.5, xMax=cols + 0.5, yMin=-0.5, yMax=rows + 0.5)
            self.reset_view()
        if title != self._title:
            item.setTitle(title or None)
            self._title = title
        self._caption = (rows, cols, mode, lo, hi, blank, factors, (rect_rows, rect_cols) != (rows, cols))
        self.caption.setText(self._caption_text(*self._caption))
        self.selected = None
        self.marker.setVisible(False)
        self._hint()

    # ------------------------------------------------------------------ large matrices
    LARGE = 1_000_000   # cells: more (a logits matrix) is reduced in a worker, the event loop never waits for it
    CORNER = (512, 1024)   # what of a LARGE matrix is drawn at once, unreduced, while the worker runs

    DELAY_MS = 40   # the worker starts once the corner is painted (and not at all while changes keep coming)

    def _cancel_full(self) -> None:
        if self._later is not None:
            self._later.stop()
        self._pending = None
        if self._runner is not None:
            self._runner.cancel_all()

    def _start_full(self, data: np.ndarray, mode: str) -> None:
        from PySide6.QtCore import QTimer

        if self._later is None:
            self._later = QTimer(self)
            self._later.setSingleShot(True)
            self._later.timeout.connect(self._launch_full)
        self._pending = (data, mode)
        self._later.start(self.DELAY_MS)

    def _launch_full(self) -> None:
        from explorer.workers import Runner

        if self._pending is None or self._pending[0] is not self.data:
            return
        data, mode = self._pending
        self._pending = None
        if self._runner is None:
            self._runner = Runner(self, "heatmap")
        limit = self.MAX_IMAGE
        self._runner.start(lambda job: (data, mode, reduced_image(data, limit, mode == "bool", job.check)),
                           self._full_ready, self._full_failed)

    def busy(self) -> bool:
        """Still drawing a large matrix (waiting to start, or its worker running)."""
        return self._pending is not None or (self._runner is not None and self._runner.active)

    def _full_ready(self, result) -> None:
        data, mode, (shown, factors) = result
        if data is not self.data or mode != self.mode:   # another matrix is shown by now
            return
        rows, cols = data.shape
        shown, lo, hi, blank = _levels(shown, mode)
        self.image.setImage(shown, autoLevels=False)
        if self.bar.levels() != (lo, hi):
            self.bar.setLevels((lo, hi))
        self.image.setRect(0, 0, cols, rows)
        self._caption = (rows, cols, mode, lo, hi, blank, factors, False)
        self.caption.setText(self._caption_text(*self._caption))

    def _full_failed(self, message: str, _user: bool) -> None:
        self.caption.setText(self.caption.text() + translate("heatmap", "  (the whole picture could not be drawn: "
                                                                        "{reason})").format(reason=message))

    # ------------------------------------------------------------------ reading values
    def reset_view(self) -> None:
        """The whole matrix in view (after zooming or panning)."""
        rows, cols = self.data.shape
        self.plot.getPlotItem().vb.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)

    def show_rows(self, first: int, last: int) -> None:
        """Rows first..last (inclusive) fill the height, every column in view: a window of rows around a query."""
        rows, cols = self.data.shape
        first, last = max(0, first), min(rows - 1, last)
        self.plot.getPlotItem().vb.setRange(xRange=(0, cols), yRange=(first, last + 1), padding=0)

    def shown_rows(self) -> tuple[float, float]:
        """(top, bottom) of the rows in view, in rows."""
        (_, _), (top, bottom) = self.plot.getPlotItem().vb.viewRange()
        return top, bottom

    def value_at(self, row: int, col: int):
        return self.data[row, col]

    def describe_cell(self, row: int, col: int) -> str:
        value = self.value_at(row, col)
        return (f"{axis_name(self.row_name)} {row} [{self.row_labels[row]}]  ×  {axis_name(self.col_name)} {col} "
                f"[{self.col_labels[col]}]  =  {format_value(value)}")

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        point = self.plot.getPlotItem().vb.mapSceneToView(scene_pos)
        col, row = int(np.floor(point.x())), int(np.floor(point.y()))
        if 0 <= row < self.data.shape[0] and 0 <= col < self.data.shape[1]:
            return row, col
        return None

    def scene_pos_of(self, row: int, col: int):
        """Scene position of a cell's centre (tests hover there)."""
        return self.plot.getPlotItem().vb.mapViewToScene(pg.Point(col + 0.5, row + 0.5))

    def _mouse_moved(self, scene_pos) -> None:
        cell = self.cell_at(scene_pos)
        if cell is None:
            return
        self._read_out(self.describe_cell(*cell))
        self.cell_hovered.emit(*cell)

    def _mouse_clicked(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.select(*cell)
            self.cell_clicked.emit(*cell)

    def select(self, row: int, col: int) -> None:
        self.selected = (row, col)
        self.marker.setRect(col, row, 1, 1)
        self.marker.setVisible(True)
        self._read_out(self.describe_cell(row, col))

    def to_csv(self) -> str:
        lines = [",".join([f"{self.row_name}\\{self.col_name}"] + [_csv(c) for c in self.col_labels])]
        for label, row in zip(self.row_labels, self.data):
            lines.append(",".join([_csv(label)] + [repr(float(v)) if not isinstance(v, (bool, np.bool_))
                                                    else str(bool(v)) for v in row]))
        return "\n".join(lines) + "\n"


def _csv(text: str) -> str:
    text = str(text)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
