"""Showing the window to a room: full screen, zoom, a large-print presentation mode, a dark theme, Play speed.

All of it lives in the View menu (added by `Presenter(window)`), is kept in the app's settings and comes back at the
next launch. Zoom scales the application font, which every label, table, lesson and plot axis follows.
"""
from __future__ import annotations

import weakref

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsTextItem, QMainWindow, QStyleFactory, QWidget

from explorer.i18n import translate

ZOOM_STEP = 1.15
ZOOM_RANGE = (0.7, 3.0)
PRESENTATION_ZOOM = 1.6        # large print: readable from the back of a lecture hall on a 1080p projector
PLAY_SPEEDS_MS = ((QT_TRANSLATE_NOOP("presenting", "Fast (0.5 s a step)"), 500),
                  (QT_TRANSLATE_NOOP("presenting", "Normal (1.2 s)"), 1200),
                  (QT_TRANSLATE_NOOP("presenting", "Slow (2.5 s)"), 2500),
                  (QT_TRANSLATE_NOOP("presenting", "Very slow (5 s)"), 5000))
KEYS = {"zoom": "present/zoom", "theme": "present/theme", "play_ms": "present/play_ms"}


def _settings():
    from explorer.views.generate import settings   # one settings file for the whole app (tests use their own)
    return settings()


def _number(value, default: float, low: float, high: float) -> float:
    """A stored number, or `default` when the settings file holds something else (a corrupt value is ignored)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high) if number == number else default


def scale_plot_text(window: QWidget, factor: float) -> None:
    """Plot titles and axis labels are graphics items, which an application font does not reach: scale the ones
    already drawn (items made later start from the zoomed application font)."""
    import pyqtgraph as pg

    if factor == 1.0:
        return
    for view in window.findChildren(pg.GraphicsView):
        for item in view.scene().items() if view.scene() is not None else ():
            if isinstance(item, QGraphicsTextItem) and item.font().pointSizeF() > 0:
                font = item.font()
                font.setPointSizeF(font.pointSizeF() * factor)
                item.setFont(font)
            elif isinstance(item, pg.LabelItem) and str(item.opts.get("size", "")).endswith("pt"):   # titles: 11pt
                item.setText(item.text, size=f"{float(item.opts['size'][:-2]) * factor:g}pt")


def dark_palette() -> QPalette:
    palette = QPalette()
    base, window, text, accent = QColor(30, 30, 32), QColor(45, 45, 48), QColor(230, 230, 230), QColor(90, 150, 230)
    for role, colour in ((QPalette.Window, window), (QPalette.WindowText, text), (QPalette.Base, base),
                         (QPalette.AlternateBase, window), (QPalette.Text, text), (QPalette.Button, window),
                         (QPalette.ButtonText, text), (QPalette.ToolTipBase, window), (QPalette.ToolTipText, text),
                         (QPalette.Highlight, accent), (QPalette.HighlightedText, QColor("white")),
                         (QPalette.Link, QColor(120, 180, 255)), (QPalette.PlaceholderText, QColor(150, 150, 150))):
        palette.setColor(role, colour)
    palette.setColor(QPalette.Disabled, QPalette.Text, QColor(120, 120, 120))
    palette.setColor(QPalette.Disabled, QPalette.ButtonText, QColor(120, 120, 120))
    return palette


class Presenter(QObject):
    """The View menu's presenting actions for one main window. Plots keep their light background in both themes, as
    printed figures do, so colour maps read the same."""

    def __init__(self, window: QMainWindow, menu):
        super().__init__(window)
        self._window = weakref.ref(window)   # weakly: the window holds its presenter, never the other way round
        app = QApplication.instance()
        self.base_point_size = app.font().pointSizeF()
        self.light_palette, self.light_style = app.palette(), app.style().name()
        self.zoom = 1.0
        self.presenting = False
        self._before_presenting: dict = {}
        store = _settings()
        self.texts: list[tuple[object, str]] = []   # (action or menu, its English text): set again on a language change

        menu.addSeparator()
        self.full_screen_action = self._action(menu, QT_TRANSLATE_NOOP("presenting", "Full screen"), "F11",
                                               self.toggle_full_screen, checkable=True)
        self._action(menu, QT_TRANSLATE_NOOP("presenting", "Zoom in"), QKeySequence.ZoomIn,
                     lambda: self.set_zoom(self.zoom * ZOOM_STEP))
        self._action(menu, QT_TRANSLATE_NOOP("presenting", "Zoom in"), "Ctrl+=",
                     lambda: self.set_zoom(self.zoom * ZOOM_STEP), visible=False)
        self._action(menu, QT_TRANSLATE_NOOP("presenting", "Zoom out"), QKeySequence.ZoomOut,
                     lambda: self.set_zoom(self.zoom / ZOOM_STEP))
        self._action(menu, QT_TRANSLATE_NOOP("presenting", "Actual size"), "Ctrl+0", lambda: self.set_zoom(1.0))
        self.presentation_action = self._action(menu, QT_TRANSLATE_NOOP("presenting",
                                                                        "Presentation mode (large print)"),
                                                "F5", self.toggle_presentation, checkable=True)
        self.dark_action = self._action(menu, QT_TRANSLATE_NOOP("presenting", "Dark theme"), "Ctrl+Shift+D",
                                        self._theme_chosen, checkable=True)
        speeds = menu.addMenu("")
        self.texts.append((speeds, QT_TRANSLATE_NOOP("presenting", "Play speed")))
        group = QActionGroup(self)
        saved_ms = int(_number(store.value(KEYS["play_ms"]), 1200, 100, 60000))
        for text, ms in PLAY_SPEEDS_MS:
            action = QAction(text, self, checkable=True)
            self.texts.append((action, text))
            action.setData(ms)
            action.setChecked(ms == saved_ms)
            action.triggered.connect(lambda _checked=False, ms=ms: self.set_play_interval(ms))
            group.addAction(action)
            speeds.addAction(action)
        self.speed_actions = group
        self.set_play_interval(saved_ms, remember=False)
        self.set_zoom(_number(store.value(KEYS["zoom"]), 1.0, *ZOOM_RANGE), remember=False)
        if store.value(KEYS["theme"]) == "dark":
            self.dark_action.setChecked(True)
            self.set_theme("dark", remember=False)
        self.retranslate()

    def retranslate(self) -> None:
        """The View menu's presenting texts in the interface's language."""
        for holder, text in self.texts:
            (holder.setTitle if hasattr(holder, "setTitle") else holder.setText)(translate("presenting", text))

    @property
    def window(self) -> QMainWindow:
        return self._window()

    def _action(self, menu, text, key, slot, checkable=False, visible=True) -> QAction:
        action = QAction(text, self.window, checkable=checkable)
        self.texts.append((action, text))
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        if visible:
            menu.addAction(action)
        else:
            self.window.addAction(action)   # a second key for the same thing (Ctrl+= where + needs Shift)
        return action

    # ------------------------------------------------------------------ the pieces
    def set_zoom(self, zoom: float, remember: bool = True) -> float:
        before, self.zoom = self.zoom, min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(self.base_point_size * self.zoom)
        app.setFont(font)
        for widget in self.window.findChildren(QWidget):   # a widget with its own style sheet keeps the font it had
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)
        scale_plot_text(self.window, self.zoom / before)
        if remember:
            _settings().setValue(KEYS["zoom"], self.zoom)
        self.window.statusBar().showMessage(translate("presenting", "Zoom {percent}").format(
            percent=f"{self.zoom:.0%}"), 2000)
        return self.zoom

    def toggle_full_screen(self) -> None:
        if self.window.isFullScreen():
            self.window.showNormal()
        else:
            self.window.showFullScreen()
        self.full_screen_action.setChecked(self.window.isFullScreen())

    def secondary_panels(self) -> list:
        """What a room does not need to see: the step list and its buttons (the keys and a clicker still step),
        the second text box, the model's notes and the status bar."""
        names = ("step_panel", "pair_edit", "model_note")
        return [w for w in (getattr(self.window, n, None) for n in names) if w is not None] + \
            [self.window.statusBar()]

    def toggle_presentation(self) -> None:
        self.presenting = not self.presenting
        if self.presenting:
            self._before_presenting = {"zoom": self.zoom, "full": self.window.isFullScreen(),
                                       "shown": [w for w in self.secondary_panels() if not w.isHidden()]}
            for widget in self._before_presenting["shown"]:
                widget.hide()
            self.set_zoom(max(self.zoom, PRESENTATION_ZOOM), remember=False)
            if not self.window.isFullScreen():
                self.toggle_full_screen()
        else:
            before = self._before_presenting
            for widget in before.get("shown", []):
                widget.show()
            self.set_zoom(before.get("zoom", 1.0), remember=False)
            if self.window.isFullScreen() and not before.get("full", False):
                self.toggle_full_screen()
        self.presentation_action.setChecked(self.presenting)

    def _theme_chosen(self) -> None:
        self.set_theme("dark" if self.dark_action.isChecked() else "light")

    def set_theme(self, theme: str, remember: bool = True) -> None:
        app = QApplication.instance()
        if theme == "dark":
            app.setStyle(QStyleFactory.create("Fusion"))
            app.setPalette(dark_palette())
        else:
            app.setStyle(QStyleFactory.create(self.light_style) or QStyleFactory.create("Fusion"))
            app.setPalette(self.light_palette)
        if remember:
            _settings().setValue(KEYS["theme"], theme)

    def set_play_interval(self, ms: int, remember: bool = True) -> None:
        timer = getattr(self.window, "timer", None)
        if timer is not None:
            timer.setInterval(ms)
        for action in self.speed_actions.actions():
            action.setChecked(action.data() == ms)
        if remember:
            _settings().setValue(KEYS["play_ms"], ms)

    def close(self) -> None:
        """Back to the look the application had (tests open many windows in one process)."""
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(self.base_point_size)
        app.setFont(font)
        if self.dark_action.isChecked():
            app.setStyle(QStyleFactory.create(self.light_style) or QStyleFactory.create("Fusion"))
            app.setPalette(self.light_palette)
