"""The Generate page (Ctrl+4): a decoder or T5 writing one token at a time.

    Step / Run / Stop / Back   one token, tokens until the maximum (or the model's end token), stop, remove the last
    the candidates             the top next tokens with their probabilities, labels decoded to readable text
                               ('Ġcat' is ' cat', CJK bytes joined into their character); greedy, or sampled with a
                               temperature, top-k, top-p and a seed (the same seed gives the same tokens)
    the attention              the new token's row of attention (chosen layer and head) over the text before it;
                               for T5 its cross-attention over the source
    the KV cache               its bytes at each step, beside what full multi-head (MHA) and multi-query (MQA)
                               attention would keep for this model
    the tokens                 click a new token to see its step again; double-click it to open the step-through on
                               the sequence up to it, fully recorded
    T5 decodes a task-prefixed source ("translate English to German: ..."); GLM fills a blank (" [MASK]" is put at
    the end of a text that has none); an encoder (BERT, RoBERTa, ALBERT) says it fills [MASK] instead and offers
    the step-through's Output view. Zero-shot / one-shot / few-shot templates (GPT-3's, the chapter's), T5 prefixes
    and GLM blanks fill the text in one click.
    Models on this computer    the picker's last group: checkpoints in the Hugging Face cache and in the folders
                               added with File > Add a models folder… (remembered), found by a worker.

Every model call runs in this page's workers (explorer.stepping, Qt-free, does the work); the window never waits.
The page talks to the window through `open_requested` (an OpenRequest: a trace to show in the step-through) and
`local_models_changed` (the checkpoints found, for the window's own picker).

Command line: main.py --view generate [--model gpt2-tiny] [--text "The cat"] [--steps 5] [--temperature 0.8
--top-k 40 --top-p 0.9 --seed 7] [--template few-en] [--screenshot docs/generate-gpt2.png]
"""
from __future__ import annotations

import argparse
import html
import inspect
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel,
                               QPlainTextEdit, QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSpinBox,
                               QSplitter, QVBoxLayout, QWidget)

from explorer import session
from explorer.i18n import mark_data, translate
from explorer.model_cache import ModelCache
from explorer.stepping import (CANDIDATES, DEFAULT_MAX_NEW, KINDS, LOCAL_GROUP, TEMPLATES, encoder_message, error_text,
                               kv_figures, kv_remarks, meaning, placeholder, sampling_for, visible)
from explorer.widgets.flow import FlowLayout
from explorer.widgets.generation import (AttentionStrip, Bar, CandidateBars, Chip, KVChart, KVPoint, TokenStrip,
                                        percent)
from explorer.workers import Runner

DEFAULT_MODEL = "gpt2-trained"   # trained by this app: "The cat sat on the" -> " mat."
DEFAULT_TEXT = "The cat sat on the"
DEFAULT_STEPS = 5               # --view generate generates this many tokens before showing (--steps)
SETTINGS_ENV = "PLM_EXPLORER_SETTINGS"   # an .ini file to keep the settings in (tests point it at a tmp folder)
FOLDERS_KEY = "generate/model_folders"
HEADER = "── {} ──"
LOCAL_HEADER_ROLE = Qt.UserRole + 1   # marks the "Models on this computer" heading, whatever language it reads in


# ----------------------------------------------------------------------------------------------- remembered folders
def settings() -> QSettings:
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.IniFormat)
    return QSettings("PLM Explorer", "PLM Explorer")


def remembered_folders() -> list[str]:
    value = settings().value(FOLDERS_KEY, [])
    if isinstance(value, str):
        value = [value] if value else []
    return [str(v) for v in (value or []) if str(v)]


def remember_folder(folder: str | Path) -> list[str]:
    """Add a folder to the remembered ones (each once); the list."""
    folder = str(Path(folder).expanduser().absolute())
    folders = remembered_folders()
    if folder not in folders:
        folders.append(folder)
        store = settings()
        store.setValue(FOLDERS_KEY, folders)
        store.sync()
    return folders


def local_label(model) -> str:
    """A checkpoint found on this computer, as the picker lists it: name · family, size, whether it fits."""
    from explorer.params_model import human, human_bytes

    size = translate("generate", "{count} parameters").format(count=human(model.parameters)) if model.parameters \
        else human_bytes(model.weights_bytes)
    fits = {True: translate("generate", "fits"), False: translate("generate", "does not fit in free memory"),
            None: translate("generate", "fit unknown")}[model.fits]
    return translate("generate", "  {name}  ·  {family}, {size}, {fits}").format(
        name=model.name, family=model.title or "?", size=size, fits=fits)


def fill_local_group(combo: QComboBox, models) -> None:
    """Replace the "Models on this computer" group of a model picker (the window's or this page's) by `models`
    (usable ones), keeping the current choice. The group is listed last; a disabled line says when it is empty.
    Called again after a change of language, it writes the group in the new one."""
    current = combo.currentData()
    combo.blockSignals(True)
    header = combo.findData(True, LOCAL_HEADER_ROLE)
    if header < 0:
        header = combo.findText(HEADER.format(LOCAL_GROUP))
    if header >= 0:
        while combo.count() > header:
            combo.removeItem(combo.count() - 1)
    combo.addItem(HEADER.format(session.group_title(LOCAL_GROUP)))
    combo.setItemData(combo.count() - 1, True, LOCAL_HEADER_ROLE)
    combo.model().item(combo.count() - 1).setEnabled(False)
    usable = [m for m in models if m.problem is None]
    for model in usable:
        combo.addItem(local_label(model), model.path)
        revision = translate("generate", " · revision {revision}").format(revision=model.revision) \
            if model.revision else ""
        combo.setItemData(combo.count() - 1, f"{model.path}\n{model.source}{revision}", Qt.ToolTipRole)
    if not usable:
        combo.addItem(translate("generate", "  (none found: File > Add a models folder…)"))
        combo.model().item(combo.count() - 1).setEnabled(False)
    index = combo.findData(current) if current is not None else -1
    if index >= 0:
        combo.setCurrentIndex(index)
    combo.blockSignals(False)
    if index < 0 and current is not None:   # the chosen folder is gone from the list: keep it chosen
        combo.blockSignals(True)
        combo.addItem(f"  {current}", current)
        combo.setCurrentIndex(combo.count() - 1)
        combo.blockSignals(False)


# ----------------------------------------------------------------------------------------------- to the step-through
@dataclass
class OpenRequest:
    """What the step-through should open: a trace recorded here (or, without one, a Run of `text`)."""
    model: str
    device: str
    text: str
    pair: str | None = None
    loaded: Any = None
    trace: Any = None
    step: str | None = None
    view: str | None = None
    head: int = 0
    query: int | None = None
    key: int | None = None
    note: str = ""


def open_in_step_through(window, request: OpenRequest) -> None:
    """Show a request in a MainWindow's step-through: its model and texts in the boxes, its trace shown through the
    state (as a Run's result is), or, with no trace, a Run."""
    window.select_model(request.model)
    window.text_edit.setPlainText(request.text)
    window.pair_edit.setText(request.pair or "")
    window.run_on_first_visit = False
    window.show_step_through()
    if request.trace is None:
        window.pending = (request.step, request.view, None)
        window.run()
        return
    try:
        window.models.put(request.model, request.device, request.loaded)
        window.fallback_model = None
        window.show_message("", error=False)
        state = window.state
        state.set_trace(request.loaded, request.trace, request.text, request.pair, step=request.step,
                        view=request.view)
        state.set_head(request.head)
        if request.query is not None:
            state.select(request.query, request.key)
        loaded = request.loaded
        weights = translate("generate", "{name}: {family}, real weights on {device}") if loaded.weights == "real" \
            else translate("generate", "{name}: {family}, random weights on {device}")
        window.statusBar().showMessage(" · ".join(part for part in (
            weights.format(name=loaded.name, family=loaded.family.title, device=loaded.device),
            translate("generate", "{tokens} tokens · {steps} steps").format(tokens=len(request.trace.tokens),
                                                                           steps=len(request.trace.cache)),
            request.note) if part))
    except Exception as error:   # noqa: BLE001 - a view that cannot draw says so; the window goes on
        window.show_exception(error, translate("generate", " showing the generated sequence"))
    finally:
        window.ready.emit()


# ----------------------------------------------------------------------------------------------- the page
def _spin(low: int, high: int, value: int, special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setKeyboardTracking(False)
    if special:
        box.setSpecialValueText(special)
    return box


def _chip_text(text: str, how: str) -> str:
    if how in ("bytes", "special"):
        return text
    return visible(text).replace(" ", "␣") or "∅"


def _attention_parts(name: str) -> tuple[bool, int]:
    """(cross-attention, layer) of a pattern step name."""
    parts = name.split(".")
    layer = int(parts[parts.index("blocks") + 1]) if "blocks" in parts else 0
    return "cross_attn" in parts, layer


class GenerateView(QWidget):
    name, title = "generate", "Generate"
    open_requested = Signal(object)          # an OpenRequest
    local_models_changed = Signal(object)    # the LocalModels found on this computer
    settled = Signal(str)                    # a Step or a Run is over ("" or the error that ended it)

    def __init__(self, state, models: ModelCache | None = None, device: Callable[[], str] | None = None,
                 parent=None):
        super().__init__(parent)
        self.state = state
        self.models = models if models is not None else ModelCache()
        if inspect.ismethod(device):   # the window's: held weakly (no cycle through a Qt object)
            ref = weakref.WeakMethod(device)
            self.device_of = lambda: (ref() or (lambda: "cpu"))()
        else:
            self.device_of = device or (lambda: "cpu")
        self.runner = Runner(self, "generate")          # the steps
        self.runner.busy_changed.connect(self._busy_changed)
        self.open_runner = Runner(self, "generate-open")   # a trace for the step-through
        self.info_runner = Runner(self, "generate-info")   # the picked model's kind and mask spelling
        self.scan_runner = Runner(self, "generate-scan")   # models on this computer
        self.stepper = None
        self.stepper_key: tuple | None = None
        self.steps: list = []
        self.selected: int | None = None     # the step the panels show (None: the last)
        self.info = None                     # explorer.stepping.ModelInfo of the picked model
        self.local_models: list = []
        self.scanned = False
        self.job = None                      # the step being computed
        self.running = False                 # Run: steps follow each other until the limit
        self.limit: int | None = None        # this Run's limit of new tokens
        self.stopped_by_user = False
        self.epoch = 0                       # +1 at each reset: a step of an older epoch is dropped
        self.last_error = ""
        self._message_text: Callable[[], str] | None = None   # the message shown, when it can be said again
        self._message_error = True
        self._done: Callable[[str | None], None] | None = None   # start()'s callback, once
        self._pending_steps = 0
        self._starting = False
        self._build()
        self._fill_models()
        self.select_model(DEFAULT_MODEL)
        self.text_edit.setPlainText(DEFAULT_TEXT)
        state.events.settings.connect(self._settings_changed)
        self.retranslate()
        self._show()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.model_label = QLabel()
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(300)
        self.model_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(28)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.rescan_button = QPushButton("↻")
        self.rescan_button.setMaximumWidth(32)
        self.rescan_button.clicked.connect(self.scan)
        self.add_folder_button = QPushButton()
        self.add_folder_button.clicked.connect(self._add_folder_clicked)
        self.max_label = QLabel()
        self.max_new = _spin(1, 512, DEFAULT_MAX_NEW)
        self.mode = QComboBox()
        self.mode.addItems(["greedy", "sample"])
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.05, 5.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(0.8)
        self.temperature.setPrefix("T ")
        self.top_k = _spin(0, 100000, 0)
        self.top_k.setPrefix("top-k ")
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.0, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(0.0)
        self.top_p.setPrefix("top-p ")
        self.seed = _spin(0, 2**31 - 1, 42)
        self.step_button = QPushButton()
        self.step_button.clicked.connect(self.step)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self._run_clicked)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(70)
        self.busy.hide()
        top = QHBoxLayout()
        for widget in (self.model_label, self.model_combo, self.rescan_button, self.add_folder_button):
            top.addWidget(widget)
        top.addSpacing(12)
        for widget in (self.step_button, self.run_button, self.stop_button, self.back_button, self.reset_button,
                       self.busy):
            top.addWidget(widget)
        top.addStretch(1)
        self.decoding_label = QLabel()
        decoding = QHBoxLayout()
        for widget in (self.decoding_label, self.mode, self.temperature, self.top_k, self.top_p, self.seed):
            decoding.addWidget(widget)
        decoding.addSpacing(12)
        decoding.addWidget(self.max_label)
        decoding.addWidget(self.max_new)
        decoding.addStretch(1)

        self.templates_label = QLabel()
        self.template_buttons: dict[str, QPushButton] = {}
        templates = QWidget()
        flow = FlowLayout(templates, spacing=4)
        flow.setContentsMargins(0, 0, 0, 0)
        flow.addWidget(self.templates_label)
        for template in TEMPLATES:
            button = QPushButton()
            button.setStyleSheet("QPushButton { padding: 2px 8px; }")
            button.setProperty("template", template.key)
            button.clicked.connect(self._template_clicked)
            flow.addWidget(button)
            self.template_buttons[template.key] = button

        self.text_edit = mark_data(QPlainTextEdit())   # the user's prompt
        self.text_edit.setMaximumHeight(64)
        self.text_edit.textChanged.connect(self._text_changed)
        self.meaning = QLabel()
        self.meaning.setWordWrap(True)
        self.meaning.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.encoder_box = QWidget()
        self.encoder_text = QLabel()
        self.encoder_text.setWordWrap(True)
        self.encoder_text.setStyleSheet("color:#7a4b00; background:#fff4e0; padding:6px; border-radius:4px;")
        self.encoder_button = QPushButton()
        self.encoder_button.clicked.connect(self.open_encoder_output)
        enc = QHBoxLayout(self.encoder_box)
        enc.setContentsMargins(0, 0, 0, 0)
        enc.addWidget(self.encoder_text, 1)
        enc.addWidget(self.encoder_button, 0, Qt.AlignTop)
        self.encoder_box.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.hide()

        self.strip = TokenStrip()
        self.strip.step_clicked.connect(self.select_step)
        self.strip.step_activated.connect(self.open_step)
        self.strip_scroll = strip_scroll = QScrollArea()
        strip_scroll.setWidgetResizable(True)
        strip_scroll.setWidget(self.strip)
        strip_scroll.setFixedHeight(64)
        self.strip.height_changed.connect(self._strip_height)
        self.generated = QLabel()
        self.generated.setWordWrap(True)
        self.generated.setTextFormat(Qt.RichText)
        self.generated.setTextInteractionFlags(Qt.TextSelectableByMouse)

        # the three panels
        self.candidates_box = QGroupBox()
        self.bars = CandidateBars()
        self.choice_note = QLabel()
        self.choice_note.setWordWrap(True)
        self.choice_note.setTextFormat(Qt.RichText)
        cl = QVBoxLayout(self.candidates_box)
        bars_scroll = QScrollArea()
        bars_scroll.setWidgetResizable(True)
        bars_scroll.setWidget(self.bars)
        bars_scroll.setFrameShape(QScrollArea.NoFrame)
        cl.addWidget(bars_scroll, 1)
        cl.addWidget(self.choice_note)

        self.attention_box = QGroupBox()
        self.attention_kind = QComboBox()
        self.attention_kind.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.attention_kind.hide()
        self.attention_kind.currentIndexChanged.connect(self._show_attention)
        self.layer_box = _spin(1, 1, 1)
        self.layer_box.valueChanged.connect(self._show_attention)
        self.head_box = _spin(1, 1, 1)
        self.head_box.valueChanged.connect(self._show_attention)
        self.attention_title = QLabel()
        self.attention_title.setWordWrap(True)
        self.attention_title.setTextFormat(Qt.RichText)
        self.attention = AttentionStrip()
        self.attention_note = QLabel()
        self.attention_note.setWordWrap(True)
        self.attention_note.setStyleSheet("color:#555")
        controls = QHBoxLayout()
        controls.addWidget(self.attention_kind)
        controls.addWidget(self.layer_box)
        controls.addWidget(self.head_box)
        controls.addStretch(1)
        al = QVBoxLayout(self.attention_box)
        al.addLayout(controls)
        al.addWidget(self.attention_title)
        att_scroll = QScrollArea()
        att_scroll.setWidgetResizable(True)
        att_scroll.setWidget(self.attention)
        att_scroll.setFrameShape(QScrollArea.NoFrame)
        al.addWidget(att_scroll, 1)
        al.addWidget(self.attention_note)

        self.kv_box = QGroupBox()
        self.kv_chart = KVChart()
        self.kv_note = QLabel()
        self.kv_note.setWordWrap(True)
        self.kv_note.setTextFormat(Qt.RichText)
        self.kv_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        kl = QVBoxLayout(self.kv_box)
        kl.addWidget(self.kv_chart, 1)
        kl.addWidget(self.kv_note)

        self.panels = QSplitter(Qt.Horizontal)
        for box in (self.candidates_box, self.attention_box, self.kv_box):
            box.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
            self.panels.addWidget(box)
        self.panels.setSizes([520, 460, 460])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(decoding)
        layout.addWidget(templates)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.meaning)
        layout.addWidget(self.encoder_box)
        layout.addWidget(self.message)
        layout.addWidget(strip_scroll)
        layout.addWidget(self.generated)
        layout.addWidget(self.panels, 1)
        self._mode_changed()

    def retranslate(self) -> None:
        """Every text of the page in the interface's language (run again when the language changes)."""
        self.model_label.setText(translate("generate", "Model"))
        self.rescan_button.setToolTip(translate("generate", "Look again for models on this computer (the Hugging Face "
                                                            "cache and the folders you added); nothing is downloaded"))
        self.add_folder_button.setText(translate("generate", "Add a models folder…"))
        self.max_label.setText(translate("generate", "max new tokens"))
        self.decoding_label.setText(translate("generate", "Decoding"))
        self.max_new.setToolTip(translate("generate", "Run stops after this many new tokens (or at the model's end "
                                                      "token)"))
        self.mode.setItemText(0, translate("generate", "greedy"))
        self.mode.setItemText(1, translate("generate", "sample"))
        self.mode.setToolTip(translate("generate", "greedy: always the most probable token · sample: drawn from "
                                                   "softmax(logits / T), keeping the top-k and the top-p"))
        self.temperature.setToolTip(translate("generate", "Temperature T: the logits are divided by T before the "
                                                          "softmax (below 1 sharper, above 1 flatter)"))
        self.top_k.setSpecialValueText(translate("generate", "top-k off"))
        self.top_k.setToolTip(translate("generate", "Draw only among the k most probable tokens (0: off)"))
        self.top_p.setSpecialValueText(translate("generate", "top-p off"))
        self.top_p.setToolTip(translate("generate", "Draw only among the most probable tokens whose probabilities "
                                                    "add up to p (0: off)"))
        self.seed.setPrefix(translate("generate", "seed "))
        self.seed.setToolTip(translate("generate", "The same seed gives the same tokens (the generator's state "
                                                   "travels with each step, so Back then Step draws the same token "
                                                   "again)"))
        self.step_button.setText(translate("generate", "Step"))
        self.step_button.setToolTip(translate("generate", "Generate one token"))
        self.run_button.setText(translate("generate", "Run"))
        self.run_button.setToolTip(translate("generate", "Generate until the maximum or the model's end token"))
        self.stop_button.setText(translate("generate", "Stop"))
        self.back_button.setText(translate("generate", "Back"))
        self.back_button.setToolTip(translate("generate", "Remove the last token"))
        self.reset_button.setText(translate("generate", "Reset"))
        self.reset_button.setToolTip(translate("generate", "Remove every generated token"))
        self.templates_label.setText(translate("generate", "Prompt templates:"))
        for template in TEMPLATES:
            button = self.template_buttons[template.key]
            button.setText(translate("stepping", template.label))
            # the prompt itself is not repeated here (a click puts it in the text box): a tooltip cannot be half data
            tip = translate("generate", "{kind} · {source}\nA prompt in Chinese: a click puts it in the text box") \
                if template.lang == "zh" else \
                translate("generate", "{kind} · {source}\nA prompt in English: a click puts it in the text box")
            kind = KINDS.get(template.kind, template.kind)
            button.setToolTip(tip.format(kind=translate("stepping", kind), source=translate("stepping", template.source)))
        self.encoder_button.setText(translate("generate", "Fill [MASK] in the step-through (Output view)"))
        self.candidates_box.setTitle(translate("generate", "Next token: the top candidates"))
        self.attention_box.setTitle(translate("generate", "The new token's attention"))
        self.layer_box.setPrefix(translate("generate", "layer "))
        self.head_box.setPrefix(translate("generate", "head "))
        self.kv_box.setTitle(translate("generate", "KV cache"))
        self.bars.retranslate()
        self.kv_chart.retranslate()
        self._fill_models()
        self._fill_attention_kinds(keep=True)
        if self._message_text is not None:   # a message on screen: said again in the new language
            self.show_message(self._message_text, self._message_error)
        self._update_placeholder()
        self._show_meaning()
        self._show()

    def _settings_changed(self, change) -> None:
        if change[0] == "lang":
            self.retranslate()

    # ------------------------------------------------------------------ the model picker
    def _fill_models(self) -> None:
        current = self.model_combo.currentData()
        combo = self.model_combo
        combo.blockSignals(True)
        combo.clear()
        entries = session.catalogue()
        for group in session.groups():
            in_group = [e for e in entries if e.group == group]
            if not in_group:
                continue
            combo.addItem(HEADER.format(session.group_title(group)))
            combo.model().item(combo.count() - 1).setEnabled(False)
            for entry in in_group:
                combo.addItem(f"  {entry.label}", entry.name)
                combo.setItemData(combo.count() - 1, entry.tooltip, Qt.ToolTipRole)
        combo.blockSignals(False)
        fill_local_group(combo, self.local_models)
        if not self.scanned:
            last = combo.count() - 1
            combo.setItemText(last, translate("generate", "  (looking…)") if self.scan_runner.active
                              else combo.itemText(last))
        if current is not None:
            index = combo.findData(current)
            if index >= 0:   # the same model, listed again (new texts, models found): nothing to start again
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
            else:
                self.select_model(current)

    def model_name(self) -> str:
        return self.model_combo.currentData() or DEFAULT_MODEL

    def device(self) -> str:
        try:
            return self.device_of() or "cpu"
        except Exception:   # noqa: BLE001
            return "cpu"

    def select_model(self, name: str) -> None:
        index = self.model_combo.findData(name)
        if index < 0:
            self.model_combo.addItem(f"  {name}", name)
            index = self.model_combo.count() - 1
        if index == self.model_combo.currentIndex():
            self._model_changed(index)
        else:
            self.model_combo.setCurrentIndex(index)

    def _model_changed(self, _index: int = -1) -> None:
        self.reset()
        self.stepper, self.stepper_key = None, None   # the old model is not kept alive by the page
        name = self.model_name()
        self.info = None
        self.encoder_box.hide()
        self._update_placeholder()
        self._show_meaning()
        self.info_runner.cancel_all()
        from explorer.stepping import model_info
        self.info_runner.start(lambda job: model_info(name), self._info_ready, self._info_failed)

    def _info_ready(self, info) -> None:
        if info.name != self.model_name():
            return
        self.info = info
        self._update_placeholder()
        self._show_meaning()
        self._show()
        self._begin()

    def _info_failed(self, message: str, _user: bool) -> None:
        self.show_message(message)
        self._begin()

    def _update_placeholder(self) -> None:
        info = self.info
        kind = info.kind if info is not None else None
        self.text_edit.setPlaceholderText(placeholder(info.mask_token if info is not None else None, kind))
        encoder = kind == "encoder"
        self.encoder_box.setVisible(encoder)
        if encoder:
            self.encoder_text.setText(encoder_message(info.title or info.name))

    def _show_meaning(self) -> None:
        loaded = self.stepper.loaded if self.stepper is not None else None
        if loaded is None:
            loaded = self.models.get(self.model_name(), self.device())
        if loaded is None and self.info is not None and self.info.kind is not None:
            loaded = self.info
        if loaded is None:
            self.meaning.setText(translate("generate", "Step or Run to load the model; the page then says whether its "
                                                       "predictions mean anything (trained weights) or not (random "
                                                       "weights)."))
            self.meaning.setStyleSheet("color:#555; padding:4px;")
            return
        real, text = meaning(loaded)
        self.meaning.setText(text)
        self.meaning.setStyleSheet("color:#1a5e20; background:#e8f5e9; padding:6px; border-radius:4px;" if real else
                                   "color:#8a1c1c; background:#fdecea; padding:6px; border-radius:4px;")

    # ------------------------------------------------------------------ models on this computer
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.scanned and not self.scan_runner.active:
            self.scan()

    def scan(self, _checked: bool = False) -> None:
        """Look for checkpoints in the Hugging Face cache and the remembered folders, in a worker (config.json
        only, no network)."""
        folders = remembered_folders()
        self.scan_runner.cancel_all()
        self.rescan_button.setEnabled(False)

        looking = translate("generate", "looking for models on this computer…")

        def work(job):
            from engine.discovery import find_models
            job.progress(looking)
            return find_models(folders=folders, hub_cache=True)

        self.scan_runner.start(work, self._scanned, self._scan_failed)
        self._fill_models()

    def _scanned(self, models) -> None:
        self.scanned = True
        self.rescan_button.setEnabled(True)
        self.local_models = list(models)
        fill_local_group(self.model_combo, self.local_models)
        self.local_models_changed.emit(self.local_models)

    def _scan_failed(self, message: str, _user: bool) -> None:
        self.scanned = True
        self.rescan_button.setEnabled(True)
        self.show_message(lambda: translate("generate", "Looking for models on this computer failed: {message}").format(
            message=message))

    def _add_folder_clicked(self, _checked: bool = False) -> None:
        self.add_models_folder()

    def add_models_folder(self, folder: str | None = None) -> str | None:
        """File > Add a models folder…: remember a folder (a checkpoint, a hub cache, or a folder with checkpoints
        a few levels down) and look again."""
        if not folder:
            folder = QFileDialog.getExistingDirectory(self, translate("generate", "A folder with models"))
        if not folder:
            return None
        folders = remember_folder(folder)
        self.show_message(lambda: translate("generate", "Looking for models in {folder} (remembered: {count} "
                                                        "folders)…").format(folder=folder, count=len(folders)),
                          error=False)
        self.scan()
        return folder

    # ------------------------------------------------------------------ text and templates
    def _template_clicked(self, _checked: bool = False) -> None:
        button = self.sender()
        if button is not None and button.property("template"):
            self.use_template(button.property("template"))

    def use_template(self, key: str) -> None:
        from explorer.stepping import template
        self.text_edit.setPlainText(template(key).text)

    def _text_changed(self) -> None:
        if self.steps or self.job is not None:
            self.reset()

    def _mode_changed(self, _index: int = -1) -> None:
        sampling = self.mode.currentIndex() == 1
        for widget in (self.temperature, self.top_k, self.top_p, self.seed):
            widget.setEnabled(sampling)

    def sampling_settings(self) -> dict:
        if self.mode.currentIndex() == 0:
            return {"temperature": 0.0}
        top_p = self.top_p.value()
        return {"temperature": self.temperature.value(), "top_k": self.top_k.value() or None,
                "top_p": top_p if 0 < top_p < 1 else None, "seed": self.seed.value()}

    def set_sampling(self, temperature: float | None = None, top_k: int | None = None, top_p: float | None = None,
                     seed: int | None = None) -> None:
        """Greedy when temperature is 0 or None, else sampling with these values."""
        if temperature:
            self.mode.setCurrentIndex(1)
            self.temperature.setValue(float(temperature))
            self.top_k.setValue(int(top_k or 0))
            self.top_p.setValue(float(top_p or 0.0))
            if seed is not None:
                self.seed.setValue(int(seed))
        else:
            self.mode.setCurrentIndex(0)

    # ------------------------------------------------------------------ stepping
    def show_message(self, text: str | Callable[[], str], error: bool = True) -> None:
        """Say something above the tokens (an error in red). `text` may be a function giving it in the interface's
        language: the message is then said again when the language changes."""
        self._message_text = text if callable(text) else None
        self._message_error = error
        text = text() if callable(text) else text
        self.last_error = text if error else ""
        self.message.setText(text)
        self.message.setStyleSheet("color:#b00020; background:#fdecea; padding:6px; border-radius:4px;" if error
                                   else "color:#1a5e20; background:#e8f5e9; padding:6px; border-radius:4px;")
        self.message.setVisible(bool(text))

    def step(self, _checked: bool = False) -> None:
        """One token."""
        self.running, self.limit = False, None
        self._advance()

    def _run_clicked(self, _checked: bool = False) -> None:
        self.run()

    def run(self, limit: int | None = None) -> None:
        """Tokens until the maximum (or `limit` more), the model's end token, or Stop."""
        if self.job is not None:
            return
        self.running = True
        self.limit = len(self.steps) + limit if limit else None
        self._advance()

    def busy_jobs(self) -> bool:
        return any(r.active for r in (self.runner, self.open_runner, self.info_runner, self.scan_runner))

    def _limit(self) -> int:
        top = self.max_new.value()
        return min(top, self.limit) if self.limit is not None else top

    def _advance(self, chained: bool = False) -> None:
        if self.job is not None and not chained:
            return
        self.show_message("")
        self.stopped_by_user = False
        info = self.info
        if info is not None and info.kind == "encoder":
            self.running = False
            self._settle(None)
            return
        text = self.text_edit.toPlainText()
        problem = session.check_text(text)
        if problem:
            return self._refuse(problem)
        if len(self.steps) >= self._limit():
            if self.running and self.limit is not None and len(self.steps) >= self.limit:
                self.running = False
                return self._settle(None)
            count = len(self.steps)
            return self._refuse(lambda: translate("generate", "{count} new tokens: the maximum. Raise \"max new\", or "
                                                              "Back / Reset.").format(count=count))
        if self.steps and self.steps[-1].stop:
            stop = self.steps[-1].stop
            return self._refuse(lambda: self._stop_text(stop) + translate("generate", " Back or Reset to go on."))
        from engine.errors import InputError
        try:
            sampling = sampling_for(**self.sampling_settings())
        except InputError as error:
            return self._refuse(str(error))
        name, device = self.model_name(), self.device()
        key = (name, device, text)
        stepper = self.stepper if self.stepper_key == key else None
        cached = self.models.get(name, device)
        new_ids = [s.id for s in self.steps]
        rng = self._rng_for(sampling)
        epoch = self.epoch

        # what the worker says while it works, in the interface's language (written here, on the GUI thread)
        loading = translate("generate", "loading {name}…").format(name=name)
        laying_out = translate("generate", "laying out the prompt…")
        token = translate("generate", "token {number}…").format(number=len(new_ids) + 1)

        def work(job):   # worker thread: no Qt object
            loaded = stepper.loaded if stepper is not None else cached
            if loaded is None:
                job.progress(loading)
                import engine
                loaded = engine.load(name, device=device)
            current = stepper
            if current is None:
                job.progress(laying_out)
                from explorer.stepping import Stepper
                current = Stepper(loaded, text)
            job.progress(token)
            return epoch, key, loaded, current, current.step(new_ids, sampling, rng, CANDIDATES, job)

        self.job = self.runner.start(work, self._stepped, self._failed, self._progress)
        self._update_buttons()

    def _rng_for(self, sampling):
        """Where the next draw starts: the last step's generator state when it drew with this seed, else the seed."""
        if sampling.greedy or not self.steps:
            return None
        last = self.steps[-1]
        if last.rng_state is not None and last.settings.get("seed") == sampling.seed:
            return last.rng_state
        return None

    def _refuse(self, message: str | Callable[[], str]) -> None:
        self.running = False
        self.show_message(message)
        self._update_buttons()
        self._settle(self.last_error)

    def _progress(self, message: str) -> None:
        self.busy.setToolTip(message)
        self.generated.setText(self._generated_html(message))

    def _stepped(self, result) -> None:
        epoch, key, loaded, stepper, step = result
        self.job = None
        if epoch != self.epoch or key != (self.model_name(), self.device(), self.text_edit.toPlainText()):
            return   # made for a text or a model no longer there
        first = self.stepper is not stepper
        try:
            self.models.put(key[0], key[1], loaded)
            self.stepper, self.stepper_key = stepper, key
            self.steps.append(step)
            self.selected = None
            if first:
                self._show_meaning()
                self._setup_attention()
            self._show()
        except Exception as error:   # noqa: BLE001 - drawing failed: said, the page goes on
            self.running = False
            detail = f"{type(error).__name__}: {error}"
            self.show_message(lambda: translate("generate", "Something went wrong showing the step: {error}").format(
                error=detail))
            self._settle(str(error))
            return
        if self.running and step.stop is None and len(self.steps) < self._limit():
            self._advance(chained=True)
        else:
            self.running = False
            self._update_buttons()
            self._settle(None)

    def _error(self, message: str, user: bool) -> Callable[[], str]:
        """A worker's error message, said in the interface's language (this module's own messages translated)."""
        if user:
            return lambda: error_text(message)
        return lambda: translate("generate", "Something went wrong: {message}").format(message=error_text(message))

    def _failed(self, message: str, user: bool, details: str = "") -> None:
        self.job = None
        self.running = False
        self.show_message(self._error(message, user))
        self._update_buttons()
        self._show()
        self._settle(message)

    def _open_failed(self, message: str, user: bool, details: str = "") -> None:
        self.show_message(self._error(message, user))
        self._update_buttons()

    def stop(self, _checked: bool = False) -> None:
        was = self.job is not None
        self.running = False
        self.job = None
        self.runner.cancel_all()
        self.stopped_by_user = was
        self._update_buttons()
        self._show()
        self._settle(None)

    def back(self, _checked: bool = False) -> None:
        """Remove the last token (the next Step computes from the text without it)."""
        if self.job is not None:
            self.stop()
        if self.steps:
            self.steps.pop()
            if self.selected is not None and self.selected >= len(self.steps):
                self.selected = None
        self.show_message("")
        self._show()

    def reset(self, _checked: bool = False) -> None:
        self.running = False
        self.job = None
        self.runner.cancel_all()
        self.open_runner.cancel_all()
        self.epoch += 1
        self.steps = []
        self.selected = None
        self._show()

    def _settle(self, error: str | None) -> None:
        self.settled.emit(error or "")
        done, self._done = self._done, None
        if done is not None:
            done(error)

    def start(self, done: Callable[[str | None], None] | None = None) -> None:
        """What opening the window on this page does: generate the --steps asked for (once the picked model's kind
        is known: an encoder generates nothing, it says why), then call done(error or None)."""
        self._done = done
        self._starting = True
        if self.info is not None or not self.info_runner.active:
            self._begin()

    def _begin(self) -> None:
        if not getattr(self, "_starting", False):
            return
        self._starting = False
        steps, self._pending_steps = self._pending_steps, 0
        if steps <= 0 or (self.info is not None and self.info.kind == "encoder"):
            self._settle(None)
            return
        self.run(limit=steps)

    # ------------------------------------------------------------------ showing
    def index(self) -> int:
        if self.selected is not None and 0 <= self.selected < len(self.steps):
            return self.selected
        return len(self.steps) - 1

    def select_step(self, index: int) -> None:
        """Show an earlier step's candidates, attention and cache (a click on its token)."""
        if 0 <= index < len(self.steps):
            self.selected = index if index != len(self.steps) - 1 else None
            self._show()

    def _strip_height(self, height: int) -> None:
        self.strip_scroll.setFixedHeight(max(48, min(height + 4, 160)))

    def _busy_changed(self, _busy: int) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job is not None
        encoder = self.info is not None and self.info.kind == "encoder"
        self.busy.setVisible(busy or self.open_runner.active)
        self.step_button.setEnabled(not busy and not encoder)
        self.run_button.setEnabled(not busy and not encoder)
        self.stop_button.setEnabled(busy)
        self.back_button.setEnabled(bool(self.steps))
        self.reset_button.setEnabled(bool(self.steps) or busy)

    def _stop_text(self, stop: str | None) -> str:
        if stop == "eos":
            return translate("generate", "The model ended the text (its end token).")
        if stop == "full":
            return translate("generate", "The context is full: the model reads no more tokens.")
        return ""

    def _generated_html(self, progress: str = "") -> str:
        st, steps = self.stepper, self.steps
        if not steps:
            base = translate("generate", "Nothing generated yet: <b>Step</b> writes one token, <b>Run</b> writes until "
                                         "the maximum.")
        else:
            text = st.generated_text([s.id for s in steps]) if st is not None else ""
            where = {"t5": translate("generate", "the decoder's output"),
                     "glm": translate("generate", "Part B, filling the blank")}.get(
                st.kind if st else "", translate("generate", "the continuation"))
            end = self._stop_text(steps[-1].stop)
            if not end and self.stopped_by_user:
                end = translate("generate", "Stopped.")
            if not end and len(steps) >= self.max_new.value():
                end = translate("generate", "The maximum number of new tokens.")
            typed = st.typed if st is not None and st.kind != "glm" else ""
            first = html.escape(typed if len(typed) <= 80 else "…" + typed[-79:])
            shown_text = html.escape(text).replace("\n", "⏎")
            body = f"<span style='color:#777'>{first}</span><b>{shown_text}</b>" if st and st.kind == "causal" \
                else f"<b>{shown_text}</b>"
            blank = translate("generate", " (a blank [MASK] was put at the end: GLM fills blanks)") \
                if st and st.blank_added else ""
            # the text itself is data: the translation quotes it (“…”), so it reads apart from the interface's words
            base = translate("generate", "Generated ({where}{blank}, {count} tokens): {text}  {end}").format(
                where=where, blank=blank, count=len(steps), text=body,
                end=f"<span style='color:#555'>{html.escape(end)}</span>")
        if progress:
            base += f"  <span style='color:#1a5e20'>· {html.escape(progress)}</span>"
        return base

    def _show(self) -> None:
        self._show_strip()
        self.generated.setText(self._generated_html())
        self._show_step()
        self._update_buttons()

    def _show_strip(self) -> None:
        st, steps = self.stepper, self.steps
        kind = st.kind if st is not None else (self.info.kind if self.info is not None else None)
        first = {"t5": translate("generate", "blue the source, purple the decoder's start"),
                 "glm": translate("generate", "Part A with its blank, then Part B from [START]")
                 }.get(kind, translate("generate", "grey the prompt"))
        caption = translate("generate", "The tokens: {colours}, gold the new ones — click a new token to see its step, "
                                        "double-click it to open it in the step-through").format(colours=first)
        if st is None or not steps:
            self.strip.set_chips([], None, caption)
            return
        chips: list[Chip] = []

        def add(piece, kind, tooltip="", step=None):
            text, how = piece
            chips.append(Chip(_chip_text(text, how), kind, tooltip, step, "\n" in text))

        prompt = st.prompt_pieces
        if st.kind == "t5":
            for piece in prompt:
                add(piece, "source", translate("generate", "the source (the encoder reads it once)"))
            if chips:
                chips[-1].newline = True
            start = steps[-1].sequence[0] if steps[-1].sequence else ("<start>", "special")
            add(start, "start", translate("generate", "T5's decoder starts from this token"))
        elif st.kind == "glm":
            split = st.part_a_length
            for i, piece in enumerate(prompt):
                if i == split and chips:
                    chips[-1].newline = True
                kind = "blank" if piece[0] in ("[MASK]", "[sMASK]", "[gMASK]") else \
                    ("start" if i >= split else "prompt")
                tip = translate("generate", "Part A: the text with its blank") if i < split else \
                    translate("generate", "Part B: where the blank's content is written")
                add(piece, kind, tip)
        else:
            for piece in prompt:
                add(piece, "prompt", translate("generate", "the prompt"))
        for i, s in enumerate(steps):
            lines = [translate("generate", "step {number}: {label} ({token}) · p = {probability}").format(
                number=i + 1, label=s.label, token=s.token, probability=f"{s.probability:.2%}")]
            if s.sample_probability is not None:
                lines[0] += translate("generate", " · after filters {probability}").format(
                    probability=f"{s.sample_probability:.2%}")
            if s.how == "completes":
                lines.append(translate("generate", "completes a character begun by the token(s) before it"))
            lines.append(translate("generate", "double-click: open in the step-through"))
            add((s.text, s.how), "bytes" if s.how == "bytes" else "new", "\n".join(lines), i)
        self.strip.set_chips(chips, self.index(), caption)

    def _show_step(self) -> None:
        if not self.steps:
            info = self.info
            empty = encoder_message(info.title or info.name) if info and info.kind == "encoder" else \
                translate("generate", "Step or Run: each new token's top candidates appear here.")
            self.bars.set_empty(empty)
            self.choice_note.setText("")
            self.attention.set_empty(translate("generate", "The new token's attention over the text before it appears "
                                                           "here."))
            self.attention_title.setText("")
            self.attention_note.setText("")
            self.kv_chart.set_empty(translate("generate", "The KV cache grows by one token's keys and values per "
                                                          "step."))
            self.kv_note.setText("")
            return
        i = self.index()
        s = self.steps[i]
        sampling = s.sample_probability is not None
        ids = {c.id for c in s.candidates}
        bars = [Bar(c.label, c.token, c.probability, c.sample_probability, c.id == s.id) for c in s.candidates]
        if s.id not in ids:
            bars.append(Bar(s.label, s.token, s.probability, s.sample_probability, True,
                            translate("generate", "chosen, outside the top {count}").format(count=len(s.candidates))))
        if self.stepper is not None and self.stepper.kind == "t5":
            title = translate("generate", "Step {number}: the decoder read {count} tokens (and the {source}-token "
                                          "source) → chose {label}").format(
                number=i + 1, count=s.context_length, source=len(self.stepper.prompt_ids), label=s.label)
        else:
            title = translate("generate", "Step {number}: {count} tokens read → chose {label}").format(
                number=i + 1, count=s.context_length, label=s.label)
        self.bars.set_bars(title, bars, sampling)
        settings = s.settings
        if not sampling:
            note = translate("generate", "<b>Greedy</b>: the most probable token, {probability}.").format(
                probability=percent(s.probability))
        else:
            parts = [f"T = {settings['temperature']:g}"]
            if settings.get("top_k"):
                parts.append(f"top-k {settings['top_k']}")
            if settings.get("top_p"):
                parts.append(f"top-p {settings['top_p']:g}")
            parts.append(translate("generate", "seed {seed}").format(seed=settings["seed"]))
            note = translate("generate", "<b>Sampled</b> ({settings}): the model gave <code>{token}</code> {probability}; after the "
                                         "temperature and the filters it had {share} of the draw.").format(
                settings=", ".join(parts), token=html.escape(s.label), probability=percent(s.probability),
                share=percent(s.sample_probability))
        if s.stop:
            note += " " + html.escape(self._stop_text(s.stop))
        self.choice_note.setText(note)
        self._show_attention()
        self._show_kv()

    # ------------------------------------------------------------------ attention
    def _setup_attention(self) -> None:
        st = self.stepper
        if st is None:
            return
        names = st.patterns
        self._fill_attention_kinds()
        layers = max((_attention_parts(n)[1] for n in names), default=0) + 1
        heads = 1
        if self.steps and self.steps[-1].attention:
            heads = max(int(row.shape[0]) for row in self.steps[-1].attention.values())
        for box, top in ((self.layer_box, layers), (self.head_box, heads)):
            box.blockSignals(True)
            value = box.value()
            box.setMaximum(max(1, top))
            box.setValue(min(value, top) if value > 1 else (top if box is self.layer_box else 1))
            box.blockSignals(False)

    def _fill_attention_kinds(self, keep: bool = False) -> None:
        """The attention picker: T5's cross-attention and decoder self-attention, or a decoder's self-attention (keep:
        the choice kept, when the texts are written again; else the first)."""
        st = self.stepper
        cross = st is not None and any("cross_attn" in n for n in st.patterns)
        combo = self.attention_kind
        chosen = combo.currentData() if keep else None
        combo.blockSignals(True)
        combo.clear()
        if cross:
            combo.addItem(translate("generate", "cross-attention: over the source"), "cross")
            combo.addItem(translate("generate", "decoder self-attention: over its own output"), "self")
        else:
            combo.addItem(translate("generate", "self-attention: over the text so far"), "self")
        index = combo.findData(chosen) if chosen is not None else -1
        combo.setCurrentIndex(max(index, 0))
        combo.setVisible(cross)
        combo.blockSignals(False)

    def attention_step(self) -> str | None:
        """The pattern step the attention panel shows."""
        st = self.stepper
        if st is None:
            return None
        cross = self.attention_kind.currentData() == "cross"
        layer = self.layer_box.value() - 1
        for name in st.patterns:
            if _attention_parts(name) == (cross, layer):
                return name
        return st.patterns[-1] if st.patterns else None

    def _show_attention(self, _value=None) -> None:
        st = self.stepper
        if st is None or not self.steps:
            return
        s = self.steps[self.index()]
        name = self.attention_step()
        row = s.attention.get(name) if name else None
        if row is None:
            self.attention.set_empty(translate("generate", "No attention recorded for this step."))
            return
        head = min(self.head_box.value() - 1, row.shape[0] - 1)
        cross = "cross_attn" in name
        if cross:
            pieces, kinds = st.prompt_pieces, ["" for _ in st.prompt_pieces]
        else:
            pieces = s.sequence
            kinds = ["" for _ in pieces]
            if st.kind == "glm":
                kinds = ["partb" if k >= st.part_a_length else "" for k in range(len(pieces))]
            if kinds:
                kinds[-1] = "query"
        labels = [_chip_text(*piece) for piece in pieces]
        weights = row[head][:len(labels)]
        self.attention.set_row(labels[:len(weights)], weights, kinds)
        layer = _attention_parts(name)[1]
        where = translate("generate", "the source (cross-attention)") if cross else \
            translate("generate", "the text up to it (itself included)")
        title = translate("generate", "How the new token <b><code>{token}</code></b> attends to {where} · layer {layer}, "
                                      "head {head}")
        self.attention_title.setText(title.format(token=html.escape(s.label), where=where, layer=layer + 1,
                                                  head=head + 1))
        notes = [translate("generate", "Its row of the attention pattern, from a recording of the sequence with it "
                                       "appended: the row that reads the text for the next prediction. Darker = more "
                                       "weight; red border = the most.")]
        if st.kind == "glm" and not cross:
            notes.append(translate("generate", "GLM: Part A (the text with its blank) is seen whole; Part B (dashed) "
                                               "only up to the new token."))
        self.attention_note.setText(" ".join(notes))

    # ------------------------------------------------------------------ KV cache
    def _show_kv(self) -> None:
        st = self.stepper
        i = self.index()
        s = self.steps[i]
        figures = kv_figures(st.loaded, st.element_size) if st is not None else None
        if figures is None or s.kv_bytes is None:
            self.kv_chart.set_empty(translate("generate", "This model keeps no KV cache."))
            self.kv_note.setText("")
            return
        points = []
        for step in self.steps:
            compare = figures.compare(step.context_length)
            points.append(KVPoint(step.context_length, step.kv_total, compare["MHA"], compare["MQA"]))
        self.kv_chart.set_points(points, i, figures.attention)
        from explorer.widgets.generation import human_bytes
        per = figures.per_token()
        compare = figures.compare(s.context_length)
        layers = s.kv_bytes
        per_layer = human_bytes(layers[0]) if len(set(layers)) == 1 else ", ".join(human_bytes(b) for b in layers)
        measured = s.kv_total
        check = "" if measured == compare["this model"] else translate(
            "generate", " (the formula gives {bytes})").format(bytes=human_bytes(compare["this model"]))
        text = translate(
            "generate", "Step {number}: the cache holds the keys and values of <b>{tokens}</b> tokens = "
                        "<b>{bytes}</b>{check} ({layers} layers × {per_layer}).<br>Per token: 2 (K, V) × "
                        "{model_layers} layers × {kv_heads} KV heads × {head_dim} dims × {size} bytes = {per_token} "
                        "({attention}, {heads} query heads).<br>At {tokens} tokens, full multi-head attention would keep "
                        "<b>{mha}</b>, multi-query attention <b>{mqa}</b>.").format(
            number=i + 1, tokens=s.context_length, bytes=human_bytes(measured), check=check, layers=len(layers),
            per_layer=per_layer, model_layers=figures.layers, kv_heads=figures.kv_heads, head_dim=figures.head_dim,
            size=figures.element_size,
            per_token=human_bytes(per), attention=figures.attention, heads=figures.heads,
            mha=human_bytes(compare["MHA"]), mqa=human_bytes(compare["MQA"]))
        remarks = kv_remarks(figures)
        if remarks:
            text += f"<br><span style='color:#666'>{html.escape(remarks)}</span>"
        self.kv_note.setText(text)

    # ------------------------------------------------------------------ to the step-through
    def open_step(self, index: int) -> None:
        """Record every step of the sequence up to new token `index` (in a worker) and open it in the
        step-through, at the attention this page shows, with the new token's row selected."""
        st = self.stepper
        if st is None or not 0 <= index < len(self.steps):
            return
        ids = [s.id for s in self.steps[:index + 1]]
        name, device = self.stepper_key[0], self.stepper_key[1]
        text, pair = st.texts_for(ids)
        step_name = self.attention_step()
        head = self.head_box.value() - 1
        s = self.steps[index]
        query = len(st.decoder_ids(ids)) - 1
        row = s.attention.get(step_name) if step_name else None
        key = int(row[min(head, row.shape[0] - 1)].argmax()) if row is not None else None
        self.open_runner.cancel_all()

        recording = translate("generate", "recording every step…")
        note = translate("generate", "generated token {number} ({token}) and everything before it").format(
            number=index + 1, token=s.label)

        def work(job):
            job.progress(recording)
            return st.trace(ids)

        def opened(trace) -> None:
            self._update_buttons()
            self.open_requested.emit(OpenRequest(
                name, device, text, pair, st.loaded, trace, step_name, "attention" if step_name else None, head,
                query, key, note))

        self.open_runner.start(work, opened, self._open_failed, self._progress)
        self._update_buttons()

    def open_encoder_output(self, _checked: bool = False) -> None:
        """An encoder: its Output view in the step-through, on the text with a [MASK] (one is put at the end)."""
        text = self.text_edit.toPlainText().strip() or DEFAULT_TEXT
        if "[MASK]" not in text and "<mask>" not in text:
            text = text.rstrip(".。!?！？ ") + " [MASK]."
        from explorer.session import OUTPUT_STEP
        self.open_requested.emit(OpenRequest(self.model_name(), self.device(), text, None, step=OUTPUT_STEP,
                                             view="output"))

    # ------------------------------------------------------------------ export (File > Export view)
    def export_png(self, path) -> Path:
        from explorer.views.base import export_png
        return export_png(self, path)

    def export_svg(self, path) -> Path:
        from explorer.views.base import export_svg
        return export_svg(self, path, "PLM Explorer: Generate")

    def csv(self) -> str | None:
        """Every step: the token chosen and the top candidates with their probabilities."""
        if not self.steps:
            return None
        rows = ["step,chosen,candidate_rank,candidate_id,candidate_token,candidate_text,probability,"
                "sample_probability,context_length,kv_cache_bytes"]

        def q(text: str) -> str:
            return '"' + str(text).replace('"', '""') + '"'

        for i, s in enumerate(self.steps):
            for rank, c in enumerate(s.candidates, 1):
                rows.append(",".join([str(i + 1), q(s.text), str(rank), str(c.id), q(c.token), q(c.text),
                                      repr(c.probability), "" if c.sample_probability is None else
                                      repr(c.sample_probability), str(s.context_length), str(s.kv_total)]))
        return "\n".join(rows) + "\n"

    def runners(self) -> list[Runner]:
        return [self.runner, self.open_runner, self.info_runner, self.scan_runner]


# ----------------------------------------------------------------------------------------------- command line
VIEW_NAMES = ("generate",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Generate page (--view generate)")
    group.add_argument("--steps", type=int, default=None,
                       help=f"tokens to generate before showing the page (default {DEFAULT_STEPS})")
    group.add_argument("--temperature", type=float, default=None, help="sample with this temperature (default: greedy)")
    group.add_argument("--top-k", type=int, default=None, help="sample only among the K most probable tokens")
    group.add_argument("--top-p", type=float, default=None, help="sample only among the tokens adding up to P")
    group.add_argument("--seed", type=int, default=None, help="the sampling's seed (the same seed, the same tokens)")
    group.add_argument("--template", choices=[t.key for t in TEMPLATES], default=None,
                       help="start from a prompt template (zero/one/few-shot, T5 prefixes, GLM blanks)")


def wanted(args: argparse.Namespace) -> bool:
    return getattr(args, "view", None) in VIEW_NAMES


def open_from_args(view: GenerateView, args: argparse.Namespace) -> None:
    """Apply --model/--text/--template/--steps and the sampling options to the page (run by start())."""
    model = args.model or DEFAULT_MODEL
    view.select_model(model)
    if args.template:
        view.use_template(args.template)
    elif args.text is not None:
        view.text_edit.setPlainText(args.text)
    else:   # no text: one that suits the model (T5 a task prefix, GLM a blank), else the page's own
        family = None
        try:
            from engine.presets import all_presets
            preset = all_presets().get(model)
            family = preset.family if preset is not None else None
        except Exception:   # noqa: BLE001
            pass
        if family == "t5":
            view.use_template("t5-translate")
        elif family == "glm":
            view.use_template("glm-en")
    if args.temperature:
        view.set_sampling(args.temperature, args.top_k, args.top_p, args.seed)
    steps = DEFAULT_STEPS if args.steps is None else max(0, int(args.steps))
    if steps > view.max_new.value():
        view.max_new.setValue(min(steps, view.max_new.maximum()))
    view._pending_steps = steps
