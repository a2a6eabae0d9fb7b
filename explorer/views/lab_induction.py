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

from explorer.stepping import pick
from explorer.widgets.curves import LiveCurves
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.plots import FOREGROUND, plot_widget
from explorer.workers import Runner

POLL_MS = 100
PATTERN_EVERY = 20        # steps between two pictures of the best head's pattern
PATTERN_LENGTH = 12       # the shown sequence: [BOS] + 12 tokens + the same 12
LAYER_COLOURS = ("#7f7f7f", "#1f77b4")
FIRST, REPEATED = "first half", "repeated half"


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
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self._build()
        state.events.settings.connect(self._settings_changed)
        self.retranslate()

    @property
    def lang(self) -> str:
        return self.state.lang

    def t(self, en: str, zh: str | None = None) -> str:
        return pick(self.lang, en, zh)

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
        self.steps_label.setText(self.t("Steps", "步数"))
        self.seed_label.setText(self.t("Seed", "随机种子"))
        self.train_button.setText(self.t("Train", "训练"))
        self.stop_button.setText(self.t("Stop", "停止"))
        self.intro.setText(self.t(
            "<b>In-context learning in miniature.</b> A two-layer transformer with attention only (no MLPs) learns "
            "sequences of random tokens repeated once: <tt>[BOS] a b c … a b c …</tt>. The first half cannot be "
            "predicted; the repeated half can, once a head of layer 2 learns to look at the token "
            "<i>after</i> the previous occurrence of the current one and copy it (an <b>induction head</b>, "
            "helped by a previous-token head in layer 1). This is the mechanism behind copying from a few-shot "
            "prompt (Olsson et al. 2022).",
            "<b>微型的上下文学习。</b>一个只有注意力（没有 MLP）的两层 Transformer 学习由随机词元重复一次组成的序列："
            "<tt>[BOS] a b c … a b c …</tt>。前半段无法预测；后半段可以——只要第 2 层的某个头学会看向当前词元上一次出现位置"
            "<i>之后</i>的那个词元并把它复制出来（<b>归纳头</b>，第 1 层的“前一个词元”头帮它完成）。这正是模型能从 few-shot "
            "提示中照搬示例的机制（Olsson 等，2022）。"))
        self.losses.set_labels(self.t("Loss on each half (cross-entropy, nats)", "前后两半的损失（交叉熵，nats）"),
                               self.t("loss", "损失"))
        self.losses.plot.getPlotItem().setLabel("bottom", self.t("step", "步"), color=FOREGROUND)
        self.bars.set_labels(self.t("Induction score (dark) · previous-token score (light)",
                                    "归纳分数（深色）· 前一词元分数（浅色）"), self.t("score", "分数"))
        self._show_pattern_title()

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
        self.pattern_head = None
        if self.drop_line is not None:
            self.losses.plot.removeItem(self.drop_line)
            self.drop_line = None
        for name in (FIRST, REPEATED):
            self.losses.set_points(name, [], [])
        vocab = InductionConfig().vocab_size
        self.losses.set_reference(float(np.log(vocab)), self.t(f"chance, ln {vocab} =", f"瞎猜，ln {vocab} ="))
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
        self.status.setText(self.t("training…", "训练中…"))

    def stop(self, _checked: bool = False) -> None:
        """End the run after its current step; what it learned so far stays on screen."""
        if "run" in self.current:
            self.current["run"].stop()
        elif self.runner.active:   # not begun yet: nothing learned to keep
            self.runner.cancel_all()
            self.status.setText(self.t("stopped before training began", "训练开始前已停止"))

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
            score, layer, head = max((s, li, h) for li, row in enumerate(last.induction_scores)
                                     for h, s in enumerate(row))
            self.status.setText(self.t(
                f"step {last.step} of {last.steps} · first half {last.first_half_loss:.2f}, repeated half "
                f"{last.repeated_loss:.2f} · best head layer {layer + 1} head {head + 1}: {score:.2f} · "
                f"{last.elapsed_s:.1f} s",
                f"第 {last.step}/{last.steps} 步 · 前半段 {last.first_half_loss:.2f}，后半段 {last.repeated_loss:.2f} · "
                f"最佳头 第 {layer + 1} 层第 {head + 1} 个：{score:.2f} · {last.elapsed_s:.1f} 秒"))
        if not self.runner.active and not self.inbox:
            self.timer.stop()

    def _mark_drop(self, step: int) -> None:
        self.drop_step = step
        self.drop_line = pg.InfiniteLine(step, angle=90, pen=pg.mkPen("#2ca02c", width=1.5, style=Qt.DashLine),
                                         label=self.t(f"repeated < ½ first: step {step}",
                                                      f"后半段 < 前半段的一半：第 {step} 步"),
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
        self.heatmap.set_matrix(pattern, labels, labels, mode="prob", row_name=self.t("query", "查询"),
                                col_name=self.t("key", "键"))
        self._show_pattern_title()

    def _show_pattern_title(self) -> None:
        if self.pattern_head is None:
            self.pattern_title.setText(self.t("The best induction head's attention appears here as it trains.",
                                              "训练时，这里显示归纳分数最高的头的注意力。"))
            return
        layer, head = self.pattern_head
        step, score = self.pattern_at
        n = PATTERN_LENGTH
        self.pattern_title.setText(self.t(
            f"<b>Layer {layer + 1}, head {head + 1}</b> at step {step} (induction score {score:.2f}) on a repeated "
            f"sequence of {n} tokens. An induction head draws a stripe {n - 1} columns left of the diagonal in the "
            f"second half: each token looks at the token that followed it last time.",
            f"<b>第 {layer + 1} 层第 {head + 1} 个头</b>（第 {step} 步，归纳分数 {score:.2f}）在一个由 {n} 个词元重复"
            f"而成的序列上的注意力。归纳头在后半段画出一条位于对角线左侧 {n - 1} 列的斜线：每个词元都看向上次紧跟在它"
            f"后面的词元。"))

    def _done(self, summary: dict) -> None:
        self._drain()
        best = summary["best_head"]
        drop = summary["drop_step"]
        self.status.setText(self.t(
            f"{summary['steps']} steps in {summary['elapsed_s']:.1f} s · repeated half {summary['repeated_loss']:.2f}"
            f" vs first half {summary['first_half_loss']:.2f} · " + (f"dropped at step {drop}" if drop else
                                                                   "no drop yet: train longer") +
            f" · best: layer {best['layer'] + 1} head {best['head'] + 1}, {best['score']:.2f}",
            f"{summary['steps']} 步，用时 {summary['elapsed_s']:.1f} 秒 · 后半段 {summary['repeated_loss']:.2f}，前半段 "
            f"{summary['first_half_loss']:.2f} · " + (f"第 {drop} 步开始下降" if drop else "尚未下降：多训练一些步") +
            f" · 最佳：第 {best['layer'] + 1} 层第 {best['head'] + 1} 个头，{best['score']:.2f}"))
        self.finished.emit("")

    def _failed(self, message: str, _user: bool = True) -> None:
        self._drain()
        self.error = message
        self.status.setText(message)
        self.finished.emit(message)

    def runners(self) -> list[Runner]:
        return [self.runner]

    def closeEvent(self, event) -> None:
        self.stop()
        self.runner.shutdown()
        super().closeEvent(event)
