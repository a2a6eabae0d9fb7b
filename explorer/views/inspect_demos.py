"""The Look inside page's demonstrations: the chapter's claims as live numbers (engine.demos computes them).

    RoPE                     q at m, k at n on two sliders; the score, the same pair moved together, and the check
                             over 512 x 512 positions that only m - n matters (every RoPE family's own code)
    Position tables          learned absolute positions (cosine of every pair), the sinusoidal table, T5's buckets
                             and one head's learned bias
    LayerNorm vs RMSNorm     the same vector both ways
    Pre-norm vs post-norm    GLM's three placements in a deep stack at initialisation: activation and gradient norms
    Feed-forward gate        how much of each feature the activation lets through (GELU MLP vs SwiGLU)
    Grouped-query heads      which query heads share which key/value head, and the KV cache saved
    ALBERT                   one layer's weights at every depth, hidden states that still change

A demonstration computes when it is first looked at, in this panel's worker; `ready` follows every result shown.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton,
                               QSlider, QSpinBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget)

from explorer.i18n import ComposedTexts, translate
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.inspect_parts import GroupingPicture, TokenTable, engine_text, readable_tokens
from explorer.widgets.plots import curve_pen, plot_widget
from explorer.workers import Runner

ROPE_POSITIONS = 512          # the RoPE score matrix covers positions 0 .. 511
GQA_PRESETS = ("llama-2-70b", "llama-3-8b", "chatglm2-6b", "llama-1-7b", "llama-tiny")
COLOURS = {"pre": "#1f77b4", "post": "#d62728", "deepnorm": "#2ca02c", "ALBERT": "#d62728", "BERT": "#1f77b4",
           "GELU": "#1f77b4", "SiLU": "#ff7f0e", "ReLU": "#7f7f7f"}
DEMOS = (QT_TRANSLATE_NOOP("inspect_demos", "RoPE: only m − n matters"),
         QT_TRANSLATE_NOOP("inspect_demos", "Position tables"),
         QT_TRANSLATE_NOOP("inspect_demos", "LayerNorm vs RMSNorm"),
         QT_TRANSLATE_NOOP("inspect_demos", "Pre-norm vs post-norm"),
         QT_TRANSLATE_NOOP("inspect_demos", "Feed-forward gate"),
         QT_TRANSLATE_NOOP("inspect_demos", "Grouped-query heads"),
         QT_TRANSLATE_NOOP("inspect_demos", "ALBERT: one layer, N times"))
PLACEMENTS = {"pre": QT_TRANSLATE_NOOP("inspect_demos", "pre-norm (GLM's code, GPT-2, LLaMA)"),
              "post": QT_TRANSLATE_NOOP("inspect_demos", "post-norm (BERT, GPT-1, the notes' GLM)"),
              "deepnorm": QT_TRANSLATE_NOOP("inspect_demos", "DeepNorm (GLM-130B)")}
# engine.demos.Grouping.kind and position_tables' labels, in the interface's language
GROUPINGS = {"multi-head (MHA)": QT_TRANSLATE_NOOP("inspect_demos", "multi-head (MHA)"),
             "multi-query (MQA)": QT_TRANSLATE_NOOP("inspect_demos", "multi-query (MQA)"),
             "grouped-query (GQA)": QT_TRANSLATE_NOOP("inspect_demos", "grouped-query (GQA)")}
TABLES = {"position": QT_TRANSLATE_NOOP("inspect_demos", "position"),
          "block position (row 2)": QT_TRANSLATE_NOOP("inspect_demos", "block position (row 2)")}


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


class DemosPanel(QWidget):
    ready = Signal()

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.runner = Runner(self, "demos")
        self._rope = None
        self._positions = None    # the position table shown: (asked, matrix, mode, what its note says)
        self._placement = None    # (depth, runs) of the pre- vs post-norm stacks shown
        self._albert = None       # the ALBERT vs BERT reports shown
        self.texts = ComposedTexts()   # labels composed from results, composed again on a language change
        self._build()
        self.retranslate()
        state.events.settings.connect(self._settings_changed)

    def _settings_changed(self, change) -> None:
        if change[0] == "lang":
            self.retranslate()

    def retranslate(self) -> None:
        """Every text of the panel in the interface's language; the results shown are composed again."""
        for row, title in enumerate(DEMOS):
            self.demo_list.item(row).setText(translate("inspect_demos", title))
        for label, text in ((self.rope_model_label, QT_TRANSLATE_NOOP("inspect_demos", "model")),
                            (self.rope_m_label, QT_TRANSLATE_NOOP("inspect_demos", "query at m")),
                            (self.rope_n_label, QT_TRANSLATE_NOOP("inspect_demos", "key at n")),
                            (self.norm_input_label, QT_TRANSLATE_NOOP("inspect_demos", "vector x (numbers)"))):
            label.setText(translate("inspect_demos", text))
        self.position_head.setPrefix(translate("inspect_demos", "head "))
        self.depth.setPrefix(translate("inspect_demos", "layers: "))
        self.placement_button.setText(translate("inspect_demos", "Compute"))
        self.ffn_layer.setPrefix(translate("inspect_demos", "layer "))
        self.albert_button.setText(translate("inspect_demos", "Compare ALBERT with BERT on the text"))
        self.norm_plot.setTitle(translate("inspect_demos", "the same vector, normalised two ways"))
        self.norm_plot.setLabel("bottom", translate("inspect_demos", "dimension"))
        self.activation_plot.setTitle(translate("inspect_demos", "‖hidden state‖ after each layer"))
        self.gradient_plot.setTitle(translate("inspect_demos", "‖gradient of the layer's weights‖"))
        self.ffn_curves.setTitle(translate("inspect_demos", "act(x): what each activation lets through"))
        self.ffn_hist.setTitle(translate("inspect_demos", "act(x) / x over every token and feature of this layer"))
        self.ffn_hist.setLabel("bottom", translate("inspect_demos", "fraction of the feature let through"))
        self.albert_plot.setTitle(translate("inspect_demos", "cosine of each layer's output with the layer before"))
        for plot in (self.activation_plot, self.gradient_plot, self.albert_plot):
            plot.setLabel("bottom", translate("inspect_demos", "layer"))
        self._name_choices()
        self.texts.recompose()
        if self._rope is not None:
            self._show_rope_map()
            self._show_rope()
        if self._positions is not None:
            self._show_positions()
        if self.norm_table.rowCount():
            self.show_norms()
        if self._placement is not None:
            self._show_placement()
        if self.state.trace is not None and self.ffn_note.text():
            self.show_ffn()
        if self.gqa_note.text():
            self.show_gqa()
        if self._albert is not None:
            self._show_albert()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.message = _label()
        self.message.setStyleSheet("color:#a00")
        self.message.hide()
        self.demo_list = QListWidget()
        self.demo_list.setMaximumWidth(200)
        self.demo_pages = QStackedWidget()
        for title, build in zip(DEMOS, (self._build_rope, self._build_positions, self._build_norms,
                                        self._build_placement, self._build_ffn, self._build_gqa, self._build_albert)):
            self.demo_list.addItem(title)
            self.demo_pages.addWidget(build())
        self.demo_list.currentRowChanged.connect(self._demo_chosen)
        right = QVBoxLayout()
        right.addWidget(self.message)
        right.addWidget(self.demo_pages, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.demo_list)
        layout.addLayout(right, 1)
        self.demo_list.setCurrentRow(0)

    def _build_rope(self) -> QWidget:
        page = QWidget()
        self.rope_model = QComboBox()
        self.rope_model.currentIndexChanged.connect(lambda _i: self.compute_rope())
        self.rope_m, self.rope_n = QSlider(Qt.Horizontal), QSlider(Qt.Horizontal)
        self.rope_m_box, self.rope_n_box = QSpinBox(), QSpinBox()
        for slider, box, value in ((self.rope_m, self.rope_m_box, 9), (self.rope_n, self.rope_n_box, 4)):
            slider.setRange(0, ROPE_POSITIONS - 1)
            box.setRange(0, ROPE_POSITIONS - 1)
            slider.valueChanged.connect(box.setValue)
            box.valueChanged.connect(slider.setValue)
            slider.setValue(value)
            slider.valueChanged.connect(lambda _v: self._show_rope())
        self.rope_result = _label()
        self.rope_result.setStyleSheet("font-size: 13pt")
        self.rope_map = Heatmap()
        self.rope_angles = plot_widget()
        self.rope_angles.setAspectLocked(True)
        self.rope_angles.setMinimumWidth(380)
        self.rope_angles.hideAxis("left")
        self.rope_angles.hideAxis("bottom")
        self.rope_lines = (pg.InfiniteLine(angle=0, pen=pg.mkPen("#00000088", width=1)),
                           pg.InfiniteLine(angle=90, pen=pg.mkPen("#00000088", width=1)))
        for line in self.rope_lines:
            self.rope_map.plot.addItem(line)
        form = QFormLayout()
        self.rope_model_label, self.rope_m_label, self.rope_n_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.rope_model_label, self.rope_model)
        for label, slider, box in ((self.rope_m_label, self.rope_m, self.rope_m_box),
                                   (self.rope_n_label, self.rope_n, self.rope_n_box)):
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(box)
            form.addRow(label, row)
        pictures = QSplitter(Qt.Horizontal)
        pictures.addWidget(self.rope_map)
        pictures.addWidget(self.rope_angles)
        pictures.setSizes([620, 360])
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.rope_result)
        layout.addWidget(pictures, 1)
        return page

    def _build_positions(self) -> QWidget:
        page = QWidget()
        self.position_source = QComboBox()
        self.position_source.currentIndexChanged.connect(lambda _i: self.compute_positions())
        self.position_head = QSpinBox()
        self.position_head.setMinimum(1)
        self.position_head.valueChanged.connect(lambda _v: self.compute_positions())
        self.position_note = _label()
        self.position_map = Heatmap()
        row = QHBoxLayout()
        row.addWidget(self.position_source, 1)
        row.addWidget(self.position_head)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.position_note)
        layout.addWidget(self.position_map, 1)
        return page

    def _build_norms(self) -> QWidget:
        page = QWidget()
        self.norm_input = QLineEdit("1 2 3 10")
        self.norm_input.editingFinished.connect(self.show_norms)
        self.norm_table = TokenTable()
        self.norm_note = _label()
        self.norm_plot = plot_widget()
        self.norm_plot.addLegend(labelTextColor="k")
        form = QFormLayout()
        self.norm_input_label = QLabel()
        form.addRow(self.norm_input_label, self.norm_input)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.norm_note)
        layout.addWidget(self.norm_table)
        layout.addWidget(self.norm_plot, 1)
        return page

    def _build_placement(self) -> QWidget:
        page = QWidget()
        self.depth = QSpinBox()
        self.depth.setRange(2, 96)
        self.depth.setValue(24)
        self.placement_button = go = QPushButton()
        go.clicked.connect(self.compute_placement)
        self.placement_note = _label()
        self.texts.say(self.placement_note, lambda: translate(
            "inspect_demos", "GLM's three placements of LayerNorm, the same random stack (normal 0.02 weights), one "
                             "language-modelling loss on random tokens."))
        self.activation_plot = plot_widget()
        self.gradient_plot = plot_widget()
        for plot in (self.activation_plot, self.gradient_plot):
            plot.addLegend(labelTextColor="k")
        row = QHBoxLayout()
        row.addWidget(self.depth)
        row.addWidget(go)
        row.addStretch(1)
        plots = QHBoxLayout()
        plots.addWidget(self.activation_plot)
        plots.addWidget(self.gradient_plot)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.placement_note)
        layout.addLayout(plots, 1)
        return page

    def _build_ffn(self) -> QWidget:
        page = QWidget()
        self.ffn_layer = QSpinBox()
        self.ffn_layer.setMinimum(1)
        self.ffn_layer.valueChanged.connect(lambda _v: self.show_ffn())
        self.ffn_note = _label()
        self.ffn_curves = plot_widget()
        self.ffn_curves.addLegend(labelTextColor="k")
        self.ffn_hist = plot_widget()
        self.ffn_map = Heatmap()
        plots = QHBoxLayout()
        plots.addWidget(self.ffn_curves)
        plots.addWidget(self.ffn_hist)
        for plot in (self.ffn_curves, self.ffn_hist):
            plot.setMinimumHeight(170)   # the heatmap below must not squeeze them to a line
        pick = QHBoxLayout()
        pick.addWidget(self.ffn_layer)
        pick.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(pick)
        layout.addWidget(self.ffn_note)
        layout.addLayout(plots, 1)
        layout.addWidget(self.ffn_map, 1)
        return page

    def _build_gqa(self) -> QWidget:
        page = QWidget()
        self.gqa_model = QComboBox()
        self.gqa_model.currentIndexChanged.connect(lambda _i: self.show_gqa())
        self.gqa_picture = GroupingPicture()
        self.gqa_note = _label()
        layout = QVBoxLayout(page)
        self.gqa_picture.setMaximumHeight(260)
        layout.addWidget(self.gqa_model)
        layout.addWidget(self.gqa_picture, 1)
        layout.addWidget(self.gqa_note)
        layout.addStretch(1)
        return page

    def _build_albert(self) -> QWidget:
        page = QWidget()
        self.albert_button = go = QPushButton()
        go.clicked.connect(self.compute_albert)
        self.albert_note = _label()
        self.albert_plot = plot_widget()
        self.albert_plot.addLegend(labelTextColor="k")
        layout = QVBoxLayout(page)
        layout.addWidget(go)
        layout.addWidget(self.albert_note)
        layout.addWidget(self.albert_plot, 1)
        return page

    # ------------------------------------------------------------------ choosing
    def showEvent(self, event) -> None:   # noqa: N802 - Qt's name
        super().showEvent(event)
        self._demo_chosen(self.demo_list.currentRow())   # a demonstration computes when first looked at

    def _demo_chosen(self, row: int) -> None:
        self.demo_pages.setCurrentIndex(row)
        if not self.isVisible() or self.state.loaded is None:
            return
        if row == 0 and self._rope is None:
            self.compute_rope()
        elif row == 1:
            self.compute_positions()
        elif row == 2:
            self.show_norms()
        elif row == 3 and not self.activation_plot.getPlotItem().listDataItems():
            self.compute_placement()
        elif row == 4:
            self.show_ffn()
        elif row == 5:
            self.show_gqa()

    def fill_choices(self) -> None:
        """The choices that depend on the run's model (its RoPE, its position tables, its grouping)."""
        from engine.demos import position_tables, rope_setup

        loaded = self.state.loaded
        current = loaded.name if loaded is not None else None
        self.rope_model.blockSignals(True)
        self.rope_model.clear()
        if loaded is not None and rope_setup(loaded.module) is not None:
            self.rope_model.addItem(current, "")
        for _family, preset in self._rope_presets().items():
            self.rope_model.addItem(preset, preset)
        self.rope_model.blockSignals(False)
        self.position_source.blockSignals(True)
        self.position_source.clear()
        if loaded is not None:
            for label in position_tables(loaded.module):
                self.position_source.addItem(label, ("table", label))
        for source in (("sin", None), ("buckets", True), ("buckets", False), ("bias", False)):
            self.position_source.addItem("", source)
        self.position_source.blockSignals(False)
        self.gqa_model.blockSignals(True)
        self.gqa_model.clear()
        if loaded is not None:
            self.gqa_model.addItem(current, "")
        for name in GQA_PRESETS:
            self.gqa_model.addItem(name, name)
        self.gqa_model.blockSignals(False)
        self._name_choices()
        self._rope = None
        row = self.demo_list.currentRow()
        if row >= 0:
            self._demo_chosen(row)

    def _name_choices(self) -> None:
        """The model choices' texts in the interface's language."""
        loaded = self.state.loaded
        current = loaded.name if loaded is not None else ""
        family_of = {}   # preset -> its family's title ("LLaMA", "ChatGLM2/3"), as the chapter names them
        if self.rope_model.count():
            from engine.models import FAMILIES
            family_of = {preset: getattr(FAMILIES.get(family), "title", family)
                         for family, preset in self._rope_presets().items()}
        for index in range(self.rope_model.count()):
            preset = self.rope_model.itemData(index)
            self.rope_model.setItemText(index, translate("inspect_demos", "{model} (the model of the run)")
                                        .format(model=current) if not preset else
                                        translate("inspect_demos", "{preset} ({family})")
                                        .format(preset=preset, family=family_of.get(preset, "")))
        t5 = current if loaded is not None and getattr(loaded.module, "is_encoder_decoder", False) else "t5-tiny"
        for index in range(self.position_source.count()):
            kind, detail = self.position_source.itemData(index)
            if kind == "table":
                table = translate("inspect_demos", TABLES[detail]) if detail in TABLES else detail
                text = translate("inspect_demos", "{model}: learned {table} table, cosine of positions") \
                    .format(model=current, table=table)
            elif kind == "sin":
                text = translate("inspect_demos", "sinusoidal table (Vaswani et al. 2017), cosine of positions")
            elif kind == "buckets":
                text = (translate("inspect_demos", "{model}: T5 buckets of key − query (encoder)") if detail else
                        translate("inspect_demos", "{model}: T5 buckets (decoder: the past only)")).format(model=t5)
            else:
                text = translate("inspect_demos", "{model}: T5 learned bias of one head (encoder)").format(model=t5)
            self.position_source.setItemText(index, text)
        for index in range(self.gqa_model.count()):
            if self.gqa_model.itemData(index) == "":
                self.gqa_model.setItemText(index, translate("inspect_demos", "{model} (the model of the run)")
                                           .format(model=current))

    _rope_families: dict | None = None

    @classmethod
    def _rope_presets(cls) -> dict:
        if cls._rope_families is None:
            from engine.demos import rope_families
            cls._rope_families = rope_families()
        return cls._rope_families

    # ------------------------------------------------------------------ RoPE
    def compute_rope(self) -> None:
        from engine.demos import rope_check, rope_setup

        if self.rope_model.count() == 0:
            self.fill_choices()
        preset = self.rope_model.currentData()
        loaded = self.state.loaded

        def work(job):
            import engine
            module = loaded.module if not preset else engine.load(preset).module
            setup = rope_setup(module)
            job.check()
            return preset, setup, rope_check(setup, 0, 0, positions=ROPE_POSITIONS)

        self.texts.say(self.rope_result,
                  lambda: translate("inspect_demos", "computing the scores of 512 × 512 positions…"))
        self.runner.start(work, self._rope_ready, self._demo_failed)

    def _rope_ready(self, result) -> None:
        preset, setup, check = result
        if preset != self.rope_model.currentData():
            return
        self._rope = (setup, check)
        self._show_rope_map()
        self._show_rope()
        self.ready.emit()

    def _show_rope_map(self) -> None:
        _setup, check = self._rope
        self.rope_map.set_matrix(check.scores.numpy(), mode="signed",
                                 row_name=translate("inspect_demos", "query position m"),
                                 col_name=translate("inspect_demos", "key position n"),
                                 title=translate("inspect_demos", "q·k with q at m, k at n: constant along each "
                                                                  "diagonal m − n"))

    def _show_rope(self) -> None:
        if self._rope is None:
            return
        import torch

        from engine.demos import rotated

        setup, check = self._rope
        m, n = self.rope_m.value(), self.rope_n.value()
        q, k = self._rope_vectors()
        score = float(check.scores[m, n])
        shifted = []
        for s in (1, 7, 100, 1000):
            a = rotated(setup, q, torch.tensor([m + s]))[0]
            b = rotated(setup, k, torch.tensor([n + s]))[0]
            shifted.append(f"({m + s}, {n + s}) {float(a @ b):.5f}")
        verdict = translate("inspect_demos", "✔ depends only on m − n") if check.relative else \
            translate("inspect_demos", "✘ not only on m − n")
        layout = translate("inspect_demos", "interleaved pairs (x[2j], x[2j+1])") if setup.interleaved else \
            translate("inspect_demos", "rotate-half pairs (x[j], x[j+d/2])")
        part = (translate("inspect_demos", "the first {turned} of {dims} dimensions turn, the rest pass through")
                .format(turned=setup.rotary.rot_dim, dims=setup.head_dim) if setup.rotary.rot_dim < setup.head_dim
                else translate("inspect_demos", "all {dims} dimensions turn").format(dims=setup.head_dim))
        self.rope_result.setText(
            translate("inspect_demos", "score(q at m={m}, k at n={n}) = {score}   ·   m − n = {difference}   ·   "
                                       "the same pair moved together: {shifted}")
            .format(m=m, n=n, score=f"{score:.5f}", difference=m - n,
                    shifted=translate("inspect_demos", "; ").join(shifted))
            + "\n" +
            translate("inspect_demos", "{verdict}: over all 512 × 512 positions the scores along any diagonal differ "
                                       "by at most {deviation} (scores up to {scale}; float32 rounding).  {layout}; "
                                       "{part}.")
            .format(verdict=verdict, deviation=f"{check.deviation:.2g}", scale=f"{check.scale:.3g}", layout=layout,
                    part=part))
        self.texts.forget(self.rope_result)   # composed again from self._rope on a language change
        self.rope_map.select(m, n)
        self.rope_lines[0].setValue(m + 0.5)   # the chosen cell, findable among 512 x 512
        self.rope_lines[1].setValue(n + 0.5)
        theta = setup.rotary.inv_freq.float().cpu().numpy()[:8]
        plot = self.rope_angles
        pairs = setup.rotary.rot_dim // 2
        plot.setTitle(translate("inspect_demos", "pairs 1–{count} of {pairs} turned by m·θ_j (blue), n·θ_j "
                                                 "(orange)").format(count=len(theta), pairs=pairs))
        plot.clear()
        circle = np.linspace(0, 2 * np.pi, 100)
        for j in range(len(theta)):   # pair j on its own ring, turned by position x theta_j
            radius = 1.0 - 0.11 * j
            plot.plot(radius * np.cos(circle), radius * np.sin(circle), pen=pg.mkPen("#dddddd"))
            for position, colour in ((m, "#1f77b4"), (n, "#ff7f0e")):
                angle = position * theta[j]
                plot.plot([0, radius * np.cos(angle)], [0, radius * np.sin(angle)], pen=curve_pen(colour, 1.5))
                plot.plot([radius * np.cos(angle)], [radius * np.sin(angle)], pen=None, symbol="o", symbolSize=8,
                          symbolBrush=colour)
        plot.autoRange()

    def _rope_vectors(self):
        import torch
        setup, _check = self._rope
        generator = torch.Generator().manual_seed(0)   # rope_check's q and k
        return torch.randn(setup.head_dim, generator=generator), torch.randn(setup.head_dim, generator=generator)

    def _demo_failed(self, message: str, _user: bool = True) -> None:
        self.texts.say(self.message, lambda: engine_text(message))
        self.message.show()
        self.ready.emit()

    # ------------------------------------------------------------------ positions
    def compute_positions(self) -> None:
        from engine.demos import cosine_matrix, position_tables, sinusoidal_table, t5_bias, t5_buckets

        source = self.position_source.currentData()
        loaded = self.state.loaded
        if source is None:
            return
        kind, detail = source
        head = self.position_head.value() - 1
        self.position_head.setVisible(kind == "bias")

        def work(_job):   # -> (matrix, colour mode, what the note says: its kind and its numbers)
            if kind == "table":
                table = position_tables(loaded.module)[detail][:128]
                return (cosine_matrix(table).numpy(), "signed", ("table", table.shape[0], loaded.weights == "random"))
            if kind == "sin":
                size = loaded.family.attention_dims(loaded.config).hidden
                table = sinusoidal_table(128, int(size))
                return cosine_matrix(table).numpy(), "signed", ("sin", size)
            import engine
            t5 = loaded if getattr(loaded.module, "is_encoder_decoder", False) else None
            if kind == "buckets":
                from engine.models.t5 import T5Config
                config = t5.config if t5 is not None else T5Config()
                buckets = t5_buckets(48, detail, config.relative_attention_num_buckets,
                                     config.relative_attention_max_distance)
                return buckets.float().numpy(), "linear", ("buckets", detail)
            bias = t5_bias((t5 or engine.load("t5-tiny")).module, 48)
            head_ = min(head, bias.shape[0] - 1)
            return bias[head_].numpy(), "signed", ("bias", head_ + 1)

        self.runner.start(lambda job: ((source, head),) + work(job), self._positions_ready, self._demo_failed)

    def _positions_ready(self, result) -> None:
        asked, _matrix, _mode, _note = result
        if asked != (self.position_source.currentData(), self.position_head.value() - 1):
            return   # a later choice is being computed
        self._positions = result
        self._show_positions()
        self.ready.emit()

    def _show_positions(self) -> None:
        asked, matrix, mode, note = self._positions
        self.position_note.setText(self._position_note(note))
        pairs = asked[0][0] in ("buckets", "bias")
        position = translate("inspect_demos", "position")
        self.position_map.set_matrix(matrix, mode=mode,
                                     row_name=translate("inspect_demos", "query position") if pairs else position,
                                     col_name=translate("inspect_demos", "key position") if pairs else position)

    @staticmethod
    def _position_note(note: tuple) -> str:
        kind = note[0]
        if kind == "table":
            _kind, count, random = note
            text = translate("inspect_demos", "Cosine similarity of the first {count} learned position vectors with "
                                              "each other. Trained tables show a band: neighbours alike, far "
                                              "positions not. ").format(count=count)
            return text + (translate("inspect_demos", "With random weights it is noise off the diagonal.")
                           if random else "")
        if kind == "sin":
            return translate("inspect_demos", "The original Transformer's fixed sin/cos table (d = {size}): a smooth "
                                              "band, the same for every model; none of the chapter's families uses "
                                              "it (BERT and GPT learn theirs).").format(size=note[1])
        if kind == "buckets":
            return translate("inspect_demos", "T5's bucket of each (query, key) distance: the near distances one "
                                              "bucket each, farther ones sharing log-spaced buckets, keys to the "
                                              "right in the upper half.") if note[1] else \
                translate("inspect_demos", "T5's bucket of each (query, key) distance: the near distances one bucket "
                                           "each, farther ones sharing log-spaced buckets; the decoder tells only the "
                                           "past apart.")
        return translate("inspect_demos", "What head {head} adds to every score before the softmax, by the (query, "
                                          "key) bucket: T5's only position signal, learned per head, shared by the "
                                          "stack's layers.").format(head=note[1])

    # ------------------------------------------------------------------ norms
    def show_norms(self) -> None:
        import torch

        from engine.demos import norm_compare

        try:
            values = [float(v) for v in self.norm_input.text().replace(",", " ").split()]
        except ValueError:
            self.norm_note.setText(translate("inspect_demos", "Type numbers separated by spaces, e.g. 1 2 3 10."))
            return
        if len(values) < 2:
            self.norm_note.setText(translate("inspect_demos", "Type at least two numbers."))
            return
        result = norm_compare(torch.tensor(values[:64]))
        rows = ["x", "LayerNorm(x)", "RMSNorm(x)"]
        data = [result.x.tolist(), result.layer_norm.tolist(), result.rms_norm.tolist()]
        scale = max(abs(v) for row in data for v in row)
        self.norm_table.set_cells(rows, [str(i + 1) for i in range(len(values[:64]))],
                                  [[f"{v:.3f}" for v in row] for row in data], [[abs(v) for v in row] for row in data],
                                  scale=scale)
        self.norm_table.setMaximumHeight(self.norm_table.verticalHeader().length() + 40)
        ln, rms = result.layer_norm, result.rms_norm
        self.norm_note.setText(translate(
            "inspect_demos", "x: mean {mean}, standard deviation {std}, rms {rms}.   LayerNorm subtracts the mean, "
                             "then divides by the standard deviation: mean {ln_mean}, rms {ln_rms}.   RMSNorm only "
                             "divides by the rms (no mean, no bias: fewer operations, LLaMA's and T5's choice): mean "
                             "{rms_mean} kept, rms {rms_rms}.").format(
            mean=f"{result.mean:.4g}", std=f"{result.std:.4g}", rms=f"{result.rms:.4g}",
            ln_mean=f"{abs(float(ln.mean())):.3f}", ln_rms=f"{float(ln.pow(2).mean().sqrt()):.3g}",
            rms_mean=f"{float(rms.mean()):.3f}", rms_rms=f"{float(rms.pow(2).mean().sqrt()):.3g}"))
        plot = self.norm_plot
        plot.clear()
        x = np.arange(1, len(ln) + 1)
        for values_, name, colour in ((result.x, "x", "#7f7f7f"), (ln, "LayerNorm(x)", "#1f77b4"),
                                      (rms, "RMSNorm(x)", "#d62728")):
            plot.plot(x, values_.numpy(), pen=curve_pen(colour, 2), symbol="o", symbolBrush=colour, name=name)

    # ------------------------------------------------------------------ pre vs post
    def compute_placement(self, _checked: bool = False) -> None:
        from engine.demos import norm_placement

        depth = self.depth.value()
        self.texts.say(self.placement_note, lambda: translate("inspect_demos", "computing a {depth}-layer stack three "
                                                                          "ways…").format(depth=depth))
        self.runner.start(lambda job: (depth, norm_placement(depth=depth)), self._placement_ready,
                               self._demo_failed)

    def _placement_ready(self, result) -> None:
        self._placement = result
        self._show_placement()
        self.ready.emit()

    def _show_placement(self) -> None:
        depth, runs = self._placement
        for plot in (self.activation_plot, self.gradient_plot):
            plot.clear()
        layers = np.arange(1, depth + 1)
        for run in runs:
            pen = curve_pen(COLOURS[run.style], 2)
            name = translate("inspect_demos", PLACEMENTS[run.style]) if run.style in PLACEMENTS else run.style
            self.activation_plot.plot(layers, run.activation, pen=pen, name=name)
            self.gradient_plot.plot(layers, run.gradient, pen=pen, name=name)
        pre = next(r for r in runs if r.style == "pre")
        post = next(r for r in runs if r.style == "post")
        self.texts.say(self.placement_note, lambda: translate(
            "inspect_demos", "{depth} layers at initialisation. Pre-norm adds every sub-layer to a stream it "
                             "never normalises: ‖h‖ grows from {pre_first} to {pre_last}. Post-norm normalises "
                             "after every sum: ‖h‖ stays {post_last} (√H). Gradients of the layers' weights, first "
                             "→ last: pre-norm {pre_grad_first} → {pre_grad_last}, post-norm {post_grad_first} → "
                             "{post_grad_last}.").format(
            depth=depth, pre_first=f"{pre.activation[0]:.3g}", pre_last=f"{pre.activation[-1]:.3g}",
            post_last=f"{post.activation[-1]:.3g}", pre_grad_first=f"{pre.gradient[0]:.3g}",
            pre_grad_last=f"{pre.gradient[-1]:.3g}", post_grad_first=f"{post.gradient[0]:.3g}",
            post_grad_last=f"{post.gradient[-1]:.3g}"))

    # ------------------------------------------------------------------ feed-forward
    def show_ffn(self) -> None:
        from engine.demos import activation_curves, ffn_gates
        from engine.errors import InputError

        trace = self.state.trace
        plot = self.ffn_curves
        if not plot.getPlotItem().listDataItems():
            curves = activation_curves()
            for name in ("ReLU", "GELU", "SiLU"):
                plot.plot(curves["x"].numpy(), curves[name].numpy(), pen=curve_pen(COLOURS[name], 2), name=name)
        if trace is None:
            return
        stack = "decoder.blocks" if "decoder.blocks.0.mlp.hook_pre" in trace.cache else "blocks"
        layers = sum(1 for n in trace.cache.names() if n.startswith(stack + ".") and n.endswith(".mlp.hook_pre"))
        self.ffn_layer.setMaximum(max(layers, 1))
        try:
            report = ffn_gates(trace, self.ffn_layer.value() - 1, stack)
        except InputError as error:
            self.ffn_note.setText(engine_text(str(error)))
            return
        passed = report.passed.clamp(0.0, 1.0).numpy()
        counts, edges = np.histogram(passed.ravel(), bins=40, range=(0.0, 1.0))
        self.ffn_hist.clear()
        self.ffn_hist.plot(edges, counts, stepMode="center", fillLevel=0, brush=(31, 119, 180, 120))
        features = min(report.passed.shape[1], 96)
        tokens = readable_tokens(self.state.trace, self.state.loaded, decoder=stack.startswith("decoder"))
        self.ffn_map.set_matrix(report.passed[:, :features].numpy(), tokens, None, mode="linear",
                                row_name=translate("inspect_demos", "token"),
                                col_name=translate("inspect_demos", "feature (first {shown} of {count})")
                                .format(shown=features, count=report.passed.shape[1]),
                                title=translate("inspect_demos", "act(x) / x: the share of each feature let through"))
        kind = (translate("inspect_demos", "gated (SwiGLU / gated GELU): act(gate_proj x) multiplies a second "
                                           "projection, up_proj x; the gate is computed from one projection and "
                                           "applied to another") if report.gated else
                translate("inspect_demos", "a plain MLP (GELU/ReLU): the activation gates its own input, act(x) = x · "
                                           "(share let through)"))
        self.ffn_note.setText(translate("inspect_demos", "Layer {layer}: {kind}. {open} of the values pass more "
                                                         "than half, {closed} less than a tenth (GELU(x) = x·Φ(x), "
                                                         "SiLU(x) = x·σ(x): both multiply x by a number between 0 "
                                                         "and 1; ReLU by exactly 0 or 1).")
                              .format(layer=report.layer + 1, kind=kind, open=f"{report.open_share:.0%}",
                                      closed=f"{report.closed_share:.0%}"))

    # ------------------------------------------------------------------ grouped heads
    def show_gqa(self) -> None:
        from engine.demos import model_grouping
        from engine.models import FAMILIES
        from engine.presets import all_presets

        from explorer.params_model import human_bytes

        name = self.gqa_model.currentData()
        loaded = self.state.loaded
        if name is None:
            return
        if name == "":
            if loaded is None:
                return
            family, config, title = loaded.family, loaded.config, loaded.name
        else:
            preset = all_presets()[name]
            family = FAMILIES[preset.family]
            config, title = family.config(preset.config), name
        g = model_grouping(family, config)
        self.gqa_picture.set_grouping(g.kv_of_query)
        share = g.heads // g.kv_heads
        kv_heads = (translate("inspect_demos", "{count} key/value heads") if g.kv_heads > 1 else
                    translate("inspect_demos", "{count} key/value head")).format(count=g.kv_heads)
        shared = (translate("inspect_demos", "{count} query heads") if share > 1 else
                  translate("inspect_demos", "{count} query head")).format(count=share)
        self.gqa_note.setText(translate(
            "inspect_demos", "{model}: {kind}. {heads} query heads, {kv_heads}: repeat_kv hands each key/value head "
                             "to {shared}. KV cache per token (all {layers} layers, fp16): {cache}, against {mha} "
                             "with a key/value head per query head (MHA) and {mqa} with a single one (MQA): {saved} of "
                             "the full cache saved.").format(
            model=title, kind=translate("inspect_demos", GROUPINGS[g.kind]) if g.kind in GROUPINGS else g.kind,
            heads=g.heads, kv_heads=kv_heads, shared=shared, layers=g.layers, cache=human_bytes(g.bytes_per_token),
            mha=human_bytes(g.mha_bytes_per_token), mqa=human_bytes(g.mqa_bytes_per_token), saved=f"{g.saved:.0%}"))

    # ------------------------------------------------------------------ ALBERT
    def compute_albert(self, _checked: bool = False) -> None:
        from engine.demos import sharing

        # the tiny presets take 256 positions: a long run's text is cut to its first 200 characters
        text = (self.state.text or "The cat sat on the mat because it was tired.")[:200]
        loaded = self.state.loaded

        def work(job):
            import engine
            out = {}
            for label, name in (("ALBERT", "albert-tiny"), ("BERT", "bert-tiny")):
                model = loaded if loaded is not None and loaded.family.name == label.lower() else engine.load(name)
                job.check()
                out[label] = (model.name, sharing(model, model.trace(text=text)))
            return out

        self.texts.say(self.albert_note, lambda: translate("inspect_demos", "running ALBERT and BERT on the text…"))
        self.runner.start(work, self._albert_ready, self._demo_failed)

    def _albert_ready(self, result) -> None:
        self._albert = result
        self._show_albert()
        self.ready.emit()

    def _show_albert(self) -> None:
        plot = self.albert_plot
        plot.clear()
        lines = []
        for label, (name, report) in self._albert.items():
            plot.plot(np.arange(1, report.layers + 1), report.cosine, pen=curve_pen(COLOURS[label], 2),
                      symbol="o", symbolBrush=COLOURS[label],
                      name=translate("inspect_demos", "{model} ({count} weight sets)")
                      .format(model=name, count=report.parameter_sets))
            line = translate("inspect_demos", "{model}: {layers} layers, {count} distinct sets of layer weights; the "
                                              "hidden states change by {changes} from layer to layer") \
                if report.parameter_sets > 1 else \
                translate("inspect_demos", "{model}: {layers} layers, {count} distinct set of layer weights; the "
                                           "hidden states change by {changes} from layer to layer")
            lines.append(line.format(model=name, layers=report.layers, count=report.parameter_sets,
                                     changes=translate("inspect_demos", ", ").join(f"{c:.0%}" for c in report.change)))
        self.texts.forget(self.albert_note)   # composed again from self._albert on a language change
        self.albert_note.setText(translate("inspect_demos", "ALBERT applies one layer's weights at every depth, yet "
                                                            "each application reads a different input, so the hidden "
                                                            "states keep changing.") + "\n" + "\n".join(lines))
