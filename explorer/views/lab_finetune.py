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
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QProgressBar,
                               QPushButton, QSizePolicy, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from explorer import i18n
from explorer.i18n import mark_data, translate
from explorer.views.lab_induction import device_function
from explorer.widgets.curves import LiveCurves
from explorer.widgets.plots import FOREGROUND, plot_widget
from explorer.workers import Runner

POLL_MS = 100
DEFAULT_MODEL = "minilm"
LOSS, HELD_OUT = "training loss (each step)", "held-out accuracy"   # the curves' keys
LANG_CHOICES = (("both", ("en", "zh")), ("en", ("en",)), ("zh", ("zh",)))
BEFORE_COLOUR, AFTER_COLOUR = "#9e9e9e", "#2ca02c"
WEIGHTS = {"random": QT_TRANSLATE_NOOP("lab_finetune", "random weights"),
           "real": QT_TRANSLATE_NOOP("lab_finetune", "real weights"),
           "trained": QT_TRANSLATE_NOOP("lab_finetune", "trained weights")}
# what engine.finetune may refuse a model of the picker with, in English (it knows no Qt)
ENGINE_TEXTS = (
    QT_TRANSLATE_NOOP("engine_train", "{name} came without tokenizer files: it cannot read the sentiment lines."),
)


def weights_words(weights: str) -> str:
    """"random weights", "real weights", "trained weights" in the interface's language."""
    return translate("lab_finetune", WEIGHTS[weights]) if weights in WEIGHTS else \
        translate("lab_finetune", "{weights} weights").format(weights=weights)


def model_item_text(name: str, about: str) -> str:
    """The picker's "minilm  ·  real weights", "bert-tiny  ·  BERT, random weights" in the interface's language."""
    if about == "real weights":
        return translate("lab_finetune", "{name}  ·  real weights").format(name=name)
    if about.endswith(", random weights"):
        return translate("lab_finetune", "{name}  ·  {family}, random weights").format(
            name=name, family=about[:-len(", random weights")])
    return f"{name}  ·  {about}"


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
        self.status_source = None       # ("loading", name), ("stopped", ""), ("error", message) before any info
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self._build()
        state.events.settings.connect(self._settings_changed)
        self.retranslate()
        self._model_changed()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.model_label, self.lines_label = QLabel(), QLabel()
        self.steps_label, self.seed_label = QLabel(), QLabel()
        self.model_combo = QComboBox()
        for name, about in encoder_models():
            self.model_combo.addItem(model_item_text(name, about), name)
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
        mark_data(self.table)   # the held-out lines are data (their headers and labels are translated all the same)
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
        self.model_label.setText(translate("lab_finetune", "Encoder"))
        self.lines_label.setText(translate("lab_finetune", "Lines"))
        self.steps_label.setText(translate("lab_finetune", "Steps"))
        self.seed_label.setText(translate("lab_finetune", "Seed"))
        for index, (name, about) in enumerate(encoder_models()):
            if self.model_combo.itemData(index) == name:
                self.model_combo.setItemText(index, model_item_text(name, about))
        for curves in (self.loss_curve, self.accuracy_curve):
            curves.set_labels(x_label=translate("lab_finetune", "step"))
        self.loss_curve.set_curve_label(LOSS, translate("lab_finetune", "training loss (each step)"))
        self.accuracy_curve.set_curve_label(HELD_OUT, translate("lab_finetune", "held-out accuracy"))
        for index, text in enumerate((translate("lab_finetune", "English + Chinese"),
                                      translate("lab_finetune", "English"), translate("lab_finetune", "Chinese"))):
            self.lines_combo.setItemText(index, text)
        self.run_button.setText(translate("lab_finetune", "Fine-tune"))
        self.stop_button.setText(translate("lab_finetune", "Stop"))
        self.intro.setText(translate(
            "lab_finetune",
            "<b>Pre-train, then fine-tune.</b> A new linear classifier reads the encoder's [CLS] vector (through "
            "its pooler when it has one) and says <i>positive</i> or <i>negative</i>; the classifier and the whole "
            "encoder are trained together on short lines this project wrote, with a small learning rate, and "
            "measured on a fifth of the lines held out. Compare a random-weight tiny model with MiniLM's real "
            "weights: pretraining is what makes a few hundred lines enough."))
        self.loss_curve.set_labels(translate("lab_finetune", "Training loss (cross-entropy)"),
                                   translate("lab_finetune", "loss"))
        self.accuracy_curve.set_labels(translate("lab_finetune", "Accuracy on the held-out lines"),
                                       translate("lab_finetune", "accuracy"))
        self.accuracy_curve.set_reference(0.5, translate("lab_finetune", "chance"))
        self.bars.set_labels(translate("lab_finetune", "Held-out accuracy: before (grey) and after (green) "
                                                       "fine-tuning"))
        self.table.setHorizontalHeaderLabels([translate("lab_finetune", "held-out line"),
                                              translate("lab_finetune", "true"),
                                              translate("lab_finetune", "predicted"),
                                              translate("lab_finetune", "sure")])
        self._show_bars()
        self._show_table()
        self._show_status()
        if self.status_source:
            self._show_loading()

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
        self.status_source = None
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
        self.status_source = ("loading", name)
        self._show_loading()

    def stop(self, _checked: bool = False) -> None:
        """End the run after its current step; the held-out accuracy is still measured."""
        if "tuner" in self.current:
            self.current["tuner"].stop()
        elif self.runner.active:   # still loading the model: nothing learned yet to keep
            self.runner.cancel_all()
            self.status_source = ("stopped", "")
            self._show_loading()

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

    def _show_loading(self) -> None:
        kind, value = self.status_source
        if kind == "loading":
            self.status.setText(translate("lab_finetune", "loading {name}…").format(name=html.escape(value)))
        elif kind == "stopped":
            self.status.setText(translate("lab_finetune", "stopped before training began"))
        else:
            text = i18n.translate_message("engine_train", value, ENGINE_TEXTS)
            self.status.setText(f"<span style='color:#c62828'>{html.escape(text)}</span>")

    def _show_status(self) -> None:
        info, last = self.info, self.last
        if not info:
            return
        self.status_source = None
        parts = [translate("lab_finetune", "<b>{model}</b> ({family}, {weights}) · {train} lines to learn, {held} "
                                           "held out · lr {lr}").format(
            model=html.escape(info["model"]), family=info["family"], weights=weights_words(info["weights"]),
            train=info["train"], held=info["held"], lr=f"{info['lr']:g}")]
        if last is not None:
            parts.append(translate("lab_finetune", "step {step} of {steps}, loss {loss}, {seconds} s").format(
                step=last.step, steps=last.steps, loss=f"{last.loss:.3f}", seconds=f"{last.elapsed_s:.1f}"))
        if self.before is not None and self.after is not None:
            parts.append(translate("lab_finetune", "held-out accuracy <b>{before} → {after}</b>").format(
                before=f"{self.before.accuracy:.0%}", after=f"{self.after.accuracy:.0%}"))
        for lang, share in info["unk"].items():
            if share > 0.05:
                text = (translate("lab_finetune", "{share} of the English tokens are [UNK] to this tokenizer: it "
                                                  "cannot tell those characters apart") if lang == "en" else
                        translate("lab_finetune", "{share} of the Chinese tokens are [UNK] to this tokenizer: it "
                                                  "cannot tell those characters apart"))
                parts.append("<span style='color:#b35900'>" + text.format(share=f"{share:.0%}") + "</span>")
        self.status.setText(" · ".join(parts))

    def _show_bars(self) -> None:
        names = {"all": translate("lab_finetune", "all"), "en": translate("lab_finetune", "English"),
                 "zh": translate("lab_finetune", "Chinese")}
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
        right = sum(p.correct for p in predictions)
        if evaluation is None:
            title = translate("lab_finetune", "The held-out lines and the classifier's labels")
        elif evaluation.step == 0:
            title = translate("lab_finetune", "The held-out lines and the classifier's labels before training")
        else:
            title = translate("lab_finetune", "The held-out lines and the classifier's labels after step {step}")
        title = title.format(step=evaluation.step if evaluation is not None else 0)
        if predictions:
            title = translate("lab_finetune", "{title}: {right} of {count} right").format(
                title=title, right=right, count=len(predictions))
        self.table_title.setText(title)
        label = {"positive": translate("lab_finetune", "positive"), "negative": translate("lab_finetune", "negative")}
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
        self.status_source = ("error", message)
        self._show_loading()
        self.finished.emit(message)

    def runners(self) -> list[Runner]:
        return [self.runner]

    def closeEvent(self, event) -> None:
        self.stop()
        self.runner.shutdown()
        super().closeEvent(event)
