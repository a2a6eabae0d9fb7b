"""A few lines of text at a fixed height, for captions that change with every step.

A word-wrapped QLabel asks its layout for a new size at every setText (its height depends on its text); in a view
full of plots that relayout costs more than the paint (7 ms of a 15 ms head change at 512 tokens). TextLines
never changes its size: a new text repaints this widget and nothing else. Rich text (<b>…</b>) or plain, wrapped
to the width, cut after `lines` lines."""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget


class TextLines(QWidget):
    def __init__(self, lines: int = 2, colour: str | None = None, rich: bool = False, parent=None):
        super().__init__(parent)
        self._text = ""
        self._lines = lines
        self._rich = rich
        self._colour = QColor(colour) if colour else None
        self._document: QTextDocument | None = None
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.setFixedHeight(self.lines_height(lines))

    def lines_height(self, lines: int) -> int:
        """The height of `lines` lines as the text is drawn: Chinese characters come from a fallback font whose
        lines are often taller than the widget font's own."""
        sample = QTextDocument()
        sample.setDefaultFont(self.font())
        sample.setDocumentMargin(1)
        sample.setPlainText("\n".join(["国Ag"] * lines))
        return max(self.fontMetrics().lineSpacing() * lines, int(sample.size().height() + 0.999)) + 4

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:   # noqa: N802 - QLabel's spelling, so it reads like one
        if text != self._text:
            self._text = text
            self._document = None
            self.update()

    def sizeHint(self) -> QSize:   # noqa: N802
        return QSize(200, self.height())

    def _laid_out(self) -> QTextDocument:
        """The rich text laid out at the current width (made again only when the text or the width changed)."""
        document = self._document
        if document is None or document.textWidth() != self.width():
            document = QTextDocument()
            document.setDefaultFont(self.font())
            document.setDocumentMargin(1)
            colour = (self._colour or self.palette().color(self.foregroundRole())).name()
            document.setHtml(f"<span style='color:{colour}'>{self._text}</span>")
            document.setTextWidth(self.width())
            self._document = document
        return document

    def paintEvent(self, _event) -> None:   # noqa: N802
        painter = QPainter(self)
        painter.setClipRect(self.rect())
        if self._rich:
            self._laid_out().drawContents(painter, QRectF(self.rect()))
        else:
            painter.setPen(self._colour or self.palette().color(self.foregroundRole()))
            painter.drawText(QRectF(self.rect()).adjusted(1, 1, -1, -1),
                             int(Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignTop), self._text)
        painter.end()
