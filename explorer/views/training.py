"""The Train page (Ctrl+5): pretraining a tiny model live, and the chapter's one-click experiments.

    Pretrain      pick a model (a tiny preset of any family, or a configuration edited on the Parameters page and
                  run once), an objective it can learn (engine.training.objectives_for), a corpus (the bundled
                  bilingual one, or a UTF-8 text file), steps and seed; Train runs engine.training.Trainer in a
                  worker: a progress bar and the loss curve grow live, with the corpus's unigram entropy as a dashed
                  line the loss should fall below. Pause / Resume / Stop. Save writes a Hugging Face folder
                  (engine.saving); "Open in the step-through" reopens that folder with engine.load and shows it
                  in the main window, to see what the attention learned.
    Experiments   static vs dynamic masking, NSP vs SOP, pre-norm vs post-norm at 24 layers (engine.experiments):
                  two curves each, progress, Stop, and a reading computed from the numbers.
    Fine-tune     explorer.views.lab_finetune.FinetunePanel: a classifier on an encoder, accuracy before and after.
    Induction heads  explorer.views.lab_induction.InductionPanel: a two-layer attention-only decoder learning to copy.

The workers touch no widget: a training job appends each step's Progress (an experiment its Events) to a plain
list that a timer of this page drains every POLL_MS; the curve widget repaints at most every REPAINT_MS. Pause and
Stop call the Trainer's thread-safe controls; cancelling the job (the window closing) stops the trainer too. The
page talks to the window through `open_requested` (an explorer.views.generate.OpenRequest).

Command line: main.py --view train [--model bert-tiny]
"""
from __future__ import annotations

import argparse
import html
import inspect
import re
import weakref
from collections import deque
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from explorer import i18n
from explorer.i18n import translate
from explorer.views.generate import OpenRequest
from explorer.views.lab_finetune import FinetunePanel
from explorer.views.lab_induction import InductionPanel
from explorer.widgets.curves import LiveCurves
from explorer.workers import Runner

DEFAULT_MODEL = "bert-tiny"
DEFAULT_STEPS = 300
POLL_MS = 100
SMOOTHING = 20                 # the darker curve: the mean of the last 20 steps' losses
LOSS, SMOOTHED = "loss of each step", "mean of the last 20 steps"   # the curves' keys (and English labels)
CURVE_LABELS = {LOSS: QT_TRANSLATE_NOOP("training", "loss of each step"),
                SMOOTHED: QT_TRANSLATE_NOOP("training", "mean of the last 20 steps")}
TINY_PARAMETERS = 10_000_000   # below this a training thread computes alone (torch's threads are per thread)
COLOURS = ("#1f77b4", "#d62728")     # the two models of an experiment
BUNDLED = "bundled"
EDITED_GROUP = QT_TRANSLATE_NOOP("training", "Edited on the Parameters page")
OPEN_TEXTS = {   # what the step-through shows of a trained model: a sentence like the corpus's
    "mask": "The cat sat on the {mask}.",
    "clm": "The cat sat on the",
    "span": ("The cat <extra_id_0> on the mat.", "<extra_id_0> sat <extra_id_1>"),
}

# What engine.training, engine.objectives, engine.experiments and engine.saving write in English (the engine knows no
# Qt), as templates mirroring their f-strings: i18n.translate_message puts such a message in the interface's language.
OBJECTIVE_TITLES = (
    QT_TRANSLATE_NOOP("engine_train", "masked language modelling (BERT, RoBERTa, ALBERT)"),
    QT_TRANSLATE_NOOP("engine_train", "next sentence prediction (BERT)"),
    QT_TRANSLATE_NOOP("engine_train", "sentence order prediction (ALBERT)"),
    QT_TRANSLATE_NOOP("engine_train", "causal language modelling (GPT, LLaMA, ChatGLM)"),
    QT_TRANSLATE_NOOP("engine_train", "span corruption (T5)"),
    QT_TRANSLATE_NOOP("engine_train", "autoregressive blank infilling (GLM)"),
)
ENGINE_TEXTS = OBJECTIVE_TITLES + (
    # the experiments: their buttons, titles, axes, reference lines and curves
    QT_TRANSLATE_NOOP("engine_train", "Static vs dynamic masking"),
    QT_TRANSLATE_NOOP("engine_train", "NSP vs SOP"),
    QT_TRANSLATE_NOOP("engine_train", "Pre-norm vs post-norm, {layers} layers"),
    QT_TRANSLATE_NOOP("engine_train", "Static vs dynamic masking (RoBERTa)"),
    QT_TRANSLATE_NOOP("engine_train", "NSP vs SOP (BERT, ALBERT)"),
    QT_TRANSLATE_NOOP("engine_train", "Pre-norm vs post-norm at {layers} layers (GLM)"),
    QT_TRANSLATE_NOOP("engine_train", "MLM loss on held-out text (nats)"),
    QT_TRANSLATE_NOOP("engine_train", "accuracy on held-out pairs"),
    QT_TRANSLATE_NOOP("engine_train", "training loss (nats)"),
    QT_TRANSLATE_NOOP("engine_train", "unigram entropy of the corpus"),
    QT_TRANSLATE_NOOP("engine_train", "a coin toss"),
    QT_TRANSLATE_NOOP("engine_train", "static masking"),
    QT_TRANSLATE_NOOP("engine_train", "dynamic masking"),
    QT_TRANSLATE_NOOP("engine_train", "static: training loss"),
    QT_TRANSLATE_NOOP("engine_train", "dynamic: training loss"),
    QT_TRANSLATE_NOOP("engine_train", "BERT-tiny trained with NSP: on NSP pairs"),
    QT_TRANSLATE_NOOP("engine_train", "ALBERT-tiny trained with SOP: on SOP pairs"),
    QT_TRANSLATE_NOOP("engine_train", "NSP-trained: on SOP pairs"),
    QT_TRANSLATE_NOOP("engine_train", "SOP-trained: on NSP pairs"),
    QT_TRANSLATE_NOOP("engine_train", "pre-norm"),
    QT_TRANSLATE_NOOP("engine_train", "post-norm"),
    # the corpus
    QT_TRANSLATE_NOOP("engine_train", "the bundled corpus (assets/corpus, {files} files)"),
    QT_TRANSLATE_NOOP("engine_train", "{path} is not a text file: give the path of a UTF-8 .txt file."),
    QT_TRANSLATE_NOOP("engine_train", "{name} is not UTF-8 text (byte {byte} cannot be read)."),
    QT_TRANSLATE_NOOP("engine_train", "{name} cannot be read ({reason})."),
    QT_TRANSLATE_NOOP("engine_train", "{name} looks like a binary file (it holds NUL bytes), not text: give a UTF-8 "
                                      ".txt file."),
    QT_TRANSLATE_NOOP("engine_train", "{name} holds no text."),
    QT_TRANSLATE_NOOP("engine_train", "{title} needs documents of two sentences or more, and two documents at least; "
                                      "this corpus has {pairs} sentence pairs in {documents} documents."),
    QT_TRANSLATE_NOOP("engine_train", "The corpus gives {count} tokens, fewer than one sequence of {length}: give a "
                                      "longer text or a shorter --seq-len."),
    # training and saving
    QT_TRANSLATE_NOOP("engine_train", "{name} reads at most {limit} tokens: choose a sequence length of {limit2} or "
                                      "less."),
    QT_TRANSLATE_NOOP("engine_train", "The loss became {value} at step {step}: lower the learning rate."),
    QT_TRANSLATE_NOOP("engine_train", "engine.load cannot reopen this {family} folder yet: config.json says "
                                      "model_type {model_type} and the app reads it as {found} (the {family2} family "
                                      "lists no model_type of its own). The weights are saved under their Hugging "
                                      "Face names."),
    QT_TRANSLATE_NOOP("engine_train", "engine.load cannot reopen this {family} folder yet: config.json says "
                                      "model_type {model_type} and the app does not know its model_type (the "
                                      "{family2} family lists no model_type of its own). The weights are saved under "
                                      "their Hugging Face names."),
)


def engine_text(message: str) -> str:
    """A text engine/ wrote in English (an objective's title, an experiment's curve, an error), in the interface's
    language where a template knows it; an objective's title inside it is translated too."""
    text = i18n.translate_message("engine_train", message, ENGINE_TEXTS)
    if i18n.current() != "en":
        for title in OBJECTIVE_TITLES:
            if title in text and title != message:
                text = text.replace(title, translate("engine_train", title))
    return text


def _sentences(*parts: str) -> str:
    """Sentences one after the other: a space between them in English, none after a Chinese full stop."""
    parts = [p for p in parts if p]
    return "".join(parts) if i18n.current() == "zh" else " ".join(parts)


def tiny_presets() -> list[tuple[str, str]]:
    """(name, family title) of every runnable tiny preset, in the registry's order."""
    from engine.models import FAMILIES
    from engine.presets import all_presets

    return [(p.name, FAMILIES[p.family].title) for p in all_presets().values()
            if p.is_tiny and p.runnable and p.family in FAMILIES]


def _message_style(error: bool) -> str:
    return ("color:#b00020; background:#fdecea" if error else "color:#1a5e20; background:#e8f5e9") + \
        "; padding:6px; border-radius:4px"


def _spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box


def load_model(name: str, edited: dict, device: str = "cpu", seed: int = 0):
    """A fresh model (never the window's cached one: training changes the weights in place); `edited` maps the
    names of configurations edited on the Parameters page to their Preset."""
    import engine
    from engine.api import build_from_preset

    preset = edited.get(name)
    return build_from_preset(preset, device, seed) if preset is not None else engine.load(name, device=device,
                                                                                          seed=seed)


def objectives_of(loaded) -> list[str]:
    from engine.training import objectives_for
    return objectives_for(loaded)


class _Feed:
    """What a worker hands the page (plain Python, no Qt): the items it produced, the object it controls."""

    def __init__(self):
        self.items: deque = deque()   # append and popleft are thread-safe
        self.trainer = None

    def put(self, item) -> None:
        self.items.append(item)

    def take(self) -> list:
        taken = []
        while self.items:
            taken.append(self.items.popleft())
        return taken


# ----------------------------------------------------------------------------------------------- pretraining
class PretrainPanel(QWidget):
    open_requested = Signal(object)     # an OpenRequest
    settled = Signal(str)               # a run, a save or an opening is over ("" or its error)

    def __init__(self, device: Callable[[], str], edited: dict | None = None, parent=None):
        super().__init__(parent)
        self.device_of = device
        self.edited = edited if edited is not None else {}   # name -> Preset (the window's dict, read when shown)
        self.runner = Runner(self, "train")
        self.runner.busy_changed.connect(self._busy_changed)
        self.info_runner = Runner(self, "train-info")      # which objectives a model allows
        self.corpus_runner = Runner(self, "train-corpus")  # a corpus file's check
        self.save_runner = Runner(self, "train-save")      # saving and reopening
        self.save_runner.busy_changed.connect(lambda _busy: self._update_buttons())
        self.objectives: dict[str, list[str]] = {}         # model -> its objectives
        self.corpus_path: str | None = None
        self.corpus_ok = True
        self.feed: _Feed | None = None
        self.job = None                                    # the training job under way
        self.trainer = None                                # the last run's (kept for Save)
        self.saved_folder: Path | None = None
        self.last_error = ""
        self.paused = False
        self.corpus_note = ""
        self.corpus_info = None                            # (path, corpus) of the file read last
        self.done_info = None                              # the finished run's numbers, for its message
        self.saved_info = None                             # the last save's Saved
        self.message_source = None                         # what the message says, to say it again (a language)
        self.status_source = None                          # ("loading", name) or ("record", the last Progress)
        self.models_filled = False
        self.begun = None                                  # (entropy, tokens, source) of the run under way
        self.last_record = None
        self.losses: list[float] = []
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self.fill_models()
        self.select_model(DEFAULT_MODEL)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(260)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.objective_combo = QComboBox()
        self.objective_combo.setMinimumWidth(300)
        self.objective_combo.currentIndexChanged.connect(self._objective_changed)
        self.corpus_combo = QComboBox()
        self.corpus_combo.addItem(translate("training", "the bundled bilingual corpus (English and Chinese)"), BUNDLED)
        self.corpus_combo.currentIndexChanged.connect(self._corpus_changed)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._browse)
        self.steps_box = _spin(1, 100000, DEFAULT_STEPS)
        self.seed_box = _spin(0, 2 ** 31 - 1, 0)
        self.batch_box = _spin(1, 256, 16)
        self.seq_box = _spin(8, 512, 64)
        self.dynamic_box = QCheckBox()
        self.dynamic_box.setChecked(True)
        self.mask_box = _spin(1, 99, 15)          # percent of the tokens chosen (BERT's 15%)
        self.mask_box.setSuffix(" %")
        self.sentences_box = QCheckBox()          # MLM / span: one sentence per example instead of windows
        self.device_label = QLabel()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight)
        self.form_labels = {}
        corpus_row = QHBoxLayout()
        corpus_row.addWidget(self.corpus_combo, 1)
        corpus_row.addWidget(self.browse_button)
        numbers = QHBoxLayout()
        self.number_labels = {}
        for key, box in (("steps", self.steps_box), ("seed", self.seed_box), ("batch", self.batch_box),
                         ("tokens", self.seq_box)):
            self.number_labels[key] = QLabel()
            numbers.addWidget(self.number_labels[key])
            numbers.addWidget(box)
        numbers.addWidget(self.dynamic_box)
        self.number_labels["mask"] = QLabel()
        numbers.addWidget(self.number_labels["mask"])
        numbers.addWidget(self.mask_box)
        numbers.addWidget(self.sentences_box)
        numbers.addStretch(1)
        for key, field in (("model", self.model_combo), ("objective", self.objective_combo),
                           ("corpus", corpus_row), ("settings", numbers), ("device", self.device_label)):
            label = QLabel()
            self.form_labels[key] = label
            form.addRow(label, field)

        self.train_button = QPushButton()
        self.train_button.clicked.connect(self._train_clicked)
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self._pause_clicked)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self._save_clicked)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_in_step_through)
        self.progress = QProgressBar()
        self.progress.setRange(0, DEFAULT_STEPS)
        self.progress.setValue(0)
        buttons = QHBoxLayout()
        for b in (self.train_button, self.pause_button, self.stop_button, self.save_button, self.open_button):
            buttons.addWidget(b)
        buttons.addWidget(self.progress, 1)
        self.status = QLabel()
        self.status.setTextFormat(Qt.RichText)
        self.status.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.hide()
        self.curves = LiveCurves()
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet("color:#444")
        self.explain.setMaximumWidth(330)
        self.explain.setAlignment(Qt.AlignTop)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.status)
        left.addWidget(self.message)
        left.addWidget(self.curves, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.explain)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        for key, text in (("model", translate("training", "Model")), ("objective", translate("training", "Objective")),
                          ("corpus", translate("training", "Corpus")), ("settings", translate("training", "Settings")),
                          ("device", translate("training", "Device"))):
            self.form_labels[key].setText(text)
        for key, text in (("steps", translate("training", "steps")), ("seed", translate("training", "seed")),
                          ("batch", translate("training", "batch")),
                          ("tokens", translate("training", "tokens per sequence")),
                          ("mask", translate("training", "masked"))):
            self.number_labels[key].setText(text)
        self.mask_box.setToolTip(translate("training", "The share of tokens chosen for prediction (BERT: 15%; more "
                                                       "labels per step, a harder task)"))
        self.sentences_box.setText(translate("training", "one sentence per example"))
        self.sentences_box.setToolTip(translate("training", "Cut the corpus into sentences, each framed as a typed "
                                                            "sentence is ([CLS] sentence [SEP]), instead of windows "
                                                            "of running text: a small model then fills blanks in "
                                                            "one typed sentence better"))
        self.dynamic_box.setText(translate("training", "dynamic masking"))
        self.dynamic_box.setToolTip(translate("training", "RoBERTa: a new mask for each sequence every epoch; off: "
                                                          "BERT's static masks"))
        self.corpus_combo.setItemText(0, translate("training", "the bundled bilingual corpus (English and Chinese)"))
        self.curves.set_labels(y_label=translate("training", "loss (nats)"), x_label=translate("training", "step"))
        for key, label in CURVE_LABELS.items():
            self.curves.set_curve_label(key, translate("training", label))
        for key in self.curves.lines:
            if key not in CURVE_LABELS:
                self.curves.set_curve_label(key, key.upper())   # the loss's parts: MLM, NSP, SOP
        if self.begun is not None:
            self.curves.set_reference(self.begun[0], translate("training", "unigram entropy"))
            self.corpus_note = translate("training", "{source}: {count} tokens").format(
                source=engine_text(self.begun[2]), count=f"{self.begun[1]:,}")
        self.train_button.setText(translate("training", "Train"))
        self.pause_button.setText(translate("training", "Resume") if self.paused else translate("training", "Pause"))
        self.stop_button.setText(translate("training", "Stop"))
        self.save_button.setText(translate("training", "Save…"))
        self.open_button.setText(translate("training", "Open in the step-through"))
        self.browse_button.setText(translate("training", "Text file…"))
        self.device_label.setText(translate("training", "{device} (the window's choice, top right of the "
                                                        "step-through)").format(device=self.device()))
        self.explain.setText(translate(
            "training",
            "<b>Pretraining, live.</b> The model starts from random weights: its first loss is about ln(vocabulary "
            "size), the cost of guessing uniformly. The dashed line is the <b>unigram entropy</b> of the corpus, "
            "the loss of a model that knows only how often each token occurs and ignores the context. A curve "
            "below it means the model uses the words around each position.<br><br>"
            "MLM (BERT, RoBERTa, ALBERT) predicts the chosen tokens (15% by default); NSP/SOP add a sentence-pair loss (ln 2 = "
            "0.69 is a coin toss); CLM (GPT, LLaMA, ChatGLM) predicts every next token; span corruption (T5) "
            "the masked spans; blank infilling (GLM) Part B.<br><br>"
            "Save writes a Hugging Face folder (config.json, model.safetensors, tokenizer.json) that the "
            "step-through, engine.load and transformers reopen."))
        if self.models_filled:
            self._name_models()
        if self.model_name() in self.objectives:
            self._name_objectives()
        else:
            self._name_objective_placeholder()
        self._show_status()
        self._say_again()

    def device(self) -> str:
        try:
            return self.device_of() or "cpu"
        except Exception:   # noqa: BLE001
            return "cpu"

    # ------------------------------------------------------------------ model, objective, corpus
    def fill_models(self) -> None:
        """The tiny presets by family, then the configurations edited on the Parameters page."""
        combo, current = self.model_combo, self.model_combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for name, title in tiny_presets():
            combo.addItem(f"{name}  ·  {title}", name)
        if self.edited:
            combo.addItem("")
            combo.model().item(combo.count() - 1).setEnabled(False)
            for name in self.edited:
                combo.addItem(f"  {name}", name)
        combo.blockSignals(False)
        self.models_filled = True
        self._name_models()
        if current is not None:
            self.select_model(current)

    def _name_models(self) -> None:
        """The heading of the edited configurations, in the interface's language."""
        combo = self.model_combo
        for index in range(combo.count()):
            if combo.itemData(index) is None:
                combo.setItemText(index, f"── {translate('training', EDITED_GROUP)} ──")

    def model_name(self) -> str:
        return self.model_combo.currentData() or DEFAULT_MODEL

    def select_model(self, name: str) -> None:
        index = self.model_combo.findData(name)
        if index < 0:
            return
        if index == self.model_combo.currentIndex():
            self._model_changed(index)
        else:
            self.model_combo.setCurrentIndex(index)

    def objective(self) -> str | None:
        return self.objective_combo.currentData()

    def _model_changed(self, _index: int = -1) -> None:
        name = self.model_name()
        self.objective_combo.clear()
        if name in self.objectives:
            self._fill_objectives(name)
            return
        self.objective_combo.addItem("")
        self._name_objective_placeholder()
        self.objective_combo.setEnabled(False)
        edited = dict(self.edited)
        self.info_runner.start(lambda job: (name, objectives_of(load_model(name, edited))), self._objectives_found,
                               self._info_failed)
        self._update_buttons()

    def _objectives_found(self, result) -> None:
        name, kinds = result
        self.objectives[name] = kinds
        if name == self.model_name():
            self._fill_objectives(name)

    def _fill_objectives(self, name: str) -> None:
        combo = self.objective_combo
        combo.blockSignals(True)
        combo.clear()
        for kind in self.objectives[name]:
            combo.addItem("", kind)
        if not self.objectives[name]:
            combo.addItem("")
        self._name_objectives()
        combo.setEnabled(bool(self.objectives[name]))
        combo.blockSignals(False)
        self._objective_changed()

    @staticmethod
    def objective_text(kind: str) -> str:
        """"MLM  ·  masked language modelling (BERT, RoBERTa, ALBERT)" in the interface's language."""
        from engine.objectives import TITLES

        return translate("training", "{kind}  ·  {title}").format(kind=kind.upper(), title=engine_text(TITLES[kind]))

    def _name_objectives(self) -> None:
        combo = self.objective_combo
        for index in range(combo.count()):
            kind = combo.itemData(index)
            combo.setItemText(index, self.objective_text(kind) if kind else
                              translate("training", "(no pretraining head: nothing to train)"))

    def _name_objective_placeholder(self) -> None:
        if self.objective_combo.count() == 1 and self.objective_combo.itemData(0) is None:
            self.objective_combo.setItemText(0, translate("training", "(finding what it can learn…)"))

    def select_objective(self, kind: str) -> None:
        index = self.objective_combo.findData(kind)
        if index >= 0:
            self.objective_combo.setCurrentIndex(index)

    def _objective_changed(self, _index: int = -1) -> None:
        self._update_buttons()

    def _info_failed(self, message: str, _user: bool) -> None:
        self.say("engine", message=message)
        self.objective_combo.clear()
        self._update_buttons()

    def _corpus_changed(self, _index: int = -1) -> None:
        data = self.corpus_combo.currentData()
        self.corpus_path = None if data == BUNDLED else data
        self.show_message("", error=False)
        self.corpus_ok = True
        self.corpus_runner.cancel_all()   # a check of the file picked before is of no interest now
        if self.corpus_path is not None:
            self.check_corpus()
        self._update_buttons()

    def _browse(self, _checked: bool = False) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("training", "A UTF-8 text file (blank lines between documents)"), "",
            translate("training", "Text (*.txt *.md);;Any file (*)"))
        if path:
            self.set_corpus_file(path)

    def set_corpus_file(self, path: str | Path) -> None:
        """Use a text file as the corpus (checked in a worker: a bad one says why and Train waits)."""
        path = str(path)
        index = self.corpus_combo.findData(path)
        if index < 0:
            self.corpus_combo.addItem(Path(path).name, path)
            index = self.corpus_combo.count() - 1
            self.corpus_combo.setItemData(index, path, Qt.ToolTipRole)
        if index == self.corpus_combo.currentIndex():
            self._corpus_changed()
        else:
            self.corpus_combo.setCurrentIndex(index)

    def check_corpus(self) -> None:
        from engine.training import load_corpus

        path = self.corpus_path
        self.corpus_ok = False
        self._update_buttons()
        self.corpus_runner.start(lambda job: (path, load_corpus(path)), self._corpus_read, self._corpus_failed)

    def _corpus_read(self, result) -> None:
        path, corpus = result
        if path != self.corpus_path:
            return
        self.corpus_ok = True
        self.say("corpus", error=False, name=Path(path).name, documents=f"{len(corpus.documents):,}",
                 characters=f"{corpus.characters:,}")
        self._update_buttons()
        self.settled.emit("")

    def _corpus_failed(self, message: str, _user: bool) -> None:
        self.corpus_ok = False
        self.say("engine", message=message)
        self._update_buttons()
        self.settled.emit(message)

    # ------------------------------------------------------------------ the message and the status line
    def show_message(self, text: str, error: bool = True) -> None:
        self.message_source = None
        self._show_message(text, error)

    def _show_message(self, text: str, error: bool) -> None:
        self.last_error = text if error else ""
        self.message.setStyleSheet(_message_style(error))
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def say(self, kind: str, error: bool = True, **values) -> None:
        """Show a message of a kind (said again in the other language when it changes)."""
        self._show_message(self._message_text(kind, values), error)
        self.message_source = (kind, error, values)

    def _say_again(self) -> None:
        if self.message_source is not None:
            kind, error, values = self.message_source
            self._show_message(self._message_text(kind, values), error)

    def _message_text(self, kind: str, values: dict) -> str:
        if kind == "engine":
            return engine_text(values["message"])
        if kind == "wrong":
            return translate("training", "Something went wrong: {message}").format(
                message=engine_text(values["message"]))
        if kind == "pick":
            return translate("training", "Pick a readable corpus first.")
        if kind == "corpus":
            return translate("training", "{name}: {documents} documents, {characters} characters.").format(**values)
        if kind == "saved":
            text = translate("training", "Saved {folder}: {files} ({parameters} parameters).").format(
                folder=values["folder"], files=", ".join(values["files"]), parameters=f"{values['parameters']:,}")
            return _sentences(text, engine_text(values["note"])) if values["note"] else text
        if kind == "done":
            return self._done_text(**values)
        return ""

    @staticmethod
    def _done_text(done: bool, steps: int, mlm: bool, final: float, entropy: float) -> str:
        gap = entropy - final
        state = translate("training", "Done") if done else translate("training", "Stopped")
        what = translate("training", "the MLM loss") if mlm else translate("training", "the loss")
        if gap >= 0:
            text = translate("training", "{state} after {steps} steps: {what} averages {final} over the last steps, "
                                         "{gap} nats below the unigram entropy ({entropy}). Save it to open it in "
                                         "the step-through.")
        else:
            text = translate("training", "{state} after {steps} steps: {what} averages {final} over the last steps, "
                                         "{gap} nats above the unigram entropy ({entropy}). Save it to open it in "
                                         "the step-through.")
        return text.format(state=state, steps=steps, what=what, final=f"{final:.3f}", gap=f"{abs(gap):.3f}",
                           entropy=f"{entropy:.3f}")

    def _show_status(self) -> None:
        """The status line: the model loading, or the last step's numbers."""
        source = self.status_source
        if source is None:
            return
        if source[0] == "loading":
            self.status.setText(translate("training", "loading {name}…").format(name=html.escape(source[1])))
            return
        last = source[1]
        parts = ", ".join(f"{k.upper()} {v:.3f}" for k, v in last.parts.items()) if len(last.parts) > 1 else ""
        text = translate("training", "step <b>{step}</b> / {steps} · epoch {epoch} · loss <b>{loss}</b>{parts} · "
                                     "lr {lr} · {speed} tokens/s · {corpus}").format(
            step=last.step, steps=last.steps, epoch=last.epoch + 1, loss=f"{last.loss:.3f}",
            parts=f" ({parts})" if parts else "", lr=f"{last.lr:.2e}", speed=f"{last.tokens_per_s:,.0f}",
            corpus=html.escape(self.corpus_note))
        if self.paused:
            text += " · <b>" + translate("training", "paused") + "</b>"
        self.status.setText(text)

    # ------------------------------------------------------------------ training
    @property
    def running(self) -> bool:
        """A training job has begun and its result (or error) has not been shown yet."""
        return self.job is not None

    def _train_clicked(self, _checked: bool = False) -> None:
        self.train()

    def train(self) -> None:
        """Train the picked model with the picked objective in a worker, the curve growing live."""
        kind = self.objective()
        if self.running or kind is None:
            return
        if not self.corpus_ok:
            if not self.last_error:
                self.say("pick")
            return
        name, device, path = self.model_name(), self.device(), self.corpus_path
        settings = dict(steps=self.steps_box.value(), seed=self.seed_box.value(), batch_size=self.batch_box.value(),
                        seq_len=self.seq_box.value(), dynamic=self.dynamic_box.isChecked(),
                        mask_rate=self.mask_box.value() / 100,
                        unit="sentences" if self.sentences_box.isChecked() and kind in ("mlm", "span")
                        else "windows")
        self.feed = feed = _Feed()
        self.trainer, self.saved_folder, self.paused = None, None, False
        self.begun = None
        self.show_message("", error=False)
        self.curves.clear_curves()
        self.curves.add_curve(LOSS, "#9ecae1", width=1.2, label=translate("training", CURVE_LABELS[LOSS]))
        self.curves.add_curve(SMOOTHED, "#08519c", width=2.5, label=translate("training", CURVE_LABELS[SMOOTHED]))
        self.losses = []
        self.progress.setRange(0, settings["steps"])
        self.progress.setValue(0)
        self.curves.set_x_range(0, settings["steps"])   # the curve grows left to right over the planned steps
        self.status_source = ("loading", name)
        self._show_status()
        edited = dict(self.edited)

        def work(job):   # worker thread: no Qt object
            from engine.training import Trainer

            import torch

            loaded = load_model(name, edited, device, settings["seed"])
            if sum(p.numel() for p in loaded.module.parameters()) < TINY_PARAMETERS:
                torch.set_num_threads(1)   # this thread's only: tiny matrices lose time to a second thread
            job.check()
            trainer = Trainer(loaded, kind, path, device=device, **settings)
            feed.trainer = trainer
            feed.put(("begun", trainer.unigram_entropy, len(trainer.items.content), trainer.corpus.source))
            for record in trainer.run():
                feed.put(record)
                if job.cancelled:
                    trainer.stop()
            return trainer

        self.job = self.runner.start(work, self._trained, self._failed)
        self.timer.start()
        self.retranslate()
        self._update_buttons()

    def _drain(self) -> None:
        """The worker's news since the last tick: the curve's points, the progress bar, the status line."""
        if self.feed is None:
            return
        last = None
        for item in self.feed.take():
            if isinstance(item, tuple) and item[0] == "begun":
                self.begun = item[1:]
                self.retranslate()   # the reference line and the corpus's note
                continue
            last = item
            self.losses.append(item.loss)
            recent = self.losses[-SMOOTHING:]
            self.curves.append(LOSS, item.step, item.loss)
            self.curves.append(SMOOTHED, item.step, sum(recent) / len(recent))
            if len(item.parts) > 1:
                for part, value in item.parts.items():
                    if part not in self.curves.lines:
                        self.curves.add_curve(part, dashed=True, width=1.2, label=part.upper())
                    self.curves.append(part, item.step, value)
        if last is not None:
            self.progress.setValue(last.step)
            self.status_source = ("record", last)
            self._show_status()

    def _pause_clicked(self, _checked: bool = False) -> None:
        self.resume() if self.paused else self.pause()

    def pause(self) -> None:
        trainer = self.feed.trainer if self.feed else None
        if trainer is not None and self.running:
            trainer.pause()
            self.paused = True
            self.retranslate()
            self._drain()

    def resume(self) -> None:
        trainer = self.feed.trainer if self.feed else None
        if trainer is not None:
            trainer.resume()
        self.paused = False
        self.retranslate()

    def stop(self, _checked: bool = False) -> None:
        """End the run before its next step; the model trained so far can be saved."""
        trainer = self.feed.trainer if self.feed else None
        if trainer is not None:
            trainer.stop()
        elif self.running:   # still loading: drop the job
            self.runner.cancel_all()

    def _busy_changed(self, busy: int) -> None:
        if not busy and self.feed is not None and self.feed.trainer is not None and self.runner.jobs and \
                all(job.cancelled for job in self.runner.jobs.values()):
            self.feed.trainer.stop()   # cancelled (the window closing): a paused run must not wait forever
        if not self.runner.active:
            self.job = None            # a cancelled job's result never comes
        self._update_buttons()

    def _trained(self, trainer) -> None:
        self.job = None
        self._drain()
        self.timer.stop()
        self.curves.repaint_now()
        self.trainer, self.paused = trainer, False
        self.retranslate()
        final = trainer.mean_loss(min(20, max(1, trainer.step)), "mlm" if trainer.objective in ("nsp", "sop") else None)
        if final is not None:
            self.say("done", error=False, done=trainer.state == "done", steps=trainer.step,
                     mlm=trainer.objective in ("nsp", "sop"), final=final, entropy=trainer.unigram_entropy)
        self._update_buttons()
        self.settled.emit("")

    def _failed(self, message: str, user: bool, details: str = "") -> None:
        self.job = None
        self._drain()
        self.timer.stop()
        self.curves.repaint_now()
        self.paused = False
        self.retranslate()
        self.say("engine" if user else "wrong", message=message)
        self._update_buttons()
        self.settled.emit(message)

    # ------------------------------------------------------------------ saving and opening
    def _save_clicked(self, _checked: bool = False) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("training", "Save the trained model into a folder"))
        if folder:
            self.save(folder)

    def save(self, folder: str | Path) -> None:
        """Write the trained model as a Hugging Face folder (in a worker)."""
        trainer = self.trainer
        if trainer is None or self.running:
            return
        self.show_message("", error=False)
        self.save_runner.start(lambda job: trainer.save(folder), self._saved, self._save_failed)
        self._update_buttons()

    def _saved(self, saved) -> None:
        self.saved_folder = saved.folder if saved.reopens else None
        self.say("saved", error=False, folder=str(saved.folder), files=list(saved.files),
                 parameters=saved.parameters, note=saved.note)
        self._update_buttons()
        self.settled.emit("")

    def _save_failed(self, message: str, user: bool, details: str = "") -> None:
        self.say("engine" if user else "wrong", message=message)
        self._update_buttons()
        self.settled.emit(message)

    def open_in_step_through(self, _checked: bool = False) -> None:
        """Reopen the saved folder with engine.load, record a sentence like the corpus's, and ask the window to
        show it (the Output view for a masked model: its guesses for the mask)."""
        folder, device, kind = self.saved_folder, self.device(), self.trainer.objective if self.trainer else None
        if folder is None:
            return
        note = translate("training", "trained here: {kind}, saved in {folder}").format(kind=kind, folder=folder)

        def work(job):   # worker thread
            import engine
            from explorer.session import OUTPUT_STEP

            loaded = engine.load(str(folder), device=device)
            pair, step, view = None, None, None
            if kind in ("mlm", "nsp", "sop", "blank"):
                mask = loaded.tokenizer.special_tokens.get("mask", "[MASK]")
                text, step, view = OPEN_TEXTS["mask"].format(mask=mask), OUTPUT_STEP, "output"
            elif kind == "span":
                text, pair = OPEN_TEXTS["span"]
            else:
                text = OPEN_TEXTS["clm"]
            job.progress("recording every step…")
            trace = loaded.trace(text=text, text_pair=pair)
            return OpenRequest(str(folder), device, text, pair, loaded, trace, step, view, note=note)

        self.save_runner.start(work, self._opened, self._save_failed)
        self._update_buttons()

    def _opened(self, request) -> None:
        self._update_buttons()
        self.open_requested.emit(request)
        self.settled.emit("")

    # ------------------------------------------------------------------ state of the buttons
    def _update_buttons(self) -> None:
        running = self.running
        saving = self.save_runner.active
        self.train_button.setEnabled(not running and self.objective() is not None and self.corpus_ok)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.save_button.setEnabled(not running and not saving and self.trainer is not None)
        self.open_button.setEnabled(not running and not saving and self.saved_folder is not None)
        for w in (self.model_combo, self.corpus_combo, self.browse_button, self.steps_box, self.seed_box,
                  self.batch_box, self.seq_box):
            w.setEnabled(not running)
        masking = self.objective() in ("mlm", "nsp", "sop")
        self.dynamic_box.setEnabled(not running and masking)
        self.mask_box.setEnabled(not running and masking)
        self.sentences_box.setEnabled(not running and self.objective() in ("mlm", "span"))
        self.objective_combo.setEnabled(not running and self.objective() is not None)

    def runners(self) -> list[Runner]:
        return [self.runner, self.info_runner, self.corpus_runner, self.save_runner]


# ----------------------------------------------------------------------------------------------- experiments
def experiment_reading(result) -> str:
    """The result's reading in the interface's language: the engine composes it with this window's translator (the
    engine's own English when the result is not shaped as one of its experiments')."""
    from engine import experiments

    try:
        return experiments.reading(result, translate, lambda sentences: _sentences(*sentences))
    except (KeyError, ValueError, TypeError, IndexError, ZeroDivisionError):   # a result shaped otherwise
        return result.reading


class ExperimentsPanel(QWidget):
    settled = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        import threading

        from engine.experiments import EXPERIMENTS

        self.runner = Runner(self, "experiment")
        self.runner.busy_changed.connect(self._busy_changed)
        self.job = None
        self.stop_flag = threading.Event()
        self.feed: _Feed | None = None
        self.result = None
        self.key: str | None = None
        self._mains: list[str] = []
        self._sides: list[str] = []
        self.last_error = ""
        self.last_message = ""          # the engine's latest progress line
        self.state_text = ""            # "running", "done", "stopped" or "" (the status line's source)
        self.buttons: dict[str, QPushButton] = {}
        self.titles: dict[str, str] = {}
        row = QHBoxLayout()
        for key, (title, _fn) in EXPERIMENTS.items():
            button = QPushButton()
            button.clicked.connect(lambda _checked=False, key=key: self.start(key))
            self.buttons[key] = button
            self.titles[key] = title
            row.addWidget(button)
        self.steps_box = _spin(0, 5000, 0)
        self.seed_box = _spin(0, 2 ** 31 - 1, 0)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        row.addStretch(1)
        self.steps_label, self.seed_label = QLabel(), QLabel()
        for label, box in ((self.steps_label, self.steps_box), (self.seed_label, self.seed_box)):
            box.setMaximumWidth(110)
            row.addWidget(label)
            row.addWidget(box)
        row.addWidget(self.stop_button)
        self.progress = QProgressBar()
        self.status = QLabel()
        self.curves = LiveCurves(y_label="")
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.reading.setStyleSheet("padding:6px; background:#f6f6f6; border-radius:4px")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color:#444")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.intro)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.curves, 1)
        layout.addWidget(self.reading)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        for key, button in self.buttons.items():
            button.setText(engine_text(self.titles[key]))
        self.steps_box.setSpecialValueText(translate("training", "default"))
        self.steps_box.setToolTip(translate("training", "steps per model (default: each experiment's own)"))
        self.steps_label.setText(translate("training", "steps per model"))
        self.seed_label.setText(translate("training", "seed"))
        self.stop_button.setText(translate("training", "Stop"))
        self.intro.setText(translate(
            "training",
            "Each button trains two tiny models side by side on the bundled corpus (seeded: the same seed gives the "
            "same curves) and reads the result from the numbers. Tiny models and a few hundred steps are not the "
            "papers' setting: the reading says what happened here."))
        self.curves.set_labels(x_label=translate("training", "step"))
        for name in self.curves.lines:
            self.curves.set_curve_label(name, engine_text(name))
        if self.result is not None:
            self._label_result(self.result)
            self.reading.setText(experiment_reading(self.result))
        elif self.job is not None:
            self.reading.setText(translate("training", "running…"))
        self._show_status()

    def _show_status(self) -> None:
        if self.state_text == "done":
            self.status.setText(translate("training", "done"))
        elif self.state_text == "stopped":
            self.status.setText(translate("training", "stopped"))
        elif self.last_message:
            self.status.setText(progress_text(self.last_message))
        else:
            self.status.setText("")

    def start(self, key: str, steps: int | None = None) -> None:
        """Run experiment `key` in a worker; its two curves grow live."""
        if self.job is not None:
            return
        from engine import experiments

        steps = steps or self.steps_box.value() or None
        seed = self.seed_box.value()
        self.key, self.result, self.last_error = key, None, ""
        self.last_message, self.state_text = "", ""
        self.stop_flag.clear()
        self.feed = feed = _Feed()
        flag = self.stop_flag
        self.curves.clear_curves()
        self._mains, self._sides = [], []
        self.reading.setText(translate("training", "running…"))
        self.progress.setRange(0, 0)
        settings = {"seed": seed, **({"steps": steps} if steps else {})}

        def work(job):   # worker thread
            return experiments.run(key, report=feed.put,
                                   should_stop=lambda: flag.is_set() or job.cancelled, **settings)

        self.job = self.runner.start(work, self._finished, self._failed)
        self.timer.start()
        self._update_buttons()

    def _curve(self, name: str, side: bool) -> None:
        """A curve met for the first time: the k-th model's colour; its side curve the same colour, dashed."""
        if name in self.curves.lines:
            return
        drawn = self._sides if side else self._mains
        self.curves.add_curve(name, COLOURS[len(drawn) % 2], dashed=side, width=1.3 if side else 2.0,
                              label=engine_text(name))
        drawn.append(name)

    def _drain(self) -> None:
        if self.feed is None:
            return
        last = None
        for event in self.feed.take():
            last = event
            if event.curve is not None:
                self._curve(event.curve, event.side)
                self.curves.append(event.curve, event.step, event.value)
        if last is not None:
            self.progress.setRange(0, last.total)
            self.progress.setValue(last.done)
            if last.message:
                self.last_message = last.message
                self._show_status()

    def stop(self, _checked: bool = False) -> None:
        self.stop_flag.set()

    def _finished(self, result) -> None:
        self.job = None
        self._drain()
        self.timer.stop()
        self.result = result
        self.show_result(result)
        self._update_buttons()
        self.settled.emit("")

    def _label_result(self, result) -> None:
        self.curves.set_labels(engine_text(result.title), engine_text(result.y_label))
        self.curves.set_reference(result.reference, engine_text(result.reference_label))
        for name in self.curves.lines:
            self.curves.set_curve_label(name, engine_text(name))

    def show_result(self, result) -> None:
        """Draw a finished (or stopped) result whole: its curves, the reference line, the reading."""
        self.curves.clear_curves()
        for index, curve in enumerate(result.curves):
            self.curves.add_curve(curve.name, COLOURS[index], label=engine_text(curve.name))
            self.curves.set_points(curve.name, curve.steps, curve.values)
        for index, curve in enumerate(result.side_curves):
            self.curves.add_curve(curve.name, COLOURS[index], dashed=True, width=1.3, label=engine_text(curve.name))
            self.curves.set_points(curve.name, curve.steps, curve.values)
        self._label_result(result)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.state_text = "stopped" if result.stopped else "done"
        self._show_status()
        self.reading.setText(experiment_reading(result))

    def _failed(self, message: str, user: bool, details: str = "") -> None:
        self.job = None
        self._drain()
        self.timer.stop()
        self.last_error = message
        self.progress.setRange(0, 1)
        self.reading.setText(html.escape(engine_text(message)))
        self._update_buttons()
        self.settled.emit(message)

    def _busy_changed(self, _busy: int) -> None:
        if not self.runner.active:
            self.job = None            # a cancelled job's result never comes
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job is not None
        for button in self.buttons.values():
            button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)

    def runners(self) -> list[Runner]:
        return [self.runner]


def progress_text(message: str) -> str:
    """An experiment's progress line ("static masking: step 12 of 150, loss 4.321") in the interface's language."""
    found = re.fullmatch(r"(?P<label>.+): step (?P<step>\d+) of (?P<steps>\d+), loss (?P<loss>\S+)", message)
    if found is None or i18n.current() == "en":
        return message
    return translate("training", "{label}: step {step} of {steps}, loss {loss}").format(
        label=engine_text(found["label"]), step=found["step"], steps=found["steps"], loss=found["loss"])


# ----------------------------------------------------------------------------------------------- the page
class TrainView(QWidget):
    """The Train page: its parts in tabs (Pretrain, Experiments, and the lab's further panels)."""
    name, title = "train", "Train"
    open_requested = Signal(object)    # an OpenRequest for the step-through
    PARTS = (QT_TRANSLATE_NOOP("training", "Pretrain"), QT_TRANSLATE_NOOP("training", "Experiments"),
             QT_TRANSLATE_NOOP("training", "Fine-tune"), QT_TRANSLATE_NOOP("training", "Induction heads"))

    def __init__(self, state, device: Callable[[], str] | None = None, edited: dict | None = None, parent=None):
        super().__init__(parent)
        self.state = state
        if inspect.ismethod(device):   # the window's: held weakly (no cycle through a Qt object)
            ref = weakref.WeakMethod(device)
            device_of = lambda: (ref() or (lambda: "cpu"))()   # noqa: E731
        else:
            device_of = device or (lambda: "cpu")
        self.pretrain = PretrainPanel(device_of, edited)
        self.pretrain.open_requested.connect(self.open_requested)
        self.experiments = ExperimentsPanel()
        self.finetune = FinetunePanel(state, device_of)       # "pre-train, then fine-tune"
        self.induction = InductionPanel(state, device_of)     # in-context learning in miniature
        self.parts = QTabWidget()
        for panel in (self.pretrain, self.experiments, self.finetune, self.induction):
            self.parts.addTab(panel, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.parts)
        state.events.settings.connect(self._settings_changed)
        self.retranslate()

    def _settings_changed(self, change) -> None:
        if change[0] == "lang":
            self.retranslate()

    def retranslate(self) -> None:
        for index, text in enumerate(self.PARTS):
            self.parts.setTabText(index, translate("training", text))
        self.pretrain.retranslate()
        self.experiments.retranslate()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.pretrain.fill_models()        # configurations edited since, on the Parameters page
        self.pretrain.retranslate()        # the window's device may have changed

    def runners(self) -> list[Runner]:
        return self.findChildren(Runner)

    def busy_jobs(self) -> bool:
        return any(r.active for r in self.runners())

    def closeEvent(self, event) -> None:
        for runner in self.runners():
            runner.cancel_all()
        for runner in self.runners():
            runner.shutdown(2.0)
        super().closeEvent(event)


# ----------------------------------------------------------------------------------------------- command line
VIEW_NAMES = ("train",)


def wanted(args: argparse.Namespace) -> bool:
    return getattr(args, "view", None) in VIEW_NAMES


def open_from_args(view: TrainView, args: argparse.Namespace) -> None:
    """--model picks the model to train when it is a tiny preset."""
    if getattr(args, "model", None):
        view.pretrain.select_model(args.model)
