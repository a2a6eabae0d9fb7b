"""Horizontal bar charts (pyqtgraph): one bar per category (a preset), stacked by series (components) or grouped
side by side; a linear or a log value axis whose ticks read as numbers (12M, 1.5B, 2 GiB); the total at the end of
each bar; a legend of coloured squares under the plot (it wraps, never covers a bar); the value under the cursor.
Exported as PNG/SVG with explorer.views.base's export_png / export_svg.

Categories run down the left axis, so long preset names stay readable however many there are. A log axis draws
each stacked segment from log10(bottom) to log10(top): the bar's length is its total on the log scale, and the
segments keep their order.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from explorer.i18n import translate
from explorer.widgets.plots import FOREGROUND, Graveyard, plot_widget, style_plot_item


@dataclass
class Series:
    label: str
    colour: str
    values: Sequence[float]                    # one per category (0 or None: nothing drawn)
    colours: Sequence[str] | None = None       # per-category colours (a single series coloured by generation)


def decades(low: float, high: float) -> list[float]:
    """Powers of ten from low to high (values, not logs)."""
    return [10.0 ** k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]


def binary_steps(low: float, high: float) -> list[float]:
    """1, 10 and 100 of each binary unit (B, KiB, MiB, GiB, TiB) from low to high: byte ticks that read well."""
    out = [m * 1024.0 ** k for k in range(0, 6) for m in (1, 10, 100)]
    return [v for v in out if low / 10 <= v <= high * 10]


class NumberAxis(pg.AxisItem):
    """An axis whose tick labels are formatted by `fmt` (12M, 2.0 GiB); on a log axis the value is 10**v and
    the ticks sit at `log_ticks(low, high)` (default: powers of ten)."""

    def __init__(self, orientation: str, fmt: Callable[[float], str] = str):
        super().__init__(orientation)
        self.fmt = fmt
        self.log_values = False
        self.log_ticks: Callable[[float, float], list[float]] = decades
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            value = 10 ** v if self.log_values else v
            if self.log_values and value >= 1:
                value = round(value)   # 10 ** log10(2 ** 30) is a hair under 1 GiB
            out.append(self.fmt(value) if value >= 0 else "")
        return out

    def tickValues(self, minVal, maxVal, size):
        if not self.log_values:
            return super().tickValues(minVal, maxVal, size)
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        ticks = [math.log10(v) for v in self.log_ticks(10 ** low, 10 ** high) if v > 0]
        ticks = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
        step = max(1, math.ceil(len(ticks) / 8))
        return [(1.0, ticks[::step])]


class CategoryAxis(pg.AxisItem):
    """The category names at integer positions, nothing in between."""

    def __init__(self, orientation: str = "left"):
        super().__init__(orientation)
        self.names: list[str] = []

    def tickValues(self, minVal, maxVal, size):
        low, high = sorted((minVal, maxVal))   # an inverted axis passes them the other way round
        return [(1.0, [float(i) for i in range(len(self.names)) if low - 0.5 <= i <= high + 0.5])]

    def tickStrings(self, values, scale, spacing):
        return [self.names[int(round(v))] if 0 <= int(round(v)) < len(self.names) else "" for v in values]


class BarChart(QWidget):
    """set_data(categories, series, stacked=True, log=False, fmt=...) draws the bars; `readout` says what is
    under the cursor; export_png / export_svg write the chart with its legend."""

    def __init__(self, parent=None, fmt: Callable[[float], str] = str):
        super().__init__(parent)
        self.fmt = fmt
        self.value_axis = NumberAxis("bottom", fmt)
        self.category_axis = CategoryAxis("left")
        self.plot = plot_widget()
        self.plot.setMenuEnabled(False)
        item = self.plot.getPlotItem()
        item.setAxisItems({"bottom": self.value_axis, "left": self.category_axis})
        style_plot_item(item)
        item.hideButtons()
        item.invertY(True)
        item.showGrid(x=True, y=False, alpha=0.25)
        item.vb.setMouseEnabled(x=True, y=False)
        self.category_axis.setStyle(autoExpandTextSpace=True)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.readout = QLabel(" ")
        self.readout.setStyleSheet("color: #333;")
        self.readout.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.readout)
        self.graveyard = Graveyard()
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.stacked = True
        self.log = False
        self.segments: list[tuple[int, float, float, str]] = []   # (category, x from, x to, description)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)

    # ------------------------------------------------------------------ drawing
    def clear(self) -> None:
        item = self.plot.getPlotItem()
        items = list(item.items)
        item.clear()
        self.graveyard.bury(items)
        self.segments = []

    def set_data(self, categories: Sequence[str], series: Sequence[Series], stacked: bool = True, log: bool = False,
                 title: str = "", value_label: str = "", fmt: Callable[[float], str] | None = None,
                 totals: Sequence[str] | None = None, legend: bool = True,
                 log_ticks: Callable[[float, float], list[float]] | None = None) -> None:
        """Draw one bar per category. `totals`: the text at the end of each bar (default: the formatted total);
        `log_ticks`: where a log axis puts its ticks (binary_steps for bytes)."""
        self.clear()
        if fmt is not None:
            self.fmt = self.value_axis.fmt = fmt
        self.value_axis.log_ticks = log_ticks or decades
        self.categories, self.series, self.stacked, self.log = list(categories), list(series), stacked, log
        self.value_axis.log_values = log
        self.category_axis.names = list(categories)
        item = self.plot.getPlotItem()
        item.setTitle(title or None, color=FOREGROUND)
        item.setLabel("bottom", value_label + (translate("bars", "  (log scale)") if log and value_label else ""),
                      color=FOREGROUND)
        n = len(self.categories)
        if not n or not self.series:
            self.legend.setText("")
            return
        positives = [float(v) for s in self.series for v in s.values if v]
        floor = 10 ** math.floor(math.log10(min(positives))) if positives else 1.0
        if log and stacked and positives:   # the first segment starts a decade below the smallest total
            totals_num = [sum(float(s.values[i] or 0) for s in self.series) for i in range(n)]
            floor = 10 ** (math.floor(math.log10(min(t for t in totals_num if t > 0))) - 1)

        def tx(v: float) -> float:
            return math.log10(max(v, floor)) if log else v

        bar = 0.7 if stacked else 0.8 / len(self.series)
        bottoms = [0.0] * n
        right_edges = [tx(0.0)] * n
        for si, s in enumerate(self.series):
            x0s, widths, ys, brushes, kept = [], [], [], [], []
            for i in range(n):
                value = float(s.values[i] or 0)
                if value <= 0:
                    continue
                start = bottoms[i] if stacked else 0.0
                end = start + value
                a, b = tx(start), tx(end)
                if b <= a:
                    continue
                y = i if stacked else i - 0.4 + bar * (si + 0.5)
                x0s.append(a)
                widths.append(b - a)
                ys.append(y)
                colour = s.colours[i] if s.colours else s.colour
                brushes.append(pg.mkBrush(colour))
                kept.append(i)
                total_here = sum(float(t.values[i] or 0) for t in self.series) if stacked else value
                share = f" ({value / total_here:.1%})" if stacked and total_here and len(self.series) > 1 else ""
                self.segments.append((i, a, b, f"{self.categories[i]} · {s.label}: {value:,.0f}{share}"
                                      if value >= 1000 else f"{self.categories[i]} · {s.label}: {self.fmt(value)}"))
                right_edges[i] = max(right_edges[i], b)
                if stacked:
                    bottoms[i] = end
            if x0s:
                bars = pg.BarGraphItem(x0=x0s, width=widths, y=ys, height=bar, brushes=brushes,
                                       pen=pg.mkPen("#ffffff", width=0.5))
                item.addItem(bars)
        font = QFont()
        font.setPointSize(8)
        for i in range(n):
            if stacked:
                text = totals[i] if totals is not None else self.fmt(sum(float(s.values[i] or 0)
                                                                          for s in self.series))
                label = pg.TextItem(text, color=FOREGROUND, anchor=(0, 0.5))
                label.setFont(font)
                label.setPos(right_edges[i], i)
                item.addItem(label)
            else:
                for si, s in enumerate(self.series):
                    value = float(s.values[i] or 0)
                    if value > 0:
                        label = pg.TextItem(self.fmt(value), color=FOREGROUND, anchor=(0, 0.5))
                        label.setFont(font)
                        label.setPos(tx(value), i - 0.4 + bar * (si + 0.5))
                        item.addItem(label)
        low = math.log10(floor) if log else 0.0
        high = max(right_edges) if right_edges else 1.0
        span = max(high - low, 1e-9)
        item.vb.setLimits(yMin=-1, yMax=n)
        longest = max((len(t) for t in (totals or [])), default=8)
        room = min(0.6, 0.12 + 0.012 * longest)   # space on the right for the totals' text
        item.vb.setRange(xRange=(low, high + span * room), yRange=(-0.6, n - 0.4), padding=0)
        self.value_axis.picture = None
        self.value_axis.update()
        self.category_axis.picture = None
        self.category_axis.update()
        if legend:
            shown = [s for s in self.series if any(s.values)] if not any(s.colours for s in self.series) else []
            self.legend.setText("  ".join(f"<span style='color:{s.colour}; font-size:14px'>■</span>&nbsp;"
                                          f"{html.escape(s.label)}" for s in shown))
        else:
            self.legend.setText("")
        self.readout.setText(" ")

    def set_legend(self, entries: Sequence[tuple[str, str]]) -> None:
        """A legend of (label, colour), for bars coloured per category."""
        self.legend.setText("  ".join(f"<span style='color:{c}; font-size:14px'>■</span>&nbsp;{html.escape(t)}"
                                      for t, c in entries))

    # ------------------------------------------------------------------ reading
    def describe_at(self, x: float, y: float) -> str | None:
        for i, a, b, text in self.segments:
            band = 0.35 if self.stacked else 0.4 / max(len(self.series), 1)
            if a <= x <= b and abs(y - self._bar_y(i, text)) <= band:
                return text
        return None

    def _bar_y(self, i: int, text: str) -> float:
        if self.stacked:
            return i
        for si, s in enumerate(self.series):
            if f" · {s.label}: " in text:
                return i - 0.4 + 0.8 / len(self.series) * (si + 0.5)
        return i

    def _mouse_moved(self, scene_pos) -> None:
        point = self.plot.getPlotItem().vb.mapSceneToView(scene_pos)
        text = self.describe_at(point.x(), point.y())
        if text:
            self.readout.setText(text)
