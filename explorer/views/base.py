"""What every view shares: it is given the explorer's state, reads it and subscribes to its events; it draws the
current step when it is the current view; PNG/SVG export and the CSV of what it shows.

A view never writes into the window or another view: it changes what the user picked through the state
(state.go_to, state.set_head, state.select), and every view and the window follow the state's events."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QBuffer, QIODevice, QRect, QSize
from PySide6.QtGui import QImageWriter
from PySide6.QtWidgets import QWidget

from explorer.i18n import translate
from explorer.state import ExplorerState, StepContext

__all__ = ["StepContext", "View"]


class View(QWidget):
    """A view of one kind of step. Subclasses implement show_step and may override csv(), shown_key() (what,
    besides the trace and the step, makes them redraw: the head, ...) and runners() (their workers)."""
    name = "view"
    title = QT_TRANSLATE_NOOP("views", "View")   # a subclass marks its own: shown as translate("views", title)

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
        if state.step not in state.steps or self.name not in state.kinds_for():
            return   # a new trace without the step shown so far: the state moves to one it has, and that draws
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

    def export_png(self, path: str | Path) -> Path:
        """Save the view as a PNG at `path` (".png" added when missing): written to a temporary name and renamed,
        so a failure never leaves half a file. Returns the path written; raises ExportError with the reason."""
        return export_png(self, path)

    def export_svg(self, path: str | Path) -> Path:
        """Save the view as vectors (SVG), the same way as export_png."""
        return export_svg(self, path, f"PLM Explorer: {translate('views', self.title)}")


def export_png(widget: QWidget, path: str | Path) -> Path:
    """Any widget's picture as a PNG, atomically; ExportError (with the reason) when it cannot be written."""
    from engine.errors import ExportError
    from engine.files import atomic_write

    image = widget.grab().toImage()
    if image.isNull() or image.width() == 0 or image.height() == 0:
        raise ExportError("There is nothing to export: the view has no size on the screen.")

    def write(temporary: Path) -> None:
        writer = QImageWriter(str(temporary), b"png")
        if not writer.write(image):
            raise ExportError(f"the PNG could not be encoded ({writer.errorString()})")

    return atomic_write(path, write, ".png")


def export_svg(widget: QWidget, path: str | Path, title: str = "PLM Explorer") -> Path:
    """Any widget drawn as vectors into an SVG, atomically. The SVG is made in memory first (QSvgGenerator says
    nothing when it cannot open a file), checked, then written; ExportError with the reason otherwise."""
    from PySide6.QtSvg import QSvgGenerator

    from engine.errors import ExportError
    from engine.files import atomic_write, writable_target

    writable_target(path, ".svg")   # a bad path is refused before anything is drawn
    size = widget.size()
    if size.width() <= 0 or size.height() <= 0:
        raise ExportError("There is nothing to export: the view has no size on the screen.")
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    widget.render(generator)   # QSvgGenerator is a paint device: every child widget is drawn as vectors
    buffer.close()
    data = bytes(buffer.data())
    if b"<svg" not in data or not data.rstrip().endswith(b"</svg>"):
        raise ExportError("The view could not be drawn as SVG (the generator produced no document).")

    def write(temporary: Path) -> None:
        with open(temporary, "wb") as handle:
            handle.write(data)

    return atomic_write(path, write, ".svg")


def save_and_say(save, say) -> Path | None:
    """Run an export (`save()` writes a file and returns its path) and tell the page where it went or why not:
    `say(text, error=True)`, in the interface's language. Never a traceback: the engine's ExportError already names
    the reason."""
    from engine.errors import PLMError
    from explorer.error_texts import explain

    try:
        written = save()
    except PLMError as error:
        say(explain(str(error)))
        return None
    except OSError as error:
        say(translate("views", "Cannot write the file: {reason}").format(reason=error.strerror or error))
        return None
    say(translate("views", "Wrote {path}").format(path=written), error=False)
    return written
