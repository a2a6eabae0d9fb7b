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
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton,
                               QSlider, QSpinBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget)

from explorer.widgets.heatmap import Heatmap
from explorer.widgets.inspect_parts import GroupingPicture, TokenTable, readable_tokens
from explorer.widgets.plots import curve_pen, plot_widget
from explorer.workers import Runner

ROPE_POSITIONS = 512          # the RoPE score matrix covers positions 0 .. 511
GQA_PRESETS = ("llama-2-70b", "llama-3-8b", "chatglm2-6b", "llama-1-7b", "llama-tiny")
COLOURS = {"pre": "#1f77b4", "post": "#d62728", "deepnorm": "#2ca02c", "ALBERT": "#d62728", "BERT": "#1f77b4",
           "GELU": "#1f77b4", "SiLU": "#ff7f0e", "ReLU": "#7f7f7f"}


def _label(text: str) -> QLabel:
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
        self._build()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.message = _label("")
        self.message.setStyleSheet("color:#a00")
        self.message.hide()
        self.demo_list = QListWidget()
        self.demo_list.setMaximumWidth(200)
        self.demo_pages = QStackedWidget()
        for title, build in (("RoPE: only m − n matters", self._build_rope),
                             ("Position tables", self._build_positions), ("LayerNorm vs RMSNorm", self._build_norms),
                             ("Pre-norm vs post-norm", self._build_placement), ("Feed-forward gate", self._build_ffn),
                             ("Grouped-query heads", self._build_gqa), ("ALBERT: one layer, N times",
                                                                         self._build_albert)):
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
        self.rope_result = _label("")
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
        form.addRow("model", self.rope_model)
        for text, slider, box in (("query at m", self.rope_m, self.rope_m_box), ("key at n", self.rope_n,
                                                                               self.rope_n_box)):
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(box)
            form.addRow(text, row)
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
        self.position_head.setPrefix("head ")
        self.position_head.setMinimum(1)
        self.position_head.valueChanged.connect(lambda _v: self.compute_positions())
        self.position_note = _label("")
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
        self.norm_note = _label("")
        self.norm_plot = plot_widget("the same vector, normalised two ways")
        self.norm_plot.setLabel("bottom", "dimension")
        self.norm_plot.addLegend(labelTextColor="k")
        form = QFormLayout()
        form.addRow("vector x (numbers)", self.norm_input)
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
        self.depth.setPrefix("layers: ")
        go = QPushButton("Compute")
        go.clicked.connect(self.compute_placement)
        self.placement_note = _label("GLM's three placements of LayerNorm, the same random stack (normal 0.02 "
                                     "weights), one language-modelling loss on random tokens.")
        self.activation_plot = plot_widget("‖hidden state‖ after each layer")
        self.gradient_plot = plot_widget("‖gradient of the layer's weights‖")
        for plot in (self.activation_plot, self.gradient_plot):
            plot.addLegend(labelTextColor="k")
            plot.setLabel("bottom", "layer")
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
        self.ffn_layer.setPrefix("layer ")
        self.ffn_layer.setMinimum(1)
        self.ffn_layer.valueChanged.connect(lambda _v: self.show_ffn())
        self.ffn_note = _label("")
        self.ffn_curves = plot_widget("act(x): what each activation lets through")
        self.ffn_curves.addLegend(labelTextColor="k")
        self.ffn_hist = plot_widget("act(x) / x over every token and feature of this layer")
        self.ffn_hist.setLabel("bottom", "fraction of the feature let through")
        self.ffn_map = Heatmap()
        plots = QHBoxLayout()
        plots.addWidget(self.ffn_curves)
        plots.addWidget(self.ffn_hist)
        layout = QVBoxLayout(page)
        layout.addWidget(self.ffn_layer)
        layout.addWidget(self.ffn_note)
        layout.addLayout(plots, 1)
        layout.addWidget(self.ffn_map, 1)
        return page

    def _build_gqa(self) -> QWidget:
        page = QWidget()
        self.gqa_model = QComboBox()
        self.gqa_model.currentIndexChanged.connect(lambda _i: self.show_gqa())
        self.gqa_picture = GroupingPicture()
        self.gqa_note = _label("")
        layout = QVBoxLayout(page)
        self.gqa_picture.setMaximumHeight(260)
        layout.addWidget(self.gqa_model)
        layout.addWidget(self.gqa_picture, 1)
        layout.addWidget(self.gqa_note)
        layout.addStretch(1)
        return page

    def _build_albert(self) -> QWidget:
        page = QWidget()
        go = QPushButton("Compare ALBERT with BERT on the text")
        go.clicked.connect(self.compute_albert)
        self.albert_note = _label("")
        self.albert_plot = plot_widget("cosine of each layer's output with the layer before")
        self.albert_plot.addLegend(labelTextColor="k")
        self.albert_plot.setLabel("bottom", "layer")
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
            self.rope_model.addItem(f"{current} (the model of the run)", "")
        for family, preset in self._rope_presets().items():
            self.rope_model.addItem(f"{preset} ({family})", preset)
        self.rope_model.blockSignals(False)
        self.position_source.blockSignals(True)
        self.position_source.clear()
        if loaded is not None:
            for label in position_tables(loaded.module):
                self.position_source.addItem(f"{current}: learned {label} table, cosine of positions",
                                             ("table", label))
        t5 = current if loaded is not None and getattr(loaded.module, "is_encoder_decoder", False) else "t5-tiny"
        self.position_source.addItem("sinusoidal table (Vaswani et al. 2017), cosine of positions", ("sin", None))
        self.position_source.addItem(f"{t5}: T5 buckets of key − query (encoder)", ("buckets", True))
        self.position_source.addItem(f"{t5}: T5 buckets (decoder: the past only)", ("buckets", False))
        self.position_source.addItem(f"{t5}: T5 learned bias of one head (encoder)", ("bias", False))
        self.position_source.blockSignals(False)
        self.gqa_model.blockSignals(True)
        self.gqa_model.clear()
        if loaded is not None:
            self.gqa_model.addItem(f"{current} (the model of the run)", "")
        for name in GQA_PRESETS:
            self.gqa_model.addItem(name, name)
        self.gqa_model.blockSignals(False)
        self._rope = None
        row = self.demo_list.currentRow()
        if row >= 0:
            self._demo_chosen(row)

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

        self.rope_result.setText("computing the scores of 512 × 512 positions…")
        self.runner.start(work, self._rope_ready, self._demo_failed)

    def _rope_ready(self, result) -> None:
        preset, setup, check = result
        if preset != self.rope_model.currentData():
            return
        self._rope = (setup, check)
        self.rope_map.set_matrix(check.scores.numpy(), mode="signed", row_name="query position m",
                                 col_name="key position n", title="q·k with q at m, k at n: constant along each "
                                                                  "diagonal m − n")
        self._show_rope()
        self.ready.emit()

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
        verdict = "✔ depends only on m − n" if check.relative else "✘ not only on m − n"
        layout = "interleaved pairs (x[2j], x[2j+1])" if setup.interleaved else "rotate-half pairs (x[j], x[j+d/2])"
        part = (f"the first {setup.rotary.rot_dim} of {setup.head_dim} dimensions turn, the rest pass through"
                if setup.rotary.rot_dim < setup.head_dim else f"all {setup.head_dim} dimensions turn")
        self.rope_result.setText(
            f"score(q at m={m}, k at n={n}) = {score:.5f}   ·   m − n = {m - n}   ·   "
            f"the same pair moved together: "
            f"{'; '.join(shifted)}\n{verdict}: over all 512 × 512 positions the scores along any diagonal differ "
            f"by at most {check.deviation:.2g} (scores up to {check.scale:.3g}; float32 rounding).  {layout}; "
            f"{part}.")
        self.rope_map.select(m, n)
        self.rope_lines[0].setValue(m + 0.5)   # the chosen cell, findable among 512 x 512
        self.rope_lines[1].setValue(n + 0.5)
        theta = setup.rotary.inv_freq.float().cpu().numpy()[:8]
        plot = self.rope_angles
        pairs = setup.rotary.rot_dim // 2
        plot.setTitle(f"pairs 1–{len(theta)} of {pairs} turned by m·θ_j (blue), n·θ_j (orange)")
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
        self.message.setText(message)
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

        def work(_job):
            if kind == "table":
                table = position_tables(loaded.module)[detail][:128]
                return (cosine_matrix(table).numpy(), "signed",
                        f"Cosine similarity of the first {table.shape[0]} learned position vectors with each other. "
                        f"Trained tables show a band: neighbours alike, far positions not. "
                        f"{'With random weights it is noise off the diagonal.' if loaded.weights == 'random' else ''}")
            if kind == "sin":
                size = loaded.family.attention_dims(loaded.config).hidden
                table = sinusoidal_table(128, int(size))
                return (cosine_matrix(table).numpy(), "signed",
                        f"The original Transformer's fixed sin/cos table (d = {size}): a smooth band, the same "
                        f"for every model; none of the chapter's families uses it (BERT and GPT learn theirs).")
            import engine
            t5 = loaded if getattr(loaded.module, "is_encoder_decoder", False) else None
            if kind == "buckets":
                from engine.models.t5 import T5Config
                config = t5.config if t5 is not None else T5Config()
                buckets = t5_buckets(48, detail, config.relative_attention_num_buckets,
                                     config.relative_attention_max_distance)
                return (buckets.float().numpy(), "linear",
                        "T5's bucket of each (query, key) distance: the near distances one bucket each, farther ones "
                        "sharing log-spaced buckets" + (", keys to the right in the upper half." if detail else
                                                        "; the decoder tells only the past apart."))
            bias = t5_bias((t5 or engine.load("t5-tiny")).module, 48)
            head_ = min(head, bias.shape[0] - 1)
            return (bias[head_].numpy(), "signed",
                    f"What head {head_ + 1} adds to every score before the softmax, by the (query, key) bucket: "
                    f"T5's only position signal, learned per head, shared by the stack's layers.")

        self.runner.start(lambda job: ((source, head),) + work(job), self._positions_ready, self._demo_failed)

    def _positions_ready(self, result) -> None:
        asked, matrix, mode, note = result
        if asked != (self.position_source.currentData(), self.position_head.value() - 1):
            return   # a later choice is being computed
        self.position_note.setText(note)
        pairs = asked[0][0] in ("buckets", "bias")
        self.position_map.set_matrix(matrix, mode=mode, row_name="query position" if pairs else "position",
                                     col_name="key position" if pairs else "position")
        self.ready.emit()

    # ------------------------------------------------------------------ norms
    def show_norms(self) -> None:
        import torch

        from engine.demos import norm_compare

        try:
            values = [float(v) for v in self.norm_input.text().replace(",", " ").split()]
        except ValueError:
            self.norm_note.setText("Type numbers separated by spaces, e.g. 1 2 3 10.")
            return
        if len(values) < 2:
            self.norm_note.setText("Type at least two numbers.")
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
        self.norm_note.setText(
            f"x: mean {result.mean:.4g}, standard deviation {result.std:.4g}, rms {result.rms:.4g}.   LayerNorm "
            f"subtracts the mean, then divides by the standard deviation: mean {abs(float(ln.mean())):.3f}, rms "
            f"{float(ln.pow(2).mean().sqrt()):.3g}.   RMSNorm only divides by the rms (no mean, no bias: fewer "
            f"operations, LLaMA's and T5's choice): mean {float(rms.mean()):.3f} kept, rms "
            f"{float(rms.pow(2).mean().sqrt()):.3g}.")
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
        self.placement_note.setText(f"computing a {depth}-layer stack three ways…")
        self.runner.start(lambda job: (depth, norm_placement(depth=depth)), self._placement_ready,
                               self._demo_failed)

    def _placement_ready(self, result) -> None:
        depth, runs = result
        for plot in (self.activation_plot, self.gradient_plot):
            plot.clear()
        layers = np.arange(1, depth + 1)
        names = {"pre": "pre-norm (GLM's code, GPT-2, LLaMA)", "post": "post-norm (BERT, GPT-1, the notes' GLM)",
                 "deepnorm": "DeepNorm (GLM-130B)"}
        for run in runs:
            pen = curve_pen(COLOURS[run.style], 2)
            self.activation_plot.plot(layers, run.activation, pen=pen, name=names[run.style])
            self.gradient_plot.plot(layers, run.gradient, pen=pen, name=names[run.style])
        pre = next(r for r in runs if r.style == "pre")
        post = next(r for r in runs if r.style == "post")
        self.placement_note.setText(
            f"{depth} layers at initialisation. Pre-norm adds every sub-layer to a stream it never normalises: "
            f"‖h‖ grows from {pre.activation[0]:.3g} to {pre.activation[-1]:.3g}. Post-norm normalises after every "
            f"sum: ‖h‖ stays {post.activation[-1]:.3g} (√H). Gradients of the layers' weights, first → last: "
            f"pre-norm {pre.gradient[0]:.3g} → {pre.gradient[-1]:.3g}, post-norm {post.gradient[0]:.3g} → "
            f"{post.gradient[-1]:.3g}.")
        self.ready.emit()

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
            self.ffn_note.setText(str(error))
            return
        passed = report.passed.clamp(0.0, 1.0).numpy()
        counts, edges = np.histogram(passed.ravel(), bins=40, range=(0.0, 1.0))
        self.ffn_hist.clear()
        self.ffn_hist.plot(edges, counts, stepMode="center", fillLevel=0, brush=(31, 119, 180, 120))
        features = min(report.passed.shape[1], 96)
        tokens = readable_tokens(self.state.trace, self.state.loaded, decoder=stack.startswith("decoder"))
        self.ffn_map.set_matrix(report.passed[:, :features].numpy(), tokens, None, mode="linear", row_name="token",
                                col_name=f"feature (first {features} of {report.passed.shape[1]})",
                                title="act(x) / x: the share of each feature let through")
        kind = ("gated (SwiGLU / gated GELU): act(gate_proj x) multiplies a second projection, up_proj x; the gate "
                "is computed from one projection and applied to another" if report.gated else
                "a plain MLP (GELU/ReLU): the activation gates its own input, act(x) = x · (share let through)")
        self.ffn_note.setText(f"Layer {report.layer + 1}: {kind}. {report.open_share:.0%} of the values pass more than "
                              f"half, {report.closed_share:.0%} less than a tenth (GELU(x) = x·Φ(x), SiLU(x) = "
                              f"x·σ(x): both multiply x by a number between 0 and 1; ReLU by exactly 0 or 1).")

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
        self.gqa_note.setText(
            f"{title}: {g.kind}. {g.heads} query heads, {g.kv_heads} key/value head{'s' if g.kv_heads > 1 else ''}: "
            f"repeat_kv hands each key/value head to {share} query head{'s' if share > 1 else ''}. KV cache per token "
            f"(all {g.layers} layers, fp16): {human_bytes(g.bytes_per_token)}, against "
            f"{human_bytes(g.mha_bytes_per_token)} with a key/value head per query head (MHA) and "
            f"{human_bytes(g.mqa_bytes_per_token)} with a single one (MQA): {g.saved:.0%} of the full cache saved.")

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

        self.albert_note.setText("running ALBERT and BERT on the text…")
        self.runner.start(work, self._albert_ready, self._demo_failed)

    def _albert_ready(self, result) -> None:
        plot = self.albert_plot
        plot.clear()
        lines = []
        for label, (name, report) in result.items():
            plot.plot(np.arange(1, report.layers + 1), report.cosine, pen=curve_pen(COLOURS[label], 2),
                      symbol="o", symbolBrush=COLOURS[label], name=f"{name} ({report.parameter_sets} weight sets)")
            lines.append(f"{name}: {report.layers} layers, {report.parameter_sets} distinct set"
                         f"{'s' if report.parameter_sets > 1 else ''} of layer weights; the hidden states change by "
                         f"{', '.join(f'{c:.0%}' for c in report.change)} from layer to layer")
        self.albert_note.setText("ALBERT applies one layer's weights at every depth, yet each application reads a "
                                 "different input, so the hidden states keep changing.\n" + "\n".join(lines))
        self.ready.emit()
