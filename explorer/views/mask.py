"""The real boolean mask of a layer (True = may attend), what kind it is, and the kinds of the families side by side."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from explorer.session import (as_matrix, attention_title, attn_prefix, compare_presets, is_cross_attention, is_mask,
                              mask_step, same_step_in_layer)
from explorer.error_texts import explain
from explorer.i18n import translate
from explorer.views.attention import LayerHeadBar
from explorer.views.base import StepContext, View
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import Graveyard, add_label, follow_language, layout_widget
from explorer.workers import Runner


def mask_kind(mask: np.ndarray) -> tuple[str, str]:
    """(what kind of mask, what it lets each token see), in the interface's language."""
    m = np.asarray(mask).astype(bool)
    q, k = m.shape
    if q != k:
        padded = int((~m.all(axis=0)).sum())
        detail = translate("mask", "queries of one sequence look at keys of another (cross-attention)")
        if padded:
            detail += translate("mask", "; {count} key columns hidden (padding)").format(count=padded)
        return translate("mask", "rectangular {queries} × {keys}").format(queries=q, keys=k), detail
    if m.all():
        return (translate("mask", "all True"),
                translate("mask", "every token sees every token (bidirectional)"))
    lower = np.tril(np.ones((q, k), bool))
    if (m == lower).all():
        return translate("mask", "causal"), translate("mask", "token i sees tokens 0..i (lower triangle)")
    if not (m & ~lower).any():
        widths = m.sum(1)
        w = int(widths.max())
        band = np.tril(np.ones((q, k), bool)) & ~np.tril(np.ones((q, k), bool), -w)
        if (m == band).all():
            return (translate("mask", "banded causal"),
                    translate("mask", "token i sees only the last {count} tokens (sparse / local attention)").format(
                        count=w))
        return translate("mask", "causal with some keys hidden (padding or a sparse pattern)"), ""
    full_cols = m.all(axis=0)
    a = int(np.argmin(full_cols)) if not full_cols.all() else k
    if a > 0 and (m[:, :a].all()) and (m[a:, a:] == np.tril(np.ones((q - a, k - a), bool))).all():
        return (translate("mask", "2D mixed"),
                translate("mask", "the first {count} tokens (Part A) see each other both ways, the rest (Part B) are "
                                  "causal").format(count=a))
    hidden_cols = int((~m.any(axis=0)).sum())
    if hidden_cols:
        return translate("mask", "{count} key columns hidden from every query (padding)").format(count=hidden_cols), ""
    return translate("mask", "a custom pattern"), ""


def describe_mask(mask: np.ndarray) -> str:
    """What the mask is and lets each token see, in a sentence (in the interface's language)."""
    kind, detail = mask_kind(mask)
    return translate("mask", "{kind}: {detail}").format(kind=kind, detail=detail) if detail else kind


class MaskView(View):
    name, title = "mask", QT_TRANSLATE_NOOP("views", "Mask")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.bar = LayerHeadBar()
        self.bar.head.hide()
        self.kind = QLabel()
        self.kind.setWordWrap(True)
        self.kind.setWordWrap(True)
        self.heatmap = Heatmap()
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.kind)
        layout.addWidget(self.heatmap, 1)
        self.bar.layer_changed.connect(self._choose_layer)
        self.mask_name = ""
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.bar.retranslate()
        self.heatmap.retranslate()

    def _choose_layer(self, layer: int) -> None:
        if self.mask_name:
            self.state.go_to(same_step_in_layer(self.mask_name, layer), self.name)

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        own = ctx.step is not None and str(ctx.step.tensor.dtype) == "torch.bool"
        self.mask_name = ctx.name if own or is_mask(ctx.name) else mask_step(attn_prefix(ctx.name))
        ctx2 = StepContext(ctx.trace, self.mask_name, ctx.cache.step(self.mask_name), ctx.loaded, ctx.text,
                           ctx.pair, 0)
        self.bar.update_for(ctx2, 1)
        step = ctx2.step
        mat, _ = as_matrix(step.tensor.numpy(), step.dims, 0)
        mat = mat.astype(bool)
        rows = ctx2.tokens_for("q_pos", mat.shape[0])
        cols = ctx2.tokens_for("k_pos", mat.shape[1])
        self.bar.set_title(translate("mask", "<b>{name}</b> shape {shape} (the boolean mask recorded before it "
                                             "becomes an additive finfo.min bias)").format(name=self.mask_name,
                                                                                           shape=tuple(step.shape)))
        self.kind.setText(translate("mask", "<b>{kind}</b> · {allowed} of {cells} cells may attend").format(
            kind=describe_mask(mat), allowed=int(mat.sum()), cells=mat.size))
        self.heatmap.set_matrix(mat, rows, cols, mode="bool", row_name="query", col_name="key")


def first_masks(cache) -> list[tuple[str, np.ndarray]]:
    """The distinct mask patterns of one trace (first layer of each kind: self, cross, GPT-3's banded...)."""
    seen, out = [], []
    for step in cache.steps():
        if not is_mask(step.name):
            continue
        mat, _ = as_matrix(step.tensor.numpy(), step.dims, 0)
        mat = mat.astype(bool)
        kind = "cross" if is_cross_attention(step.name) else "self"   # a cross mask is shown even when alike
        if any(k == kind and m.shape == mat.shape and (m == mat).all() for k, m in seen):
            continue
        seen.append((kind, mat))
        out.append((step.name, mat))
    return out


PANEL_COLUMNS = 4


def compare_masks(text: str, job=None) -> list:
    """(preset, [(step name, mask)], error) for the first tiny preset of each family of the engine's registry, all
    on the same text (an encoder-decoder also gets it as its target, so its causal and cross masks have rows).
    Qt-free: runs in a worker; `job.check()` stops it between models when cancelled."""
    import engine

    results = []
    for name, encoder_decoder in compare_presets():
        if job is not None:
            job.check()
        try:
            trace = engine.load(name).trace(text=text, text_pair=text if encoder_decoder else None)
        except engine.PLMError as error:
            results.append((name, None, str(error)))
            continue
        results.append((name, first_masks(trace.cache), None))
    return results


class MasksCompareView(View):
    """Runs the first tiny preset of each family on the same text (in its own worker) and shows their masks side
    by side."""
    name, title = "masks-compare", QT_TRANSLATE_NOOP("views", "Masks of the families")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runner = Runner(self, "masks-compare")
        self.graveyard = Graveyard()
        self.button = QPushButton()
        self.button.clicked.connect(self.run)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.canvas = layout_widget()
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.legend = QLabel()
        layout.addWidget(self.legend)
        layout.addWidget(self.canvas, 1)
        self.results: list = []
        self.last_text = None
        self._status = None   # what the status line says: "running", "done" or None (an error, as given)
        self.retranslate()
        follow_language(self, self.retranslate)

    def retranslate(self) -> None:
        self.button.setText(translate("mask", "Run the tiny presets on this text and compare their masks"))
        self.legend.setText(translate("mask", "green: may attend · grey: blocked · rows: queries, columns: keys"))
        if self.results:
            self._draw_panels(self.results)
        if self._status == "running":
            self.status.setText(translate("mask", "running the tiny presets…"))
        elif self._status == "done":
            self.status.setText(translate("mask", "{count} models on the same text").format(count=len(self.results)))

    def runners(self) -> list:
        return [self.runner]

    def show_step(self, ctx: StepContext) -> None:
        super().show_step(ctx)
        if self.last_text != ctx.text:
            self.run()

    def run(self) -> None:
        if self.state.trace is None:
            return
        text = self.state.text
        self.last_text = text
        self._status = "running"
        self.status.setText(translate("mask", "running the tiny presets…"))
        self.runner.cancel_all()   # only this view's own earlier comparison
        self.runner.start(lambda job: (text, compare_masks(text, job)), self._finished, self._failed)

    def _failed(self, message: str, _user: bool) -> None:
        self._status = None
        self.status.setText(explain(message))

    def _finished(self, result) -> None:
        text, results = result
        self.show_results(results)

    def show_results(self, results) -> None:
        if results is None:
            return
        self.results = results
        self._draw_panels(results)
        self._status = "done"
        self.status.setText(translate("mask", "{count} models on the same text").format(count=len(results)))

    def _draw_panels(self, results) -> None:
        self.graveyard.clear_layout(self.canvas)
        cmap = pg.ColorMap([0.0, 1.0], [QColor("#9e9e9e"), QColor("#2e9d4a")])
        panels = [(name, None, None, error) for name, masks, error in results if masks is None]
        panels += [(name, step_name, mat, None) for name, masks, error in results if masks is not None
                   for step_name, mat in masks]
        for index, (name, step_name, mat, error) in enumerate(panels):   # a grid, PANEL_COLUMNS wide
            row, col = 2 * (index // PANEL_COLUMNS), index % PANEL_COLUMNS
            if mat is None:
                add_label(self.canvas, f"<b>{name}</b><br>{explain(error)}", row=row, col=col)
                continue
            kind = mask_kind(mat)[0]
            add_label(self.canvas, f"<b>{name}</b> · {attention_title(step_name)}<br>{kind}", row=row, col=col)
            box = self.canvas.addViewBox(row=row + 1, col=col, lockAspect=True, enableMouse=False)
            box.invertY(True)
            image = pg.ImageItem(mat.astype(float), axisOrder="row-major", levels=(0, 1))
            image.setColorMap(cmap)
            box.addItem(image)
