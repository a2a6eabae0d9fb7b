"""Q, K and V of one head, and for a selected (query, key) cell the arithmetic that gives its weight:
q·k element by element, their sum, the scaling, the mask and the softmax, each checked against the cache."""
from __future__ import annotations


import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from explorer.i18n import mark_data, translate
from explorer.session import attn_prefix, cell_arithmetic, format_value, head_title, qkv_step
from explorer.views.attention import HeadView, LayerHeadBar
from explorer.views.base import StepContext
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import follow_language, plot_widget


class QKVView(HeadView):
    """Q, K, V of the chosen head; the (query, key) cell is the state's selection."""
    name, title = "qkv", QT_TRANSLATE_NOOP("views", "Q/K/V arithmetic")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.bar = LayerHeadBar()
        self.maps = {k: Heatmap() for k in ("q", "k", "v")}
        self.query = mark_data(QComboBox())   # "3 [cat]": positions and their tokens
        self.key = mark_data(QComboBox())
        self.products = plot_widget()
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.8)   # one item, its data replaced: nothing freed
        self.products.addItem(self.bars)
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
        self.query_label, self.key_label = QLabel(), QLabel()
        picker.addWidget(self.query_label)
        picker.addWidget(self.query, 1)
        picker.addWidget(self.key_label)
        picker.addWidget(self.key, 1)
        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(self.products)
        lower.addWidget(self.sums)
        lower.setSizes([500, 500])
        body = QSplitter(Qt.Vertical)
        mats.setMinimumHeight(180)   # on a small or scaled screen the matrices keep room; the arithmetic shrinks
        body.addWidget(mats)
        box = QWidget()
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(picker)
        bl.addWidget(lower, 1)
        body.addWidget(box)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(body, 1)
        self.query.currentIndexChanged.connect(self._picked)
        self.key.currentIndexChanged.connect(self._picked)
        self.bar.head_changed.connect(self._choose_head)
        self.bar.layer_changed.connect(self._choose_layer)
        self.maps["q"].cell_clicked.connect(self._query_clicked)
        self.maps["k"].cell_clicked.connect(self._key_clicked)
        state.events.selection.connect(self._selection_changed)
        self.last = None
        self.prefix = ""
        self.head = 0
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.bar.retranslate()
        for m in self.maps.values():
            m.retranslate()
        self.products.setTitle(translate("qkv", "q[i] * k[j], dimension by dimension"))
        self.products.setLabel("bottom", translate("qkv", "head dimension"))
        self.query_label.setText(translate("qkv", "query i"))
        self.key_label.setText(translate("qkv", "key j"))

    # --- the user picks a cell: through the state
    def _picked(self, *_):
        self.state.select(max(self.query.currentIndex(), 0), max(self.key.currentIndex(), 0))

    def _query_clicked(self, row: int, _col: int) -> None:
        self.state.select(row, max(self.key.currentIndex(), 0))

    def _key_clicked(self, row: int, _col: int) -> None:
        self.state.select(max(self.query.currentIndex(), 0), row)

    def _selection_changed(self, _cell) -> None:
        if self.ctx is not None and self.is_current() and self._shown == self.shown_key():
            self._show_cell()

    # --- drawing
    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        self.prefix = attn_prefix(ctx.name)
        q_name = qkv_step(self.prefix, "q", ctx.cache)
        q = ctx.cache[q_name] if q_name in ctx.cache else None
        heads = q.shape[1] if q is not None else 1
        self.head = min(ctx.head, heads - 1)
        self.bar.update_for(ctx, heads)
        self.bar.set_title(translate("qkv", "<b>{prefix}</b> · Q, K, V of one head (rows: tokens, columns: head_dim)")
                           .format(prefix=self.prefix))
        self.n = {"q": 0, "k": 0}
        self.labels = {"q": [], "k": []}
        for k, m in self.maps.items():
            name = qkv_step(self.prefix, k, ctx.cache)
            if name not in ctx.cache:
                m.set_matrix(np.zeros((1, 1)), title=translate("qkv", "{name}: not recorded").format(name=k.upper()))
                continue
            step = ctx.cache.step(name)
            t = step.tensor[0].float().numpy()
            h = self.head * t.shape[0] // heads   # grouped-query attention: the K/V head this query head reads
            mat = t[min(h, t.shape[0] - 1)]
            labels = ctx.tokens_for(step.dims[-2], mat.shape[0], name=name)
            rotated = translate("qkv", " after RoPE") if ".hook_rot_" in name else ""
            m.set_matrix(mat, labels, None, "signed", "token", "head_dim",
                         f"{k.upper()}{rotated} · {head_title(self.head)}")
            if k in self.n:
                self.n[k], self.labels[k] = mat.shape[0], labels
        self._show_cell()

    def cell(self) -> tuple[int, int]:
        """The selected (query, key), or the default one, within this step's lengths."""
        n_q, n_k = self.n["q"], self.n["k"]
        i = self.state.query if self.state.query is not None else max(n_q - 2, 0)
        j = self.state.key if self.state.key is not None else (1 if n_k > 1 else 0)
        return min(i, max(n_q - 1, 0)), min(j, max(n_k - 1, 0))

    def _show_cell(self):
        ctx = self.ctx
        i, j = self.cell()
        for combo, which, sel in ((self.query, "q", i), (self.key, "k", j)):
            labels, n = self.labels[which], self.n[which]
            combo.blockSignals(True)
            items = [f"{x} [{labels[x] if x < len(labels) else ''}]" for x in range(n)]
            if [combo.itemText(x) for x in range(combo.count())] != items:
                combo.clear()
                combo.addItems(items)
            combo.setCurrentIndex(sel)
            combo.blockSignals(False)
        a = cell_arithmetic(ctx.cache, self.prefix, self.head, i, j)
        self.last = a
        if a is None:
            self.bars.setOpts(x=[0], height=[0], brushes=None)
            self.sums.setText(translate("qkv", "This attention step has no recorded q, k, scores and pattern."))
            return
        x = np.arange(len(a.products))
        brushes = ["#c0392b" if v < 0 else "#2e86de" for v in a.products]
        self.bars.setOpts(x=x, height=a.products, width=0.8, brushes=brushes)
        self.products.getPlotItem().enableAutoRange()
        for m, r in (("q", i), ("k", j)):
            self.maps[m].select(r, 0)
        tick = lambda ok: "<span style='color:#1a7f37'>" + translate("qkv", "✓ equals the cache") + "</span>" \
            if ok else "<span style='color:#c00'>" + translate("qkv", "✗ differs from the cache") + "</span>"
        close = lambda x, y: abs(x - y) <= 1e-4 + 1e-4 * abs(y)
        lines = [translate("qkv", "<b>{head}, query {query}, key {key}</b>  (d_k = {d_k})").format(
                     head=head_title(self.head), query=i, key=j, d_k=a.d_k),
                 translate("qkv", "1. q·k = Σ q[d]·k[d] = <b>{total}</b> &nbsp; cache scores: {cache} "
                                  "{check}").format(
                     total=format_value(a.total), cache=format_value(a.cache_score),
                     check=tick(close(a.total, a.cache_score)))]
        if a.scaled is not None:
            lines.append(translate("qkv", "2. scaled = {total} × {scale} (1/√{d_k} = {root}) = <b>{scaled}</b> "
                                          "&nbsp; cache: {cache} {check}").format(
                total=format_value(a.total), scale=f"{a.scale:.6g}", d_k=a.d_k, root=f"{1 / np.sqrt(a.d_k):.6g}",
                scaled=format_value(a.scaled), cache=format_value(a.cache_scaled),
                check=tick(close(a.scaled, a.cache_scaled))))
        else:
            lines.append(translate("qkv", "2. no scaling step in this model (T5 folds 1/√d_k into its weights)"))
        if a.position_bias is not None:
            lines.append(translate("qkv", "&nbsp;&nbsp;&nbsp;+ position bias b[{head}, bucket of {key}−{query}] = "
                                          "{bias} → score <b>{score}</b>").format(
                head=head_title(self.head), key=j, query=i, bias=format_value(a.position_bias),
                score=format_value(a.total + a.position_bias)))
        if a.allowed is not None:
            kept = translate("qkv", "3. mask[{query},{key}] = <code>{allowed}</code>: the score is kept") \
                if a.allowed else translate("qkv", "3. mask[{query},{key}] = <code>{allowed}</code>: the score becomes "
                                                   "finfo.min, so its weight is 0")
            lines.append(kept.format(query=i, key=j, allowed=a.allowed))
        else:
            lines.append(translate("qkv", "3. no mask at this layer"))
        if a.masked_row is not None:
            lines.append(translate("qkv", "4. softmax over the row: exp(s[{key}] − max) / Σ exp(s − max) = "
                                          "<b>{probability}</b>").format(key=j, probability=f"{a.probability:.6f}"))
        lines.append(translate("qkv", "&nbsp;&nbsp;&nbsp;cache pattern: {probability} {check}").format(
            probability=f"{a.cache_probability:.6f}",
            check=tick(abs(a.probability - a.cache_probability) <= 1e-5 + 1e-3 * a.cache_probability)))
        self.sums.setText("<br>".join(lines))

    def csv(self) -> str:
        a = self.last
        if a is None:
            return ""
        rows = ["dim,q*k"] + [f"{d},{float(v)!r}" for d, v in enumerate(a.products)]
        rows.append(f"sum,{a.total!r}")
        return "\n".join(rows) + "\n"
