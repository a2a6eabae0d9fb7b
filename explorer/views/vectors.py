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
from explorer.widgets.plots import curve_pen, plot_widget


class VectorsView(View):
    name, title = "vectors", "Vectors"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.heatmap = Heatmap()
        self.head_box = QSpinBox()   # heads counted from 1 here; the state's head is 0-based
        self.head_box.setPrefix("head ")
        self.head_box.setMinimum(1)
        self.head_box.setKeyboardTracking(False)
        self.head_box.valueChanged.connect(self._head_chosen)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.norms = plot_widget("L2 norm per token")
        self.norms.getPlotItem().invertY(True)
        self.norm_bars = pg.BarGraphItem(x0=[0], y=[0.5], height=0.8, width=[0], brush="#5b8bd0")
        self.norms.addItem(self.norm_bars)   # one item each, their data replaced: nothing freed per step
        self.line = plot_widget("one token's vector (click a row)")
        self.line.setLabel("bottom", "feature")
        self.curve = self.line.plot([0], [0], pen=curve_pen("#c0392b"), antialias=True)
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
        self.heatmap.cell_clicked.connect(self._row_clicked)
        self.row = 0

    def shown_key(self) -> tuple:
        step = self.state.step_info()
        return super().shown_key() + ((self.state.head,) if step is not None and "head" in step.dims else ())

    def _head_chosen(self, value: int) -> None:
        self.state.set_head(value - 1)

    def _row_clicked(self, row: int, _col: int) -> None:
        self._show_row(row)

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        step = ctx.step
        has_head = "head" in step.dims
        self.head_box.setVisible(has_head)
        if has_head:
            self.head_box.blockSignals(True)
            self.head_box.setRange(1, int(step.shape[step.dims.index("head")]))
            self.head_box.setValue(min(ctx.head + 1, self.head_box.maximum()))
            self.head_box.blockSignals(False)
        self._redraw()

    def matrix(self):
        ctx = self.ctx
        step = ctx.step
        tensor = step.tensor
        arr = tensor.float().numpy() if tensor.is_floating_point() else tensor.numpy()
        return as_matrix(arr, step.dims, self.head_box.value() - 1)

    def _redraw(self, *_):
        ctx = self.ctx
        if ctx is None or ctx.step is None:
            return
        mat, (rname, cname) = self.matrix()
        rows = ctx.tokens_for(rname, mat.shape[0])
        self.heatmap.set_matrix(mat, rows, None, mode="signed" if mat.dtype != bool else "bool", row_name=rname,
                                col_name=cname)
        norms = np.linalg.norm(mat.astype(np.float64), axis=1)
        self.norm_bars.setOpts(x0=np.zeros(len(norms)), y=np.arange(len(norms)) + 0.5, height=0.8, width=norms)
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
        self.curve.setData(np.arange(mat.shape[1]), mat[row].astype(np.float64))
        labels = self.heatmap.row_labels
        token = html.escape(labels[row]) if row < len(labels) else ""   # titles are HTML: "<s>" would strike out
        self.line.setTitle(f"vector of token {row} [{token}]")
