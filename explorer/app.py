"""The explorer window: pick a model, type text, Run (in a worker), then step through every recorded tensor.

    python main.py [--model NAME] [--text TEXT] [--pair TEXT] [--step STEP] [--view VIEW] [--layer N] [--head N]
                   [--lang en|zh] [--screenshot FILE.png]

Layers and heads count from 1 wherever a user reads or types them (the navigator, the views, --layer, --head);
step names and indices inside the code stay 0-based (blocks.0 is layer 1).

The window holds an ExplorerState (explorer.state, Qt-free) and wires its widgets to it: widgets write through the
state's methods, and the state's events move the navigator, the layer box, the tabs and the lesson. Views get the
state, never the window.
"""
from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMainWindow,
                               QPlainTextEdit, QProgressBar, QPushButton, QSizePolicy, QSpinBox, QSplitter, QTabWidget,
                               QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from explorer import session
from explorer.model_cache import ModelCache, format_gib
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP, build_tree, lesson_text, step_label
from explorer.state import ExplorerState, Notice
from explorer.views.attention import AttentionView, GridView, LinesView
from explorer.views.mask import MasksCompareView, MaskView
from explorer.views.output import OutputView, SimilarityView
from explorer.views.qkv import QKVView
from explorer.views.tokenizers import TokenizersDialog
from explorer.views.tokens import TokensView
from explorer.views.vectors import VectorsView
from explorer.workers import Runner

VIEW_CLASSES = [TokensView, VectorsView, AttentionView, GridView, LinesView, QKVView, MaskView, MasksCompareView,
                OutputView, SimilarityView]
STEP_ROLE = Qt.UserRole + 1


class MainWindow(QMainWindow):
    """ready: emitted each time a Run has been shown (or has failed), once the views have drawn it."""
    ready = Signal()

    def __init__(self, model: str | None = None, text: str | None = None, pair: str | None = None,
                 autorun: bool = True, cache_budget: int | None = None):
        super().__init__()
        self.setWindowTitle("PLM Explorer")
        self.resize(1440, 900)
        self.state = ExplorerState()
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
    def _build(self) -> None:
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(330)
        entries = session.catalogue()
        for group in session.groups():
            in_group = [e for e in entries if e.group == group]
            if not in_group:
                continue
            self.model_combo.addItem(f"── {group} ──")
            self.model_combo.model().item(self.model_combo.count() - 1).setEnabled(False)
            for e in in_group:
                self.model_combo.addItem(f"  {e.label}", e.name)
                self.model_combo.setItemData(self.model_combo.count() - 1, f"{e.weights} weights · {e.source}",
                                             Qt.ToolTipRole)
        self.device_combo = QComboBox()
        try:
            from engine.devices import available_devices
            self.device_combo.addItems(available_devices())
        except Exception:   # noqa: BLE001
            self.device_combo.addItem("cpu")
        self.run_button = QPushButton("Run  (Ctrl+Enter)")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.lang_combo = QComboBox()
        self.lang_combo.addItem("English", "en")
        self.lang_combo.addItem("中文", "zh")
        self.lang_combo.currentIndexChanged.connect(self._lang_chosen)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setMaximumHeight(52)
        self.text_edit.setPlaceholderText("Type a sentence (English or Chinese); [MASK] asks a BERT model to fill in")
        self.pair_edit = QLineEdit()
        self.pair_edit.setPlaceholderText("second sentence (BERT NSP pairs) or target text (T5); optional")
        self.model_note = QLabel()   # what the user should know about this model (no MLM head, GLM's norm order)
        self.model_note.setWordWrap(True)
        self.model_note.setStyleSheet("color:#555")
        self.model_note.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel("Model"))
        top.addWidget(self.model_combo, 2)
        top.addWidget(QLabel("Device"))
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
        inputs.addWidget(self.message)

        # navigator
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setFocusPolicy(Qt.NoFocus)
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.prev_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.layer_box = QSpinBox()   # counts from 1, follows the current step's layer
        self.layer_box.setPrefix("layer ")
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
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.tree, 1)
        ll.addLayout(nav_buttons)
        ll.addWidget(self.position_label)

        # views: each is given the state, and follows it
        self.tabs = QTabWidget()
        self.views = {}
        for cls in VIEW_CLASSES:
            view = cls(self.state)
            self.views[view.name] = view
            self.tabs.addTab(view, view.title)
        self.tabs.currentChanged.connect(self._tab_changed)

        # lesson
        self.step_title = QLabel()
        self.step_title.setWordWrap(True)
        self.step_title.setTextFormat(Qt.RichText)
        self.step_title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.lesson = QTextBrowser()
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
        self.setCentralWidget(central)

        menu = self.menuBar().addMenu("&File")
        for text, slot in (("Open checkpoint folder…", self.open_folder), ("Save trace as .npz…", self.save_npz),
                           ("Export view as PNG…", self.export_png), ("Export view as SVG…", self.export_svg),
                           ("Copy tensor as CSV", self.copy_csv), ("Quit", self.close)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            menu.addAction(action)
        tools = self.menuBar().addMenu("&Tools")
        action = QAction("Compare tokenizers…", self, shortcut=QKeySequence("Ctrl+T"))
        action.triggered.connect(self._tokenizers_action)
        tools.addAction(action)
        self.statusBar().showMessage("Ready")

    def _shortcuts(self) -> None:
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.run)
        for key in (Qt.Key_Right, Qt.Key_Down, Qt.Key_PageDown):
            QShortcut(QKeySequence(key), self, activated=self.next)
        for key in (Qt.Key_Left, Qt.Key_Up, Qt.Key_PageUp):
            QShortcut(QKeySequence(key), self, activated=self.previous)
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

    def show_message(self, text: str, error: bool = True) -> None:
        self.last_error = text if error else ""
        colour = "#b00020" if error else "#1a5e20"
        self.message.setStyleSheet(f"color: {colour}; background: {'#fdecea' if error else '#e8f5e9'}; "
                                   "padding: 6px; border-radius: 4px;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def run(self) -> None:
        text = self.text_edit.toPlainText()
        pair = self.pair_edit.text().strip() or None
        problem = session.check_text(text) or (session.check_text(pair) if pair and len(pair) > session.MAX_CHARS
                                               else None)
        if problem:
            self.show_message(problem)
            return
        self.runner.cancel_all()      # a new Run replaces the old one (only Run's: the views' jobs go on)
        name, device = self.model_name(), self.device()
        cached = self.models.get(name, device)
        self.show_message("", error=False)
        self.statusBar().showMessage(f"Running {name} on {device}…")

        def work(job):   # worker thread: captures no Qt object
            import engine
            loaded = cached
            if loaded is None:
                job.progress(f"loading {name}…")
                loaded = engine.load(name, device=device)
            job.progress(f"tracing {len(text)} characters…")
            trace = loaded.trace(text=text, text_pair=pair)
            return name, device, loaded, trace, text, pair

        self.job = self.runner.start(work, self._on_result, self._on_error, self._on_progress)

    def cancel(self) -> None:
        if self.runner.active:
            self.runner.cancel_all()
            self.statusBar().showMessage("Cancelled: the result of that run will be discarded.")

    def _set_busy(self, busy: int) -> None:
        busy = bool(busy)
        self.busy.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.run_button.setText("Run again (replaces)" if busy else "Run  (Ctrl+Enter)")

    def _on_progress(self, message: str) -> None:
        self.statusBar().showMessage(message)

    def _on_result(self, result) -> None:
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
            status = [f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights ({loaded.source}) on "
                      f"{loaded.device} · {len(trace.tokens)} tokens · {len(trace.cache)} steps"]
            status += self._notes
            if evicted:
                status.append(f"unloaded {', '.join(evicted)} to stay within {format_gib(self.models.budget)}")
            self.statusBar().showMessage(" · ".join(status))
        except Exception as error:   # noqa: BLE001 - a view that cannot draw says so; the window goes on
            import traceback
            traceback.print_exc()
            self.show_message(f"Something went wrong showing the result: {type(error).__name__}: {error}")
        finally:
            self.ready.emit()

    def _on_error(self, message: str, user_error: bool) -> None:
        if self.fallback_model and self.model_name() != self.fallback_model:
            failed, self.fallback_model = self.model_name(), None
            self.select_model(session.FALLBACK_MODEL)
            self.statusBar().showMessage(f"{failed} could not load ({message}); opened {session.FALLBACK_MODEL}")
            self.run()
            return
        self.show_message(message if user_error else f"Something went wrong: {message}")
        self.statusBar().showMessage("Error")
        self.ready.emit()

    # ------------------------------------------------------------------ state -> widgets
    def _notice(self, notice: Notice) -> None:
        if notice.error:
            self.show_message(notice.text)
        else:
            self._notes.append(notice.text)
            self.statusBar().showMessage(notice.text)
        if self.batch_mode:
            print(f"{'message' if notice.error else 'note'}: {notice.text}")

    def _trace_changed(self, trace) -> None:
        loaded = self.state.loaded
        self._fill_tree()
        self.layer_box.blockSignals(True)
        self.layer_box.setMaximum(max(1, self.state.layers))
        self.layer_box.blockSignals(False)
        notes = getattr(loaded, "notes", "")
        self.model_note.setText(f"<b>{html.escape(loaded.name)}</b>: {html.escape(notes)}")
        self.model_note.setVisible(bool(notes))
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
        self.position_label.setText(f"step {state.index + 1} / {len(state.steps)} · ←/→ or PageUp/PageDown")

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
        self.play_button.setText("Pause" if on else "Play")
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

        def add(parent, node):
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
                add(item, child)

        add(self.tree.invisibleRootItem(), build_tree(cache.names()))
        self.tree.blockSignals(False)

    def current_view(self):
        return self.tabs.currentWidget()

    def _update_lesson(self) -> None:
        state = self.state
        name = state.step
        if state.trace is None or name is None:
            return
        if name == TOKENIZER_STEP:
            key, title, shape = "tokenizer", "Tokenizer", f"{len(state.trace.tokens)} tokens"
        elif name == OUTPUT_STEP:
            key, title, shape = "output", "Output", ""
        else:
            step = state.trace.cache.step(name)
            key, title = step.key, step_label(name, step.key)
            shape = f"shape {tuple(step.shape)}<br>dims ({', '.join(step.dims)})"
        shown_name = "" if name in (TOKENIZER_STEP, OUTPUT_STEP) else f"<code>{html.escape(name)}</code><br>"
        where = session.layer_title(name)
        where = f"{where}<br>" if where else ""
        self.step_title.setText(f"<h3>{html.escape(title)}</h3>{shown_name}{where}{shape}"
                                f"<br><span style='color:#777'>lesson key: {html.escape(key)}</span>")
        text = lesson_text(key, state.lang, state.loaded.family.name if state.loaded is not None else None)
        self.lesson.setHtml(html.escape(text).replace("\n", "<br>") if text else
                            "<i>No lesson text for this step yet.</i>")

    # ------------------------------------------------------------------ export
    def _ask(self, caption: str, filt: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, f"plm-{self.state.step or 'view'}{suffix}", filt)
        return path or None

    def save_npz(self, path: str | None = None) -> None:
        if self.state.trace is None:
            return
        path = path or self._ask("Save trace", "NumPy archive (*.npz)", ".npz")
        if path:
            self.state.trace.save_npz(path)
            self.statusBar().showMessage(f"Saved {path}")

    def export_png(self) -> bool:
        return self.export_view("png")

    def export_svg(self) -> bool:
        return self.export_view("svg")

    def export_view(self, kind: str, path: str | None = None) -> bool:
        view = self.current_view()
        path = path or self._ask(f"Export {kind.upper()}", f"{kind.upper()} (*.{kind})", f".{kind}")
        if not path or view is None:
            return False
        ok = view.export_png(path) if kind == "png" else view.export_svg(path)
        self.statusBar().showMessage(f"Exported {path}" if ok else f"Could not write {path}")
        return ok

    def copy_csv(self) -> str | None:
        view = self.current_view()
        text = view.csv() if view is not None else None
        if text:
            QApplication.clipboard().setText(text)
            self.statusBar().showMessage(f"Copied {text.count(chr(10))} CSV lines to the clipboard")
        return text

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Hugging Face checkpoint folder")
        if folder:
            self.select_model(folder)
            self.run()

    def _tokenizers_action(self, _checked: bool = False) -> None:
        self.open_tokenizers()

    def open_tokenizers(self, text: str | None = None) -> TokenizersDialog:
        """Tools > Compare tokenizers (Ctrl+T): a non-modal dialog with its own workers."""
        if self.tokenizers_dialog is None:
            self.tokenizers_dialog = TokenizersDialog(self, text, self.state.lang)
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
        """Stop the timers and wait for every worker, so no thread outlives the widgets it reports to."""
        self.timer.stop()
        if self.tokenizers_dialog is not None:
            self.tokenizers_dialog.close()
        for runner in self.runners():
            runner.shutdown()
        super().closeEvent(event)


# ---------------------------------------------------------------------------------------------- command line
def counted_from_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: layers and heads count from 1")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="PLM Explorer: step through a language model "
                                     "tensor by tensor. Layers and heads count from 1.")
    parser.add_argument("--model", default=None, help="preset name, 'minilm' or a checkpoint folder")
    parser.add_argument("--text", default=None)
    parser.add_argument("--pair", default=None, help="second sentence (BERT) or target text (T5)")
    parser.add_argument("--device", default=None)
    parser.add_argument("--step", default=None, help="step name to open, e.g. blocks.0.attn.hook_pattern "
                        "(step names count layers from 0: blocks.0 is layer 1)")
    parser.add_argument("--view", default=None, help="view name: " + ", ".join(c.name for c in VIEW_CLASSES))
    parser.add_argument("--layer", type=counted_from_one, default=None,
                        help="layer to open, from 1 (the same kind of step in that layer)")
    parser.add_argument("--head", type=counted_from_one, default=1, help="head to show, from 1 (default 1)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--size", default="1440x900", help="window size for screenshots, WxH")
    parser.add_argument("--cache-gib", type=float, default=None,
                        help="memory for loaded models kept between runs, GiB (default: min(25%% of RAM, 4))")
    parser.add_argument("--screenshot", default=None, help="run, go to the step, save the window as PNG, exit")
    return parser.parse_args(argv)


def build_window(args: argparse.Namespace) -> MainWindow:
    """The window the command line asks for, not yet run."""
    budget = int(args.cache_gib * 2 ** 30) if args.cache_gib is not None else None
    window = MainWindow(args.model, args.text, args.pair, autorun=False, cache_budget=budget)
    window.state.set_head(args.head - 1)
    window.state.set_setting("lang", args.lang)
    if args.device:
        window.device_combo.setCurrentText(args.device)
    width, height = (int(x) for x in args.size.lower().split("x"))
    window.resize(width, height)
    window.pending = (args.step, args.view, args.layer - 1 if args.layer is not None else None)
    return window


class Screenshot:
    """--screenshot: once the run is shown and no view is computing any more, save the window and quit."""

    def __init__(self, window: MainWindow, path: str, limit_ms: int = 180000):
        self.window, self.path = window, path
        self.exit_code = 0
        self.done = False
        window.batch_mode = True
        window.ready.connect(self._ready)
        QTimer.singleShot(limit_ms, self.save)

    def _ready(self) -> None:
        QTimer.singleShot(200, self._wait_for_views)

    def _wait_for_views(self) -> None:
        if self.done:
            return
        QApplication.processEvents()
        if self.window.busy_jobs():   # the masks comparison, the similarity matrix...
            QTimer.singleShot(300, self._wait_for_views)
        else:
            QTimer.singleShot(400, self.save)

    def save(self) -> None:
        if self.done:
            return
        self.done = True
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        ok = self.window.grab().save(self.path, "PNG")
        print(f"screenshot: {self.path}" if ok else "could not save the screenshot")
        if self.window.last_error:
            print(f"message: {self.window.last_error}")
            self.exit_code = 1
        self.window.close()
        QApplication.instance().quit()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = build_window(args)
    shot = Screenshot(window, args.screenshot) if args.screenshot else None
    window.show()
    QTimer.singleShot(0, window.run)
    code = app.exec()
    return (shot.exit_code if shot is not None else 0) or code
