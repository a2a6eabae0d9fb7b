"""What every view shares: it is given the explorer's state, reads it and subscribes to its events; it draws the
current step when it is the current view; PNG/SVG export and the CSV of what it shows.

A view never writes into the window or another view: it changes what the user picked through the state
(state.go_to, state.set_head, state.select), and every view and the window follow the state's events."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

from explorer.state import ExplorerState, StepContext

__all__ = ["StepContext", "View"]


class View(QWidget):
    """A view of one kind of step. Subclasses implement show_step and may override csv(), shown_key() (what,
    besides the trace and the step, makes them redraw: the head, ...) and runners() (their workers)."""
    name = "view"
    title = "View"

    def __init__(self, state: ExplorerState, parent=None):
        super().__init__(parent)
        self.state = state
        self.ctx: StepContext | None = None
        self._shown = None
        events = state.events
        events.trace.connect(self._changed)
        events.step.connect(self._changed)
        events.view.connect(self._changed)
        events.head.connect(self._changed)

    def is_current(self) -> bool:
        return self.state.view == self.name

    def shown_key(self) -> tuple:
        return self.state.generation, self.state.step

    def _changed(self, _value=None) -> None:
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Draw the state's current step if this is the current view and something it shows changed."""
        state = self.state
        if not self.is_current() or state.trace is None or state.step is None:
            return
        key = self.shown_key()
        if key == self._shown and not force:
            return
        self._shown = key
        self.show_step(state.context())

    def show_step(self, ctx: StepContext) -> None:
        self.ctx = ctx

    def runners(self) -> list:
        return []

    def busy(self) -> bool:
        return any(r.active for r in self.runners())

    def csv(self) -> str | None:
        heatmap = getattr(self, "heatmap", None)
        return heatmap.to_csv() if heatmap is not None else None

    def export_png(self, path: str | Path) -> bool:
        return self.grab().save(str(path), "PNG")

    def export_svg(self, path: str | Path) -> bool:
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(str(path))
        size = self.size()
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(f"PLM Explorer: {self.title}")
        self.render(generator)   # QSvgGenerator is a paint device: every child widget is drawn as vectors
        return Path(path).exists()
