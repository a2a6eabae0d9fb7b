"""Hidden states and other (token x feature) tensors: a heatmap, per-token norms, one token's vector as a line."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QSplitter, QVBoxLayout

from explorer.session import as_matrix
from explorer.views.base import StepContext, View
from explorer.widgets.heatmap import Heatmap


def position_labels(ctx: StepContext, n: int, axis: str) -> list[str]:
    """Token labels for a position axis: T5's decoder tokens for decoder queries/positions, the encoder's tokens for
    cross-attention keys and everything else; plain indices when the lengths do not match."""
    tokens = list(ctx.trace.tokens)
    dec = (ctx.trace.extras or {}).get("decoder_tokens")
    if dec and "decoder" in ctx.name and not (axis == "k_pos" and "cross" in ctx.name):
        tokens = list(dec)
    if len(tokens) != n and dec and len(dec) == n:
        tokens = list(dec)
    if len(tokens) == n:
        return [str(t) for t in tokens]
    return [str(i) for i in range(n)]


class VectorsView(View):
    name, title = "vectors", "Vectors"

    def __init__(self, app=None, parent=None):
        super().__init__(app, parent)
        self.heatmap = Heatmap()
        self.head_box = QSpinBox()
        self.head_box.setPrefix("head ")
        self.head_box.valueChanged.connect(self._redraw)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.norms = pg.PlotWidget(title="L2 norm per token")
        self.norms.getPlotItem().invertY(True)
        self.line = pg.PlotWidget(title="one token's vector (click a row)")
        self.line.setLabel("bottom", "feature")
        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        top.addWidget(self.head_box)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.norms)
        right.addWidget(self.line)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.heatmap)
        split.addWidget(right)
        split.setSizes([620, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.heatmap.cell_clicked.connect(lambda r, c: self._show_row(r))
        self.row = 0

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        step = ctx.step
        has_head = "head" in step.dims
        self.head_box.setVisible(has_head)
        if has_head:
            self.head_box.blockSignals(True)
            self.head_box.setRange(0, step.shape[step.dims.index("head")] - 1)
            self.head_box.setValue(min(ctx.head, self.head_box.maximum()))
            self.head_box.blockSignals(False)
        self._redraw()

    def matrix(self):
        ctx = self.ctx
        step = ctx.step
        tensor = step.tensor
        arr = tensor.float().numpy() if tensor.is_floating_point() else tensor.numpy()
        return as_matrix(arr, step.dims, self.head_box.value())

    def _redraw(self, *_):
        ctx = self.ctx
        if ctx is None or ctx.step is None:
            return
        mat, (rname, cname) = self.matrix()
        rows = position_labels(ctx, mat.shape[0], rname)
        self.heatmap.set_matrix(mat, rows, None, mode="signed" if mat.dtype != bool else "bool", row_name=rname,
                                col_name=cname)
        norms = np.linalg.norm(mat.astype(np.float64), axis=1)
        self.norms.clear()
        self.norms.addItem(pg.BarGraphItem(x0=0, y=np.arange(len(norms)) + 0.5, height=0.8, width=norms,
                                           brush="#5b8bd0"))
        self.norms.getPlotItem().setRange(xRange=(0, max(float(norms.max()), 1e-6) * 1.05),
                                          yRange=(0, len(norms)), padding=0)
        self.norms.getPlotItem().getAxis("left").setTicks(
            [[(i + 0.5, t) for i, t in enumerate(rows)][:: max(1, len(rows) // 30)]])
        self.info.setText(f"<b>{ctx.name}</b> shape {tuple(ctx.step.shape)} dims {ctx.step.dims} · mean "
                          f"{mat.mean():.4f} · std {mat.astype(np.float64).std():.4f}")
        self._show_row(min(self.row, mat.shape[0] - 1))

    def _show_row(self, row: int) -> None:
        mat, _ = self.matrix()
        self.row = row
        self.line.clear()
        self.line.plot(np.arange(mat.shape[1]), mat[row].astype(np.float64), pen=pg.mkPen("#c0392b", width=1.5))
        labels = self.heatmap.row_labels
        token = html.escape(labels[row]) if row < len(labels) else ""   # titles are HTML: "<s>" would strike out
        self.line.setTitle(f"vector of token {row} [{token}]")
