"""An axis of token (or index) labels that thins out instead of overprinting.

Which labels show depends on how many pixels a row or column has on screen now: every label while they fit,
every 2nd, 5th, 10th, ... when they do not (a step from 1, 2, 5 x 10^k, so the shown labels stay put while
panning). Zooming in brings the hidden labels back. The sizes are the tick font's own metrics, so a 1.5x or 2x
screen scale or a larger font thins them the same way. Label i sits at i + 0.5, the middle of row/column i."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

MAX_CHARS = 12   # a longer label (<|startofpiece|>) is cut under a column; hovering a cell names it whole
GAP_PX = 6       # the least space between two labels


def nice_step(raw: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `raw`."""
    if raw <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(raw)))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def cut(label: str, limit: int = MAX_CHARS) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


class TokenAxis(pg.AxisItem):
    SAMPLE = 200   # labels measured to size a step, at most (a 30522-column logits matrix is not measured whole)

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.labels: list[str] = []
        self.numeric = True
        self.font = QFont()
        # the spacing below leaves every label room: pyqtgraph must not drop a level as "too full"
        self.setStyle(tickFont=self.font, autoExpandTextSpace=True, textFillLimits=[(0, 0.95)])
        self._metrics = QFontMetricsF(self.font)

    def set_labels(self, labels, numeric: bool | None = None) -> None:
        """The label of each row or column (kept as given; cut to MAX_CHARS when shown). numeric: the labels are
        the positions themselves (nothing added when thinned); found out when not said."""
        self.labels = labels if isinstance(labels, list) else list(labels)
        self.numeric = all(str(label).isdigit() for label in self.labels[:50]) if numeric is None else numeric
        self.picture = None
        self.update()

    def _extent(self, first: int, last: int) -> float:
        """Pixels one label needs along the axis (its height beside rows; its width under columns)."""
        if self.orientation in ("left", "right"):
            return self._metrics.height() + 2
        width = self._metrics.horizontalAdvance
        if self.numeric:
            return 1.1 * width(str(last)) + GAP_PX
        stride = max(1, (last - first + 1) // self.SAMPLE)
        widest = max((width(cut(self.labels[i])) for i in range(first, last + 1, stride)), default=0.0)
        return 1.1 * (widest + width(f"{last} ")) + GAP_PX   # (a thinned label also carries its position)

    def step_for(self, low: float, high: float, size: float) -> int:
        """Every how many-th label fits when [low, high] (cells) takes `size` pixels."""
        n = len(self.labels)
        if not n or size <= 0 or high <= low:
            return 1
        first, last = max(0, int(math.floor(low))), min(n - 1, int(math.ceil(high)))
        per_cell = size / (high - low)
        return nice_step(self._extent(first, last) / per_cell)

    def tickValues(self, minVal: float, maxVal: float, size: float):   # noqa: N802 - pyqtgraph's name
        if not self.labels:
            return super().tickValues(minVal, maxVal, size)
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        step = self.step_for(low, high, size)
        start = max(0, int(math.ceil((low - 0.5) / step)) * step)
        stop = min(len(self.labels) - 1, int(math.floor(high - 0.5)))
        return [(step, [i + 0.5 for i in range(start, stop + 1, step)])]

    def tickStrings(self, values, scale, spacing):   # noqa: N802
        if not self.labels:
            return super().tickStrings(values, scale, spacing)
        n = len(self.labels)
        indices = [min(n - 1, max(0, int(math.floor(v)))) for v in values]
        if spacing > 1 and not self.numeric:   # thinned: say where each shown label is (position, from 0)
            return [f"{i} {cut(self.labels[i])}" for i in indices]
        return [cut(self.labels[i]) for i in indices]
