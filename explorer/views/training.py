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
import weakref
from collections import deque
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from explorer.stepping import pick
from explorer.views.generate import OpenRequest
from explorer.views.lab_finetune import FinetunePanel
from explorer.views.lab_induction import InductionPanel
from explorer.widgets.curves import LiveCurves
from explorer.widgets.plots import FOREGROUND
from explorer.workers import Runner

DEFAULT_MODEL = "bert-tiny"
DEFAULT_STEPS = 300
POLL_MS = 100
SMOOTHING = 20                 # the darker curve: the mean of the last 20 steps' losses
LOSS, SMOOTHED = "loss of each step", "mean of the last 20 steps"
TINY_PARAMETERS = 10_000_000   # below this a training thread computes alone (torch's threads are per thread)
COLOURS = ("#1f77b4", "#d62728")     # the two models of an experiment
BUNDLED = "bundled"
EDITED_GROUP = "Edited on the Parameters page"
OPEN_TEXTS = {   # what the step-through shows of a trained model: a sentence like the corpus's
    "mask": "The cat sat on the {mask}.",
    "clm": "The cat sat on the",
    "span": ("The cat <extra_id_0> on the mat.", "<extra_id_0> sat <extra_id_1>"),
}


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

    def __init__(self, lang: Callable[[], str], device: Callable[[], str], edited: dict | None = None,
                 parent=None):
        super().__init__(parent)
        self.lang_of, self.device_of = lang, device
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
        self.losses: list[float] = []
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._drain)
        self.fill_models()
        self.select_model(DEFAULT_MODEL)

    def t(self, en: str, zh: str | None = None) -> str:
        return pick(self.lang_of(), en, zh)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(260)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.objective_combo = QComboBox()
        self.objective_combo.setMinimumWidth(300)
        self.objective_combo.currentIndexChanged.connect(self._objective_changed)
        self.corpus_combo = QComboBox()
        self.corpus_combo.addItem("the bundled bilingual corpus (English + 中文)", BUNDLED)
        self.corpus_combo.currentIndexChanged.connect(self._corpus_changed)
        self.browse_button = QPushButton("Text file…")
        self.browse_button.clicked.connect(self._browse)
        self.steps_box = _spin(1, 100000, DEFAULT_STEPS)
        self.seed_box = _spin(0, 2 ** 31 - 1, 0)
        self.batch_box = _spin(1, 256, 16)
        self.seq_box = _spin(8, 512, 64)
        self.dynamic_box = QCheckBox("dynamic masking")
        self.dynamic_box.setChecked(True)
        self.dynamic_box.setToolTip("RoBERTa: a new mask for each sequence every epoch; off: BERT's static masks")
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
        self.curves = LiveCurves(y_label="loss (nats)")
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
        t = self.t
        for key, en, zh in (("model", "Model", "模型"), ("objective", "Objective", "目标"), ("corpus", "Corpus", "语料"),
                            ("settings", "Settings", "设置"), ("device", "Device", "设备")):
            self.form_labels[key].setText(t(en, zh))
        for key, en, zh in (("steps", "steps", "步数"), ("seed", "seed", "种子"), ("batch", "batch", "批大小"),
                            ("tokens", "tokens per sequence", "每条序列的词元数")):
            self.number_labels[key].setText(t(en, zh))
        self.dynamic_box.setText(t("dynamic masking", "动态掩码"))
        self.corpus_combo.setItemText(0, t("the bundled bilingual corpus (English + 中文)", "内置双语语料（英文 + 中文）"))
        self.curves.set_labels(y_label=t("loss (nats)", "损失（nats）"))
        self.curves.plot.getPlotItem().setLabel("bottom", t("step", "步"), color=FOREGROUND)
        self.train_button.setText(t("Train", "训练"))
        self.pause_button.setText(t("Resume", "继续") if self.paused else t("Pause", "暂停"))
        self.stop_button.setText(t("Stop", "停止"))
        self.save_button.setText(t("Save…", "保存…"))
        self.open_button.setText(t("Open in the step-through", "在逐步视图中打开"))
        self.browse_button.setText(t("Text file…", "文本文件…"))
        self.device_label.setText(t(f"{self.device()} (the window's choice, top right of the step-through)",
                                    f"{self.device()}（逐步视图右上角的选择）"))
        self.explain.setText(t(
            "<b>Pretraining, live.</b> The model starts from random weights: its first loss is about ln(vocabulary "
            "size), the cost of guessing uniformly. The dashed line is the <b>unigram entropy</b> of the corpus, "
            "the loss of a model that knows only how often each token occurs and ignores the context. A curve "
            "below it means the model uses the words around each position.<br><br>"
            "MLM (BERT, RoBERTa, ALBERT) predicts the 15% chosen tokens; NSP/SOP add a sentence-pair loss (ln 2 = "
            "0.69 is a coin toss); CLM (GPT, LLaMA, ChatGLM) predicts every next token; span corruption (T5) "
            "the masked spans; blank infilling (GLM) Part B.<br><br>"
            "Save writes a Hugging Face folder (config.json, model.safetensors, tokenizer.json) that the "
            "step-through, engine.load and transformers reopen.",
            "<b>现场预训练。</b>模型从随机权重开始：第一个损失约为 ln(词表大小)，即均匀猜测的代价。虚线是语料的"
            "<b>一元熵</b>（unigram entropy）：只知道每个词元出现频率、不看上下文的模型的损失。曲线低于它，说明模型"
            "用上了上下文。<br><br>MLM（BERT、RoBERTa、ALBERT）预测被选中的 15% 词元；NSP/SOP 再加一个句对损失"
            "（ln 2 = 0.69 即抛硬币）；CLM（GPT、LLaMA、ChatGLM）预测每个下一个词元；T5 的 span corruption "
            "预测被遮的片段；GLM 的空白填充预测 Part B。<br><br>保存会写出 Hugging Face 格式的文件夹，逐步视图、"
            "engine.load 与 transformers 都能重新打开。"))

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
            combo.addItem(f"── {EDITED_GROUP} ──")
            combo.model().item(combo.count() - 1).setEnabled(False)
            for name in self.edited:
                combo.addItem(f"  {name}", name)
        combo.blockSignals(False)
        if current is not None:
            self.select_model(current)

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
        self.objective_combo.addItem(self.t("(finding what it can learn…)", "（正在查找可用的目标…）"))
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
        from engine.objectives import TITLES

        combo = self.objective_combo
        combo.blockSignals(True)
        combo.clear()
        for kind in self.objectives[name]:
            combo.addItem(f"{kind}  ·  {TITLES[kind]}", kind)
        if not self.objectives[name]:
            combo.addItem(self.t("(no pretraining head: nothing to train)", "（没有预训练头：无法训练）"))
        combo.setEnabled(bool(self.objectives[name]))
        combo.blockSignals(False)
        self._objective_changed()

    def select_objective(self, kind: str) -> None:
        index = self.objective_combo.findData(kind)
        if index >= 0:
            self.objective_combo.setCurrentIndex(index)

    def _objective_changed(self, _index: int = -1) -> None:
        self.dynamic_box.setEnabled(self.objective() in ("mlm", "nsp", "sop"))
        self._update_buttons()

    def _info_failed(self, message: str, _user: bool) -> None:
        self.show_message(message)
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
        path, _ = QFileDialog.getOpenFileName(self, self.t("A UTF-8 text file (blank lines between documents)",
                                                           "UTF-8 文本文件（文档之间空一行）"), "",
                                              "Text (*.txt *.md);;Any file (*)")
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
        self.show_message(self.t(f"{Path(path).name}: {len(corpus.documents):,} documents, {corpus.characters:,} "
                                 f"characters.", f"{Path(path).name}：{len(corpus.documents):,} 篇文档，"
                                 f"{corpus.characters:,} 个字符。"), error=False)
        self._update_buttons()
        self.settled.emit("")

    def _corpus_failed(self, message: str, _user: bool) -> None:
        self.corpus_ok = False
        self.show_message(message)
        self._update_buttons()
        self.settled.emit(message)

    # ------------------------------------------------------------------ training
    def show_message(self, text: str, error: bool = True) -> None:
        self.last_error = text if error else ""
        self.message.setStyleSheet(_message_style(error))
        self.message.setText(text)
        self.message.setVisible(bool(text))

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
            self.show_message(self.last_error or self.t("Pick a readable corpus first.", "请先选择可读的语料。"))
            return
        name, device, path = self.model_name(), self.device(), self.corpus_path
        settings = dict(steps=self.steps_box.value(), seed=self.seed_box.value(), batch_size=self.batch_box.value(),
                        seq_len=self.seq_box.value(), dynamic=self.dynamic_box.isChecked())
        self.feed = feed = _Feed()
        self.trainer, self.saved_folder, self.paused = None, None, False
        self.show_message("", error=False)
        self.curves.clear_curves()
        self.curves.add_curve(LOSS, "#9ecae1", width=1.2)
        self.curves.add_curve(SMOOTHED, "#08519c", width=2.5)
        self.losses = []
        self.progress.setRange(0, settings["steps"])
        self.progress.setValue(0)
        self.curves.set_x_range(0, settings["steps"])   # the curve grows left to right over the planned steps
        self.status.setText(self.t(f"loading {name}…", f"正在加载 {name}…"))
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
                _, entropy, tokens, source = item
                self.curves.set_reference(entropy, self.t("unigram entropy", "一元熵"))
                self.corpus_note = self.t(f"{source}: {tokens:,} tokens", f"{source}：{tokens:,} 个词元")
                continue
            last = item
            self.losses.append(item.loss)
            recent = self.losses[-SMOOTHING:]
            self.curves.append(LOSS, item.step, item.loss)
            self.curves.append(SMOOTHED, item.step, sum(recent) / len(recent))
            if len(item.parts) > 1:
                for part, value in item.parts.items():
                    if part not in self.curves.lines:
                        self.curves.add_curve(part, dashed=True, width=1.2)
                    self.curves.append(part, item.step, value)
        if last is not None:
            self.progress.setValue(last.step)
            parts = ", ".join(f"{k} {v:.3f}" for k, v in last.parts.items()) if len(last.parts) > 1 else ""
            state = self.t("paused", "已暂停") if self.paused else ""
            self.status.setText(
                f"{self.t('step', '步')} <b>{last.step}</b> / {last.steps} · {self.t('epoch', '轮')} {last.epoch + 1} · "
                f"{self.t('loss', '损失')} <b>{last.loss:.3f}</b>{f' ({parts})' if parts else ''} · lr {last.lr:.2e} · "
                f"{last.tokens_per_s:,.0f} {self.t('tokens/s', '词元/秒')} · {self.corpus_note}"
                + (f" · <b>{state}</b>" if state else ""))

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
            gap = trainer.unigram_entropy - final
            self.show_message(self.t(
                f"{'Done' if trainer.state == 'done' else 'Stopped'} after {trainer.step} steps: the "
                f"{'MLM ' if trainer.objective in ('nsp', 'sop') else ''}loss averages {final:.3f} over the last "
                f"steps, {abs(gap):.3f} nats {'below' if gap >= 0 else 'above'} the unigram entropy "
                f"({trainer.unigram_entropy:.3f}). Save it to open it in the step-through.",
                f"{'完成' if trainer.state == 'done' else '已停止'}，共 {trainer.step} 步：最后几步的平均损失 "
                f"{final:.3f}，{'低于' if gap >= 0 else '高于'}一元熵（{trainer.unigram_entropy:.3f}）{abs(gap):.3f} "
                f"nats。保存后可在逐步视图中打开。"), error=False)
        self._update_buttons()
        self.settled.emit("")

    def _failed(self, message: str, user: bool, details: str = "") -> None:
        self.job = None
        self._drain()
        self.timer.stop()
        self.curves.repaint_now()
        self.paused = False
        self.retranslate()
        self.show_message(message if user else self.t(f"Something went wrong: {message}", f"出错了：{message}"))
        self._update_buttons()
        self.settled.emit(message)

    # ------------------------------------------------------------------ saving and opening
    def _save_clicked(self, _checked: bool = False) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.t("Save the trained model into a folder",
                                                               "把训练好的模型保存到文件夹"))
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
        text = self.t(f"Saved {saved.folder}: {', '.join(saved.files)} ({saved.parameters:,} parameters).",
                      f"已保存 {saved.folder}：{', '.join(saved.files)}（{saved.parameters:,} 个参数）。")
        self.show_message(text + (" " + saved.note if saved.note else ""), error=False)
        self._update_buttons()
        self.settled.emit("")

    def _save_failed(self, message: str, user: bool, details: str = "") -> None:
        self.show_message(message if user else self.t(f"Something went wrong: {message}", f"出错了：{message}"))
        self._update_buttons()
        self.settled.emit(message)

    def open_in_step_through(self, _checked: bool = False) -> None:
        """Reopen the saved folder with engine.load, record a sentence like the corpus's, and ask the window to
        show it (the Output view for a masked model: its guesses for the mask)."""
        folder, device, kind = self.saved_folder, self.device(), self.trainer.objective if self.trainer else None
        if folder is None:
            return

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
            return OpenRequest(str(folder), device, text, pair, loaded, trace, step, view,
                               note=f"trained here: {kind}, saved in {folder}")

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
        self.dynamic_box.setEnabled(not running and self.objective() in ("mlm", "nsp", "sop"))
        self.objective_combo.setEnabled(not running and self.objective() is not None)

    def runners(self) -> list[Runner]:
        return [self.runner, self.info_runner, self.corpus_runner, self.save_runner]


# ----------------------------------------------------------------------------------------------- experiments
class ExperimentsPanel(QWidget):
    settled = Signal(str)

    def __init__(self, lang: Callable[[], str], parent=None):
        super().__init__(parent)
        import threading

        from engine.experiments import EXPERIMENTS

        self.lang_of = lang
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
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, (title, _fn) in EXPERIMENTS.items():
            button = QPushButton(title)
            button.clicked.connect(lambda _checked=False, key=key: self.start(key))
            self.buttons[key] = button
            row.addWidget(button)
        self.steps_box = _spin(0, 5000, 0)
        self.steps_box.setSpecialValueText("default")
        self.steps_box.setToolTip("steps per model (default: each experiment's own)")
        self.seed_box = _spin(0, 2 ** 31 - 1, 0)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop)
        row.addStretch(1)
        for label, box in (("steps per model", self.steps_box), ("seed", self.seed_box)):
            box.setMaximumWidth(110)
            row.addWidget(QLabel(label))
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

    def t(self, en: str, zh: str | None = None) -> str:
        return pick(self.lang_of(), en, zh)

    def retranslate(self) -> None:
        self.stop_button.setText(self.t("Stop", "停止"))
        self.intro.setText(self.t(
            "Each button trains two tiny models side by side on the bundled corpus (seeded: the same seed gives the "
            "same curves) and reads the result from the numbers. Tiny models and a few hundred steps are not the "
            "papers' setting: the reading says what happened here.",
            "每个按钮在内置语料上并排训练两个微型模型（有种子：相同种子得到相同曲线），并根据数字解读结果。"
            "微型模型和几百步不是论文的设置：解读只说明这里实际发生了什么。"))

    def start(self, key: str, steps: int | None = None) -> None:
        """Run experiment `key` in a worker; its two curves grow live."""
        if self.job is not None:
            return
        from engine import experiments

        steps = steps or self.steps_box.value() or None
        seed = self.seed_box.value()
        self.key, self.result, self.last_error = key, None, ""
        self.stop_flag.clear()
        self.feed = feed = _Feed()
        flag = self.stop_flag
        self.curves.clear_curves()
        self._mains, self._sides = [], []
        self.reading.setText(self.t("running…", "运行中…"))
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
        self.curves.add_curve(name, COLOURS[len(drawn) % 2], dashed=side, width=1.3 if side else 2.0)
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
                self.status.setText(last.message)

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

    def show_result(self, result) -> None:
        """Draw a finished (or stopped) result whole: its curves, the reference line, the reading."""
        self.curves.clear_curves()
        self.curves.set_labels(result.title, result.y_label)
        for index, curve in enumerate(result.curves):
            self.curves.add_curve(curve.name, COLOURS[index])
            self.curves.set_points(curve.name, curve.steps, curve.values)
        for index, curve in enumerate(result.side_curves):
            self.curves.add_curve(curve.name, COLOURS[index], dashed=True, width=1.3)
            self.curves.set_points(curve.name, curve.steps, curve.values)
        self.curves.set_reference(result.reference, result.reference_label)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(self.t("stopped" if result.stopped else "done", "已停止" if result.stopped else "完成"))
        self.reading.setText(result.reading)

    def _failed(self, message: str, user: bool, details: str = "") -> None:
        self.job = None
        self._drain()
        self.timer.stop()
        self.last_error = message
        self.progress.setRange(0, 1)
        self.reading.setText(html.escape(message))
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


# ----------------------------------------------------------------------------------------------- the page
class TrainView(QWidget):
    """The Train page: its parts in tabs (Pretrain, Experiments, and the lab's further panels)."""
    name, title = "train", "Train"
    open_requested = Signal(object)    # an OpenRequest for the step-through

    def __init__(self, state, device: Callable[[], str] | None = None, edited: dict | None = None, parent=None):
        super().__init__(parent)
        self.state = state
        if inspect.ismethod(device):   # the window's: held weakly (no cycle through a Qt object)
            ref = weakref.WeakMethod(device)
            device_of = lambda: (ref() or (lambda: "cpu"))()   # noqa: E731
        else:
            device_of = device or (lambda: "cpu")
        lang = lambda: state.lang   # noqa: E731
        self.pretrain = PretrainPanel(lang, device_of, edited)
        self.pretrain.open_requested.connect(self.open_requested)
        self.experiments = ExperimentsPanel(lang)
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
        lang = self.state.lang
        for index, (en, zh) in enumerate((("Pretrain", "预训练"), ("Experiments", "实验"), ("Fine-tune", "微调"),
                                          ("Induction heads", "归纳头"))):
            self.parts.setTabText(index, pick(lang, en, zh))
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
