"""What every view shares: the step context it is given, PNG/SVG export and the CSV of what it shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Signal
from PySide6.QtWidgets import QWidget


@dataclass
class StepContext:
    trace: Any                  # engine Trace
    name: str                   # step name (or session.TOKENIZER_STEP / OUTPUT_STEP)
    step: Any = None            # engine Step, None for the synthetic steps
    loaded: Any = None          # engine LoadedModel
    text: str = ""
    pair: str | None = None
    head: int = 0
    state: dict = field(default_factory=dict)   # shared between views: selected token, query, key...

    @property
    def cache(self):
        return self.trace.cache

    def tokens_for(self, axis: str) -> list[str]:
        """Labels for a position axis: encoder tokens, or T5's decoder tokens where the axis is longer/shorter."""
        return list(self.trace.tokens)


class View(QWidget):
    """A view of one kind of step. Subclasses implement show_step and may override csv()."""
    name = "view"
    title = "View"
    navigate = Signal(str, str)   # step name, view name: ask the window to go there

    def __init__(self, app=None, parent=None):
        super().__init__(parent)
        self.app = app
        self.ctx: StepContext | None = None

    def show_step(self, ctx: StepContext) -> None:
        self.ctx = ctx

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
