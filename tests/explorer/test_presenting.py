"""Presenting to a room: zoom scales every font and comes back at the next launch, presentation mode hides the
secondary panels and restores them, the dark theme changes the palette, Play speed sets the step interval, and a
corrupt stored value is ignored."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QApplication

from explorer import presenting
from explorer.views.generate import settings


def point_size() -> float:
    return QApplication.instance().font().pointSizeF()


def test_zoom_scales_the_fonts_and_is_remembered(qtbot, open_window, keep_open):
    window = open_window()
    base = point_size()
    shortcuts = {a.shortcut().toString(): a for a in window.findChildren(QAction)}
    assert {"F11", "F5", "Ctrl+0", "Ctrl+-"} <= set(shortcuts)
    shortcuts["Ctrl+="].trigger()                                 # Ctrl+= zooms in (no Shift needed for +)
    assert point_size() > base * 1.1
    qtbot.wait(20)                                                # font changes reach widgets as events
    assert window.lesson.font().pointSizeF() == point_size()     # the lessons follow the application font
    window.presenter.set_zoom(2.0)
    window.close()
    assert point_size() == base                                   # closing gives the process its font back

    again = open_window()
    assert again.presenter.zoom == 2.0
    assert point_size() == base * 2.0


def test_zoom_scales_the_plots_titles_and_axis_labels_too(qtbot, open_window):
    import pyqtgraph as pg
    from PySide6.QtWidgets import QGraphicsTextItem

    from tests.explorer.helpers import run_and_wait

    window = open_window()
    run_and_wait(qtbot, window)
    window.state.go_to("blocks.0.attn.hook_pattern", "attention")
    qtbot.wait(20)

    def text_sizes():   # axis labels (text items) and titles (label items, sized in their HTML)
        items = [item for view in window.findChildren(pg.GraphicsView) if view.isVisible()
                 for item in view.scene().items() if item.isVisible()]
        return [item.font().pointSizeF() for item in items if isinstance(item, QGraphicsTextItem)] + \
            [float(item.opts["size"][:-2]) for item in items if isinstance(item, pg.LabelItem) and "size" in item.opts]

    before = text_sizes()
    assert before
    window.presenter.set_zoom(2.0)
    assert text_sizes() == pytest.approx([size * 2.0 for size in before])
    window.presenter.set_zoom(1.0)
    assert text_sizes() == pytest.approx(before)


def test_presentation_mode_hides_secondary_panels_and_gives_them_back(open_window):
    window = open_window()
    assert window.tree.isVisible() and window.statusBar().isVisible()
    window.presenter.toggle_presentation()
    assert not window.tree.isVisible() and not window.statusBar().isVisible()
    assert not window.step_panel.isVisible()   # the list and its buttons: the view takes the room, the keys step
    assert window.presenter.zoom >= presenting.PRESENTATION_ZOOM and window.isFullScreen()
    window.presenter.toggle_presentation()
    assert window.tree.isVisible() and window.statusBar().isVisible()
    assert window.presenter.zoom == 1.0 and not window.isFullScreen()


def test_dark_theme_and_back(open_window):
    window = open_window()
    light = QApplication.instance().palette().color(QPalette.Window).lightness()
    window.presenter.dark_action.trigger()
    assert QApplication.instance().palette().color(QPalette.Window).lightness() < 80 < light
    assert settings().value(presenting.KEYS["theme"]) == "dark"
    window.presenter.dark_action.trigger()
    assert QApplication.instance().palette().color(QPalette.Window).lightness() == light


def test_play_speed_sets_the_interval_between_steps(open_window):
    window = open_window()
    assert window.timer.interval() == 1200
    slow = [a for a in window.presenter.speed_actions.actions() if a.data() == 5000][0]
    slow.trigger()
    assert window.timer.interval() == 5000 and slow.isChecked()
    assert int(settings().value(presenting.KEYS["play_ms"])) == 5000


def test_a_corrupt_stored_zoom_is_ignored(open_window):
    settings().setValue(presenting.KEYS["zoom"], "very big")
    settings().setValue(presenting.KEYS["play_ms"], "nan")
    window = open_window()
    assert window.presenter.zoom == 1.0 and window.timer.interval() == 1200
