"""Live curves: named lines that grow point by point (a training loss, a held-out accuracy), repainted at most
every REPAINT_MS however fast the points come, with a dashed horizontal reference line (the unigram entropy,
chance) and a legend. A curve's name is its key; the legend shows its label (the name unless told otherwise), which
the page owning the curves sets again in the interface's language (set_curve_label)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.i18n import translate
from explorer.widgets.plots import FOREGROUND, plot_widget

REPAINT_MS = 150
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


class LiveCurves(QWidget):
    def __init__(self, title: str = "", x_label: str | None = None, y_label: str | None = None, parent=None):
        super().__init__(parent)
        self.plot = plot_widget(title or None)
        item = self.plot.getPlotItem()
        item.setLabel("bottom", translate("curves", "step") if x_label is None else x_label, color=FOREGROUND)
        item.setLabel("left", translate("curves", "loss") if y_label is None else y_label, color=FOREGROUND)
        item.showGrid(x=True, y=True, alpha=0.2)
        item.getAxis("bottom").enableAutoSIPrefix(False)   # steps: never "(x0.001)"
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor=FOREGROUND, brush=pg.mkBrush(255, 255, 255, 210))
        self.data: dict[str, tuple[list[float], list[float]]] = {}
        self.lines: dict[str, pg.PlotDataItem] = {}
        self.reference: pg.InfiniteLine | None = None
        self._dirty: set[str] = set()
        self.repaints = 0                 # how many times the lines were redrawn (the throttle's count)
        self.timer = QTimer(self)
        self.timer.setInterval(REPAINT_MS)
        self.timer.timeout.connect(self.repaint_now)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_labels(self, title: str | None = None, y_label: str | None = None, x_label: str | None = None) -> None:
        item = self.plot.getPlotItem()
        if title is not None:
            item.setTitle(title, color=FOREGROUND)
        if y_label is not None:
            item.setLabel("left", y_label, color=FOREGROUND)
        if x_label is not None:
            item.setLabel("bottom", x_label, color=FOREGROUND)

    def add_curve(self, name: str, colour: str | None = None, dashed: bool = False, width: float = 2.0,
                  label: str | None = None) -> None:
        """A new line keyed `name`; the legend reads `label` (default: the name)."""
        colour = colour or COLOURS[len(self.lines) % len(COLOURS)]
        pen = pg.mkPen(colour, width=width, style=Qt.DashLine if dashed else Qt.SolidLine)
        self.data[name] = ([], [])
        self.lines[name] = self.plot.plot([], [], pen=pen, name=name if label is None else label)

    def set_curve_label(self, name: str, label: str) -> None:
        """What the legend says for curve `name` (in the interface's language)."""
        line = self.lines.get(name)
        if line is None:
            return
        line.opts["name"] = label
        found = self.legend.getLabel(line)
        if found is not None:
            found.setText(label)
        self.legend.updateSize()

    def append(self, name: str, x: float, y: float) -> None:
        """Add a point; it is drawn at the next repaint (at most every REPAINT_MS)."""
        xs, ys = self.data[name]
        xs.append(x)
        ys.append(y)
        self._dirty.add(name)
        if not self.timer.isActive():
            self.timer.start()

    def set_points(self, name: str, xs, ys) -> None:
        self.data[name] = (list(xs), list(ys))
        self._dirty.add(name)
        self.repaint_now()

    def points(self, name: str) -> tuple[list[float], list[float]]:
        return self.data[name]

    def repaint_now(self) -> None:
        for name in self._dirty:
            xs, ys = self.data[name]
            self.lines[name].setData(xs, ys)
        if self._dirty:
            self.repaints += 1
        else:
            self.timer.stop()   # nothing came since the last repaint: sleep until the next point
        self._dirty.clear()

    def set_reference(self, value: float | None, label: str = "") -> None:
        """A dashed horizontal line at `value` with its label (None removes it)."""
        if self.reference is not None:
            self.plot.removeItem(self.reference)
            self.reference = None
        if value is None:
            return
        self.reference = pg.InfiniteLine(value, angle=0, pen=pg.mkPen("#555", width=1.5, style=Qt.DashLine),
                                         label=f"{label} {value:.3g}".strip(),
                                         labelOpts={"position": 0.02, "color": "#333", "anchors": [(0, 1), (0, 1)],
                                                    "fill": (255, 255, 255, 200)})
        self.plot.addItem(self.reference)

    def set_x_range(self, low: float, high: float) -> None:
        """Fix the x axis (the planned steps); the y axis keeps following the points."""
        item = self.plot.getPlotItem()
        item.setXRange(low, high, padding=0.02)
        item.disableAutoRange(axis="x")

    def clear_curves(self) -> None:
        for line in self.lines.values():
            self.plot.removeItem(line)
        self.legend.clear()
        self.data.clear()
        self.lines.clear()
        self.plot.getPlotItem().enableAutoRange(axis="x")
        self._dirty.clear()
        self.set_reference(None)
