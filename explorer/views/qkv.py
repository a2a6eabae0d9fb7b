"""Q, K and V of one head, and for a selected (query, key) cell the arithmetic that gives its weight:
q·k element by element, their sum, the scaling, the mask and the softmax, each checked against the cache."""
from __future__ import annotations


import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from explorer.session import attn_prefix, cell_arithmetic, format_value, same_step_in_layer
from explorer.views.attention import LayerHeadBar
from explorer.views.base import StepContext, View
from explorer.views.vectors import position_labels
from explorer.widgets.heatmap import Heatmap


class QKVView(View):
    name, title = "qkv", "Q/K/V arithmetic"

    def __init__(self, app=None, parent=None):
        super().__init__(app, parent)
        self.bar = LayerHeadBar()
        self.maps = {k: Heatmap() for k in ("q", "k", "v")}
        self.query = QComboBox()
        self.key = QComboBox()
        self.products = pg.PlotWidget(title="q[i] * k[j], dimension by dimension")
        self.products.setLabel("bottom", "head dimension")
        self.sums = QLabel()
        self.sums.setWordWrap(True)
        self.sums.setTextFormat(Qt.RichText)
        self.sums.setWordWrap(True)
        self.sums.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.sums.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        mats = QSplitter(Qt.Horizontal)
        for k, m in self.maps.items():
            mats.addWidget(m)
        picker = QHBoxLayout()
        picker.addWidget(QLabel("query i"))
        picker.addWidget(self.query, 1)
        picker.addWidget(QLabel("key j"))
        picker.addWidget(self.key, 1)
        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(self.products)
        lower.addWidget(self.sums)
        lower.setSizes([500, 500])
        body = QSplitter(Qt.Vertical)
        body.addWidget(mats)
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(picker)
        bl.addWidget(lower, 1)
        body.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(body, 1)
        self.query.currentIndexChanged.connect(self._arith)
        self.key.currentIndexChanged.connect(self._arith)
        self.bar.head_changed.connect(self._set_head)
        self.bar.layer_changed.connect(lambda i: self.navigate.emit(same_step_in_layer(self.ctx.name, i), self.name))
        self.maps["q"].cell_clicked.connect(lambda r, c: self.query.setCurrentIndex(r))
        self.maps["k"].cell_clicked.connect(lambda r, c: self.key.setCurrentIndex(r))
        self.last = None

    def _set_head(self, head):
        self.ctx.head = head
        if self.app is not None:
            self.app.head = head
        self._redraw()

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        self.prefix = attn_prefix(ctx.name)
        q = ctx.cache[self.prefix + ".hook_q"] if self.prefix + ".hook_q" in ctx.cache else None
        heads = q.shape[1] if q is not None else 1
        self.bar.update_for(ctx, heads)
        self.bar.title.setText(f"<b>{self.prefix}</b> · Q, K, V of one head (rows: tokens, columns: head_dim)")
        self._redraw()

    def _redraw(self):
        ctx = self.ctx
        head = ctx.head
        n_q = n_k = 0
        for k, m in self.maps.items():
            name = f"{self.prefix}.hook_{k}"
            if name not in ctx.cache:
                m.set_matrix(np.zeros((1, 1)), title=f"{k.upper()}: not recorded")
                continue
            t = ctx.cache[name][0].float().numpy()
            h = head * t.shape[0] // ctx.cache[f"{self.prefix}.hook_q"].shape[1]
            mat = t[min(h, t.shape[0] - 1)]
            labels = position_labels(ctx, mat.shape[0], "pos")
            m.set_matrix(mat, labels, None, "signed", "token", "head_dim", f"{k.upper()} · head {head}")
            if k == "q":
                n_q, q_labels = mat.shape[0], labels
            if k == "k":
                n_k, k_labels = mat.shape[0], labels
        state = ctx.state
        i, j = state.get("query", max(n_q - 2, 0)), state.get("key", 1 if n_k > 1 else 0)
        for combo, n, labels, sel in ((self.query, n_q, locals().get("q_labels", []), i),
                                      (self.key, n_k, locals().get("k_labels", []), j)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([f"{x} [{labels[x] if x < len(labels) else ''}]" for x in range(n)])
            combo.setCurrentIndex(min(sel, max(n - 1, 0)))
            combo.blockSignals(False)
        self._arith()

    def _arith(self, *_):
        ctx = self.ctx
        i, j = max(self.query.currentIndex(), 0), max(self.key.currentIndex(), 0)
        ctx.state["query"], ctx.state["key"] = i, j
        a = cell_arithmetic(ctx.cache, self.prefix, ctx.head, i, j)
        self.last = a
        self.products.clear()
        if a is None:
            self.sums.setText("This attention step has no recorded q, k, scores and pattern.")
            return
        x = np.arange(len(a.products))
        brushes = ["#c0392b" if v < 0 else "#2e86de" for v in a.products]
        self.products.addItem(pg.BarGraphItem(x=x, height=a.products, width=0.8, brushes=brushes))
        for m, r in (("q", i), ("k", j)):
            self.maps[m].select(r, 0)
        tick = lambda ok: "<span style='color:#1a7f37'>✓ equals the cache</span>" if ok else \
            "<span style='color:#c00'>✗ differs from the cache</span>"
        close = lambda x, y: abs(x - y) <= 1e-4 + 1e-4 * abs(y)
        lines = [f"<b>head {ctx.head}, query {i}, key {j}</b>  (d_k = {a.d_k})",
                 f"1. q·k = Σ q[d]·k[d] = <b>{format_value(a.total)}</b> &nbsp; cache scores: "
                 f"{format_value(a.cache_score)} {tick(close(a.total, a.cache_score))}"]
        if a.scaled is not None:
            lines.append(f"2. scaled = {format_value(a.total)} × {a.scale:.6g} (1/√{a.d_k} = "
                         f"{1 / np.sqrt(a.d_k):.6g}) = <b>{format_value(a.scaled)}</b> &nbsp; cache: "
                         f"{format_value(a.cache_scaled)} {tick(close(a.scaled, a.cache_scaled))}")
        else:
            lines.append("2. no scaling step in this model (T5 folds 1/√d_k into its weights)")
        if a.position_bias is not None:
            lines.append(f"&nbsp;&nbsp;&nbsp;+ position bias b[head {ctx.head}, bucket of {j}−{i}] = "
                         f"{format_value(a.position_bias)} → score <b>{format_value(a.total + a.position_bias)}</b>")
        if a.allowed is not None:
            lines.append(f"3. mask[{i},{j}] = {a.allowed}: "
                         + ("the score is kept" if a.allowed else "the score becomes finfo.min, so its weight is 0"))
        else:
            lines.append("3. no mask at this layer")
        if a.masked_row is not None:
            lines.append(f"4. softmax over the row: exp(s[{j}] − max) / Σ exp(s − max) = "
                         f"<b>{a.probability:.6f}</b>")
        lines.append(f"&nbsp;&nbsp;&nbsp;cache pattern: {a.cache_probability:.6f} "
                     f"{tick(abs(a.probability - a.cache_probability) <= 1e-5 + 1e-3 * a.cache_probability)}")
        self.sums.setText("<br>".join(lines))

    def csv(self) -> str:
        a = self.last
        if a is None:
            return ""
        rows = ["dim,q*k"] + [f"{d},{float(v)!r}" for d, v in enumerate(a.products)]
        rows.append(f"sum,{a.total!r}")
        return "\n".join(rows) + "\n"
