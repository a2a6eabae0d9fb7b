"""What the model's heads say: MLM top-k for each [MASK], next-token bars for decoders, T5's decoder output, NSP/SOP
and classifier probabilities; and sentence-embedding similarity for models without an LM head (MiniLM)."""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QRectF, QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from explorer.error_texts import explain
from explorer.i18n import mark_data, translate
from explorer.session import OUTPUT_STEP, mask_positions, softmax, top_k
from explorer.views.base import StepContext, View
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import follow_language
from explorer.workers import Runner

LM_HEADS = ("mlm", "lm")
WEIGHTS = {"random": QT_TRANSLATE_NOOP("output", "random weights"), "real": QT_TRANSLATE_NOOP("output", "real weights"),
           "trained": QT_TRANSLATE_NOOP("output", "trained weights")}


class Bars(QWidget):
    """Horizontal probability bars: label, bar, percentage."""

    def __init__(self, title: str, items: list[tuple[str, float]]):
        super().__init__()
        self.title, self.items = title, items
        self.setMinimumHeight(28 + 24 * len(items))
        self.setMinimumWidth(260)

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = QFont()
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#222"))
        p.drawText(QRectF(6, 2, self.width() - 12, 22), Qt.AlignLeft | Qt.AlignVCenter, self.title)
        font.setBold(False)
        p.setFont(font)
        label_w = min(140, self.width() * 0.35)
        bar_w = self.width() - label_w - 80
        top = max((prob for _, prob in self.items), default=1.0) or 1.0   # longest bar = most likely token
        for k, (label, prob) in enumerate(self.items):
            y = 28 + 24 * k
            p.setPen(QColor("#222"))
            p.drawText(QRectF(6, y, label_w - 10, 20), Qt.AlignRight | Qt.AlignVCenter, label)
            p.fillRect(QRectF(label_w, y + 3, max(1.0, bar_w * prob / top), 14), QColor("#4a90d9" if k else "#e67e22"))
            p.drawText(QRectF(label_w + bar_w + 6, y, 70, 20), Qt.AlignLeft | Qt.AlignVCenter, f"{prob * 100:.1f}%")
        p.end()


class OutputView(View):
    name, title = "output", QT_TRANSLATE_NOOP("views", "Output")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.RichText)
        self.position = QComboBox()
        self.position.currentIndexChanged.connect(self._position_changed)
        self.box = QWidget()
        self.grid = QHBoxLayout(self.box)
        self.grid.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.box)
        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        self.position_label = QLabel()
        top.addWidget(self.position_label)
        top.addWidget(self.position)
        mark_data(self.position)   # "3 [cat]": positions and their tokens
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.shown: list[tuple[str, list[tuple[str, float]]]] = []
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.position_label.setText(translate("output", "position"))

    def _clear(self):
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.shown = []

    def _add(self, title, items):
        self.shown.append((title, items))
        self.grid.addWidget(Bars(title, items))

    def token(self, i: int) -> str:
        """The vocabulary entry, and beside it the text it stands for when they differ (byte-level Ġ, â€¦)."""
        tokenizer = self.ctx.loaded.tokenizer if self.ctx.loaded is not None else None
        tok = tokenizer.id_to_token(int(i)) if tokenizer is not None else None
        if tok is None:
            return f"<{i}>"
        if getattr(tokenizer, "kind", "") == "byte-bpe":
            text = tokenizer.decode([int(i)])
            if text.strip() and text != tok and "\ufffd" not in text:
                return f"{text.strip()}  ({tok})"
        return tok

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        self._clear()
        outputs = ctx.trace.outputs
        head = None
        if ctx.step is not None and ctx.step.dims[-1] in ("vocab", "label"):
            head = ctx.name
        self.position.blockSignals(True)
        self.position.clear()
        self.position.blockSignals(False)
        self.position.hide()
        self.position_label.hide()
        notes = []
        if ctx.step is not None and ctx.step.dims[-1] == "label":
            logits = ctx.step.tensor[0].float().numpy()
            labels = {"nsp.logits": ["IsNext", "NotNext"],
                      "sop.logits": [translate("output", "in order"), translate("output", "swapped")]}.get(
                ctx.step.key, [translate("output", "label {index}").format(index=i) for i in range(len(logits))])
            probs = softmax(logits)
            self._add(ctx.step.key, [(labels[i] if i < len(labels) else str(i), float(p)) for i, p in
                                     enumerate(probs)])
            self.info.setText(translate("output", "<b>{name}</b>: softmax of {logits}").format(
                name=ctx.name, logits=list(np.round(logits, 4))))
            return
        logits_name = head
        if logits_name is None:
            for key in LM_HEADS:
                if key in outputs:
                    logits = outputs[key][0].float().numpy()
                    self._lm(key, logits, notes)
                    break
            else:
                for key in ("nsp", "sop", "classifier"):
                    if key in outputs:
                        probs = softmax(outputs[key][0].float().numpy())
                        self._add(key, [(f"{i}", float(p)) for i, p in enumerate(probs)])
                if not self.shown:
                    notes.append(translate("output", "This model has no language-model head (a sentence encoder such "
                                                     "as MiniLM): open the <b>Similarity</b> tab to compare sentence "
                                                     "embeddings."))
        else:
            key = "mlm" if "mlm" in ctx.name else "lm"
            self._lm(key, ctx.step.tensor[0].float().numpy(), notes)
        weights = ctx.loaded.weights if ctx.loaded is not None else "?"
        if weights == "random":
            notes.append(translate("output", "<i>Random weights: the predictions are meaningless, the arithmetic is "
                                             "real.</i>"))
        self.info.setText("<br>".join(notes))

    def _lm(self, key: str, logits: np.ndarray, notes: list[str]) -> None:
        tokens = list(self.ctx.trace.tokens)
        dec = (self.ctx.trace.extras or {}).get("decoder_tokens")
        positions_tokens = self.ctx.tokens_for("pos", logits.shape[0], name=OUTPUT_STEP)
        self.logits, self.positions_tokens = logits, positions_tokens
        if key == "mlm":
            masks = mask_positions(tokens)
            if masks:
                for i in masks:
                    self._add(translate("output", "[MASK] at {position}").format(position=i),
                              [(self.token(t), p) for t, p in top_k(logits[i], 8)])
                notes.append(translate("output", "MLM: the top 8 tokens for each of the {count} [MASK] tokens.").format(
                    count=len(masks)))
                return
            notes.append(translate("output", "MLM: no [MASK] in the text (type [MASK] to ask for one); showing a "
                                             "chosen position."))
            self._pick(len(tokens) - 1)
            return
        if dec and len(dec) == logits.shape[0]:
            greedy = [self.token(int(i)) for i in np.argmax(logits, axis=1)]
            notes.append(translate("output", "T5 decoder: at each decoder position, the next token it predicts. Greedy "
                                             "output: {tokens}").format(
                tokens="<b><code>" + html.escape(" ".join(greedy)) + "</code></b>"))   # tokens: data
        else:
            notes.append(translate("output", "Next-token prediction (causal LM): choose a position; the last one "
                                             "continues the text."))
        self._pick(logits.shape[0] - 1)

    def _pick(self, index: int) -> None:
        self.position.blockSignals(True)
        self.position.clear()
        self.position.addItems([f"{i} [{t}]" for i, t in enumerate(self.positions_tokens)])
        self.position.setCurrentIndex(index)
        self.position.blockSignals(False)
        self.position.show()
        self.position_label.show()
        self._position_changed(index)

    def _position_changed(self, index: int) -> None:
        if index < 0 or not hasattr(self, "logits"):
            return
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.shown = []
        self._add(translate("output", "after {position} [{token}]").format(position=index,
                                                                          token=self.positions_tokens[index]),
                  [(self.token(t), p) for t, p in top_k(self.logits[index], 10)])

    def csv(self) -> str:
        rows = ["title,token,probability"]
        for title, items in self.shown:
            rows += [f"\"{title}\",\"{t}\",{p!r}" for t, p in items]
        return "\n".join(rows) + "\n"


def similarity(loaded, sentences: list[str], job=None):
    """Cosine similarities of mean-pooled sentence embeddings (Qt-free: a worker runs it)."""
    import torch

    from engine.embeddings import cosine_matrix, sentence_embeddings

    with torch.no_grad():
        if job is not None:
            job.check()
        return cosine_matrix(sentence_embeddings(loaded, sentences)).numpy()


class SimilarityView(View):
    """Mean-pooled sentence embeddings (over the attention mask) and their cosine similarities, computed in this
    view's own worker with the model of the shown trace; recomputed when that model changes."""
    name, title = "similarity", QT_TRANSLATE_NOOP("views", "Similarity")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runner = Runner(self, "similarity")
        self.editor = QPlainTextEdit()
        self.editor.setMaximumHeight(120)
        mark_data(self.editor)   # the user's sentences (its placeholder is interface, set in retranslate)
        self.button = QPushButton()
        self.button.clicked.connect(self.run)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.heatmap = Heatmap()
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addLayout(top)
        layout.addWidget(self.heatmap, 1)
        self.matrix = None
        self.model = None            # the LoadedModel the matrix was computed with
        self._computing = None       # ... and the one the running job uses
        self._sentences: list[str] = []
        self._status = "idle"        # what the status line says: idle, computing, done, or an error (as given)
        state.events.trace.connect(self._trace_changed)
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.editor.setPlaceholderText(translate("output", "one sentence per line"))
        self.button.setText(translate("output", "Compare sentences"))
        if self._status == "idle":
            self.status.setText(translate("output", "mean pooling over the attention mask, then cosine similarity"))
        elif self._status == "computing" and self._computing is not None:
            self.status.setText(translate("output", "computing with {model}…").format(model=self._computing.name))
        elif self._status == "done" and self.matrix is not None:
            self.show_matrix(self.matrix, self._sentences, self.model)

    def runners(self) -> list:
        return [self.runner]

    def _trace_changed(self, _trace) -> None:
        if self.runner.active and self._computing is not self.state.loaded:   # computing for a model gone
            self.runner.cancel_all()

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        if not self.editor.toPlainText().strip():
            self.editor.setPlainText("\n".join([ctx.text, "A kitten rested on the rug.", "The stock market fell today.",
                                                "猫坐在垫子上。"]))
        stale = self.matrix is None or self.model is not self.state.loaded
        if stale and not (self.runner.active and self._computing is self.state.loaded):   # no click needed
            self.run()

    def sentences(self) -> list[str]:
        return [s.strip() for s in self.editor.toPlainText().splitlines() if s.strip()]

    def run(self) -> None:
        loaded, sentences = self.state.loaded, self.sentences()
        if loaded is None:
            return
        if not sentences:
            self._status = "empty"
            self.status.setText(translate("output", "Type at least one sentence."))
            return
        self._status = "computing"
        self.status.setText(translate("output", "computing with {model}…").format(model=loaded.name))
        self.runner.cancel_all()   # only this view's earlier computation
        self._computing = loaded
        self.runner.start(lambda job: (loaded, sentences, similarity(loaded, sentences, job)), self._finished,
                          self._failed)

    def _failed(self, message: str, _user: bool) -> None:
        self._status = "failed"
        self.status.setText(explain(message))

    def _finished(self, result) -> None:
        loaded, sentences, matrix = result
        if loaded is not self.state.loaded:
            return
        self.show_matrix(matrix, sentences, loaded)

    def show_matrix(self, matrix, sentences, loaded) -> None:
        self.matrix, self.model, self._sentences, self._status = matrix, loaded, list(sentences), "done"
        short = [s if len(s) < 24 else s[:22] + "…" for s in sentences]
        self.heatmap.set_matrix(matrix, short, short, mode="signed", row_name="sentence", col_name="sentence",
                                title=translate("output", "cosine similarity of mean-pooled embeddings"))
        weights = translate("output", WEIGHTS[loaded.weights]) if loaded.weights in WEIGHTS else \
            translate("output", "{kind} weights").format(kind=loaded.weights)
        self.status.setText(translate("output", "{count} sentences · model {model} ({weights})").format(
            count=len(sentences), model=loaded.name, weights=weights))
