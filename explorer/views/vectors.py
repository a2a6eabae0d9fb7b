"""Hidden states and other (token x feature) tensors: a heatmap, per-token norms, one token's vector as a line."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QSplitter, QVBoxLayout

from explorer.i18n import translate
from explorer.session import as_matrix
from explorer.views.base import StepContext, View
from explorer.widgets.heatmap import Heatmap, finite_range, nice_ceiling, quiet_axes
from explorer.widgets.plots import follow_language, plot_widget, style_plot_item
from explorer.widgets.text_lines import TextLines
from explorer.widgets.token_axis import TokenAxis
from explorer.workers import Runner


def row_stats(mat: np.ndarray, check=None) -> tuple[np.ndarray, float, float]:
    """(L2 norm of each row, mean, std), summed in float64 without a float64 copy of the matrix (a logits matrix is
    60 MB of float32), in chunks of rows (check, a worker's job.check, is called between them); in torch, which
    lets go of the GIL, so a worker computing this leaves the UI thread free."""
    import torch

    values = torch.from_numpy(mat if mat.dtype.kind == "f" else mat.astype(np.float32))
    squares = torch.empty(values.shape[0], dtype=torch.float64)
    total = 0.0
    chunk = max(1, 1_000_000 // max(values.shape[1], 1))
    for start in range(0, values.shape[0], chunk):
        if check is not None:
            check()
        part = values[start:start + chunk]
        squares[start:start + chunk] = torch.linalg.vector_norm(part, dim=1, dtype=torch.float64).square_()
        total += float(part.sum(dtype=torch.float64))
    n = max(values.numel(), 1)
    mean = total / n
    std = float(np.sqrt(max(float(squares.sum()) / n - mean * mean, 0.0)))
    return squares.sqrt_().numpy(), mean, std


class VectorsView(View):
    name, title = "vectors", QT_TRANSLATE_NOOP("views", "Vectors")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.heatmap = Heatmap()
        self.head_box = QSpinBox()   # heads counted from 1 here; the state's head is 0-based
        self.head_box.setMinimum(1)
        self.head_box.setKeyboardTracking(False)
        self.head_box.valueChanged.connect(self._head_chosen)
        self.info = TextLines(2, rich=True)   # a new text repaints it only: never moves the plots
        self.norms = plot_widget()
        self.norms.getPlotItem().setAxisItems({"left": TokenAxis("left")})   # token labels that thin out
        style_plot_item(self.norms.getPlotItem())
        self.norms.getPlotItem().invertY(True)
        # no outline: at 400+ tokens outlined bars 1 px apart would merge into a black block
        self.norm_bars = pg.BarGraphItem(x0=[0], y=[0.5], height=0.8, width=[0], brush="#5b8bd0", pen=None)
        self.norms.addItem(self.norm_bars)   # one item each, their data replaced: nothing freed per step
        self.line = plot_widget()
        # a cosmetic 1 px pen: a wider one is stroked as a path, slow for a 30522-long vector
        self.curve = self.line.plot([0], [0], pen=pg.mkPen("#c0392b", width=1), antialias=False)
        self.curve.setDownsampling(auto=True, method="peak")   # a vocabulary-long vector: about a point per pixel
        self.curve.setClipToView(True)
        for plot in (self.norms, self.line):
            quiet_axes(plot.getPlotItem())
        self.line.getPlotItem().disableAutoRange()   # set by _fit_line: unchanged axes are not redrawn
        self._line_range = None   # (feature count, low, high) the vector plot shows
        self._step_extent = None  # (step, (min, max) over all its heads)
        self._line_title = None
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
        self._matrix = None       # (step and head, context, as_matrix result): one slice per drawing
        self.stats_runner = Runner(self, "vector norms")
        self._stats_later = QTimer(self)
        self._stats_later.setSingleShot(True)
        self._stats_later.timeout.connect(self._start_stats)
        self._norm_ticks = None
        self._norm_range = None   # (x extent, rows) the norms plot shows
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.heatmap.retranslate()
        self.head_box.setPrefix(translate("vectors", "head "))
        self.norms.setTitle(translate("vectors", "L2 norm per token"))
        self.line.setLabel("bottom", translate("vectors", "feature"))
        self._line_title = None
        if self.ctx is None:
            self.line.setTitle(translate("vectors", "one token's vector (click a row)"))

    def shown_key(self) -> tuple:
        step = self.state.step_info()
        return super().shown_key() + ((self.state.head,) if step is not None and "head" in step.dims else ())

    def runners(self) -> list:
        return [self.stats_runner] + ([self.heatmap._runner] if self.heatmap._runner is not None else [])

    def busy(self) -> bool:
        return super().busy() or self._stats_later.isActive() or self.heatmap.busy()

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
        key = (id(step), self.head_box.value() - 1)
        if self._matrix is not None and self._matrix[0] == key and self._matrix[1] is ctx:
            return self._matrix[2]
        tensor = step.tensor
        arr = tensor.float().numpy() if tensor.is_floating_point() else tensor.numpy()
        result = as_matrix(arr, step.dims, self.head_box.value() - 1)
        self._matrix = (key, ctx, result)
        return result

    def _redraw(self, *_):
        ctx = self.ctx
        if ctx is None or ctx.step is None:
            return
        mat, (rname, cname) = self.matrix()
        rows = ctx.tokens_for(rname, mat.shape[0])
        self.heatmap.set_matrix(mat, rows, None, mode="signed" if mat.dtype != bool else "bool", row_name=rname,
                                col_name=cname)
        if self._norm_ticks != rows:
            self._norm_ticks = rows
            self.norms.getPlotItem().getAxis("left").set_labels(rows)
        self.stats_runner.cancel_all()
        self._stats_later.stop()
        if mat.size > Heatmap.LARGE:   # a logits matrix: its norms and moments come from a worker, started once
            self._show_stats(mat, None)  # this is painted (and not while changes keep coming)
            self._stats_later.start(Heatmap.DELAY_MS)
        else:
            self._show_stats(mat, row_stats(mat))
        self._show_row(min(self.row, mat.shape[0] - 1))

    def _start_stats(self) -> None:
        if self._matrix is None or self.ctx is None:
            return
        mat = self._matrix[2][0]
        self.stats_runner.start(lambda job: (mat, row_stats(mat, job.check)), self._stats_ready, self._stats_failed)

    def _stats_ready(self, result) -> None:
        mat, stats = result
        if self._matrix is not None and self._matrix[2][0] is mat:
            self._show_stats(mat, stats)

    def _stats_failed(self, message: str, _user: bool) -> None:
        failed = translate("vectors", " · the norms could not be computed: {reason}")
        self.info.setText(self.info.text() + failed.format(reason=message))

    def _show_stats(self, mat, stats) -> None:
        ctx = self.ctx
        n = mat.shape[0]
        norms = stats[0] if stats is not None else np.zeros(n)
        # a gap between bars while they are a few px tall; touching (a silhouette) when there are many
        self.norm_bars.setOpts(x0=np.zeros(n), y=np.arange(n) + 0.5, height=0.8 if n <= 100 else 1.0, width=norms)
        top = max(float(norms.max()) if n else 0.0, 1e-6) * 1.05
        shown = (top, n)
        # the axes stay while the longest bar still fits and fills at least half of them (no axis redrawn)
        kept = self._norm_range is not None and self._norm_range[1] == n and top <= self._norm_range[0] <= 2 * top
        if stats is not None and not kept:
            self._norm_range = shown
            self.norms.getPlotItem().setRange(xRange=(0, top), yRange=(0, n), padding=0)
        if stats is not None:
            moments = translate("vectors", "mean {mean} · std {std}").format(mean=f"{stats[1]:.4f}",
                                                                             std=f"{stats[2]:.4f}")
        else:
            moments = translate("vectors", "computing norms…")
        info = translate("vectors", "<b>{name}</b> shape {shape} dims <code>{dims}</code> · {moments}")
        self.info.setText(info.format(name=ctx.name, shape=tuple(ctx.step.shape), dims=ctx.step.dims, moments=moments))

    def _fit_line(self, n: int, low: float, high: float) -> None:
        """The vector plot's range: zero to a round bound on each side the values reach (nice_ceiling), so that
        heads and rows of similar size share it and a change redraws the curve only, not the axis."""
        bound = nice_ceiling(max(abs(low), abs(high), 1e-6))
        shown = (n, -bound if low < 0 else 0.0, bound if high > 0 or low >= 0 else 0.0)
        if shown == self._line_range:
            return
        self._line_range = shown
        self.line.getPlotItem().setRange(xRange=(0, max(n - 1, 1)), yRange=shown[1:], padding=0)

    def _line_extent(self, values: np.ndarray) -> tuple[float, float]:
        """What the vector plot must reach: for a step split into heads, every head's values (one scale to compare
        heads on, and no axis redrawn on a head change); otherwise the row's own."""
        step = self.ctx.step
        if "head" not in step.dims:
            return finite_range(values)
        if self._step_extent is None or self._step_extent[0] is not step:
            tensor = step.tensor
            self._step_extent = (step, finite_range(tensor.float().numpy() if tensor.is_floating_point()
                                                    else tensor.numpy()))
        return self._step_extent[1]

    def _show_row(self, row: int) -> None:
        mat, _ = self.matrix()
        self.row = row
        values = mat[row].astype(np.float64)
        self.curve.setData(np.arange(mat.shape[1]), values)
        self._fit_line(len(values), *self._line_extent(values))
        labels = self.heatmap.row_labels
        token = html.escape(labels[row]) if row < len(labels) else ""   # titles are HTML: "<s>" would strike out
        title = translate("vectors", "vector of token {row} [{token}]").format(row=row, token=token)
        if title != self._line_title:   # a new title re-lays the plot out: only when it changed
            self._line_title = title
            self.line.setTitle(title)
