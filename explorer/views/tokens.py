"""The tokenizer step: one chip per token with its id; special tokens styled, unknown ones flagged; hovering a chip
highlights the characters it came from in the input text (Chinese included)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from explorer.views.base import StepContext, View
from explorer.widgets.flow import FlowLayout

CHIP = "QLabel {{ border: 1px solid {border}; border-radius: 6px; padding: 4px 7px; background: {bg}; }}"
STYLES = {"normal": ("#7a9cc6", "#eef4fb"), "special": ("#8e6cc0", "#ece4f7"), "unknown": ("#d04040", "#fde3e3"),
          "hover": ("#e0a000", "#fff2c2"), "segment1": ("#5a9e6f", "#e8f5ec")}


class Chip(QLabel):
    hovered = Signal(int)
    left = Signal(int)

    def __init__(self, index: int, token: str, token_id: int, kind: str):
        shown = html.escape(token) if token.strip() else repr(token)
        flag = " ⚠" if kind == "unknown" else ""
        super().__init__(f"<b>{shown}</b>{flag}<br><span style='color:#666;font-size:9pt'>{index} · id "
                         f"{token_id}</span>")
        self.index, self.kind = index, kind
        self.setTextFormat(Qt.RichText)
        self.setAlignment(Qt.AlignCenter)
        self.set_style(kind)
        tips = {"special": "special token added by the tokenizer", "unknown": "unknown token: not in the vocabulary",
                "segment1": "second segment"}
        self.setToolTip(f"token {index}: {token!r}, id {token_id}" + (f" ({tips[kind]})" if kind in tips else ""))

    def set_style(self, kind: str) -> None:
        border, bg = STYLES[kind]
        self.setStyleSheet(CHIP.format(border=border, bg=bg))

    def enterEvent(self, event):
        self.hovered.emit(self.index)
        super().enterEvent(event)

    def leaveEvent(self, event):
        self.left.emit(self.index)
        super().leaveEvent(event)


class TokensView(View):
    name, title = "tokens", "Tokens"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setWordWrap(True)
        self.source = QLabel()
        self.source.setTextFormat(Qt.RichText)
        self.source.setWordWrap(True)
        self.source.setStyleSheet("font-size: 15pt; padding: 8px; background: white; border: 1px solid #ccc;")
        self.chips_box = QWidget()
        self.flow = FlowLayout(self.chips_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chips_box)
        scroll.setFrameShape(QFrame.NoFrame)
        self.legend = QLabel("<span style='background:#ece4f7'>&nbsp;special&nbsp;</span> "
                             "<span style='background:#fde3e3'>&nbsp;unknown ⚠&nbsp;</span> "
                             "<span style='background:#e8f5ec'>&nbsp;second segment&nbsp;</span> "
                             "· hover a chip to see where it came from in the text")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.source)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.legend)
        self.chips: list[Chip] = []
        self.highlighted: int | None = None

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        while self.flow.count():
            item = self.flow.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.chips = []
        trace = ctx.trace
        enc = trace.encoding
        ids = trace.input_ids[0].tolist()
        n = len(trace.tokens)
        special = list(enc.special) if enc is not None else [False] * n
        unknown = list(enc.unknown) if enc is not None else [False] * n
        segments = list(enc.segments) if enc is not None and enc.segments else [0] * n
        for i, token in enumerate(trace.tokens):
            kind = "special" if i < len(special) and special[i] else \
                "unknown" if i < len(unknown) and unknown[i] else \
                "segment1" if i < len(segments) and segments[i] == 1 else "normal"
            chip = Chip(i, token, ids[i] if i < len(ids) else -1, kind)
            chip.hovered.connect(self.highlight)
            chip.left.connect(self._left)
            self.flow.addWidget(chip)
            self.chips.append(chip)
        extras = []
        dec = trace.extras.get("decoder_tokens") if trace.extras else None
        if dec:
            extras.append(f"decoder input ({len(dec)} tokens): " + " ".join(html.escape(str(t)) for t in dec))
        if trace.extras and "part_a_length" in trace.extras:
            extras.append(f"GLM Part A: the first {trace.extras['part_a_length']} tokens; Part B follows")
        n_unk = sum(1 for u in unknown if u)
        loaded = ctx.loaded
        tok_kind = type(getattr(loaded, "tokenizer", None)).__name__ if loaded is not None else ""
        self.summary.setText(f"<b>{n} tokens</b> ({sum(special)} special, {n_unk} unknown) · vocabulary "
                             f"{getattr(getattr(loaded, 'config', None), 'vocab_size', '?')} {tok_kind}"
                             + ("<br>" + "<br>".join(extras) if extras else ""))
        self.highlight(None)

    def _left(self, _index: int) -> None:
        self.highlight(None)

    def highlight(self, index: int | None) -> None:
        """Show the input text with the characters of token `index` highlighted (offsets into its segment)."""
        ctx = self.ctx
        if ctx is None:
            return
        if self.highlighted is not None and self.highlighted < len(self.chips):
            chip = self.chips[self.highlighted]
            chip.set_style(chip.kind)
        self.highlighted = index
        enc = ctx.trace.encoding
        texts = [ctx.text] + ([ctx.pair] if ctx.pair else [])
        span, segment = None, 0
        if index is not None and enc is not None and index < len(enc.offsets):
            start, end = enc.offsets[index]
            segment = enc.segments[index] if enc.segments and index < len(enc.segments) else 0
            if end > start:
                span = (start, end)
            self.chips[index].set_style("hover")
        parts = []
        for s, text in enumerate(texts):
            if span is not None and s == min(segment, len(texts) - 1):
                a, b = span
                parts.append(html.escape(text[:a]) + "<span style='background:#ffd54f'>" + html.escape(text[a:b])
                             + "</span>" + html.escape(text[b:]))
            else:
                parts.append(html.escape(text))
        self.source.setText("<br><span style='color:#888'>pair:</span> ".join(parts))

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

    def csv(self) -> str:
        ctx = self.ctx
        rows = ["index,token,id"]
        if ctx is not None:
            for i, (t, tid) in enumerate(zip(ctx.trace.tokens, ctx.trace.input_ids[0].tolist())):
                rows.append(f"{i},\"{t.replace(chr(34), chr(34) * 2)}\",{tid}")
        return "\n".join(rows) + "\n"
