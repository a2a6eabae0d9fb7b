"""The explorer window: pick a model, type text, Run (in a worker), then step through every recorded tensor.

    python main.py [--model NAME] [--text TEXT] [--pair TEXT] [--step STEP] [--view VIEW] [--layer N] [--head N]
                   [--lang en|zh] [--screenshot FILE.png [--timeout SECONDS]]
    python main.py --tour assets/tours/01_bert_text_to_mask.json [--screenshots DIR]   (a guided tour)

Launched without --model and --text, the window reopens the last session (explorer.remember).

A scripted run (--screenshot) always ends: exit status 0 when the picture was written and the window shows no
error, else 2 with the reason on one line of stderr (a bad command line, device, text or path: before any window
opens; a run that fails; a run that does not end within --timeout). In the window, every error is a line on the
message bar (selectable); an unexpected one names its exception and offers the traceback under "Details…".

Layers and heads count from 1 wherever a user reads or types them (the navigator, the views, --layer, --head);
step names and indices inside the code stay 0-based (blocks.0 is layer 1).

The window holds an ExplorerState (explorer.state, Qt-free) and wires its widgets to it: widgets write through the
state's methods, and the state's events move the navigator, the layer box, the tabs and the lesson. Views get the
state, never the window.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
import threading
import traceback
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImageWriter, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QMainWindow, QPlainTextEdit, QProgressBar, QPushButton, QSizePolicy, QSpinBox,
                               QMenu, QSplitter, QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from explorer import i18n, session
from explorer.error_texts import explain, explain_note
from explorer.i18n import mark_data, translate
from explorer.model_cache import ModelCache, format_gib
from explorer.presenting import Presenter
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP, build_tree, lesson_text, step_label
from explorer.state import ExplorerState, Notice
from explorer.views.attention import AttentionView, GridView, LinesView
from explorer.views.base import View
from explorer.views.generate import GenerateView
from explorer.views.mask import MasksCompareView, MaskView
from explorer.views.output import OutputView, SimilarityView
from explorer.views import generate as generate_view
from explorer.views import params as params_view
from explorer.views import training as training_view
from explorer.views.inspect import InspectView
from explorer.views.params import ParamsView
from explorer.views.qkv import QKVView
from explorer.views.tokenizers import TokenizersDialog
from explorer.views.tokens import TokensView
from explorer.views.vectors import VectorsView
from explorer.widgets.lazy_tabs import LazyTabs
from explorer.workers import Runner
from explorer import remember
from explorer.tour_player import TourPlayer, TourScreenshots

VIEW_CLASSES = [TokensView, VectorsView, AttentionView, GridView, LinesView, QKVView, MaskView, MasksCompareView,
                OutputView, SimilarityView]
GRAPH_VIEWS = ("graph", "architecture")   # explorer.views.graph.VIEW_NAMES; that module (networkx) loads when used
STEP_ROLE = Qt.UserRole + 1
GROUP_ROLE = Qt.UserRole + 2   # the model picker's group headings (their English name, translated when shown)
# the top-level pages: (lazy key or "" for the step-through, its tab's text, the key that opens it)
PAGES = (("", QT_TRANSLATE_NOOP("app", "Step through"), "Ctrl+1"),
         ("params_view", QT_TRANSLATE_NOOP("app", "Parameters"), "Ctrl+2"),
         ("graph_view", QT_TRANSLATE_NOOP("app", "Architecture"), "Ctrl+3"),
         ("generate_view", QT_TRANSLATE_NOOP("app", "Generate"), "Ctrl+4"),
         ("train_view", QT_TRANSLATE_NOOP("app", "Train"), "Ctrl+5"),
         ("inspect_view", QT_TRANSLATE_NOOP("app", "Look inside"), "Ctrl+6"))
CLOSE_WAIT_S = 2.0   # closing the window waits at most this long for every worker thread together
SCRIPT_TIMEOUT_S = 180.0   # a scripted run (--screenshot) gives up after this long (--timeout)
WATCHDOG_GRACE_S = 10.0   # ...and if its event loop is stuck, the process is ended this long after that


def one_line(text: str, limit: int = 400) -> str:
    """A message on one line (newlines folded), cut at `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class TooLarge(NamedTuple):
    """A Run whose recording would not fit in memory: the engine's message and the attention pattern steps."""
    name: str
    device: str
    loaded: object
    message: str
    attention: list


def attention_steps(loaded) -> list[str]:
    """The attention-pattern step names of a model, read from a short trace of it (a few token ids)."""
    vocab = int(getattr(loaded.config, "vocab_size", 6) or 6)
    short = loaded.trace(input_ids=[[min(5, vocab - 1)] * 8])
    return [s.name for s in short.cache.steps() if s.name.endswith("hook_pattern")]


class DetailsDialog(QDialog):
    """An error's message and traceback, as text to read, select and copy (non-modal: the window goes on)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setModal(False)
        self.resize(760, 420)
        self.text = mark_data(QPlainTextEdit())   # a traceback: code, as Python wrote it
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = self.buttons.addButton("Copy", QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("app", "PLM Explorer — error details"))
        self.copy_button.setText(translate("app", "Copy"))
        self.buttons.button(QDialogButtonBox.Close).setText(translate("app", "Close"))

    def set_text(self, message: str, details: str) -> None:
        self.text.setPlainText(f"{message}\n\n{details}".strip() + "\n")

    def copy(self, _checked: bool = False) -> str:
        text = self.text.toPlainText()
        QApplication.clipboard().setText(text)
        return text


def lesson_html(text: str) -> str:
    """A lesson's plain text as HTML: escaped, `code` (names from the code: `gate`, `True`) set in code type."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


class MainWindow(QMainWindow):
    """ready: emitted each time a Run has been shown (or has failed), once the views have drawn it."""
    ready = Signal()

    def __init__(self, model: str | None = None, text: str | None = None, pair: str | None = None,
                 autorun: bool = True, cache_budget: int | None = None):
        super().__init__()
        self.setWindowTitle("PLM Explorer")
        self.resize(1440, 900)
        self.state = ExplorerState(i18n.current())   # built in the language installed now (i18n.use)
        self.runner = Runner(self, "run")          # the Run button's jobs; views and the dialog have their own
        self.runner.busy_changed.connect(self._set_busy)
        self.models = ModelCache(cache_budget)      # (name, device) -> LoadedModel, within a memory budget
        self.pending: tuple[str | None, str | None, int | None] | None = None   # --step, --view, --layer
        self.batch_mode = False
        self.fallback_model: str | None = None
        self.last_error = ""
        self.job = None
        self._notes: list[str] = []   # the state's notes while a result is being shown (for the status bar)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.tokenizers_dialog: TokenizersDialog | None = None
        self.max_trace_bytes: int | None = None   # the most a recording may take (None: half the free memory)
        self.recording_only: set[str] | None = None   # the steps the current Run records (None: all of them)
        self.attention_names: list[str] = []      # what "Record attention only" records
        self.edited_presets: dict = {}     # name -> an edited Preset from the Parameters view, run by Run
        self.run_on_first_visit = False    # opened on the Parameters page: the step-through runs when first shown
        self.remember_session = False      # save the session on close (an interactive launch; never a script)
        events = self.state.events   # the window follows first: the tabs switch before the views draw
        events.trace.connect(self._trace_changed)
        events.step.connect(self._step_changed)
        events.layer.connect(self._layer_changed)
        events.view.connect(self._view_changed)
        events.settings.connect(self._settings_changed)
        events.message.connect(self._notice)
        self._build()
        self._shortcuts()
        self.text_edit.setPlainText(text if text is not None else session.DEFAULT_TEXT)
        if pair:
            self.pair_edit.setText(pair)
        if model is None:   # first launch: the real MiniLM when it loads here, else bert-tiny
            known = self.model_combo.findData(session.DEFAULT_MODEL) >= 0
            self.select_model(session.DEFAULT_MODEL if known else session.FALLBACK_MODEL)
            self.fallback_model = session.FALLBACK_MODEL
        else:
            self.select_model(model)
        if autorun:
            QTimer.singleShot(0, self.run)

    # ------------------------------------------------------------------ building the window
    params_view = property(lambda self: self.lazy_pages.get("params_view"))
    graph_view = property(lambda self: self.lazy_pages.get("graph_view"))
    generate_view = property(lambda self: self.lazy_pages.get("generate_view"))

    def _make_params_view(self) -> ParamsView:
        page = ParamsView(self.state)
        page.run_requested.connect(self.run_preset)
        return page

    def _make_graph_view(self):   # Ctrl+3: the architecture graph, two layers compared (networkx: imported here)
        from explorer.views.graph import GraphView

        page = GraphView(self.state)
        page.step_opened.connect(self.show_step_through)
        page.run_requested.connect(self.run_from_graph)
        return page

    def _make_generate_view(self) -> GenerateView:   # Ctrl+4: token by token
        page = GenerateView(self.state, self.models, self.device)
        page.open_requested.connect(self.open_generated)
        page.local_models_changed.connect(self._local_models_found)
        return page

    train_view = property(lambda self: self.lazy_pages.get("train_view"))
    inspect_view = property(lambda self: self.lazy_pages.get("inspect_view"))

    def _make_train_view(self) -> "training_view.TrainView":   # Ctrl+5
        page = training_view.TrainView(self.state, self.device, self.edited_presets)
        page.open_requested.connect(self.open_generated)
        return page

    def _make_inspect_view(self) -> InspectView:   # Ctrl+6: logit lens, heads, rollout, ablation, demonstrations
        page = InspectView(self.state)
        page.step_opened.connect(self.show_step_through)
        return page

    def _build(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(330)
        self.entries = {}   # name -> session.ModelEntry of the catalogue's items (their texts follow the language)
        entries = session.catalogue()
        for group in session.groups():
            in_group = [e for e in entries if e.group == group]
            if not in_group:
                continue
            self.model_combo.addItem("")
            self.model_combo.setItemData(self.model_combo.count() - 1, group, GROUP_ROLE)
            self.model_combo.model().item(self.model_combo.count() - 1).setEnabled(False)
            for e in in_group:
                self.model_combo.addItem("", e.name)
                self.entries[e.name] = e
        self._retranslate_models()
        self.device_combo = QComboBox()
        try:
            from engine.devices import available_devices
            self.device_combo.addItems(available_devices())
        except Exception:   # noqa: BLE001
            self.device_combo.addItem("cpu")
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.lang_combo = mark_data(QComboBox())   # each language named in itself, in either interface
        self.lang_combo.addItem("English", "en")
        self.lang_combo.addItem("中文", "zh")
        self.lang_combo.setCurrentIndex(max(0, self.lang_combo.findData(self.state.lang)))
        self.lang_combo.currentIndexChanged.connect(self._lang_chosen)
        self.text_edit = mark_data(QPlainTextEdit())   # the user's text (its placeholder is interface)
        self.text_edit.setMaximumHeight(52)
        self.pair_edit = QLineEdit()
        self.model_note = QLabel()   # what the user should know about this model (no MLM head, GLM's norm order)
        self.model_note.setWordWrap(True)
        self.model_note.setStyleSheet("color:#555")
        self.model_note.hide()
        # the message line: one line of reason, selectable (and copyable) text; "Details…" when there is a
        # traceback to copy; an action button when the message offers one (record attention only)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.message_action = QPushButton()
        self.message_action.clicked.connect(self._message_action_clicked)
        self.details_button = QPushButton()
        self.details_button.clicked.connect(self.show_details)
        self.message_bar = QWidget()
        bar = QHBoxLayout(self.message_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.message_action, 0, Qt.AlignTop)
        bar.addWidget(self.details_button, 0, Qt.AlignTop)
        self.message_details = ""
        self._message_callback = None
        self._message_text = None    # () -> the message line's text in the current language
        self._message_label = None   # () -> its action button's label
        self._status_text = None     # () -> the status bar's text in the current language
        self.details_dialog: DetailsDialog | None = None
        self.message_bar.hide()
        self.message.hide()

        top = QHBoxLayout()
        self.model_label, self.device_label = QLabel(), QLabel()
        top.addWidget(self.model_label)
        top.addWidget(self.model_combo, 2)
        top.addWidget(self.device_label)
        top.addWidget(self.device_combo)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.busy)
        top.addStretch(1)
        top.addWidget(self.lang_combo)
        inputs = QVBoxLayout()
        inputs.addLayout(top)
        inputs.addWidget(self.text_edit)
        inputs.addWidget(self.pair_edit)
        inputs.addWidget(self.model_note)
        inputs.addWidget(self.message_bar)
        self.tour = TourPlayer(self)   # a guided tour's note and Previous / Next (File > Tours)
        inputs.addWidget(self.tour.panel)

        # navigator
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setFocusPolicy(Qt.NoFocus)
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.prev_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        self.play_button = QPushButton()
        self.play_button.setCheckable(True)
        self.layer_box = QSpinBox()   # counts from 1, follows the current step's layer
        self.layer_box.setMinimum(1)
        self.layer_box.setKeyboardTracking(False)
        self.layer_box.valueChanged.connect(self._layer_chosen)
        for b in (self.prev_button, self.next_button, self.play_button):
            b.setFocusPolicy(Qt.NoFocus)
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.play_button.toggled.connect(self._play)
        self.timer = QTimer(self)
        self.timer.setInterval(1200)
        self.timer.timeout.connect(self._tick)
        nav_buttons = QHBoxLayout()
        for w in (self.prev_button, self.next_button, self.play_button, self.layer_box):
            nav_buttons.addWidget(w)
        self.position_label = QLabel()
        left = self.step_panel = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tree, 1)
        ll.addLayout(nav_buttons)
        ll.addWidget(self.position_label)

        # views: each is given the state, and follows it
        self.tabs = QTabWidget()
        lazy_views = LazyTabs(self.tabs, self)   # a view is built the first time it is shown or read from self.views
        lazy_views.on_built.append(lambda _name, view: view.refresh())   # (it missed the change that showed it)
        for cls in VIEW_CLASSES:   # (each class's title is marked QT_TRANSLATE_NOOP("views", ...))
            lazy_views.add(cls.name, translate("views", cls.title), lambda window, cls=cls: cls(window.state),
                           name=cls.name)
        self.lazy_views = lazy_views
        self.views = lazy_views.pages()   # name -> view
        self.tabs.currentChanged.connect(self._tab_changed)

        # lesson
        self.step_title = QLabel()
        self.step_title.setWordWrap(True)
        self.step_title.setTextFormat(Qt.RichText)
        self.step_title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.lesson = QTextBrowser()
        self.lesson.setObjectName("lesson")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.step_title)
        rl.addWidget(self.lesson, 1)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.addWidget(right)
        split.setSizes([290, 880, 270])
        split.setStretchFactor(1, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(inputs)
        layout.addWidget(split, 1)
        # top-level pages: the step-through, then pages built the first time they are shown (self.params_view
        # and the like build theirs when first read): start-up builds the step-through only
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.lazy_pages = LazyTabs(self.pages, self)   # (factories: MainWindow functions, called with the window)
        self.pages.addTab(central, "")
        for key, _title, _shortcut in PAGES[1:]:
            self.lazy_pages.add(key, "", getattr(MainWindow, f"_make_{key}"))
        self.pages.currentChanged.connect(self._page_changed)
        self.setCentralWidget(self.pages)

        # menus: (action, its English text) pairs, so that a change of language sets every text again
        self.menu_texts: list[tuple[object, str]] = []
        menu = self.menuBar().addMenu("")
        self.menu_texts.append((menu, QT_TRANSLATE_NOOP("app", "&File")))
        for text, slot in ((QT_TRANSLATE_NOOP("app", "Open checkpoint folder…"), self.open_folder),
                           (QT_TRANSLATE_NOOP("app", "Add a models folder…"), self.add_models_folder),
                           (QT_TRANSLATE_NOOP("app", "Save trace as .npz…"), self.save_npz),
                           (QT_TRANSLATE_NOOP("app", "Export view as PNG…"), self.export_png),
                           (QT_TRANSLATE_NOOP("app", "Export view as SVG…"), self.export_svg),
                           (QT_TRANSLATE_NOOP("app", "Copy tensor as CSV"), self.copy_csv),
                           (QT_TRANSLATE_NOOP("app", "Quit"), self.close)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.menu_texts.append((action, text))
        quit_action = menu.actions()[-1]
        self.recent_menu = QMenu(self)   # before Quit, with the tours
        self.menu_texts.append((self.recent_menu, QT_TRANSLATE_NOOP("app", "Recent checkpoints")))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.recent_menu.triggered.connect(self._recent_chosen)
        menu.insertMenu(quit_action, self.recent_menu)
        self.tour.add_menus(menu, quit_action)
        menu.insertSeparator(quit_action)
        self.file_menu = menu
        tools = self.menuBar().addMenu("")
        self.menu_texts.append((tools, QT_TRANSLATE_NOOP("app", "&Tools")))
        action = QAction("", self, shortcut=QKeySequence("Ctrl+T"))
        self.menu_texts.append((action, QT_TRANSLATE_NOOP("app", "Compare tokenizers…")))
        action.triggered.connect(self._tokenizers_action)
        tools.addAction(action)
        self.tools_menu = tools
        pages = self.menuBar().addMenu("")
        self.menu_texts.append((pages, QT_TRANSLATE_NOOP("app", "&View")))
        slots = (self.show_step_through, self.show_params, self.show_graph, self.show_generate, self.show_train,
                 self.show_inspect)
        for (_key, text, key), slot in zip(PAGES, slots):
            action = QAction("", self, shortcut=QKeySequence(key))
            action.triggered.connect(slot)
            pages.addAction(action)
            self.menu_texts.append((action, text))
        self.view_menu = pages
        self.presenter = Presenter(self, pages)   # F11, zoom, presentation mode, theme, Play speed
        self.set_status(lambda: translate("app", "Ready"))
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the window's frame in the interface's language (at start and on a change of language)."""
        for holder, text in self.menu_texts:
            (holder.setTitle if isinstance(holder, QMenu) else holder.setText)(translate("app", text))
        self._retranslate_models()
        self.model_label.setText(translate("app", "Model"))
        self.device_label.setText(translate("app", "Device"))
        self.run_button.setText(self._run_text(bool(self.runner.active)))
        self.cancel_button.setText(translate("app", "Cancel"))
        self.text_edit.setPlaceholderText(translate("app", "Type a sentence (English or Chinese); [MASK] asks a BERT "
                                                           "model to fill in"))
        self.pair_edit.setPlaceholderText(translate("app", "second sentence (BERT NSP pairs) or target text (T5); "
                                                           "optional"))
        self.details_button.setText(translate("app", "Details…"))
        self.details_button.setToolTip(translate("app", "the technical details (traceback) of this error, to read "
                                                        "or copy"))
        self.play_button.setText(translate("app", "Pause") if self.play_button.isChecked() else
                                 translate("app", "Play"))
        self.prev_button.setToolTip(translate("app", "previous step (←)"))
        self.next_button.setToolTip(translate("app", "next step (→)"))
        self.layer_box.setPrefix(translate("app", "layer "))
        for cls in VIEW_CLASSES:
            self.lazy_views.set_label(cls.name, translate("views", cls.title))
        self.pages.setTabText(0, f"{translate('app', PAGES[0][1])}  ({PAGES[0][2]})")
        for key, title, shortcut in PAGES[1:]:
            self.lazy_pages.set_label(key, f"{translate('app', title)}  ({shortcut})")
        self.presenter.retranslate()
        self.tour.retranslate()
        self._fill_recent()
        if self.details_dialog is not None:
            self.details_dialog.retranslate()
        if self._message_text is not None and not self.message_bar.isHidden():
            self.message.setText(self._message_text())
            if self._message_label is not None:
                self.message_action.setText(self._message_label())
        if self._status_text is not None and self.statusBar().currentMessage():
            self.statusBar().showMessage(self._status_text())
        self._update_position()

    def _retranslate_models(self) -> None:
        combo = self.model_combo
        for index in range(combo.count()):
            group, name = combo.itemData(index, GROUP_ROLE), combo.itemData(index)
            if group is not None:
                combo.setItemText(index, f"── {session.group_title(group)} ──")
            elif name in self.entries:
                entry = self.entries[name]
                combo.setItemText(index, f"  {entry.label}")
                combo.setItemData(index, entry.tooltip, Qt.ToolTipRole)

    def set_status(self, text) -> None:
        """The status bar's message: text, or a function giving it in the current language (said again when the
        language changes)."""
        self._status_text = text if callable(text) else None
        self.statusBar().showMessage(text() if callable(text) else text)

    def _shortcuts(self) -> None:
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.run)
        for key in (Qt.Key_Right, Qt.Key_Down):
            QShortcut(QKeySequence(key), self, activated=self.next)
        for key in (Qt.Key_Left, Qt.Key_Up):
            QShortcut(QKeySequence(key), self, activated=self.previous)
        # a presentation clicker's keys: the tour's next / previous step while one plays, else the tensors'
        QShortcut(QKeySequence(Qt.Key_PageDown), self, activated=self.page_down)
        QShortcut(QKeySequence(Qt.Key_PageUp), self, activated=self.page_up)
        QShortcut(QKeySequence(Qt.Key_Home), self, activated=self.first)
        QShortcut(QKeySequence(Qt.Key_End), self, activated=self.last)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.cancel)

    # ------------------------------------------------------------------ model and run
    def model_name(self) -> str:
        return self.model_combo.currentData() or session.FALLBACK_MODEL

    def device(self) -> str:
        return self.device_combo.currentText() or "cpu"

    def select_model(self, name: str) -> None:
        index = self.model_combo.findData(name)
        if index < 0:
            self.model_combo.addItem(f"  {name}", name)
            index = self.model_combo.count() - 1
        self.model_combo.setCurrentIndex(index)

    def show_message(self, text, error: bool = True, details: str = "", action=None) -> None:
        """The message line: `text` (selectable), red for an error; "Details…" offers `details` (a traceback) to
        copy; `action` = (label, callback) adds a button that does what the message proposes. "" hides it.
        `text` and the action's label may be functions giving them in the current language (a change of language
        asks them again); an engine message given as text is shown in the interface's language (error_texts)."""
        self._message_text = text if callable(text) else (lambda raw=text: explain(raw))
        text = self._message_text()
        self._message_label = action[0] if action and callable(action[0]) else None
        if action and callable(action[0]):
            action = (action[0](), action[1])
        self.last_error = text if error else ""
        self.message_details = details if text else ""
        self._message_callback = action[1] if action and text else None
        colour = "#b00020" if error else "#1a5e20"
        self.message.setStyleSheet(f"color: {colour}; background: {'#fdecea' if error else '#e8f5e9'}; "
                                   "padding: 6px; border-radius: 4px;")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message_bar.setVisible(bool(text))
        self.details_button.setVisible(bool(self.message_details))
        self.message_action.setText(action[0] if self._message_callback else "")
        self.message_action.setVisible(self._message_callback is not None)
        if self.details_dialog is not None and self.message_details:
            self.details_dialog.set_text(text, self.message_details)

    def show_exception(self, error: BaseException, where: str = "") -> None:
        """An unexpected exception, shown in the window and never a crash: its type and message on the message
        line, the traceback behind "Details…"."""
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        what = one_line(f"{type(error).__name__}: {error}")   # `where`: already in the interface's language
        english = f"Something went wrong{where}: {what}"

        def text() -> str:
            known = explain(english)   # out of memory: said in the user's words
            return known if known != english else translate("app", "Something went wrong{where}: {error}").format(
                where=where, error=what)
        self.show_message(text, details=details)

    def show_details(self, _checked: bool = False) -> "DetailsDialog":
        """The message and its traceback in a non-modal dialog with a Copy button."""
        if self.details_dialog is None:
            self.details_dialog = DetailsDialog(self)
        self.details_dialog.set_text(self.message.text(), self.message_details)
        self.details_dialog.show()
        self.details_dialog.raise_()
        return self.details_dialog

    def _message_action_clicked(self, _checked: bool = False) -> None:
        callback = self._message_callback
        if callback is not None:
            callback()

    def run(self) -> None:
        self._run()

    def run_attention_only(self) -> None:
        """Run again recording only the attention patterns (offered when a full recording would not fit)."""
        self._run(set(self.attention_names) if self.attention_names else None)

    def _run(self, names: set[str] | None = None) -> None:
        """Run the text through the chosen model in a worker, recording every step (or only `names`)."""
        text = self.text_edit.toPlainText()
        pair = self.pair_edit.text().strip() or None
        def problem() -> str | None:   # (asked again when the language changes while it is shown)
            return session.check_text(text) or (session.check_text(pair) if pair and len(pair) > session.MAX_CHARS
                                                else None)
        if problem():
            self.show_message(problem)
            self.ready.emit()   # a refused Run is over too (a scripted run must not wait for it)
            return
        self.recording_only = names
        max_bytes = self.max_trace_bytes
        self.runner.cancel_all()      # a new Run replaces the old one (only Run's: the views' jobs go on)
        name, device = self.model_name(), self.device()
        edited = self.edited_presets.get(name)   # a configuration from the Parameters view's editor
        cached = self.models.get(name, device)
        self.show_message("", error=False)
        self.set_status(lambda: translate("app", "Running {name} on {device}…").format(name=name, device=device))

        def work(job):   # worker thread: captures no Qt object (translate is safe in any thread)
            import engine
            loaded = cached
            if loaded is None:
                job.progress(translate("app", "loading {name}…").format(name=name))
                if edited is not None:
                    from engine.api import build_from_preset
                    loaded = build_from_preset(edited, device)
                else:
                    loaded = engine.load(name, device=device)
            job.progress(translate("app", "tracing {count} characters…").format(count=len(text)))
            from engine.errors import InputError
            try:
                trace = loaded.trace(text=text, text_pair=pair, names=names, max_bytes=max_bytes)
            except InputError as error:   # too big to record: offer the attention patterns alone
                if names is not None or "trace(names=" not in str(error):
                    raise
                job.progress(translate("app", "measuring which steps are attention patterns…"))
                return TooLarge(name, device, loaded, str(error), attention_steps(loaded))
            return name, device, loaded, trace, text, pair

        self.job = self.runner.start(work, self._on_result, self._on_error, self._on_progress)

    def cancel(self) -> None:
        if self.runner.active:
            self.runner.cancel_all()
            self.set_status(lambda: translate("app", "Cancelled: the result of that run will be discarded."))

    def _set_busy(self, busy: int) -> None:
        busy = bool(busy)
        self.busy.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.run_button.setText(self._run_text(busy))

    @staticmethod
    def _run_text(busy: bool) -> str:
        return translate("app", "Run again (replaces)") if busy else translate("app", "Run") + "  (Ctrl+Enter)"

    def _on_progress(self, message: str) -> None:
        self.set_status(message)

    def _on_result(self, result) -> None:
        if isinstance(result, TooLarge):
            self._too_large(result)
            return
        name, device, loaded, trace, text, pair = result
        try:
            evicted = self.models.put(name, device, loaded)
            self.fallback_model = None
            step, view, layer = self.pending or (None, None, None)
            self.pending = None
            self._notes = []
            self.state.set_trace(loaded, trace, text, pair, step=step, view=view)
            if layer is not None:
                self.state.set_layer(layer)
            notes, only, budget = list(self._notes), self.recording_only is not None, self.models.budget
            tokens, steps = len(trace.tokens), len(trace.cache)

            def status() -> str:
                weights = {"random": translate("app", "random weights"), "real": translate("app", "real weights"),
                           "toy": translate("app", "toy weights")}.get(loaded.weights, f"{loaded.weights} weights")
                parts = [translate("app", "{name}: {family}, {weights} ({source}) on {device} · {tokens} tokens · "
                                          "{steps} steps").format(
                    name=loaded.name, family=loaded.family.title, weights=weights,
                    source=session.source_text(loaded.source), device=loaded.device, tokens=tokens, steps=steps)]
                parts += notes
                if only:
                    parts.append(translate("app", "attention patterns only ({steps} steps recorded)").format(
                        steps=steps))
                if evicted:
                    parts.append(translate("app", "unloaded {models} to stay within {budget}").format(
                        models=", ".join(evicted), budget=format_gib(budget)))
                return " · ".join(parts)
            self.set_status(status)
        except Exception as error:   # noqa: BLE001 - a view that cannot draw says so; the window goes on
            self.show_exception(error, translate("app", " showing the result"))
        finally:
            self.ready.emit()

    def _too_large(self, result: "TooLarge") -> None:
        """A recording that would not fit: the engine's message (with the numbers) and, when the model has
        attention patterns, a button to record only those."""
        self.models.put(result.name, result.device, result.loaded)
        self.fallback_model = None
        self.attention_names = list(result.attention)
        count = len(result.attention)
        action = (lambda: translate("app", "Record attention only ({count} steps)").format(count=count),
                  self.run_attention_only) if result.attention else None
        self.show_message(result.message, action=action)
        self.set_status(lambda: translate("app", "Not recorded: it would not fit in memory"))
        self.ready.emit()

    def _on_error(self, message: str, user_error: bool, details: str = "") -> None:
        if self.fallback_model and self.model_name() != self.fallback_model:
            failed, self.fallback_model = self.model_name(), None
            self.select_model(session.FALLBACK_MODEL)
            self.set_status(lambda: translate("app", "{failed} could not load ({reason}); opened {fallback}").format(
                failed=failed, reason=explain(message), fallback=session.FALLBACK_MODEL))
            self.run()
            return
        if user_error:
            self.show_message(message, details=details)
        else:
            line = one_line(message)
            english = f"Something went wrong: {line}"

            def text() -> str:
                known = explain(english)
                return known if known != english else translate("app", "Something went wrong{where}: {error}").format(
                    where="", error=line)
            self.show_message(text, details=details)
        self.set_status(lambda: translate("app", "Error"))
        self.ready.emit()

    # ------------------------------------------------------------------ pages
    def start(self) -> None:
        """What opening the window does: Run; on the Parameters page, the step-through waits until first shown."""
        page, built = self.pages.currentWidget(), self.lazy_pages.peek   # (peek: a page not built is not shown)
        if page in (built("params_view"), built("graph_view"), built("train_view")):   # graph: in a worker
            self.run_on_first_visit = True
            self.ready.emit()
        elif page is built("generate_view"):   # its --steps first, then ready
            self.run_on_first_visit = True
            self.generate_view.start(self._generated)
        else:
            self.run()

    def show_step_through(self) -> None:
        self.pages.setCurrentIndex(0)

    def show_params(self, _checked: bool = False) -> ParamsView:
        self.pages.setCurrentWidget(self.params_view)
        return self.params_view

    def show_graph(self, _checked: bool = False):   # -> GraphView
        self.pages.setCurrentWidget(self.graph_view)
        return self.graph_view

    def run_from_graph(self, name: str, step: str) -> None:
        """A click on the Architecture page on a model not loaded yet: run it, then open that step."""
        self.select_model(name)
        self.pending = (step or None, None, None)
        self.run_on_first_visit = False
        self.show_step_through()
        self.run()

    def show_generate(self, _checked: bool = False) -> GenerateView:
        self.pages.setCurrentWidget(self.generate_view)
        return self.generate_view

    def show_train(self, _checked: bool = False) -> "training_view.TrainView":
        self.pages.setCurrentWidget(self.train_view)
        return self.train_view

    def show_inspect(self, _checked: bool = False) -> InspectView:
        self.pages.setCurrentWidget(self.inspect_view)
        return self.inspect_view

    def _generated(self, error: str | None) -> None:
        """The Generate page's opening steps are done (a scripted run's screenshot may be taken)."""
        if error:
            self.last_error = error
        self.ready.emit()

    def open_generated(self, request) -> None:
        """A generated token opened in the step-through, with its trace (see generate_view.open_in_step_through)."""
        generate_view.open_in_step_through(self, request)

    def add_models_folder(self, _checked: bool = False) -> None:
        """File > Add a models folder…: remembered; the Generate page's "Models on this computer" looks again."""
        if self.generate_view.add_models_folder():
            self.show_generate()

    def _local_models_found(self, models) -> None:
        generate_view.fill_local_group(self.model_combo, models)

    def _page_changed(self, _index: int) -> None:
        stepping = self.pages.currentIndex() == 0
        for shortcut in self.findChildren(QShortcut, options=Qt.FindDirectChildrenOnly):
            shortcut.setEnabled(stepping)   # the arrow keys step only on the step-through page
        if stepping and self.run_on_first_visit:
            self.run_on_first_visit = False
            if self.state.trace is None and not self.runner.active:
                self.run()

    def run_preset(self, preset) -> None:
        """Open an edited configuration (a Preset) in the step-through, with seeded random weights."""
        self.edited_presets[preset.name] = preset
        self.select_model(preset.name)
        self.run_on_first_visit = False
        self.show_step_through()
        self.run()

    # ------------------------------------------------------------------ state -> widgets
    def _notice(self, notice: Notice) -> None:
        if notice.error:
            self.show_message(notice.text)
        else:
            self._notes.append(notice.text)
            self.set_status(notice.text)
        if self.batch_mode and not notice.error:   # a scripted run's error is printed once, at its end
            print(f"note: {one_line(notice.text, 1000)}", flush=True)

    def _trace_changed(self, trace) -> None:
        loaded = self.state.loaded
        self._fill_tree()
        self.layer_box.blockSignals(True)
        self.layer_box.setMaximum(max(1, self.state.layers))
        self.layer_box.blockSignals(False)
        self._show_model_note()
        self.setWindowTitle(f"PLM Explorer — {loaded.name}")

    def _step_changed(self, name: str) -> None:
        state = self.state
        kinds = state.kinds_for(name)
        self.tabs.blockSignals(True)
        for i in range(self.tabs.count()):
            self.tabs.setTabVisible(i, self.tabs.widget(i).name in kinds)
        self.tabs.setCurrentWidget(self.views[state.view])
        self.tabs.blockSignals(False)
        item = self.items.get(name)
        if item is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.tree.blockSignals(False)
        self._update_lesson()
        self._update_position()

    def _update_position(self) -> None:
        state = self.state
        if state.trace is None or state.step is None:
            return
        self.position_label.setText(translate("app", "step {index} / {count} · ←/→ or PageUp/PageDown").format(
            index=state.index + 1, count=len(state.steps)))

    def _show_model_note(self) -> None:
        """What the user should know about this model, under the text box (the engine's note, translated)."""
        loaded = self.state.loaded
        notes = getattr(loaded, "notes", "") if loaded is not None else ""
        if loaded is not None:
            self.model_note.setText(translate("app", "<b>{name}</b>: {note}").format(
                name=html.escape(loaded.name), note=html.escape(explain_note(notes))))
        self.model_note.setVisible(bool(notes))

    def _layer_changed(self, layer: int) -> None:
        self.layer_box.blockSignals(True)
        self.layer_box.setValue(layer + 1)
        self.layer_box.blockSignals(False)

    def _view_changed(self, view: str) -> None:
        self.tabs.blockSignals(True)
        self.tabs.setCurrentWidget(self.views[view])
        self.tabs.blockSignals(False)

    def _settings_changed(self, change) -> None:
        name, value = change
        if name == "lang":
            index = self.lang_combo.findData(value)
            if index >= 0 and index != self.lang_combo.currentIndex():
                self.lang_combo.blockSignals(True)
                self.lang_combo.setCurrentIndex(index)
                self.lang_combo.blockSignals(False)
            self.retranslate()
            if self.state.trace is not None:
                current = self.state.step
                self._fill_tree()
                item = self.items.get(current)
                if item is not None:
                    self.tree.blockSignals(True)
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    self.tree.blockSignals(False)
                self._show_model_note()
            self._update_lesson()

    # ------------------------------------------------------------------ widgets -> state
    def _tree_changed(self, item, _previous) -> None:
        if item is None:
            return
        step = item.data(0, STEP_ROLE)
        if step is None:   # a group: open its first step
            while item.childCount() and item.data(0, STEP_ROLE) is None:
                item = item.child(0)
            step = item.data(0, STEP_ROLE)
        if step is not None and step != self.state.step:
            self.state.go_to(step)

    def _tab_changed(self, _index: int) -> None:
        view = self.tabs.currentWidget()
        if view is not None:
            self.state.set_view(view.name)

    def _layer_chosen(self, value: int) -> None:
        self.state.set_layer(value - 1)

    def _lang_chosen(self, _index: int) -> None:
        self.state.set_setting("lang", self.lang_combo.currentData())

    def next(self) -> None:
        self.state.next()

    def previous(self) -> None:
        self.state.previous()

    def first(self) -> None:
        self.state.first()

    def last(self) -> None:
        self.state.last()

    def go_to(self, name: str, view: str | None = None) -> bool:
        return self.state.go_to(name, view)

    def _play(self, on: bool) -> None:
        self.play_button.setText(translate("app", "Pause") if on else translate("app", "Play"))
        self.timer.start() if on else self.timer.stop()

    def _tick(self) -> None:
        state = self.state
        if not state.steps or state.step == state.steps[-1]:
            self.play_button.setChecked(False)
        else:
            state.next()

    def _fill_tree(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items = {}
        cache = self.state.trace.cache
        # depth first with a stack, not a recursive closure: a closure that calls itself is a reference cycle
        # (through its own cell) holding the window, which only the cyclic GC would free, on whatever thread
        pending = [(self.tree.invisibleRootItem(), build_tree(cache.names()))]
        while pending:
            parent, node = pending.pop()
            for child in node.children:
                if child.step is not None and child.step not in (TOKENIZER_STEP, OUTPUT_STEP):
                    step = cache.step(child.step)
                    label = f"{step_label(child.step, step.key)}   {'×'.join(map(str, step.shape))}"
                else:
                    label = child.label
                item = QTreeWidgetItem(parent, [label])
                if child.step is not None:
                    item.setData(0, STEP_ROLE, child.step)
                    item.setToolTip(0, child.step)
                    self.items[child.step] = item
                pending.append((item, child))
        self.tree.blockSignals(False)

    def current_view(self):
        page, built = self.pages.currentWidget(), self.lazy_pages.peek   # (peek: a page not built is not shown)
        if page is built("params_view"):   # File > Export acts on the Parameters page's chart
            return self.params_view
        if page is built("generate_view"):
            return self.generate_view
        if page is built("inspect_view"):   # the Look inside page's current part
            return self.inspect_view
        if page is built("graph_view"):   # the whole architecture picture
            return self.graph_view
        return self.tabs.currentWidget()

    def _update_lesson(self) -> None:
        state = self.state
        name = state.step
        if state.trace is None or name is None:
            return
        if name == TOKENIZER_STEP:
            key, title = "tokenizer", translate("app", "Tokenizer")
            shape = translate("app", "{count} tokens").format(count=len(state.trace.tokens))
        elif name == OUTPUT_STEP:
            key, title, shape = "output", translate("app", "Output"), ""
        else:
            step = state.trace.cache.step(name)
            key, title = step.key, step_label(name, step.key)
            shape = translate("app", "shape {shape}<br>dims ({dims})").format(
                shape=tuple(step.shape), dims=f"<code>{', '.join(step.dims)}</code>")
        shown_name = "" if name in (TOKENIZER_STEP, OUTPUT_STEP) else f"<code>{html.escape(name)}</code><br>"
        where = session.layer_title(name)
        shared = session.sharing_note(state.loaded, name, state.lang)   # ALBERT: one layer's weights, run N times
        where = (f"{where}" + (f" · <span style='color:#8a4b00'>{html.escape(shared)}</span>" if shared else "")
                 + "<br>") if where else ""
        lesson_key = translate("app", "lesson key: {key}").format(key=f"<code>{html.escape(key)}</code>")
        self.step_title.setText(f"<h3>{html.escape(title)}</h3>{shown_name}{where}{shape}"
                                f"<br><span style='color:#777'>{lesson_key}</span>")
        if getattr(self, "_facts_for", None) != state.generation:   # read once per run
            self._facts_for, self._facts = state.generation, session.lesson_facts(state.loaded, state.trace)
        text = lesson_text(key, state.lang, state.loaded.family.name if state.loaded is not None else None,
                           self._facts)
        general, _, live = text.partition("\n\n")   # the general lesson, then this run's numbers
        body = lesson_html(general).replace("\n", "<br>")
        if live:
            body += (f"<p style='background:#eef4fb; margin-top:8px'><b>{html.escape(session.live_heading(state.lang))}"
                     f"</b><br>{lesson_html(live)}</p>")
        self.lesson.setHtml(body if text else "<i>" + translate("app", "No lesson text for this step yet.") + "</i>")

    # ------------------------------------------------------------------ export
    def _ask(self, caption: str, filt: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, f"plm-{self.state.step or 'view'}{suffix}", filt)
        return path or None

    def _write(self, what: str, path, write) -> Path | None:
        """Run an export (write() returns the path written); say where it went, or why it could not be written:
        the reason on the message line, never a traceback and never a "Saved" for a file that is not there.
        `what`: "Trace", "PNG" or "SVG" (said in the interface's language)."""
        from engine.errors import PLMError

        shown = translate("app", "Trace") if what == "Trace" else what
        not_saved = lambda: translate("app", "{what} not saved").format(what=shown)   # noqa: E731
        if "\x00" in str(path):
            self.show_message(lambda: translate("app", "{what} not saved: a file name cannot contain the NUL "
                                                       "character.").format(what=shown))
            self.set_status(not_saved)
            return None
        try:
            result = write()   # the path written (a view that still answers True/False: the path asked for)
            if result is None or result is False or (result is True and not Path(path).exists()):
                self.show_message(lambda: translate("app", "{what} not saved: nothing was written to {path}.").format(
                    what=shown, path=path))
                self.set_status(not_saved)
                return None
            written = Path(path) if result is True else Path(result)
        except PLMError as error:
            self.show_message(one_line(str(error)))
            self.set_status(not_saved)
            return None
        except OSError as error:   # an OSError the engine did not name
            reason = one_line(error.strerror or str(error))
            self.show_message(lambda: translate("app", "{what} not saved: {reason}.").format(what=shown,
                                                                                             reason=reason))
            self.set_status(not_saved)
            return None
        except Exception as error:   # noqa: BLE001 - a bug: shown with its details, the window goes on
            self.show_exception(error, translate("app", " saving the {what}").format(what=shown.lower()))
            return None
        self.show_message(lambda: translate("app", "Saved {path}").format(path=written), error=False)
        self.set_status(lambda: translate("app", "Saved {path}").format(path=written))
        return written

    def save_npz(self, path: str | None = None) -> Path | None:
        """File > Save trace as .npz: every recorded step, written to a temporary name and renamed."""
        trace = self.state.trace
        if trace is None:
            self.show_message(lambda: translate("app", "There is no trace to save yet: Run first."))
            return None
        path = path if isinstance(path, (str, Path)) and str(path) else \
            self._ask(translate("app", "Save trace"), translate("app", "NumPy archive (*.npz)"), ".npz")
        if not path:
            return None
        return self._write("Trace", path, lambda: trace.save_npz(path))

    def export_png(self, _checked: bool = False) -> Path | None:
        return self.export_view("png")

    def export_svg(self, _checked: bool = False) -> Path | None:
        return self.export_view("svg")

    def export_view(self, kind: str, path: str | None = None) -> Path | None:
        """Export the current view as PNG or SVG (atomically); the path written, or None (the reason is shown)."""
        view = self.current_view()
        if view is None:
            self.show_message(lambda: translate("app", "There is no view to export."))
            return None
        path = path or self._ask(translate("app", "Export {kind}").format(kind=kind.upper()),
                                 f"{kind.upper()} (*.{kind})", f".{kind}")
        if not path:
            return None
        return self._write(kind.upper(), path, lambda: view.export_png(path) if kind == "png" else view.export_svg(path))

    def copy_csv(self, _checked: bool = False) -> str | None:
        """Copy what the current view shows as CSV to the clipboard; say so when the view has no table."""
        view = self.current_view()
        unrun = isinstance(view, View) and self.state.trace is None   # a step view before any Run
        try:
            text = view.csv() if view is not None and not unrun and hasattr(view, "csv") else None
        except Exception as error:   # noqa: BLE001 - a bug: shown with its details, the window goes on
            self.show_exception(error, translate("app", " making the CSV"))
            return None
        if not text:
            title = getattr(view, "title", None)

            def nothing() -> str:
                shown = translate("views", title) if title else translate("app", "this")
                return (translate("app", "Nothing to copy: the {title} view has no table of numbers (Run first).")
                        if unrun else translate("app", "Nothing to copy: the {title} view has no table of numbers.")
                        ).format(title=shown)
            self.show_message(nothing)
            return None
        QApplication.clipboard().setText(text)
        lines = text.count(chr(10))
        self.set_status(lambda: translate("app", "Copied {count} CSV lines to the clipboard").format(count=lines))
        return text

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("app", "Hugging Face checkpoint folder"))
        if folder:
            self.open_checkpoint(folder)

    def open_checkpoint(self, folder: str) -> None:
        remember.add_recent("checkpoints", folder)
        self.select_model(folder)
        self.show_step_through()
        self.run()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for folder in remember.recent("checkpoints"):
            self.recent_menu.addAction(folder).setData(folder)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(translate("app", "(none yet)")).setEnabled(False)

    def _recent_chosen(self, action: QAction) -> None:
        if action.data():
            self.open_checkpoint(action.data())

    def page_down(self) -> None:
        self.tour.next() if self.tour.active else self.next()

    def page_up(self) -> None:
        self.tour.previous() if self.tour.active else self.previous()

    def save_session(self) -> None:
        """Remember where the user is (explorer.remember), for the next launch to reopen."""
        if self.state.trace is not None:
            remember.save_session(remember.session_values(self.state, self.model_name(), self.device()))

    def _tokenizers_action(self, _checked: bool = False) -> None:
        self.open_tokenizers()

    def open_tokenizers(self, text: str | None = None) -> TokenizersDialog:
        """Tools > Compare tokenizers (Ctrl+T): a non-modal dialog with its own workers."""
        if self.tokenizers_dialog is None:
            self.tokenizers_dialog = TokenizersDialog(self, text)
        elif text is not None:
            self.tokenizers_dialog.compare.set_text(text)
        self.tokenizers_dialog.show()
        self.tokenizers_dialog.raise_()
        self.tokenizers_dialog.activateWindow()
        return self.tokenizers_dialog

    # ------------------------------------------------------------------ closing
    def runners(self) -> list[Runner]:
        """Every worker runner of the window: Run's, the views', the tokenizer dialog's."""
        return self.findChildren(Runner)

    def busy_jobs(self) -> bool:
        return any(r.active for r in self.runners())

    def closeEvent(self, event) -> None:
        """Stop the timers, cancel every job and wait for the workers, at most CLOSE_WAIT_S seconds in all: a
        job stuck in a call that never returns (a hung load) is left to its daemon thread, whose result is never
        delivered, so closing returns promptly and the process can exit."""
        import time

        self.timer.stop()
        self.presenter.close()
        if self.remember_session:
            try:
                self.save_session()
            except Exception:   # noqa: BLE001 - a settings file that cannot be written must not block closing
                pass
        for runner in self.runners():
            runner.cancel_all()
        if self.details_dialog is not None:
            self.details_dialog.close()
        deadline = time.monotonic() + CLOSE_WAIT_S
        for runner in self.runners():
            runner.shutdown(max(0.0, deadline - time.monotonic()))
        dialog = self.tokenizers_dialog
        if dialog is not None:   # its own close waits for its workers: only when none is stuck
            if any(r.running_threads() for r in dialog.runners):
                dialog.hide()
            else:
                dialog.close()
        super().closeEvent(event)


# ---------------------------------------------------------------------------------------------- command line
def counted_from_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: layers and heads count from 1")
    return value


def window_size(text: str) -> tuple[int, int]:
    """--size WxH, e.g. 1440x900 (each side 200 to 16384 pixels)."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: give WIDTHxHEIGHT in pixels, e.g. 1440x900") \
            from None
    if not (200 <= width <= 16384 and 200 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"{text}: each side must be 200 to 16384 pixels")
    return width, height


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 7 * 24 * 3600:
        raise argparse.ArgumentTypeError(f"{text}: give a positive number of seconds")
    return value


class OneLineParser(argparse.ArgumentParser):
    """Usage errors on one line (and exit status 2), not the usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = OneLineParser(prog="main.py", description="PLM Explorer: step through a language model "
                           "tensor by tensor. Layers and heads count from 1. With --screenshot the run is "
                           "scripted: it ends by itself, exit status 0 when the picture was written, else 2 "
                           "with the reason on one line of stderr.")
    parser.add_argument("--model", default=None, help="preset name, 'minilm' or a checkpoint folder")
    parser.add_argument("--text", default=None)
    parser.add_argument("--pair", default=None, help="second sentence (BERT) or target text (T5)")
    parser.add_argument("--device", default=None)
    parser.add_argument("--step", default=None, help="step name to open, e.g. blocks.0.attn.hook_pattern "
                        "(step names count layers from 0: blocks.0 is layer 1)")
    parser.add_argument("--view", default=None, help="view name: " + ", ".join(c.name for c in VIEW_CLASSES)
                        + "; or " + ", ".join(params_view.VIEW_NAMES) + " (the Parameters page); or generate "
                        "(the Generate page); or train (the Train page); or graph (the Architecture page; with "
                        "--compare A,B two layers side by side)")
    parser.add_argument("--layer", type=counted_from_one, default=None,
                        help="layer to open, from 1 (the same kind of step in that layer)")
    parser.add_argument("--head", type=counted_from_one, default=1, help="head to show, from 1 (default 1)")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="the interface's language (default: the last session's, else the system's)")
    parser.add_argument("--size", type=window_size, default=(1440, 900), help="window size for screenshots, WxH")
    parser.add_argument("--cache-gib", type=float, default=None,
                        help="memory for loaded models kept between runs, GiB (default: min(25%% of RAM, 4))")
    parser.add_argument("--screenshot", default=None, help="run, go to the step, save the window as PNG, exit")
    parser.add_argument("--tour", default=None, help="a tour file (JSON) to play; the shipped ones are in "
                        "assets/tours. With --screenshots DIR: one PNG per step, then exit (0 when every step "
                        "was shown)")
    parser.add_argument("--screenshots", default=None, help="with --tour: the folder for step-01.png, step-02.png …")
    parser.add_argument("--timeout", type=seconds, default=SCRIPT_TIMEOUT_S,
                        help=f"a scripted run (--screenshot) gives up after this many seconds, exit status 2 "
                             f"(default {SCRIPT_TIMEOUT_S:g})")
    params_view.add_arguments(parser)
    generate_view.add_arguments(parser)
    return parser.parse_args(argv)


def check_args(args: argparse.Namespace) -> str | None:
    """What makes the command line unable to run, in one line (None when it can): a device that is not here, a
    text the explorer refuses, a screenshot that cannot be written. Checked before any window opens."""
    from engine.errors import PLMError

    if args.device:
        from engine.devices import resolve_device
        try:
            resolve_device(args.device)
        except PLMError as error:
            return str(error)
    for what, text in (("--text", args.text), ("--pair", args.pair)):
        if text is not None and (what == "--text" or len(text) > session.MAX_CHARS):
            problem = session.check_text(text)
            if problem:
                return f"{what}: {problem}"
    if args.screenshots is not None and args.tour is None:
        return "--screenshots takes a folder for the steps of a --tour (one picture: --screenshot FILE.png)"
    if args.tour is not None:
        from explorer.tours import TourError, load_tour
        if args.screenshot is not None:
            return "--tour writes one picture per step with --screenshots DIR, not --screenshot"
        try:
            args.tour_loaded = load_tour(args.tour)
        except TourError as error:
            return f"--tour: {error}"
        if args.screenshots is not None:
            from explorer.tours import screenshot_name
            try:
                screenshot_target(Path(args.screenshots) / screenshot_name(0, len(args.tour_loaded.steps)))
            except PLMError as error:
                return f"--screenshots: {error}"
    if args.screenshot is not None:
        try:
            screenshot_target(args.screenshot)
        except PLMError as error:
            return f"--screenshot: {error}"
    return None


def screenshot_target(path: str | Path) -> Path:
    """Where --screenshot writes (missing folders are made); ExportError when it cannot be written there."""
    import tempfile

    from engine.errors import ExportError
    from engine.files import writable_target

    path = Path(path).expanduser()
    if str(path).strip() in ("", "."):
        raise ExportError("give a file name for the picture.")
    if "\x00" in str(path):
        raise ExportError("a file name cannot contain the NUL character.")
    existing = next((p for p in path.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise ExportError(f"Cannot write {path.name}: {existing} is a file, not a folder.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot make the folder {path.parent}: {error.strerror or error}.") from None
    target = writable_target(path)
    try:
        tempfile.NamedTemporaryFile(dir=target.parent, prefix=".plm-probe.").close()
    except OSError as error:
        raise ExportError(f"Cannot write into {target.parent}: {error.strerror or error}.") from None
    return target


def restored_args(args: argparse.Namespace, saved) -> argparse.Namespace:
    """The command line with a saved session's model, text, step, view, layer, head, language and device (what
    the command line gave explicitly wins)."""
    args = argparse.Namespace(**vars(args))
    defaults = parse_args([])
    args.model, args.text, args.pair = saved.model, saved.text, saved.pair
    args.step = args.step or saved.step
    args.view = args.view or (saved.view if saved.view in {c.name for c in VIEW_CLASSES} else None)
    if args.layer is None and saved.layer is not None:
        args.layer = saved.layer + 1
    if args.head == defaults.head and saved.head is not None:
        args.head = saved.head + 1
    if args.lang is None and saved.lang:
        args.lang = saved.lang
    if args.device is None and saved.device:
        from engine.devices import available_devices
        args.device = saved.device if saved.device in available_devices() else None
    return args


def build_window(args: argparse.Namespace, remember_session: bool = False) -> MainWindow:
    """The window the command line asks for, not yet run. DeviceError for a device that is not here.
    remember_session (main() sets it; tests that build windows never touch the user's settings): an interactive
    launch reopens the saved session when no --model / --text is given, and saves it on close."""
    device = None
    if args.device:
        from engine.devices import resolve_device
        device = str(resolve_device(args.device))
    budget = int(args.cache_gib * 2 ** 30) if args.cache_gib is not None else None
    import dataclasses

    from explorer.tours import known_model
    tour = getattr(args, "tour_loaded", None)
    if tour is not None:   # the window opens on the tour's first model and text
        args.model, args.text, args.pair = tour.steps[0].model, tour.steps[0].text, tour.steps[0].pair
    interactive = remember_session and args.screenshot is None and args.screenshots is None and tour is None
    saved, notice = remember.load_session() if interactive and args.model is None and args.text is None \
        else (None, "")
    if saved is not None and saved.model and not known_model(saved.model):   # a folder since moved away
        notice = f"The last session's model {saved.model} is not here any more; opened the default model."
        saved = dataclasses.replace(saved, model=None, step=None, layer=None)
    if saved is not None:   # reopen where the last session was left
        args = restored_args(args, saved)
    lang = args.lang or i18n.system_language()
    if not i18n.use(lang):   # the compiled translations are missing: the window opens in English and says so
        lang = "en"
        notice = notice or "The Chinese translations (assets/i18n/plm_explorer_zh_CN.qm) are missing."
    window = MainWindow(args.model, args.text, args.pair, autorun=False, cache_budget=budget)
    window.remember_session = interactive
    if notice:   # said once the first run is shown (a Run clears the message line as it starts)
        def say() -> None:
            window.ready.disconnect(say)
            if not window.last_error:
                window.show_message(lambda: remember.notice_text(notice), error=False)
        window.ready.connect(say)
    window.state.set_head(args.head - 1)
    window.state.set_setting("lang", lang)
    if device:
        index = window.device_combo.findText(device)
        if index < 0:
            window.device_combo.addItem(device)
            index = window.device_combo.count() - 1
        window.device_combo.setCurrentIndex(index)
    width, height = args.size if isinstance(args.size, tuple) else window_size(args.size)
    window.resize(width, height)
    window.pending = (args.step, args.view, args.layer - 1 if args.layer is not None else None)
    if args.view in GRAPH_VIEWS:   # before the Parameters page: --view graph --compare A,B compares layers
        from explorer.views import graph as graph_page

        window.pending = (args.step, None, window.pending[2])
        graph_page.open_from_args(window.show_graph(), args, window.model_name())
    elif params_view.wanted(args):
        window.pending = (args.step, None, window.pending[2])
        params_view.open_from_args(window.show_params(), args)
    if generate_view.wanted(args):
        window.pending = (args.step, None, window.pending[2])
        generate_view.open_from_args(window.show_generate(), args)
    if training_view.wanted(args):
        window.pending = (args.step, None, window.pending[2])
        training_view.open_from_args(window.show_train(), args)
    return window


class Screenshot:
    """--screenshot: once the run is shown and no view is computing any more, save the window and quit. Always
    ends: after `timeout_s` it gives up (exit status 2); if even the event loop is stuck, a watchdog thread ends
    the process WATCHDOG_GRACE_S later. exit_code: 0 when the picture was written and the window shows no error, else 2."""

    def __init__(self, window: MainWindow, path: str, timeout_s: float = 180.0):
        self.window, self.path = window, path
        self.timeout_s = timeout_s
        self.exit_code = 2
        self.done = False
        window.batch_mode = True
        window.ready.connect(self._ready)
        QTimer.singleShot(int(timeout_s * 1000), self._timed_out)
        self.watchdog = threading.Timer(timeout_s + WATCHDOG_GRACE_S, self._stuck)
        self.watchdog.daemon = True
        self.watchdog.start()

    def _ready(self) -> None:
        QTimer.singleShot(200, self._wait_for_views)

    def _wait_for_views(self) -> None:
        if self.done:
            return
        if self.window.busy_jobs():   # the masks comparison, the similarity matrix...
            QTimer.singleShot(300, self._wait_for_views)
        else:
            QTimer.singleShot(400, self.save)

    def _timed_out(self) -> None:
        if self.done:
            return
        status = one_line(self.window.statusBar().currentMessage(), 200)
        self.finish(f"gave up after {self.timeout_s:g} s (--timeout)" + (f"; it was: {status}" if status else ""))

    def _stuck(self) -> None:   # the watchdog thread: the event loop did not answer
        print(f"error: no answer {self.timeout_s + WATCHDOG_GRACE_S:g} s after the start (the window is stuck); "
              "stopped.",
              file=sys.stderr, flush=True)
        os._exit(2)

    def save(self) -> None:
        if self.done:
            return
        from engine.errors import ExportError, PLMError
        from engine.files import atomic_write

        image = self.window.grab().toImage()

        def write(temporary: Path) -> None:
            writer = QImageWriter(str(temporary), b"png")
            if not writer.write(image):
                raise ExportError(f"the PNG could not be encoded ({writer.errorString()})")

        try:
            written = atomic_write(screenshot_target(self.path), write)
        except PLMError as error:
            self.finish(f"the screenshot was not written: {error}")
            return
        except OSError as error:
            self.finish(f"the screenshot was not written: {error.strerror or error}")
            return
        print(f"screenshot: {written}", flush=True)
        self.finish(self.window.last_error or None)

    def finish(self, error: str | None) -> None:
        """Say how it ended (an error on one line of stderr), close the window and quit the event loop."""
        self.done = True
        self.exit_code = 2 if error else 0
        if error:
            print(f"error: {one_line(error, 1000)}", file=sys.stderr, flush=True)
        self.window.close()
        QApplication.instance().quit()


def install_excepthook() -> object:
    """Exceptions escaping a slot or an event handler go to the window: the message line names the exception and
    "Details…" has the traceback to copy; the app goes on. Returns the hook it replaced."""
    previous = sys.excepthook

    def hook(kind, error, tb):
        if issubclass(kind, KeyboardInterrupt):
            app = QApplication.instance()
            if app is not None:
                app.quit()
            return
        try:
            app = QApplication.instance()
            windows = [w for w in (app.topLevelWidgets() if app is not None else []) if isinstance(w, MainWindow)]
            window = next((w for w in windows if w.isVisible()), windows[0] if windows else None)
            if window is None:
                raise LookupError("no window")
            if error is None:
                error = kind()
            if error.__traceback__ is None and tb is not None:
                error = error.with_traceback(tb)
            window.show_exception(error)
        except Exception:   # noqa: BLE001 - no window to show it in: one line on stderr
            print(f"error: {kind.__name__}: {one_line(str(error))}", file=sys.stderr, flush=True)

    sys.excepthook = hook
    return previous


def main(argv: list[str] | None = None) -> int:
    """The app. A scripted run (--screenshot) always ends: 0 when the picture was written, else 2 with the reason
    on one line of stderr (so do a bad command line, device or text, before any window opens)."""
    args = parse_args(argv)
    problem = check_args(args)
    if problem:
        print(f"main.py: error: {one_line(problem, 1000)}", file=sys.stderr, flush=True)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from explorer.fonts import MISSING_FONT_NOTE, ensure_cjk_font
    if ensure_cjk_font(app) is None:   # the window still opens; Chinese would show as boxes
        print(f"main.py: note: {MISSING_FONT_NOTE}", file=sys.stderr, flush=True)
    previous_hook = install_excepthook()
    try:
        try:
            window = build_window(args, remember_session=True)
        except Exception as error:   # noqa: BLE001 - PLMError or a bug: one line, no traceback
            from engine.errors import PLMError
            text = str(error) if isinstance(error, PLMError) else f"{type(error).__name__}: {error}"
            print(f"main.py: error: {one_line(text, 1000)}", file=sys.stderr, flush=True)
            return 2
        shot = Screenshot(window, args.screenshot, args.timeout) if args.screenshot else None
        tour = getattr(args, "tour_loaded", None)
        tour_shots = TourScreenshots(window, tour, args.screenshots, args.timeout) if args.screenshots else None
        window.show()
        if tour_shots is not None:
            QTimer.singleShot(0, tour_shots.start)
        elif tour is not None:
            QTimer.singleShot(0, lambda: window.tour.start(tour))
        else:
            QTimer.singleShot(0, window.start)
        code = app.exec()
        if tour_shots is not None:
            tour_shots.watchdog.cancel()
            return tour_shots.exit_code if tour_shots.done else 2
        if shot is not None:
            shot.watchdog.cancel()
            return shot.exit_code if shot.done else 2
        return code
    finally:
        sys.excepthook = previous_hook
