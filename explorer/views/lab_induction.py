"""In-context learning in miniature, a part of the Train page: watch an induction head appear.

    Train / Stop    engine.induction.InductionRun in a worker: a two-layer attention-only transformer learns
                    sequences made of random tokens repeated once ([BOS] t_0 .. t_L-1 t_0 .. t_L-1)
    the losses      first half (unpredictable: stays near ln V) and repeated half (falls once the circuit exists),
                    with the step where the repeated half drops below half the first half marked
    the heads       every head's induction score (attention to the token after the previous occurrence) and
                    previous-token score (attention to the position before), live
    the pattern     the best induction head's attention on one fixed repeated sequence: the stripe L - 1 places
                    left of the diagonal appears as the head forms

The worker touches no widget: it appends records to a deque this panel's timer drains every POLL_MS. Stop calls
the run's thread-safe stop(); the window closing cancels the job (its next report raises) through `runners()`.
"""
from __future__ import annotations

import inspect
import weakref
from collections import deque
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QSpinBox, QSplitter,
                               QVBoxLayout, QWidget)

from explorer.i18n import translate
from explorer.widgets.curves import LiveCurves
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import FOREGROUND, plot_widget
from explorer.workers import Runner

POLL_MS = 100
PATTERN_EVERY = 20        # steps between two pictures of the best head's pattern
PATTERN_LENGTH = 12       # the shown sequence: [BOS] + 12 tokens + the same 12
LAYER_COLOURS = ("#7f7f7f", "#1f77b4")
FIRST, REPEATED = "first half", "repeated half"   # the curves' keys


def device_function(device) -> Callable[[], str]:
    """The window's device getter, held weakly when it is a bound method (no cycle through a Qt object)."""
    if inspect.ismethod(device):
        ref = weakref.WeakMethod(device)
        return lambda: (ref() or (lambda: "cpu"))()
    return device or (lambda: "cpu")


class HeadBars(QWidget):
    """Each head's induction score (dark) beside its previous-token score (light), layer by layer."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = plot_widget()
        item = self.plot.getPlotItem()
        item.setYRange(0, 1, padding=0.02)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.2)
        self.induction = pg.BarGraphItem(x=[], height=[], width=0.38)
        self.previous = pg.BarGraphItem(x=[], height=[], width=0.38)
        item.addItem(self.previous)
        item.addItem(self.induction)
        self.scores: list[list[float]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_labels(self, title: str, y_label: str) -> None:
        item = self.plot.getPlotItem()
        item.setTitle(title, color=FOREGROUND)
        item.setLabel("left", y_label, color=FOREGROUND)

    def set_scores(self, induction: list[list[float]], previous: list[list[float]]) -> None:
        self.scores = induction
        xs, heights, prev, brushes, light, ticks = [], [], [], [], [], []
        position = 0
        for layer, (row, prev_row) in enumerate(zip(induction, previous)):
            for head, (score, before) in enumerate(zip(row, prev_row)):
                xs.append(position)
                heights.append(score)
                prev.append(before)
                colour = LAYER_COLOURS[min(layer, len(LAYER_COLOURS) - 1)]
                brushes.append(pg.mkBrush(colour))
                light.append(pg.mkBrush(colour + "55"))
                ticks.append((position, f"L{layer + 1}H{head + 1}"))
                position += 1
            position += 0.6   # a gap between the layers
        self.induction.setOpts(x=[x - 0.2 for x in xs], height=heights, brushes=brushes, width=0.38)
        self.previous.setOpts(x=[x + 0.2 for x in xs], height=prev, brushes=light, width=0.38)
        self.plot.getPlotItem().getAxis("bottom").setTicks([ticks])
        if xs:
            self.plot.getPlotItem().setXRange(-0.7, xs[-1] + 0.7, padding=0)


def picture(run, record) -> tuple:
    """(step, score, layer, head, ids, pattern) of the best head at `record`: its attention on the fixed repeated
    sequence, computed in the worker (the model is being trained there)."""
    score, layer, head = run.best_head(record)
    ids, pattern = run.pattern(layer, head, PATTERN_LENGTH)
    return record.step, score, layer, head, ids, pattern.numpy()


class InductionPanel(QWidget):
    finished = Signal(str)      # a run is over: "" or the error that ended it

    def __init__(self, state, device_getter: Callable[[], str] | None = None, parent=None):
        super().__init__(parent)
        self.state = state
        self.device_of = device_function(device_getter)
        self.runner = Runner(self, "induction")
        self.runner.busy_changed.connect(self._busy_changed)
        self.inbox: deque = deque()
        self.current: dict = {}         # {"run": the InductionRun being trained}: a plain dict the worker fills
        self.records: list = []
        self.drop_step: int | None = None
        self.drop_line: pg.InfiniteLine | None = None
        self.pattern_head: tuple[int, int] | None = None
        self.pattern_at: tuple[int, float] = (0, 0.0)   # the step the pattern was taken at, the head's score then
        self.error = ""
        self.status_source = None       # ("training" | "stopped" | "step" | "done" | "error", what it shows)
        self.chance_vocab = 0           # the reference line's vocabulary size, once a run has begun
        self.pattern_shown = None       # the arguments of the pattern on show
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self._build()
        state.events.settings.connect(self._settings_changed)
        self.retranslate()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        from engine.induction import DEFAULT_STEPS

        self.steps_label, self.seed_label = QLabel(), QLabel()
        self.steps_box = QSpinBox()
        self.steps_box.setRange(1, 20000)
        self.steps_box.setValue(DEFAULT_STEPS)
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.train_button = QPushButton()
        self.train_button.clicked.connect(self.start)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(160)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # a long line never widens the page
        top = QHBoxLayout()
        for widget in (self.steps_label, self.steps_box, self.seed_label, self.seed_box, self.train_button,
                       self.stop_button, self.progress):
            top.addWidget(widget)
        top.addStretch(1)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.RichText)

        self.losses = LiveCurves()
        self.losses.add_curve(FIRST, "#ff7f0e")
        self.losses.add_curve(REPEATED, "#1f77b4")
        self.bars = HeadBars()
        self.heatmap = Heatmap()
        self.pattern_title = QLabel()
        self.pattern_title.setWordWrap(True)
        self.pattern_title.setTextFormat(Qt.RichText)
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.losses)
        left.addWidget(self.bars)
        left.setSizes([300, 200])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.pattern_title)
        right_layout.addWidget(self.heatmap, 1)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 520])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def retranslate(self) -> None:
        self.steps_label.setText(translate("lab_induction", "Steps"))
        self.seed_label.setText(translate("lab_induction", "Seed"))
        self.train_button.setText(translate("lab_induction", "Train"))
        self.stop_button.setText(translate("lab_induction", "Stop"))
        self.intro.setText(translate(
            "lab_induction",
            "<b>In-context learning in miniature.</b> A two-layer transformer with attention only (no MLPs) learns "
            "sequences of random tokens repeated once: <tt>[BOS] a b c … a b c …</tt>. The first half cannot be "
            "predicted; the repeated half can, once a head of layer 2 learns to look at the token "
            "<i>after</i> the previous occurrence of the current one and copy it (an <b>induction head</b>, "
            "helped by a previous-token head in layer 1). This is the mechanism behind copying from a few-shot "
            "prompt (Olsson et al. 2022)."))
        self.losses.set_labels(translate("lab_induction", "Loss on each half (cross-entropy, nats)"),
                               translate("lab_induction", "loss"), translate("lab_induction", "step"))
        self.losses.set_curve_label(FIRST, translate("lab_induction", "first half"))
        self.losses.set_curve_label(REPEATED, translate("lab_induction", "repeated half"))
        if self.chance_vocab:
            self._show_chance()
        if self.drop_line is not None:
            self.drop_line.label.setFormat(self._drop_text(self.drop_step))
        self.bars.set_labels(translate("lab_induction", "Induction score (dark) · previous-token score (light)"),
                             translate("lab_induction", "score"))
        if self.pattern_shown is not None:
            self._show_pattern(*self.pattern_shown)
        self._show_pattern_title()
        self._show_status()

    def _settings_changed(self, change) -> None:
        if change and change[0] == "lang":
            self.retranslate()

    # ------------------------------------------------------------------ running
    def start(self, _checked: bool = False) -> None:
        """Train a new model from scratch with the chosen steps and seed."""
        if self.runner.active:
            return
        from engine.induction import InductionConfig

        steps, seed, device = self.steps_box.value(), self.seed_box.value(), self.device_of()
        self.inbox.clear()
        self.records.clear()
        self.current = current = {}
        self.error = ""
        self.drop_step = None
        self.pattern_head = self.pattern_shown = None
        if self.drop_line is not None:
            self.losses.plot.removeItem(self.drop_line)
            self.drop_line = None
        for name in (FIRST, REPEATED):
            self.losses.set_points(name, [], [])
        vocab = InductionConfig().vocab_size
        self.chance_vocab = vocab
        self._show_chance()
        self.losses.set_x_range(0, steps)
        self.progress.setRange(0, steps)
        self.progress.setValue(0)
        inbox = self.inbox

        def work(job):
            from engine.induction import InductionRun

            run = InductionRun(steps, seed, device=device)
            current["run"] = run
            for record in run.run():
                inbox.append(("step", record))
                if record.step % PATTERN_EVERY == 0 or record.step == steps:
                    inbox.append(("pattern", picture(run, record)))
                job.check()
            if run.history and run.history[-1].step % PATTERN_EVERY and run.history[-1].step != steps:
                inbox.append(("pattern", picture(run, run.history[-1])))   # stopped between two pictures
            return run.summary()

        self.runner.start(work, self._done, self._failed)
        self.timer.start()
        self.status_source = ("training", None)
        self._show_status()

    def stop(self, _checked: bool = False) -> None:
        """End the run after its current step; what it learned so far stays on screen."""
        if "run" in self.current:
            self.current["run"].stop()
        elif self.runner.active:   # not begun yet: nothing learned to keep
            self.runner.cancel_all()
            self.status_source = ("stopped", None)
            self._show_status()

    def _busy_changed(self, busy: int) -> None:
        self.train_button.setEnabled(not busy)
        self.stop_button.setEnabled(bool(busy))
        self.steps_box.setEnabled(not busy)
        self.seed_box.setEnabled(not busy)

    def _drain(self) -> None:
        last = None
        while self.inbox:
            kind, value = self.inbox.popleft()
            if kind == "step":
                last = value
                self.records.append(value)
                self.losses.append(FIRST, value.step, value.first_half_loss)
                self.losses.append(REPEATED, value.step, value.repeated_loss)
                if self.drop_step is None and value.repeated_loss < 0.5 * value.first_half_loss:
                    self._mark_drop(value.step)
            else:
                self._show_pattern(*value)
        if last is not None:
            self.progress.setValue(last.step)
            self.bars.set_scores(last.induction_scores, last.previous_scores)
            self.status_source = ("step", last)
            self._show_status()
        if not self.runner.active and not self.inbox:
            self.timer.stop()

    def _mark_drop(self, step: int) -> None:
        self.drop_step = step
        self.drop_line = pg.InfiniteLine(step, angle=90, pen=pg.mkPen("#2ca02c", width=1.5, style=Qt.DashLine),
                                         label=self._drop_text(step),
                                         labelOpts={"position": 0.55, "color": "#2ca02c",
                                                    "fill": (255, 255, 255, 200)})
        self.losses.plot.addItem(self.drop_line)

    def _show_pattern(self, step: int, score: float, layer: int, head: int, ids: list[int],
                      pattern: np.ndarray) -> None:
        from engine.induction import InductionConfig

        bos = InductionConfig().bos_id
        labels = ["BOS" if i == bos else str(i) for i in ids]
        self.pattern_head = (layer, head)
        self.pattern_at = (step, score)
        self.pattern_shown = (step, score, layer, head, ids, pattern)
        self.heatmap.set_matrix(pattern, labels, labels, mode="prob", row_name=translate("lab_induction", "query"),
                                col_name=translate("lab_induction", "key"))
        self._show_pattern_title()

    def _show_pattern_title(self) -> None:
        if self.pattern_head is None:
            self.pattern_title.setText(translate("lab_induction", "The best induction head's attention appears here "
                                                                  "as it trains."))
            return
        layer, head = self.pattern_head
        step, score = self.pattern_at
        n = PATTERN_LENGTH
        self.pattern_title.setText(translate(
            "lab_induction",
            "<b>Layer {layer}, head {head}</b> at step {step} (induction score {score}) on a repeated sequence of "
            "{count} tokens. An induction head draws a stripe {offset} columns left of the diagonal in the second "
            "half: each token looks at the token that followed it last time.").format(
            layer=layer + 1, head=head + 1, step=step, score=f"{score:.2f}", count=n, offset=n - 1))

    def _show_chance(self) -> None:
        vocab = self.chance_vocab
        self.losses.set_reference(float(np.log(vocab)),
                                  translate("lab_induction", "chance, ln {vocab} =").format(vocab=vocab))

    @staticmethod
    def _drop_text(step) -> str:
        return translate("lab_induction", "repeated < ½ first: step {step}").format(step=step)

    def _show_status(self) -> None:
        if self.status_source is None:
            return
        kind, value = self.status_source
        if kind == "training":
            text = translate("lab_induction", "training…")
        elif kind == "stopped":
            text = translate("lab_induction", "stopped before training began")
        elif kind == "error":
            text = value
        elif kind == "step":
            last = value
            score, layer, head = max((s, li, h) for li, row in enumerate(last.induction_scores)
                                     for h, s in enumerate(row))
            text = translate("lab_induction", "step {step} of {steps} · first half {first}, repeated half {repeated} "
                                              "· best head layer {layer} head {head}: {score} · {seconds} s").format(
                step=last.step, steps=last.steps, first=f"{last.first_half_loss:.2f}",
                repeated=f"{last.repeated_loss:.2f}", layer=layer + 1, head=head + 1, score=f"{score:.2f}",
                seconds=f"{last.elapsed_s:.1f}")
        else:
            summary = value
            best, drop = summary["best_head"], summary["drop_step"]
            dropped = (translate("lab_induction", "dropped at step {step}").format(step=drop) if drop else
                       translate("lab_induction", "no drop yet: train longer"))
            text = translate("lab_induction", "{steps} steps in {seconds} s · repeated half {repeated} vs first half "
                                              "{first} · {dropped} · best: layer {layer} head {head}, {score}").format(
                steps=summary["steps"], seconds=f"{summary['elapsed_s']:.1f}",
                repeated=f"{summary['repeated_loss']:.2f}", first=f"{summary['first_half_loss']:.2f}",
                dropped=dropped, layer=best["layer"] + 1, head=best["head"] + 1, score=f"{best['score']:.2f}")
        self.status.setText(text)

    def _done(self, summary: dict) -> None:
        self._drain()
        self.status_source = ("done", summary)
        self._show_status()
        self.finished.emit("")

    def _failed(self, message: str, _user: bool = True) -> None:
        self._drain()
        self.error = message
        self.status_source = ("error", message)
        self._show_status()
        self.finished.emit(message)

    def runners(self) -> list[Runner]:
        return [self.runner]

    def closeEvent(self, event) -> None:
        self.stop()
        self.runner.shutdown()
        super().closeEvent(event)
