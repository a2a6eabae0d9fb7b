"""The Generate page's drawings, painted with QPainter (they export as PNG and SVG like any widget):

TokenStrip     the text as chips that wrap like words: the prompt (grey), the source (T5), the new tokens (gold);
               click a new token to see its step, double-click it to open it in the step-through.
CandidateBars  the top next tokens with their probabilities; the chosen one in orange; when sampling, a thin green
               bar under each: its probability after temperature / top-k / top-p.
AttentionStrip one query row of attention: each key token shaded by the weight it gets, the weight under it.
KVChart        the KV cache's bytes at each step, beside what full multi-head and multi-query attention would keep.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from explorer.i18n import translate

CHOSEN, OTHER, SAMPLED = QColor("#e67e22"), QColor("#4a90d9"), QColor("#2ca02c")


def _font(size: float | None = None, bold: bool = False) -> QFont:
    font = QFont()
    if size is not None:
        font.setPointSizeF(size)
    font.setBold(bold)
    return font


def percent(p: float) -> str:
    """A probability in %, with the digits a small one needs (12.3%, 1.23%, 0.113%)."""
    value = p * 100
    if value >= 10 or value == 0:
        return f"{value:.1f}%"
    if value >= 1:
        return f"{value:.2f}%"
    return f"{value:.3g}%"


def elided(text: str, metrics: QFontMetrics, width: float) -> str:
    return metrics.elidedText(text, Qt.ElideRight, max(8, int(width)))


# ----------------------------------------------------------------------------------------------- chips
@dataclass
class Chip:
    text: str
    kind: str = "prompt"      # "prompt", "source", "new", "blank" (GLM's [MASK]), "start" (a decoder start token)
    tooltip: str = ""
    step: int | None = None   # the step of a new token
    newline: bool = False     # the text breaks the line after this chip


CHIP_STYLE = {"prompt": ("#f2f2f2", "#bdbdbd"), "source": ("#e8f0fb", "#9bb7e0"), "new": ("#fff2c2", "#e0a000"),
              "blank": ("#ece4f7", "#8e6cc0"), "start": ("#ece4f7", "#8e6cc0"), "bytes": ("#e0f4f1", "#2a9d8f")}


class TokenStrip(QWidget):
    """Chips that wrap; new tokens can be clicked (step_clicked) and double-clicked (step_activated)."""
    step_clicked = Signal(int)
    step_activated = Signal(int)
    height_changed = Signal(int)

    PAD, GAP, HEIGHT = 5, 4, 24

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chips: list[Chip] = []
        self.selected: int | None = None
        self.caption = ""
        self._rects: list[QRectF] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)

    def set_chips(self, chips: list[Chip], selected: int | None = None, caption: str = "") -> None:
        self.chips, self.selected, self.caption = list(chips), selected, caption
        self._relayout()
        self.update()

    def select(self, step: int | None) -> None:
        self.selected = step
        self.update()

    def _layout(self, width: int) -> tuple[list[QRectF], int]:
        metrics = QFontMetrics(self.font())
        x, y = self.PAD, self.PAD
        if self.caption:
            y += metrics.height() + 4
        rects = []
        right = max(width - self.PAD, 80)
        for chip in self.chips:
            w = min(metrics.horizontalAdvance(chip.text) + 12, right - self.PAD)
            if x + w > right and x > self.PAD:
                x, y = self.PAD, y + self.HEIGHT + self.GAP
            rects.append(QRectF(x, y, w, self.HEIGHT))
            x += w + self.GAP
            if chip.newline:
                x, y = self.PAD, y + self.HEIGHT + self.GAP
        bottom = (rects[-1].bottom() if rects else y) + self.PAD
        return rects, int(bottom)

    def _relayout(self) -> None:
        self._rects, height = self._layout(self.width())
        height = max(height, self.HEIGHT + 2 * self.PAD)
        if height != self.minimumHeight():
            self.setMinimumHeight(height)
            self.height_changed.emit(height)

    def resizeEvent(self, event) -> None:
        self._relayout()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(600, self.minimumHeight())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        metrics = QFontMetrics(self.font())
        if self.caption:
            p.setPen(QColor("#555"))
            p.drawText(QRectF(self.PAD, self.PAD - 2, self.width() - 2 * self.PAD, metrics.height() + 2),
                       Qt.AlignLeft | Qt.AlignVCenter, elided(self.caption, metrics, self.width() - 2 * self.PAD))
        for chip, rect in zip(self.chips, self._rects):
            fill, border = CHIP_STYLE.get(chip.kind, CHIP_STYLE["prompt"])
            selected = chip.step is not None and chip.step == self.selected
            p.setPen(QPen(QColor("#c0392b") if selected else QColor(border), 2.2 if selected else 1))
            p.setBrush(QColor(fill))
            p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
            p.setPen(QColor("#222"))
            p.drawText(rect, Qt.AlignCenter, elided(chip.text, metrics, rect.width() - 6))
        p.end()

    def chip_at(self, pos) -> int | None:
        for i, rect in enumerate(self._rects):
            if rect.contains(QPointF(pos)):
                return i
        return None

    def step_at(self, pos) -> int | None:
        i = self.chip_at(pos)
        return None if i is None else self.chips[i].step

    def step_rect(self, step: int) -> QRectF | None:
        for chip, rect in zip(self.chips, self._rects):
            if chip.step == step:
                return rect
        return None

    def mousePressEvent(self, event) -> None:
        step = self.step_at(event.position())
        if step is not None:
            self.step_clicked.emit(step)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        step = self.step_at(event.position())
        if step is not None:
            self.step_activated.emit(step)
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event) -> None:
        i = self.chip_at(event.position())
        tip = self.chips[i].tooltip if i is not None else ""
        self.setToolTip(tip)
        self.setCursor(Qt.PointingHandCursor if i is not None and self.chips[i].step is not None else Qt.ArrowCursor)
        super().mouseMoveEvent(event)


# ----------------------------------------------------------------------------------------------- candidates
@dataclass
class Bar:
    label: str
    token: str                       # the vocabulary entry, shown small when it differs from the label
    probability: float
    sample_probability: float | None = None
    chosen: bool = False
    note: str = ""                   # e.g. "rank 14"


class CandidateBars(QWidget):
    ROW = 26

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = ""
        self.bars: list[Bar] = []
        self.sampling = False
        self.empty = ""
        self.legend = ("", "")
        self.retranslate()
        self.setMinimumWidth(300)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def retranslate(self) -> None:
        """The legend in the interface's language (the title and the empty text come from the page)."""
        self.legend = (translate("generation", "the model's probability"),
                       translate("generation", "after temperature, top-k, top-p (what is drawn from; each series to "
                                               "its own scale)"))
        self.update()

    def set_bars(self, title: str, bars: list[Bar], sampling: bool) -> None:
        self.title, self.bars, self.sampling = title, list(bars), sampling
        self._fit()
        self.update()

    def set_empty(self, text: str) -> None:
        self.title, self.bars, self.empty = "", [], text
        self.update()

    def _title_height(self) -> int:
        metrics = QFontMetrics(_font(bold=True))
        rect = metrics.boundingRect(0, 0, max(40, self.width() - 16), 1000, Qt.TextWordWrap, self.title)
        return max(22, rect.height() + 2)

    def resizeEvent(self, event) -> None:
        self._fit()
        super().resizeEvent(event)

    def _fit(self) -> None:
        notes = 16 * sum(1 for b in self.bars if b.note)
        self.setMinimumHeight(self._title_height() + 14 + self.ROW * len(self.bars) + notes +
                              (42 if self.sampling else 0))

    def _right_text(self, bar: Bar) -> str:
        text = percent(bar.probability)
        if self.sampling:
            sample = bar.sample_probability or 0.0
            text += f" → {percent(sample)}" if sample > 0 else " → " + translate("generation", "0 (cut)")
        return text

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        width = self.width()
        if not self.bars:
            p.setPen(QColor("#777"))
            p.drawText(QRectF(10, 10, width - 20, self.height() - 20), Qt.AlignCenter | Qt.TextWordWrap, self.empty)
            p.end()
            return
        p.setFont(_font(bold=True))
        p.setPen(QColor("#222"))
        head = self._title_height()
        p.drawText(QRectF(8, 4, width - 16, head), Qt.AlignLeft | Qt.AlignVCenter | Qt.TextWordWrap, self.title)
        normal, small = _font(), _font(max(7.0, _font().pointSizeF() - 1.5))
        m_normal, m_small = QFontMetrics(normal), QFontMetrics(small)
        label_w = min(190.0, width * 0.34)
        pct_w = min(max(m_normal.horizontalAdvance(self._right_text(b)) for b in self.bars) + 10.0, width * 0.4)
        bar_x = label_w + 6
        bar_w = max(30.0, width - bar_x - pct_w - 8)
        # each series scaled to its own largest bar: the model's spread and the sampled one both keep their shape
        scale = max((b.probability for b in self.bars), default=1.0) or 1.0
        scale_s = max((b.sample_probability or 0.0 for b in self.bars), default=0.0) or 1.0
        gap = 0
        for k, bar in enumerate(self.bars):
            if bar.note:   # the chosen token from outside the top: set apart, said in the gap
                gap += 16
                y0 = head + 8 + self.ROW * k + gap - 16
                p.setFont(small)
                p.setPen(QPen(QColor("#999"), 1, Qt.DashLine))
                p.drawLine(QPointF(8, y0 + 8), QPointF(width - 8, y0 + 8))
                note_w = m_small.horizontalAdvance(bar.note) + 12
                p.fillRect(QRectF(label_w - note_w / 2, y0, note_w, 16), QColor("white"))
                p.setPen(QColor("#777"))
                p.drawText(QRectF(label_w - note_w / 2, y0, note_w, 16), Qt.AlignCenter, bar.note)
            y = head + 8 + self.ROW * k + gap
            p.setFont(_font(bold=bar.chosen))
            p.setPen(QColor("#222"))
            shown = bar.label
            raw = bar.token if bar.token and bar.token not in (bar.label, bar.label.strip("'")) else ""
            raw_w = min(m_small.horizontalAdvance(raw) + 6, label_w * 0.45) if raw else 0
            p.drawText(QRectF(4, y, label_w - raw_w - 6, 20), Qt.AlignRight | Qt.AlignVCenter,
                       elided(shown, m_normal, label_w - raw_w - 6))
            if raw:
                p.setFont(small)
                p.setPen(QColor("#888"))
                p.drawText(QRectF(label_w - raw_w, y, raw_w, 20), Qt.AlignLeft | Qt.AlignVCenter,
                           elided(raw, m_small, raw_w))
            height = 10 if self.sampling else 15
            p.fillRect(QRectF(bar_x, y + 3, max(1.0, bar_w * bar.probability / scale), height),
                       CHOSEN if bar.chosen else OTHER)
            if self.sampling:
                sample = bar.sample_probability or 0.0
                if sample > 0:
                    p.fillRect(QRectF(bar_x, y + 15, max(1.0, bar_w * sample / scale_s), 5), SAMPLED)
                else:
                    p.setPen(QPen(QColor("#aaa"), 1, Qt.DashLine))
                    p.drawLine(QPointF(bar_x, y + 17), QPointF(bar_x + 24, y + 17))
            p.setFont(normal)
            p.setPen(QColor("#222"))
            p.drawText(QRectF(bar_x + bar_w + 4, y, pct_w + 4, 20), Qt.AlignLeft | Qt.AlignVCenter,
                       self._right_text(bar))
        if self.sampling:
            y = head + 8 + self.ROW * len(self.bars) + gap + 2
            p.setFont(small)
            p.fillRect(QRectF(8, y + 5, 12, 8), OTHER)
            p.setPen(QColor("#555"))
            p.drawText(QRectF(24, y, width - 28, 18), Qt.AlignLeft | Qt.AlignVCenter, self.legend[0])
            p.fillRect(QRectF(8, y + 25, 12, 4), SAMPLED)
            p.drawText(QRectF(24, y + 18, width - 28, 18), Qt.AlignLeft | Qt.AlignVCenter,
                       elided(self.legend[1], QFontMetrics(small), width - 28))
        p.end()


# ----------------------------------------------------------------------------------------------- attention
class AttentionStrip(QWidget):
    """Key tokens shaded by the weight one query gives them (the weight, in %, under each)."""
    PAD, GAP, HEIGHT = 6, 4, 40

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tokens: list[str] = []
        self.weights: list[float] = []
        self.kinds: list[str] = []
        self.empty = ""
        self._rects: list[QRectF] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)

    def set_row(self, tokens: list[str], weights, kinds: list[str] | None = None) -> None:
        self.tokens, self.weights = list(tokens), [float(w) for w in weights]
        self.kinds = list(kinds) if kinds else ["" for _ in tokens]
        self._relayout()
        self.update()

    def set_empty(self, text: str) -> None:
        self.tokens, self.weights, self.kinds, self.empty = [], [], [], text
        self._relayout()
        self.update()

    def _layout(self, width: int) -> tuple[list[QRectF], int]:
        metrics = QFontMetrics(self.font())
        x, y, rects = self.PAD, self.PAD, []
        right = max(width - self.PAD, 80)
        for token in self.tokens:
            w = max(min(metrics.horizontalAdvance(token) + 12, right - self.PAD), 44)
            if x + w > right and x > self.PAD:
                x, y = self.PAD, y + self.HEIGHT + self.GAP
            rects.append(QRectF(x, y, w, self.HEIGHT))
            x += w + self.GAP
        return rects, int((rects[-1].bottom() if rects else y + 30) + self.PAD)

    def _relayout(self) -> None:
        self._rects, height = self._layout(self.width())
        self.setMinimumHeight(height)

    def resizeEvent(self, event) -> None:
        self._relayout()
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(400, self.minimumHeight())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        if not self.tokens:
            p.setPen(QColor("#777"))
            p.drawText(QRectF(8, 4, self.width() - 16, self.height() - 8), Qt.AlignLeft | Qt.TextWordWrap, self.empty)
            p.end()
            return
        metrics = QFontMetrics(self.font())
        small = _font(max(7.0, _font().pointSizeF() - 1.5))
        best = max(range(len(self.weights)), key=lambda i: self.weights[i]) if self.weights else -1
        for i, (token, weight, rect) in enumerate(zip(self.tokens, self.weights, self._rects)):
            share = max(0.0, min(1.0, weight)) ** 0.5   # absolute: an even spread looks even, not all dark
            fill = QColor.fromRgbF(1.0, 1.0 - 0.55 * share, 1.0 - 0.85 * share)
            kind = self.kinds[i] if i < len(self.kinds) else ""
            border = QColor("#c0392b") if i == best else QColor("#8e6cc0") if kind == "query" else QColor("#bbb")
            p.setPen(QPen(border, 2 if i == best or kind == "query" else 1,
                          Qt.DashLine if kind == "partb" else Qt.SolidLine))
            p.setBrush(fill)
            p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            p.setFont(self.font())
            p.setPen(QColor("#222"))
            p.drawText(QRectF(rect.x(), rect.y() + 1, rect.width(), 20), Qt.AlignCenter,
                       elided(token, metrics, rect.width() - 6))
            p.setFont(small)
            p.setPen(QColor("#444"))
            p.drawText(QRectF(rect.x(), rect.y() + 20, rect.width(), 18), Qt.AlignCenter, f"{weight * 100:.1f}%")
        p.end()


# ----------------------------------------------------------------------------------------------- KV cache
@dataclass
class KVPoint:
    tokens: int          # tokens cached (the context the step read)
    measured: int        # bytes the cache held
    mha: int             # what full multi-head attention would hold
    mqa: int             # what multi-query attention would hold


def human_bytes(n: float) -> str:
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


class KVChart(QWidget):
    """Bytes against the step: a bar per step (this model's cache, measured), lines for MHA and MQA."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: list[KVPoint] = []
        self.selected: int | None = None
        self.empty = ""
        self.attention = "MHA"
        self.texts = ("", "")
        self.retranslate()
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def retranslate(self) -> None:
        """The legend and the axis title in the interface's language."""
        self.texts = (translate("generation", "this model ({attention}), measured"),
                      translate("generation", "tokens in the cache (context) at each step"))
        self.update()

    def set_points(self, points: list[KVPoint], selected: int | None = None, attention: str = "MHA") -> None:
        self.points, self.selected, self.attention = list(points), selected, attention
        self.update()

    def set_empty(self, text: str) -> None:
        self.points, self.empty = [], text
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        if not self.points:
            p.setPen(QColor("#777"))
            p.drawText(QRectF(8, 4, self.width() - 16, self.height() - 8), Qt.AlignCenter | Qt.TextWordWrap,
                       self.empty)
            p.end()
            return
        small = _font(max(7.0, _font().pointSizeF() - 1.5))
        p.setFont(small)
        metrics = QFontMetrics(small)
        left, right, top, bottom = 64.0, 10.0, 22.0, 30.0
        w, h = self.width() - left - right, self.height() - top - bottom
        peak = max(max(pt.mha, pt.measured, pt.mqa) for pt in self.points) or 1
        n = len(self.points)
        slot = w / max(n, 1)

        def y_of(v):
            return top + h * (1 - v / peak)

        p.setPen(QColor("#999"))
        p.drawLine(QPointF(left, top + h), QPointF(left + w, top + h))
        p.drawLine(QPointF(left, top), QPointF(left, top + h))
        for frac in (0.0, 0.5, 1.0):
            v = peak * frac
            p.setPen(QColor("#555"))
            p.drawText(QRectF(0, y_of(v) - 8, left - 6, 16), Qt.AlignRight | Qt.AlignVCenter, human_bytes(v))
            if frac:
                p.setPen(QPen(QColor("#eee"), 1))
                p.drawLine(QPointF(left + 1, y_of(v)), QPointF(left + w, y_of(v)))
        for i, pt in enumerate(self.points):
            x = left + slot * i + slot * 0.15
            colour = CHOSEN if i == self.selected else OTHER
            p.fillRect(QRectF(x, y_of(pt.measured), slot * 0.7, top + h - y_of(pt.measured)), colour)
        for attr, colour in (("mha", QColor("#d62728")), ("mqa", SAMPLED)):
            pen = QPen(colour, 1.8, Qt.DashLine)
            p.setPen(pen)
            line = QPolygonF([QPointF(left + slot * (i + 0.5), y_of(getattr(pt, attr)))
                              for i, pt in enumerate(self.points)])
            if n == 1:
                x0 = left + slot * 0.15
                p.drawLine(QPointF(x0, line[0].y()), QPointF(x0 + slot * 0.7, line[0].y()))
            else:
                p.drawPolyline(line)
        # the x axis: every few steps, the tokens cached
        every = max(1, int(n / max(1, w / 42)) + 1)
        p.setPen(QColor("#555"))
        for i in range(0, n, every):
            p.drawText(QRectF(left + slot * i, top + h + 2, max(slot * every, 30), 14), Qt.AlignLeft,
                       str(self.points[i].tokens))
        p.drawText(QRectF(left, top + h + 15, w, 14), Qt.AlignCenter, self.texts[1])
        # legend
        x = left + 4
        for text, colour, dashed in ((self.texts[0].format(attention=self.attention), OTHER, False),
                                     ("MHA", QColor("#d62728"), True), ("MQA", SAMPLED, True)):
            if dashed:
                p.setPen(QPen(colour, 1.8, Qt.DashLine))
                p.drawLine(QPointF(x, 10), QPointF(x + 16, 10))
            else:
                p.fillRect(QRectF(x, 5, 12, 10), colour)
            p.setPen(QColor("#333"))
            tw = metrics.horizontalAdvance(text)
            p.drawText(QRectF(x + 20, 2, tw + 4, 16), Qt.AlignLeft | Qt.AlignVCenter, text)
            x += tw + 34
        p.end()
