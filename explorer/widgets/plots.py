"""pyqtgraph widgets styled per widget (white background, black text and axes, antialiased curves), never by
pyqtgraph's process-wide setConfigOptions; and a safe way to throw plot items away."""
from __future__ import annotations

import pyqtgraph as pg
import shiboken6

BACKGROUND, FOREGROUND = "w", "k"


def style_plot_item(item) -> None:
    """Black axes, axis labels and title on a PlotItem (or a ColorBarItem, which is one)."""
    for side in ("left", "bottom", "top", "right"):
        axis = item.getAxis(side) if side in getattr(item, "axes", {}) else None
        if axis is not None:
            axis.setPen(FOREGROUND)
            axis.setTextPen(FOREGROUND)
    title = getattr(item, "titleLabel", None)
    if title is not None:
        title.setAttr("color", FOREGROUND)


def plot_widget(title: str | None = None) -> pg.PlotWidget:
    widget = pg.PlotWidget(background=BACKGROUND)
    style_plot_item(widget.getPlotItem())
    if title:
        widget.setTitle(title)
    return widget


def layout_widget() -> pg.GraphicsLayoutWidget:
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground(BACKGROUND)
    return widget


def add_label(layout: pg.GraphicsLayoutWidget, text: str, **where):
    return layout.addLabel(text, color=FOREGROUND, **where)


def curve_pen(colour: str, width: float = 1.5):
    return pg.mkPen(colour, width=width)


class Graveyard:
    """Plot items taken out of a layout become Python-owned; pyqtgraph ties them into reference cycles, which
    Python's cyclic GC may break on a worker thread, destroying Qt objects there (a crash). So they are handed to
    Qt's deleteLater (deleted on the UI thread) and kept referenced here until Qt has deleted them."""

    def __init__(self):
        self._items: list = []

    def bury(self, items) -> None:
        self._items = [i for i in self._items if shiboken6.isValid(i)]
        for item in items:
            if shiboken6.isValid(item):
                item.deleteLater()
                self._items.append(item)

    def clear_layout(self, layout: pg.GraphicsLayoutWidget) -> None:
        """layout.clear(), its items deleted on the UI thread."""
        items = list(layout.ci.items.keys())
        layout.clear()
        self.bury(items)

    def __len__(self) -> int:
        return len(self._items)


def follow_language(view, retranslate) -> None:
    """Call `retranslate()` when the interface's language changes (the state's `lang` setting), then draw the
    view's step again if it is showing one, so texts built while drawing are in the new language too. Child widgets
    with a `retranslate` of their own (heatmaps, layer bars: they also follow Qt's LanguageChange, which comes
    later) are retranslated first."""
    from PySide6.QtWidgets import QWidget

    def changed(change) -> None:
        if change[0] != "lang":
            return
        for child in view.findChildren(QWidget):
            if callable(getattr(child, "retranslate", None)):
                child.retranslate()
        retranslate()
        view._shown = None
        if view.ctx is not None:
            view.refresh()

    view.state.events.settings.connect(changed)
