"""Fine-tuning, a part of the Train page: "pre-train, then fine-tune" on the project's sentiment lines.

    Fine-tune / Stop   engine.finetune.FineTuner in a worker: a new linear classifier on the encoder's [CLS]
                       vector, trained with the encoder on 288 English and Chinese lines (or one language)
    the curves         the training loss of each step, and the accuracy on the 72 held-out lines (measured before
                       training, then every tenth of the run), with chance (50%) dashed
    before / after     held-out accuracy before and after, overall and per language, as bars
    the lines          every held-out line with the label the classifier gives it now, and how sure it is

A random-weight tiny model has to learn English and Chinese from 288 lines and stays near chance; MiniLM's real
weights learn the English lines in a few steps: the point of pretraining. The note says when a tokenizer cannot
read a language (MiniLM writes most Chinese characters as [UNK]).

The worker touches no widget: it appends what happens to a deque this panel's timer drains every POLL_MS. Stop
calls the run's thread-safe stop() (the accuracy after is still measured); the window closing cancels the job
through `runners()`.
"""
from __future__ import annotations

import html
from collections import deque
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QProgressBar,
                               QPushButton, QSizePolicy, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from explorer.stepping import pick
from explorer.views.lab_induction import device_function
from explorer.widgets.curves import LiveCurves
from explorer.widgets.plots import FOREGROUND, plot_widget
from explorer.workers import Runner

POLL_MS = 100
DEFAULT_MODEL = "minilm"
LOSS, HELD_OUT = "training loss (each step)", "held-out accuracy"
LANG_CHOICES = (("both", ("en", "zh")), ("en", ("en",)), ("zh", ("zh",)))
BEFORE_COLOUR, AFTER_COLOUR = "#9e9e9e", "#2ca02c"


def encoder_models() -> list[tuple[str, str]]:
    """(name, description) of the encoders the picker offers: the embedded real checkpoint, then the tiny presets
    of every encoder family in the registry."""
    from engine.checkpoint import EMBEDDED
    from engine.models import FAMILIES
    from engine.models.family import ENCODER_ONLY
    from engine.presets import all_presets

    models = [(name, "real weights") for name in EMBEDDED]
    models += [(p.name, f"{FAMILIES[p.family].title}, random weights") for p in all_presets().values()
               if p.is_tiny and FAMILIES[p.family].group == ENCODER_ONLY]
    return models


class AccuracyBars(QWidget):
    """Held-out accuracy before (grey) and after (green): all lines, then each language."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = plot_widget()
        item = self.plot.getPlotItem()
        item.setYRange(0, 1.1, padding=0)   # room for the percentages above the bars
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.2)
        self.before = pg.BarGraphItem(x=[], height=[], width=0.36, brush=BEFORE_COLOUR)
        self.after = pg.BarGraphItem(x=[], height=[], width=0.36, brush=AFTER_COLOUR)
        item.addItem(self.before)
        item.addItem(self.after)
        self.chance = pg.InfiniteLine(0.5, angle=0, pen=pg.mkPen("#555", width=1.2, style=Qt.DashLine))
        item.addItem(self.chance)
        self.texts: list[pg.TextItem] = []
        self.values: dict[str, tuple[float | None, float | None]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_labels(self, title: str) -> None:
        self.plot.getPlotItem().setTitle(title, color=FOREGROUND)

    def set_values(self, values: dict[str, tuple[float | None, float | None]], names: dict[str, str]) -> None:
        """values: group -> (before, after), None where not measured yet."""
        self.values = values
        item = self.plot.getPlotItem()
        for text in self.texts:
            item.removeItem(text)
        self.texts = []
        xs = list(range(len(values)))
        befores = [v[0] or 0.0 for v in values.values()]
        afters = [v[1] or 0.0 for v in values.values()]
        self.before.setOpts(x=[x - 0.19 for x in xs], height=befores, width=0.36)
        self.after.setOpts(x=[x + 0.19 for x in xs], height=afters, width=0.36)
        for x, (before, after) in zip(xs, values.values()):
            for offset, value in ((-0.19, before), (0.19, after)):
                if value is None:
                    continue
                text = pg.TextItem(f"{value:.0%}", color=FOREGROUND, anchor=(0.5, 1))
                text.setPos(x + offset, value)
                item.addItem(text)
                self.texts.append(text)
        item.getAxis("bottom").setTicks([[(x, names.get(key, key)) for x, key in zip(xs, values)]])
        item.setXRange(-0.6, max(xs, default=0) + 0.6, padding=0)


class FinetunePanel(QWidget):
    finished = Signal(str)      # a run is over: "" or the error that ended it

    def __init__(self, state, device_getter: Callable[[], str] | None = None, parent=None):
        super().__init__(parent)
        self.state = state
        self.device_of = device_function(device_getter)
        self.runner = Runner(self, "finetune")
        self.runner.busy_changed.connect(self._busy_changed)
        self.inbox: deque = deque()
        self.current: dict = {}         # {"tuner": the FineTuner} once the worker has made it
        self.info: dict = {}
        self.before = self.after = None
        self.evaluation = None          # the latest held-out evaluation shown
        self.last = None                # the latest step's FinetuneProgress
        self.error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self._build()
        state.events.settings.connect(self._settings_changed)
        self.retranslate()
        self._model_changed()

    @property
    def lang(self) -> str:
        return self.state.lang

    def t(self, en: str, zh: str | None = None) -> str:
        return pick(self.lang, en, zh)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.model_label, self.lines_label = QLabel(), QLabel()
        self.steps_label, self.seed_label = QLabel(), QLabel()
        self.model_combo = QComboBox()
        for name, about in encoder_models():
            self.model_combo.addItem(f"{name}  ·  {about}", name)
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(DEFAULT_MODEL)))
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.lines_combo = QComboBox()
        for key, _langs in LANG_CHOICES:
            self.lines_combo.addItem("", key)
        self.steps_box = QSpinBox()
        self.steps_box.setRange(1, 5000)
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.start)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setMinimumWidth(140)
        top = QHBoxLayout()
        for widget in (self.model_label, self.model_combo, self.lines_label, self.lines_combo, self.steps_label,
                       self.steps_box, self.seed_label, self.seed_box, self.run_button, self.stop_button,
                       self.progress):
            top.addWidget(widget)
        top.addStretch(1)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.RichText)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.RichText)
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)

        self.loss_curve = LiveCurves()
        self.loss_curve.add_curve(LOSS, "#1f77b4", width=1.5)
        self.accuracy_curve = LiveCurves()
        self.accuracy_curve.add_curve(HELD_OUT, AFTER_COLOUR)
        self.accuracy_curve.plot.getPlotItem().setYRange(0, 1, padding=0.02)
        self.accuracy_curve.plot.getPlotItem().disableAutoRange(axis="y")
        for curves in (self.loss_curve, self.accuracy_curve):
            curves.legend.hide()   # one curve each, named by the title (a legend would cover its end)
            curves.plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
        self.bars = AccuracyBars()
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.table_title = QLabel()
        left = QSplitter(Qt.Vertical)
        left.addWidget(self.loss_curve)
        left.addWidget(self.accuracy_curve)
        right_top = QWidget()
        right_layout = QVBoxLayout(right_top)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table_title)
        right_layout.addWidget(self.table, 1)
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.bars)
        right.addWidget(right_top)
        right.setSizes([220, 420])
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([480, 620])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def retranslate(self) -> None:
        self.model_label.setText(self.t("Encoder", "编码器"))
        self.lines_label.setText(self.t("Lines", "语句"))
        self.steps_label.setText(self.t("Steps", "步数"))
        self.seed_label.setText(self.t("Seed", "随机种子"))
        for index, (name, about) in enumerate(encoder_models()):
            if self.model_combo.itemData(index) == name:
                self.model_combo.setItemText(index, f"{name}  ·  {self._weights_words(about)}")
        for curves in (self.loss_curve, self.accuracy_curve):
            curves.plot.getPlotItem().setLabel("bottom", self.t("step", "步"), color=FOREGROUND)
        for index, text in enumerate((self.t("English + Chinese", "英文 + 中文"), self.t("English", "英文"),
                                      self.t("Chinese", "中文"))):
            self.lines_combo.setItemText(index, text)
        self.run_button.setText(self.t("Fine-tune", "微调"))
        self.stop_button.setText(self.t("Stop", "停止"))
        self.intro.setText(self.t(
            "<b>Pre-train, then fine-tune.</b> A new linear classifier reads the encoder's [CLS] vector (through "
            "its pooler when it has one) and says <i>positive</i> or <i>negative</i>; the classifier and the whole "
            "encoder are trained together on short lines this project wrote, with a small learning rate, and "
            "measured on a fifth of the lines held out. Compare a random-weight tiny model with MiniLM's real "
            "weights: pretraining is what makes a few hundred lines enough.",
            "<b>先预训练，再微调。</b>一个新的线性分类器读取编码器的 [CLS] 向量（有 pooler 时经过 pooler），判断<i>正面</i>或"
            "<i>负面</i>；分类器和整个编码器一起，用较小的学习率在本项目编写的短句上训练，并在留出的五分之一句子上检验。"
            "比较随机权重的小模型和 MiniLM 的真实权重：正是预训练让几百条句子就够用。"))
        self.loss_curve.set_labels(self.t("Training loss (cross-entropy)", "训练损失（交叉熵）"), self.t("loss", "损失"))
        self.accuracy_curve.set_labels(self.t("Accuracy on the held-out lines", "留出语句上的准确率"),
                                       self.t("accuracy", "准确率"))
        self.accuracy_curve.set_reference(0.5, self.t("chance", "随机"))
        self.bars.set_labels(self.t("Held-out accuracy: before (grey) and after (green) fine-tuning",
                                    "留出语句准确率：微调前（灰）与微调后（绿）"))
        self.table.setHorizontalHeaderLabels([self.t("held-out line", "留出语句"), self.t("true", "真实"),
                                              self.t("predicted", "预测"), self.t("sure", "把握")])
        self._show_bars()
        self._show_table()

    def _weights_words(self, text: str) -> str:
        """"BERT, random weights" in the page's language."""
        if self.lang != "zh":
            return text
        for en, zh in (("random weights", "随机权重"), ("real weights", "真实权重"), ("trained weights", "训练后的权重")):
            text = text.replace(en, zh)
        return text

    def _settings_changed(self, change) -> None:
        if change and change[0] == "lang":
            self.retranslate()

    def _model_changed(self, _index: int = 0) -> None:
        """A real checkpoint needs a few dozen steps, a random tiny model more: the step box follows."""
        from engine.checkpoint import EMBEDDED
        from engine.finetune import DEFAULT_STEPS

        name = self.model_combo.currentData()
        self.steps_box.setValue(DEFAULT_STEPS["real" if name in EMBEDDED else "random"])
        if name in EMBEDDED and self.lines_combo.currentData() == "both":
            self.lines_combo.setCurrentIndex(self.lines_combo.findData("en"))   # its vocabulary reads English

    def model_name(self) -> str:
        return self.model_combo.currentData()

    def select_model(self, name: str) -> None:
        index = self.model_combo.findData(name)
        if index >= 0:
            self.model_combo.setCurrentIndex(index)

    def select_lines(self, key: str) -> None:
        index = self.lines_combo.findData(key)
        if index >= 0:
            self.lines_combo.setCurrentIndex(index)

    # ------------------------------------------------------------------ running
    def start(self, _checked: bool = False) -> None:
        if self.runner.active:
            return
        name, seed, steps, device = self.model_name(), self.seed_box.value(), self.steps_box.value(), self.device_of()
        langs = dict(LANG_CHOICES)[self.lines_combo.currentData()]
        self.inbox.clear()
        self.current = current = {}
        self.info, self.before, self.after, self.evaluation, self.last, self.error = {}, None, None, None, None, ""
        self.loss_curve.set_points(LOSS, [], [])
        self.accuracy_curve.set_points(HELD_OUT, [], [])
        self.loss_curve.set_x_range(0, steps)
        self.accuracy_curve.set_x_range(0, steps)
        self.progress.setRange(0, steps)
        self.progress.setValue(0)
        self._show_bars()
        self._show_table()
        inbox = self.inbox

        def work(job):
            import engine
            from engine.finetune import FineTuner

            job.progress("loading")
            loaded = engine.load(name, device=device, seed=seed)
            tuner = FineTuner(loaded, steps=steps, seed=seed, langs=langs)
            current["tuner"] = tuner
            inbox.append(("info", {"model": loaded.name, "weights": loaded.weights, "family": loaded.family.title,
                                   "unk": dict(tuner.unk_share), "train": len(tuner.train_lines),
                                   "held": len(tuner.held_out), "lr": tuner.lr, "langs": langs}))
            for record in tuner.run():
                if record.step == 1:
                    inbox.append(("before", tuner.before))
                inbox.append(("step", record))
                job.check()
            return tuner.before, tuner.after, tuner.step

        self.runner.start(work, self._done, self._failed)
        self.timer.start()
        self.status.setText(self.t(f"loading {html.escape(name)}…", f"正在加载 {html.escape(name)}…"))

    def stop(self, _checked: bool = False) -> None:
        """End the run after its current step; the held-out accuracy is still measured."""
        if "tuner" in self.current:
            self.current["tuner"].stop()
        elif self.runner.active:   # still loading the model: nothing learned yet to keep
            self.runner.cancel_all()
            self.status.setText(self.t("stopped before training began", "训练开始前已停止"))

    def _busy_changed(self, busy: int) -> None:
        for widget in (self.run_button, self.model_combo, self.lines_combo, self.steps_box, self.seed_box):
            widget.setEnabled(not busy)
        self.stop_button.setEnabled(bool(busy))

    def _drain(self) -> None:
        last, shown = None, None
        while self.inbox:
            kind, value = self.inbox.popleft()
            if kind == "info":
                self.info = value
                self._show_status()
            elif kind == "before":
                self.before = value
                self.accuracy_curve.append(HELD_OUT, 0, value.accuracy)
                shown = value
            else:
                last = value
                self.loss_curve.append(LOSS, value.step, value.loss)
                if value.evaluation is not None:
                    self.accuracy_curve.append(HELD_OUT, value.step, value.evaluation.accuracy)
                    shown = value.evaluation
        if shown is not None:
            self.evaluation = shown
            self._show_table()
            self._show_bars()
        if last is not None:
            self.last = last
            self.progress.setValue(last.step)
            self._show_status()
        if not self.runner.active and not self.inbox:
            self.timer.stop()

    def _show_status(self) -> None:
        info, last = self.info, self.last
        if not info:
            return
        parts = [self.t(f"<b>{html.escape(info['model'])}</b> ({info['family']}, {info['weights']} weights) · "
                        f"{info['train']} lines to learn, {info['held']} held out · lr {info['lr']:g}",
                        f"<b>{html.escape(info['model'])}</b>（{info['family']}，"
                        f"{self._weights_words(info['weights'] + ' weights')}）· 训练 {info['train']} 句，留出 "
                        f"{info['held']} 句 · 学习率 {info['lr']:g}")]
        if last is not None:
            parts.append(self.t(f"step {last.step} of {last.steps}, loss {last.loss:.3f}, {last.elapsed_s:.1f} s",
                                f"第 {last.step}/{last.steps} 步，损失 {last.loss:.3f}，{last.elapsed_s:.1f} 秒"))
        if self.before is not None and self.after is not None:
            parts.append(self.t(f"held-out accuracy <b>{self.before.accuracy:.0%} → {self.after.accuracy:.0%}</b>",
                                f"留出准确率 <b>{self.before.accuracy:.0%} → {self.after.accuracy:.0%}</b>"))
        for lang, share in info["unk"].items():
            if share > 0.05:
                language = self.t({"en": "English", "zh": "Chinese"}[lang], {"en": "英文", "zh": "中文"}[lang])
                parts.append("<span style='color:#b35900'>" + self.t(
                    f"{share:.0%} of the {language} tokens are [UNK] to this tokenizer: it cannot tell those "
                    f"characters apart", f"{language}词元中有 {share:.0%} 是 [UNK]：这个分词器分不清这些字") + "</span>")
        self.status.setText(" · ".join(parts))

    def _show_bars(self) -> None:
        names = {"all": self.t("all", "全部"), "en": self.t("English", "英文"), "zh": self.t("Chinese", "中文")}
        langs = self.info.get("langs", ())
        values = {}
        for key in ("all",) + tuple(langs if len(langs) > 1 else ()):
            def of(evaluation):
                if evaluation is None:
                    return None
                return evaluation.accuracy if key == "all" else evaluation.by_lang[key]
            values[key] = (of(self.before), of(self.after))
        self.bars.set_values(values, names)

    def _show_table(self) -> None:
        evaluation = self.evaluation
        predictions = evaluation.predictions if evaluation is not None else []
        when = "" if evaluation is None else (
            self.t("before training", "训练前") if evaluation.step == 0 else self.t(f"after step {evaluation.step}",
                                                                                  f"第 {evaluation.step} 步后"))
        right = sum(p.correct for p in predictions)
        self.table_title.setText(self.t(f"The held-out lines and the classifier's labels {when}"
                                        + (f": {right} of {len(predictions)} right" if predictions else ""),
                                        f"留出语句及分类器给出的标签（{when}）"
                                        + (f"：{len(predictions)} 句中对 {right} 句" if predictions else "")))
        label = {"positive": self.t("positive", "正面"), "negative": self.t("negative", "负面")}
        self.table.setRowCount(len(predictions))
        for row, p in enumerate(predictions):
            cells = (p.text, label[p.label], ("✓ " if p.correct else "✗ ") + label[p.predicted],
                     f"{p.probability:.0%}")
            colour = QColor("#e8f5e9") if p.correct else QColor("#fde0dc")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(colour))
                if column:
                    item.setTextAlignment(Qt.AlignCenter)
                self.table.setItem(row, column, item)

    def _done(self, result) -> None:
        self._drain()
        self.before, self.after, _steps = result
        self.evaluation = self.after
        self._show_bars()
        self._show_table()
        self._show_status()
        self.finished.emit("")

    def _failed(self, message: str, _user: bool = True) -> None:
        self._drain()
        self.error = message
        self.status.setText(f"<span style='color:#c62828'>{html.escape(message)}</span>")
        self.finished.emit(message)

    def runners(self) -> list[Runner]:
        return [self.runner]

    def closeEvent(self, event) -> None:
        self.stop()
        self.runner.shutdown()
        super().closeEvent(event)
