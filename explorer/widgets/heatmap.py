"""A matrix as a heatmap: pyqtgraph ImageItem (row-major, so rows are rows) + ColorBarItem that says what the
colours map, token labels on both axes (thinned when long), zoom/pan, and the exact value under the cursor."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from explorer.session import format_value
from explorer.widgets.plots import plot_widget, style_plot_item

MAX_TICKS = 40
MODES = {
    "signed": ("CET-D1A", "blue < 0 < red"),
    "prob": ("viridis", "probability 0 → 1"),
    "linear": ("viridis", "low → high"),
    "bool": (None, "green: may attend · grey: blocked"),
}


def thinned_ticks(labels: list[str], limit: int = MAX_TICKS, width: int | None = None) -> list[tuple[float, str]]:
    """Every step-th label, so at most `limit` show; with `width`, long ones (<|startofpiece|>) are cut to fit
    side by side under the columns (hovering a cell still names the whole token)."""
    step = max(1, int(np.ceil(len(labels) / limit)))
    ticks = [(i + 0.5, str(label)) for i, label in enumerate(labels) if i % step == 0]
    if width is not None:
        ticks = [(x, label if len(label) <= width else label[: width - 1] + "…") for x, label in ticks]
    return ticks


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
        item.invertY(True)
        item.setAspectLocked(False)
        item.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=pg.colormap.get("viridis"), interactive=False,
                                   width=14)
        self.bar.setImageItem(self.image, insert_in=item)
        style_plot_item(self.bar)
        self.readout = QLabel(" ")
        self.readout.setWordWrap(True)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.readout.setFont(QFont("monospace"))
        self.caption = QLabel(" ")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #555;")
        for label in (self.caption, self.readout):   # long texts must never widen the window
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.readout)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.selected: tuple[int, int] | None = None
        self.marker = pg.QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self.marker.setPen(pg.mkPen(QColor("#ff00ff"), width=2))
        self.marker.setVisible(False)
        item.addItem(self.marker)

    # ------------------------------------------------------------------ data
    def set_matrix(self, data, row_labels=None, col_labels=None, mode: str = "signed", row_name: str = "row",
                   col_name: str = "col", title: str = "") -> None:
        data = np.asarray(data)
        if data.ndim == 1:
            data = data[None]
        self.data = data
        self.mode = mode
        self.row_name, self.col_name = row_name, col_name
        rows, cols = data.shape
        self.row_labels = list(row_labels) if row_labels is not None and len(row_labels) == rows else \
            [str(i) for i in range(rows)]
        self.col_labels = list(col_labels) if col_labels is not None and len(col_labels) == cols else \
            [str(i) for i in range(cols)]
        shown = data.astype(np.float64)
        if mode == "bool":
            shown = data.astype(bool).astype(np.float64)
        else:
            # Additive masks of finfo.min would flatten every colour: draw them as blank, say so on hover.
            shown = np.where(shown <= np.finfo(np.float32).min / 2, np.nan, shown)
        finite = shown[np.isfinite(shown)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if mode == "signed":
            bound = max(abs(lo), abs(hi), 1e-12)
            lo, hi = -bound, bound
        elif mode == "prob":
            lo, hi = 0.0, max(hi, 1e-12) if hi <= 1.0 else hi
            lo, hi = (0.0, 1.0) if hi > 0.5 else (0.0, hi)
        elif mode == "bool":
            lo, hi = 0.0, 1.0
        if hi <= lo:
            hi = lo + 1e-12
        cmap_name, legend = MODES.get(mode, MODES["signed"])
        cmap = pg.ColorMap([0.0, 1.0], [QColor("#9e9e9e"), QColor("#2e9d4a")]) if mode == "bool" \
            else pg.colormap.get(cmap_name)
        self.bar.setColorMap(cmap)
        self.image.setImage(shown, autoLevels=False)
        self.bar.setLevels((lo, hi))
        self.image.setRect(0, 0, cols, rows)
        item = self.plot.getPlotItem()
        item.getAxis("left").setTicks([thinned_ticks(self.row_labels)])
        numeric = col_labels is None or all(str(c).isdigit() for c in self.col_labels)
        item.getAxis("bottom").setTicks([thinned_ticks(self.col_labels, 8 if numeric else (30 if cols < 100 else 16),
                                                       width=None if numeric else self._label_chars(cols))])
        item.setLabel("left", row_name)
        item.setLabel("bottom", col_name)
        item.setTitle(title or None)
        item.vb.setLimits(xMin=-0.5, xMax=cols + 0.5, yMin=-0.5, yMax=rows + 0.5)
        item.vb.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)
        extra = f"  ({np.isnan(shown).sum()} blank cells: masked, value finfo.min)" \
            if mode != "bool" and np.isnan(shown).any() and finite.size else ""
        self.caption.setText(f"{rows} × {cols}   colour: {legend}   range [{format_value(lo)}, "
                             f"{format_value(hi)}]{extra}   · wheel to zoom, drag to pan")
        self.selected = None
        self.marker.setVisible(False)
        self.readout.setText("hover a cell to read its value")

    # ------------------------------------------------------------------ reading values
    def _label_chars(self, cols: int) -> int:
        """How many characters of a column label fit under one column (about 7 px a character)."""
        plot_width = max(self.width(), 600) * 0.8
        return max(3, int(plot_width / max(cols, 1) / 7))

    def value_at(self, row: int, col: int):
        return self.data[row, col]

    def describe_cell(self, row: int, col: int) -> str:
        value = self.value_at(row, col)
        return (f"{self.row_name} {row} [{self.row_labels[row]}]  ×  {self.col_name} {col} "
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
        self.readout.setText(self.describe_cell(*cell))
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
        self.readout.setText(self.describe_cell(row, col))

    def to_csv(self) -> str:
        lines = [",".join([f"{self.row_name}\\{self.col_name}"] + [_csv(c) for c in self.col_labels])]
        for label, row in zip(self.row_labels, self.data):
            lines.append(",".join([_csv(label)] + [repr(float(v)) if not isinstance(v, (bool, np.bool_))
                                                    else str(bool(v)) for v in row]))
        return "\n".join(lines) + "\n"


def _csv(text: str) -> str:
    text = str(text)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
