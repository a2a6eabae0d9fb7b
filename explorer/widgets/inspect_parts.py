"""Small widgets of the Look inside page: a table of tokens coloured by a number (the logit lens), a grid of
layers x heads to click (the heads to switch off), the picture of grouped-query heads; and tokens as a person
reads them."""
from __future__ import annotations

import re
from typing import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHeaderView, QLabel, QSizePolicy, QTableWidget,
                               QTableWidgetItem, QToolButton, QWidget)

from explorer.i18n import translate, translate_message

LOW, HIGH = QColor("#ffffff"), QColor("#08519c")   # 0 -> white, the top of the scale -> deep blue
def readable(tokenizer, token_id: int) -> str:
    """A token as a person reads it: 'Ġcat' -> 'cat', '▁house' -> 'house', bytes in hex; never empty."""
    from explorer.stepping import token_text, visible

    text, _how = token_text(tokenizer, token_id)
    return visible(text).strip() or "␣"


def readable_tokens(trace, loaded, decoder: bool = False) -> list[str]:
    """A run's tokens as a person reads them, or its decoder's (T5)."""
    tokenizer = loaded.tokenizer if loaded is not None else None
    if decoder:
        tokens = list((trace.extras or {}).get("decoder_tokens") or [])
        ids = [tokenizer.token_to_id(t) if tokenizer is not None else None for t in tokens]
    else:
        tokens, ids = list(trace.tokens), trace.input_ids[0].tolist()
    return [readable(tokenizer, i) if tokenizer is not None and i is not None else str(t)
            for t, i in zip(tokens, ids)]


GROUP_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]


def shade(fraction: float) -> QColor:
    f = min(max(fraction, 0.0), 1.0)
    return QColor(int(LOW.red() + f * (HIGH.red() - LOW.red())), int(LOW.green() + f * (HIGH.green() - LOW.green())),
                  int(LOW.blue() + f * (HIGH.blue() - LOW.blue())))


class TokenTable(QTableWidget):
    """Rows x columns of short texts, each cell's background the shade of its value on [0, scale]; the text turns
    white on dark cells so it stays readable on a projector. `cell_chosen(row, col)` on a click."""
    cell_chosen = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setDefaultSectionSize(92)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.cellClicked.connect(self.cell_chosen)

    def set_cells(self, row_labels: Sequence[str], col_labels: Sequence[str], texts, values, tooltips=None,
                  scale: float = 1.0) -> None:
        self.clear()
        self.setRowCount(len(row_labels))
        self.setColumnCount(len(col_labels))
        self.setVerticalHeaderLabels(list(row_labels))
        self.setHorizontalHeaderLabels(list(col_labels))
        scale = max(scale, 1e-12)
        for r in range(len(row_labels)):
            for c in range(len(col_labels)):
                item = QTableWidgetItem(texts[r][c])
                fraction = float(values[r][c]) / scale
                item.setBackground(shade(fraction))
                item.setForeground(QColor("white") if fraction > 0.55 else QColor("black"))
                item.setTextAlignment(Qt.AlignCenter)
                if tooltips is not None:
                    item.setToolTip(tooltips[r][c])
                self.setItem(r, c, item)


class HeadGrid(QWidget):
    """One checkable button per (layer, head), layers down, heads across, counted from 1 as the window counts.
    `changed` when the user flips one."""
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(2)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[tuple[int, int], QToolButton] = {}
        self.head_labels: list[QLabel] = []
        self.layer_labels: list[QLabel] = []
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)

    def set_shape(self, layers: int, heads: int) -> None:
        for widget in [self.grid.itemAt(i).widget() for i in range(self.grid.count())]:
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        self.head_labels, self.layer_labels = [], []
        for h in range(heads):
            label = QLabel()
            label.setAlignment(Qt.AlignCenter)
            self.grid.addWidget(label, 0, h + 1)
            self.head_labels.append(label)
        for layer in range(layers):
            label = QLabel()
            self.grid.addWidget(label, layer + 1, 0)
            self.layer_labels.append(label)
            for h in range(heads):
                button = QToolButton()
                button.setCheckable(True)
                button.setFixedSize(26, 20)
                button.setStyleSheet("QToolButton { background: #e8f0e8; border: 1px solid #9a9; }"
                                     "QToolButton:checked { background: #c0392b; border: 1px solid #7b241c; }")
                button.toggled.connect(lambda _on: self.changed.emit())
                self.grid.addWidget(button, layer + 1, h + 1)
                self.buttons[(layer, h)] = button
        self.retranslate()

    def retranslate(self) -> None:
        """The labels and tool tips in the interface's language."""
        for h, label in enumerate(self.head_labels):
            label.setText(translate("inspect_parts", "h{head}").format(head=h + 1))
        for layer, label in enumerate(self.layer_labels):
            label.setText(translate("inspect_parts", "layer {layer}").format(layer=layer + 1))
        for (layer, h), button in self.buttons.items():
            button.setToolTip(translate("inspect_parts", "layer {layer}, head {head}: click to switch it off")
                              .format(layer=layer + 1, head=h + 1))

    def chosen(self) -> dict[int, list[int]]:
        """layer -> heads switched off (0-based)."""
        out: dict[int, list[int]] = {}
        for (layer, head), button in sorted(self.buttons.items()):
            if button.isChecked():
                out.setdefault(layer, []).append(head)
        return out

    def set_chosen(self, cells) -> None:
        for key, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(key in set(cells))
            button.blockSignals(False)
        self.changed.emit()


class GroupingPicture(QWidget):
    """Query heads on top, key/value heads below, a line from each query head to the key/value head it reads
    (repeat_kv): one colour per group."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kv_of_query: list[int] = []
        self.setMinimumHeight(170)

    def set_grouping(self, kv_of_query: list[int]) -> None:
        self.kv_of_query = list(kv_of_query)
        self.update()

    def paintEvent(self, _event) -> None:   # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        heads = len(self.kv_of_query)
        if not heads:
            return
        groups = max(self.kv_of_query) + 1
        width, height = self.width() - 120, self.height()
        step_q, step_kv = width / heads, width / groups
        box_q = min(step_q * 0.8, 40.0)
        box_kv = min(step_kv * 0.8, 80.0)
        font = QFont(painter.font())
        font.setPointSizeF(max(6.0, min(10.0, box_q / 3)))
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(QRectF(0, 14, 110, 24), Qt.AlignVCenter, translate("inspect_parts", "query heads"))
        painter.drawText(QRectF(0, height - 44, 110, 24), Qt.AlignVCenter,
                         translate("inspect_parts", "key/value heads"))
        top, bottom = 14.0, height - 44.0
        for i, group in enumerate(self.kv_of_query):
            colour = QColor(GROUP_COLOURS[group % len(GROUP_COLOURS)])
            x = 110 + i * step_q + (step_q - box_q) / 2
            painter.setPen(QPen(colour, 1.2))
            painter.drawLine(x + box_q / 2, top + 24, 110 + group * step_kv + step_kv / 2, bottom)
            painter.fillRect(QRectF(x, top, box_q, 24), colour)
            if box_q >= 14:
                painter.setPen(QColor("white"))
                painter.drawText(QRectF(x, top, box_q, 24), Qt.AlignCenter, str(i + 1))
        for g in range(groups):
            colour = QColor(GROUP_COLOURS[g % len(GROUP_COLOURS)])
            x = 110 + g * step_kv + (step_kv - box_kv) / 2
            painter.fillRect(QRectF(x, bottom, box_kv, 24), colour)
            painter.setPen(QColor("white"))
            painter.drawText(QRectF(x, bottom, box_kv, 24), Qt.AlignCenter,
                             translate("inspect_parts", "kv {group}").format(group=g + 1))
        painter.end()


# ----------------------------------------------------------------------------------------------- engine's words
# The engine's messages this page shows (engine/lens.py, rollout.py, interventions.py, demos.py write them in
# English, knowing no Qt): each template mirrors one of its f-strings, so the message reads in the interface's
# language; one no template matches stays as the engine wrote it.
ENGINE_MESSAGES = (
    QT_TRANSLATE_NOOP("engine_inspect", "{model} has no output head (no MLM or LM head): the logit lens needs the "
                                        "head the model predicts tokens with."),
    QT_TRANSLATE_NOOP("engine_inspect", "the trace has no layers under {stack} to read with the lens"),
    QT_TRANSLATE_NOOP("engine_inspect", "No [MASK] in the text: every position is read (an MLM head predicts the "
                                        "token at its position)."),
    QT_TRANSLATE_NOOP("engine_inspect", "no attention patterns under {stack} in this trace"),
    QT_TRANSLATE_NOOP("engine_inspect", "no feed-forward steps under {name} in this trace"),
    QT_TRANSLATE_NOOP("engine_inspect", "{heads} query heads cannot share {kv_heads} key/value heads evenly"),
    QT_TRANSLATE_NOOP("engine_inspect", "{site} is not an attention layer of {model}"),
    QT_TRANSLATE_NOOP("engine_inspect", "mask cell ({query}, {key}) is outside the positions"),
    QT_TRANSLATE_NOOP("engine_inspect", "position {position} is outside the {count} tokens"),
    QT_TRANSLATE_NOOP("engine_inspect", "token id {id} is outside 0..{last}"),
    QT_TRANSLATE_NOOP("engine_inspect", "positions count from 0"),
)


def engine_text(message: str) -> str:
    """An engine message in the interface's language (as it is when no template fits)."""
    return translate_message("engine_inspect", message, ENGINE_MESSAGES)


_SITE = re.compile(r"^(?:(\w+)\.)?blocks\.(\d+)\.(attn|cross_attn)$")


def site_label(site: str) -> str:
    """"blocks.2.attn" -> "layer 3"; "decoder.blocks.0.cross_attn" -> "decoder layer 1 cross-attention" (engine
    .interventions.site_title's words, in the interface's language)."""
    match = _SITE.match(site)
    if not match:
        return site
    stack, layer, kind = match.groups()
    n = int(layer) + 1
    if kind == "cross_attn":
        return translate("inspect_parts", "decoder layer {layer} cross-attention").format(layer=n)
    if stack == "encoder":
        return translate("inspect_parts", "encoder layer {layer}").format(layer=n)
    if stack == "decoder":
        return translate("inspect_parts", "decoder layer {layer}").format(layer=n)
    if stack:
        return translate("inspect_parts", "{stack} layer {layer}").format(stack=stack, layer=n)
    return translate("inspect_parts", "layer {layer}").format(layer=n)


def token_and_number(token: str, number: str) -> str:
    """A token with its number ("cat 0.31"): the Chinese window quotes the token (“cat” 0.31), as Chinese text
    quotes a word of another language."""
    return translate("inspect_parts", "{token} {number}").format(token=token, number=number)


def quoted(token: str) -> str:
    """A token inside a sentence: as it is in English, “quoted” in Chinese."""
    return translate("inspect_parts", "{token}").format(token=token)
