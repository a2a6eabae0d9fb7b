"""The tour player: drives the window through a Tour (explorer.tours) step by step and shows each step's note in
the window's language; with `--tour FILE --screenshots DIR` it writes one PNG per step and exits.

Keys: while a tour plays, PageDown / PageUp (what presentation clickers send) go to the tour's next / previous
step; the arrow keys still step through the tensors. Without a tour, PageDown / PageUp step as the arrows do.

A step that names another model or text runs it (in the window's worker, as Run does) and is placed once the run
is shown; a step on the same run only moves the state. `shown(index, error)` says when a step is on screen, with
"" or the reason it could not be shown.
"""
from __future__ import annotations

import html
import os
import sys
import threading
import weakref
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImageWriter
from PySide6.QtWidgets import QApplication, QFileDialog, QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout

from explorer.i18n import translate, translate_message
from explorer.tours import TOURS_DIR, Tour, TourError, explain, load_tour, resolve_step, screenshot_name, shipped_tours

# What can keep a step from being placed: said in English (a scripted run's stderr) and, on the window's message
# line, in the interface's language
PROBLEMS = (QT_TRANSLATE_NOOP("tour_player", "{model} has no step called {step}"),
            QT_TRANSLATE_NOOP("tour_player", "layer {layer} does not exist in {model} ({count} layers)"),
            QT_TRANSLATE_NOOP("tour_player", "the {view} view cannot show {step}"),
            QT_TRANSLATE_NOOP("tour_player", "head {head} does not exist here ({count} heads)"))


def problem_text(error: str) -> str:
    """A step's problems (joined by "; ") or a run's error, in the interface's language."""
    parts = [translate_message("tour_player", part, PROBLEMS) for part in error.split("; ")]
    if parts != error.split("; "):
        return translate("tour_player", "; ").join(parts)
    return explain(error)


class TourPanel(QFrame):
    """The note of the current tour step, above the step-through, with Previous / Next / End."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("tourPanel")
        self.setStyleSheet("#tourPanel { background: #fff8e1; border: 1px solid #e0c060; border-radius: 4px; }")
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.RichText)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.PlainText)
        self.note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = self.note.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)   # read from the back of a room
        self.note.setFont(font)
        self.previous_button, self.next_button, self.end_button = QPushButton(), QPushButton(), QPushButton()
        for button in (self.previous_button, self.next_button, self.end_button):
            button.setFocusPolicy(Qt.NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.heading, 1)
        for button in (self.previous_button, self.next_button, self.end_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self.hide()


class TourPlayer(QObject):
    shown = Signal(int, str)   # step index, "" when it is on screen, else why not

    def __init__(self, window):
        super().__init__(window)
        self._window = weakref.ref(window)   # the window owns the player: no reference cycle back to it
        self.tour: Tour | None = None
        self.index = -1
        self._waiting = False      # a step's run is in the window's worker
        self.panel = TourPanel()
        self.panel.previous_button.clicked.connect(self.previous)
        self.panel.next_button.clicked.connect(self.next)
        self.panel.end_button.clicked.connect(self.stop)
        window.ready.connect(self._run_done)
        window.state.events.settings.connect(self._settings_changed)
        self.menu: QMenu | None = None
        self.open_action: QAction | None = None

    @property
    def window(self):
        return self._window()

    @property
    def active(self) -> bool:
        return self.tour is not None

    # ------------------------------------------------------------------ driving
    def start(self, tour: Tour, index: int = 0) -> None:
        self.tour = tour
        self.panel.show()
        self.go(index)

    def stop(self, _checked: bool = False) -> None:
        self.tour, self.index, self._waiting = None, -1, False
        self.panel.hide()

    def next(self, _checked: bool = False) -> None:
        if self.tour is not None and self.index + 1 < len(self.tour.steps):
            self.go(self.index + 1)

    def previous(self, _checked: bool = False) -> None:
        if self.tour is not None and self.index > 0:
            self.go(self.index - 1)

    def go(self, index: int) -> None:
        """Show step `index` (0-based): run its model and text when they are not the ones on screen."""
        if self.tour is None:
            return
        self.index = max(0, min(index, len(self.tour.steps) - 1))
        step = self.tour.steps[self.index]
        self._show_note()
        window, state = self.window, self.window.state
        window.show_step_through()
        if (state.loaded is None or getattr(state.loaded, "name", None) != step.model or state.text != step.text
                or (state.pair or None) != step.pair):
            window.select_model(step.model)
            window.text_edit.setPlainText(step.text)
            window.pair_edit.setText(step.pair or "")
            window.pending = None
            window.last_error = ""
            state.set_head((step.head or 1) - 1)   # not the previous model's head, which this one may lack
            self._waiting = True   # before run(): a refused Run says ready at once
            window.run()
        else:
            self._place()

    def _run_done(self) -> None:
        if not self._waiting or self.tour is None:
            return
        self._waiting = False
        if self.window.last_error:
            self._shown(self.window.last_error)
        else:
            self._place()

    def _place(self) -> None:
        """Move the state to the step's step, view, layer and head; say what could not be done."""
        step, state = self.tour.steps[self.index], self.window.state
        problems = []
        if step.step is not None:
            name = resolve_step(state.steps, step.step)
            if name is None:
                problems.append(f"{step.model} has no step called {step.step!r}")
            else:
                state.go_to(name, step.view)
        if step.layer is not None:
            count = state.layer_count()
            if step.layer > count:
                problems.append(f"layer {step.layer} does not exist in {step.model} ({count} layers)")
            else:
                state.set_layer(step.layer - 1)
        if step.view is not None and state.view != step.view and not state.set_view(step.view):
            problems.append(f"the {step.view} view cannot show {state.step}")
        if step.head is not None:
            if step.head > state.head_count():
                problems.append(f"head {step.head} does not exist here ({state.head_count()} heads)")
            state.set_head(step.head - 1)
        self._shown("; ".join(problems))

    def _shown(self, error: str) -> None:
        if error:
            number = self.index + 1
            self.window.show_message(lambda: translate("tour_player", "Tour step {number}: {error}").format(
                number=number, error=problem_text(error)))
        self.shown.emit(self.index, error)

    # ------------------------------------------------------------------ the note
    def _settings_changed(self, change) -> None:
        if change[0] == "lang" and self.tour is not None:
            self._show_note()

    def retranslate(self) -> None:
        """The File menu's tour entries and the panel in the interface's language (the window calls this)."""
        if self.open_action is not None:
            self.open_action.setText(translate("tour_player", "Open tour…"))
        if self.menu is not None:
            self.menu.setTitle(translate("tour_player", "Tours"))
            self._fill_menu()
        if self.tour is not None:
            self._show_note()

    def _show_note(self) -> None:
        """The step's note in the tour's words for the interface's language (title_zh / note_zh in Chinese)."""
        tour, lang = self.tour, self.window.state.lang
        n = len(tour.steps)
        where = translate("tour_player", "step {index} / {count}").format(index=self.index + 1, count=n)
        heading = translate("tour_player", "Tour: {title}").format(title=tour.title(lang))
        self.panel.heading.setText(f"<b>{html.escape(heading)}</b> · {html.escape(where)}")
        self.panel.note.setText(tour.steps[self.index].note(lang))
        self.panel.previous_button.setText(translate("tour_player", "◀ Previous (PageUp)"))
        self.panel.next_button.setText(translate("tour_player", "Next (PageDown) ▶"))
        self.panel.end_button.setText(translate("tour_player", "End tour"))
        self.panel.previous_button.setEnabled(self.index > 0)
        self.panel.next_button.setEnabled(self.index + 1 < n)

    # ------------------------------------------------------------------ menus
    def add_menus(self, menu: QMenu, before: QAction | None = None) -> QMenu:
        """File > Open tour… and File > Tours (the shipped ones, then the recent ones), before `before`."""
        open_action = QAction(translate("tour_player", "Open tour…"), self.window)
        open_action.triggered.connect(self.open_file)
        menu.insertAction(before, open_action)
        self.open_action = open_action
        self.menu = QMenu(translate("tour_player", "Tours"), self.window)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.menu.triggered.connect(self._chosen)
        self._fill_menu()
        menu.insertMenu(before, self.menu)
        return self.menu

    def _fill_menu(self) -> None:
        from explorer import remember

        self.menu.clear()
        lang = self.window.state.lang
        for path in shipped_tours():
            try:
                title = load_tour(path).title(lang)
            except TourError:
                continue
            self.menu.addAction(title).setData(str(path))
        recent = [p for p in remember.recent("tours") if Path(p).is_file()]
        if recent:
            self.menu.addSeparator()
            for path in recent:
                self.menu.addAction(Path(path).name).setData(path)

    def _chosen(self, action: QAction) -> None:
        if action.data():
            self.open_path(action.data())

    def open_file(self, _checked: bool = False) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, translate("tour_player", "Open a tour"), str(TOURS_DIR),
                                              translate("tour_player", "Tours (*.json)"))
        if path:
            self.open_path(path)

    def open_path(self, path) -> bool:
        """Load and start a tour file; a bad one is a message on the window's message line."""
        from explorer import remember

        try:
            tour = load_tour(path)
        except TourError as error:
            message = str(error)
            self.window.show_message(lambda: explain(message))
            return False
        if Path(path).resolve().parent != TOURS_DIR.resolve():   # the shipped ones are listed already
            remember.add_recent("tours", str(Path(path).resolve()))
        self.start(tour)
        return True


class TourScreenshots:
    """--tour FILE --screenshots DIR: play every step, save the window after each as DIR/step-NN.png, quit.
    exit_code 0 only when every step was shown and saved; else 2 and one line on stderr naming the step."""

    def __init__(self, window, tour: Tour, folder: str | Path, timeout_s: float, grace_s: float = 10.0):
        self.window, self.tour, self.folder = window, tour, Path(folder).expanduser()
        self.timeout_s = timeout_s
        self.exit_code, self.done, self.saved = 2, False, []
        self.player: TourPlayer = window.tour
        self.player.shown.connect(self._shown)
        window.batch_mode = True
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)
        total = timeout_s * len(tour.steps) + grace_s
        self.watchdog = threading.Timer(total, self._stuck)
        self.watchdog.daemon = True
        self.watchdog.start()

    def start(self) -> None:
        self.timer.start(int(self.timeout_s * 1000))
        self.player.start(self.tour)

    def _shown(self, index: int, error: str) -> None:
        if self.done:
            return
        if error:
            self.finish(f"tour step {index + 1}: {error}")
            return
        QTimer.singleShot(50, lambda: self._wait_for_views(index))

    def _wait_for_views(self, index: int) -> None:
        if self.done:
            return
        if self.window.busy_jobs():   # the masks comparison, the similarity matrix...
            QTimer.singleShot(100, lambda: self._wait_for_views(index))
            return
        QTimer.singleShot(50, lambda: self._save(index))

    def _save(self, index: int) -> None:
        from engine.errors import ExportError, PLMError
        from engine.files import atomic_write

        if self.done:
            return
        image = self.window.grab().toImage()
        target = self.folder / screenshot_name(index, len(self.tour.steps))

        def write(temporary: Path) -> None:
            writer = QImageWriter(str(temporary), b"png")
            if not writer.write(image):
                raise ExportError(f"the PNG could not be encoded ({writer.errorString()})")

        try:
            written = atomic_write(target, write)
        except (PLMError, OSError) as error:
            self.finish(f"tour step {index + 1}: the screenshot was not written: {error}")
            return
        self.saved.append(written)
        print(f"screenshot: {written}", flush=True)
        if index + 1 < len(self.tour.steps):
            self.timer.start(int(self.timeout_s * 1000))
            self.player.go(index + 1)
        else:
            self.finish(None)

    def _timed_out(self) -> None:
        if not self.done:
            self.finish(f"tour step {self.player.index + 1}: not shown after {self.timeout_s:g} s (--timeout)")

    def _stuck(self) -> None:   # the watchdog thread: the event loop did not answer
        print("error: the window stopped answering during the tour; stopped.", file=sys.stderr, flush=True)
        os._exit(2)

    def finish(self, error: str | None) -> None:
        self.done = True
        self.timer.stop()
        self.exit_code = 2 if error else 0
        if error:
            name = self.tour.path.name if self.tour.path else "the tour"
            print(f"error: {name}: {one_line(error)}", file=sys.stderr, flush=True)
        self.window.close()
        QApplication.instance().quit()


def one_line(text: str, limit: int = 1000) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
