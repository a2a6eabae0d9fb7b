"""The explorer window: pick a model, type text, Run (in a worker), then step through every recorded tensor.

    python main.py [--model NAME] [--text TEXT] [--pair TEXT] [--step STEP] [--view VIEW] [--screenshot FILE.png]
"""
from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMainWindow,
                               QPlainTextEdit, QProgressBar, QPushButton, QSizePolicy, QSpinBox, QSplitter, QTabWidget,
                               QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from explorer import session
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP, Lessons, build_tree, step_label, view_kinds
from explorer.views.attention import AttentionView, GridView, LinesView
from explorer.views.base import StepContext
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
    def __init__(self, model: str | None = None, text: str | None = None, pair: str | None = None,
                 autorun: bool = True):
        super().__init__()
        self.setWindowTitle("PLM Explorer")
        self.resize(1440, 900)
        self.runner = Runner(self)
        self.runner.busy_changed.connect(self._set_busy)
        self.lessons = Lessons()
        self.lang = "en"
        self.loaded = None          # engine LoadedModel of the shown trace
        self.trace = None
        self.trace_text, self.trace_pair = "", None
        self.models: dict[tuple[str, str], object] = {}   # (name, device) -> LoadedModel, reused across runs
        self.steps: list[str] = []
        self.current_step: str | None = None
        self.head = 0
        self.state: dict = {}
        self.pending: tuple[str | None, str | None] | None = None
        self.batch_mode = False
        self.fallback_model: str | None = None
        self.last_error = ""
        self.items: dict[str, QTreeWidgetItem] = {}
        self.tokenizers_dialog: TokenizersDialog | None = None
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
        for group in session.GROUPS:
            entries = [e for e in session.catalogue() if e.group == group]
            if not entries:
                continue
            self.model_combo.addItem(f"── {group} ──")
            self.model_combo.model().item(self.model_combo.count() - 1).setEnabled(False)
            for e in entries:
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
        self.lang_combo.currentIndexChanged.connect(self._lang_changed)
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
        self.layer_box = QSpinBox()
        self.layer_box.setPrefix("layer ")
        self.layer_box.setMinimum(1)
        self.layer_box.setKeyboardTracking(False)
        self.layer_box.valueChanged.connect(self.jump_to_layer)
        for b in (self.prev_button, self.next_button, self.play_button):
            b.setFocusPolicy(Qt.NoFocus)
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.play_button.clicked.connect(lambda *_: self._play(self.play_button.isChecked()))
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

        # views
        self.tabs = QTabWidget()
        self.views = {}
        for cls in VIEW_CLASSES:
            view = cls(app=self)
            view.navigate.connect(self.go_to)
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
                           ("Export view as PNG…", lambda: self.export_view("png")),
                           ("Export view as SVG…", lambda: self.export_view("svg")),
                           ("Copy tensor as CSV", self.copy_csv), ("Quit", self.close)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            menu.addAction(action)
        tools = self.menuBar().addMenu("&Tools")
        action = QAction("Compare tokenizers…", self, shortcut=QKeySequence("Ctrl+T"))
        action.triggered.connect(lambda: self.open_tokenizers())
        tools.addAction(action)
        self.statusBar().showMessage("Ready")

    def _shortcuts(self) -> None:
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.run)
        for key in (Qt.Key_Right, Qt.Key_Down, Qt.Key_PageDown):
            QShortcut(QKeySequence(key), self, activated=self.next)
        for key in (Qt.Key_Left, Qt.Key_Up, Qt.Key_PageUp):
            QShortcut(QKeySequence(key), self, activated=self.previous)
        QShortcut(QKeySequence(Qt.Key_Home), self, activated=lambda: self.go_to(self.steps[0]) if self.steps else None)
        QShortcut(QKeySequence(Qt.Key_End), self, activated=lambda: self.go_to(self.steps[-1]) if self.steps else None)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.cancel)

    # ------------------------------------------------------------------ model and run
    def model_name(self) -> str:
        return self.model_combo.currentData() or session.FALLBACK_MODEL

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
        self.runner.cancel_all()      # a new Run replaces the old one; its result will be discarded
        name, device = self.model_name(), self.device_combo.currentText() or "cpu"
        cached = self.models.get((name, device))
        self.show_message("", error=False)
        self.statusBar().showMessage(f"Running {name} on {device}…")

        def work(job):
            import engine
            loaded = cached
            if loaded is None:
                job.progress(f"loading {name}…")
                loaded = engine.load(name, device=device)
            if job.cancelled:
                return None
            job.progress(f"tracing {len(text)} characters…")
            trace = loaded.trace(text=text, text_pair=pair)
            return loaded, trace, text, pair

        self.job = self.runner.start(work, self._on_result, self._on_error,
                                     lambda m: self.statusBar().showMessage(m))

    def cancel(self) -> None:
        if self.runner.active:
            self.runner.cancel_all()
            self.statusBar().showMessage("Cancelled: the result of that run will be discarded.")

    def _set_busy(self, busy: int) -> None:
        busy = bool(busy)
        self.busy.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.run_button.setText("Run again (replaces)" if busy else "Run  (Ctrl+Enter)")

    def _on_result(self, result) -> None:
        if result is None:
            return
        loaded, trace, text, pair = result
        self.models[(loaded.name, str(self.device_combo.currentText() or "cpu"))] = loaded
        self.fallback_model = None
        self.loaded, self.trace, self.trace_text, self.trace_pair = loaded, trace, text, pair
        self.state = {}
        self.steps = [TOKENIZER_STEP] + trace.cache.names() + [OUTPUT_STEP]
        self._fill_tree()
        layers = {session.layer_of(n) for n in trace.cache.names()} - {None}
        self.layer_box.blockSignals(True)
        self.layer_box.setMaximum(max(1, max((i for _, i in layers), default=0) + 1))
        self.layer_box.blockSignals(False)
        self.model_note.setText(f"<b>{html.escape(loaded.name)}</b>: {html.escape(loaded.notes)}")
        self.model_note.setVisible(bool(loaded.notes))
        where = f"{loaded.device}"
        self.statusBar().showMessage(f"{loaded.name}: {loaded.family.title}, {loaded.weights} weights "
                                     f"({loaded.source}) on {where} · {len(trace.tokens)} tokens · "
                                     f"{len(trace.cache)} steps")
        self.setWindowTitle(f"PLM Explorer — {loaded.name}")
        step, view = self.pending or (None, None)
        self.pending = None
        if step is None and view is not None:   # --view alone: the first step that has that view
            step = next((s for s in self.steps if view in self.kinds_for(s)), None)
        if step is None:
            step = self.current_step if self.current_step in self.steps else TOKENIZER_STEP
        if step not in self.steps:
            matches = [s for s in self.steps if s.endswith(step) or step in s]
            if not matches:
                self.show_message(f"No step called {step!r} in this trace; showing the tokens.")
            step = matches[0] if matches else TOKENIZER_STEP
        self.go_to(step, view)
        if getattr(self, "on_ready", None):
            self.on_ready()

    def _on_error(self, message: str, user_error: bool) -> None:
        if self.fallback_model and self.model_name() != self.fallback_model:
            failed, self.fallback_model = self.model_name(), None
            self.select_model(session.FALLBACK_MODEL)
            self.statusBar().showMessage(f"{failed} could not load ({message}); opened {session.FALLBACK_MODEL}")
            self.run()
            return
        self.show_message(message if user_error else f"Something went wrong: {message}")
        self.statusBar().showMessage("Error")
        if getattr(self, "on_ready", None):
            self.on_ready()

    # ------------------------------------------------------------------ navigation
    def _fill_tree(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items = {}
        cache = self.trace.cache

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

    def _tree_changed(self, item, _previous) -> None:
        if item is None:
            return
        step = item.data(0, STEP_ROLE)
        if step is None:   # a group: open its first step
            while item.childCount() and item.data(0, STEP_ROLE) is None:
                item = item.child(0)
            step = item.data(0, STEP_ROLE)
        if step is not None and step != self.current_step:
            self.go_to(step)

    def next(self) -> None:
        self._move(1)

    def previous(self) -> None:
        self._move(-1)

    def _move(self, delta: int) -> None:
        if not self.steps:
            return
        index = self.steps.index(self.current_step) if self.current_step in self.steps else 0
        index = max(0, min(len(self.steps) - 1, index + delta))
        self.go_to(self.steps[index])

    def jump_to_layer(self, layer: int) -> None:
        for s in self.steps:
            where = session.layer_of(s)
            if where is not None and where[1] == layer - 1:
                self.go_to(s)
                return

    def _play(self, on: bool) -> None:
        self.play_button.setText("Pause" if on else "Play")
        self.timer.start() if on else self.timer.stop()

    def _tick(self) -> None:
        if self.current_step == self.steps[-1]:
            self.play_button.setChecked(False)
        else:
            self.next()

    def context(self, name: str) -> StepContext:
        step = None if name in (TOKENIZER_STEP, OUTPUT_STEP) else self.trace.cache.step(name)
        return StepContext(self.trace, name, step, self.loaded, self.trace_text, self.trace_pair, self.head,
                           self.state)

    def kinds_for(self, name: str) -> list[str]:
        step = None if name in (TOKENIZER_STEP, OUTPUT_STEP) else self.trace.cache.step(name)
        dims = step.dims if step is not None else ()
        is_bool = step is not None and str(step.tensor.dtype) == "torch.bool"
        kinds = view_kinds(name, dims, is_bool, lambda n: n in self.trace.cache)
        if name == OUTPUT_STEP and any(k in self.trace.outputs for k in ("mlm", "lm")):
            kinds = ["output"]
        return kinds

    def go_to(self, name: str, view: str | None = None) -> None:
        if self.trace is None or name not in self.steps:
            return
        self.current_step = name
        kinds = self.kinds_for(name)
        if view not in kinds:
            current = self.tabs.currentWidget()
            view = current.name if current is not None and current.name in kinds and \
                self.tabs.isTabVisible(self.tabs.currentIndex()) else kinds[0]
        self.tabs.blockSignals(True)
        for i in range(self.tabs.count()):
            self.tabs.setTabVisible(i, self.tabs.widget(i).name in kinds)
        self.tabs.setCurrentWidget(self.views[view])
        self.tabs.blockSignals(False)
        item = self.items.get(name)
        if item is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.tree.blockSignals(False)
        self._show_current()
        self._update_lesson()
        index = self.steps.index(name)
        self.position_label.setText(f"step {index + 1} / {len(self.steps)} · ←/→ or PageUp/PageDown")

    def current_view(self):
        return self.tabs.currentWidget()

    def _show_current(self) -> None:
        view = self.current_view()
        if view is not None and self.trace is not None and self.current_step:
            view.show_step(self.context(self.current_step))

    def _tab_changed(self, _index: int) -> None:
        self._show_current()

    def _lang_changed(self, _index: int) -> None:
        self.lang = self.lang_combo.currentData()
        self._update_lesson()

    def _update_lesson(self) -> None:
        name = self.current_step
        if self.trace is None or name is None:
            return
        if name == TOKENIZER_STEP:
            key, title, shape = "tokenizer", "Tokenizer", f"{len(self.trace.tokens)} tokens"
        elif name == OUTPUT_STEP:
            key, title, shape = "output", "Output", ""
        else:
            step = self.trace.cache.step(name)
            key, title = step.key, step_label(name, step.key)
            shape = f"shape {tuple(step.shape)}<br>dims ({', '.join(step.dims)})"
        shown_name = "" if name in (TOKENIZER_STEP, OUTPUT_STEP) else f"<code>{html.escape(name)}</code><br>"
        self.step_title.setText(f"<h3>{html.escape(title)}</h3>{shown_name}{shape}"
                                f"<br><span style='color:#777'>lesson key: {html.escape(key)}</span>")
        text = self.lessons.text(key, self.lang)
        self.lesson.setHtml(html.escape(text).replace("\n", "<br>") if text else
                            "<i>No lesson text for this step yet.</i>")

    # ------------------------------------------------------------------ export
    def _ask(self, caption: str, filt: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, f"plm-{self.current_step or 'view'}{suffix}", filt)
        return path or None

    def save_npz(self, path: str | None = None) -> None:
        if self.trace is None:
            return
        path = path or self._ask("Save trace", "NumPy archive (*.npz)", ".npz")
        if path:
            self.trace.save_npz(path)
            self.statusBar().showMessage(f"Saved {path}")

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

    def open_tokenizers(self, text: str | None = None) -> TokenizersDialog:
        """Tools > Compare tokenizers (Ctrl+T): a non-modal dialog with its own workers."""
        if self.tokenizers_dialog is None:
            self.tokenizers_dialog = TokenizersDialog(self, text, self.lang)
        elif text is not None:
            self.tokenizers_dialog.compare.set_text(text)
        self.tokenizers_dialog.show()
        self.tokenizers_dialog.raise_()
        self.tokenizers_dialog.activateWindow()
        return self.tokenizers_dialog

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:
        self.timer.stop()
        if self.tokenizers_dialog is not None:
            self.tokenizers_dialog.close()
        self.runner.shutdown()
        super().closeEvent(event)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="main.py", description="PLM Explorer")
    parser.add_argument("--model", default=None, help="preset name, 'minilm' or a checkpoint folder")
    parser.add_argument("--text", default=None)
    parser.add_argument("--pair", default=None, help="second sentence (BERT) or target text (T5)")
    parser.add_argument("--device", default=None)
    parser.add_argument("--step", default=None, help="step name to open, e.g. blocks.0.attn.hook_pattern")
    parser.add_argument("--view", default=None, help="view name: " + ", ".join(c.name for c in VIEW_CLASSES))
    parser.add_argument("--head", type=int, default=0)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--size", default="1440x900", help="window size for screenshots, WxH")
    parser.add_argument("--screenshot", default=None, help="run, go to the step, save the window as PNG, exit")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(args.model, args.text, args.pair, autorun=False)
    window.head = args.head
    window.lang_combo.setCurrentIndex(1 if args.lang == "zh" else 0)
    if args.device:
        window.device_combo.setCurrentText(args.device)
    width, height = (int(x) for x in args.size.lower().split("x"))
    window.resize(width, height)
    window.pending = (args.step, args.view)
    exit_code = [0]
    if args.screenshot:
        window.batch_mode = True

        def shoot():
            QApplication.processEvents()
            view = window.current_view()
            if view is not None and view.name == "masks-compare" and not view.results:
                view.run()
                QTimer.singleShot(500, wait_compare)
                return
            QTimer.singleShot(400, save)

        def wait_compare():
            if window.runner.active:
                QTimer.singleShot(300, wait_compare)
            else:
                QTimer.singleShot(400, save)

        def save():
            Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
            ok = window.grab().save(args.screenshot, "PNG")
            print(f"screenshot: {args.screenshot}" if ok else "could not save the screenshot")
            if window.last_error:
                print(f"message: {window.last_error}")
                exit_code[0] = 1
            window.close()
            app.quit()

        window.on_ready = lambda: QTimer.singleShot(200, shoot)
        QTimer.singleShot(180000, save)
    window.show()
    QTimer.singleShot(0, window.run)
    code = app.exec()
    return exit_code[0] or code
