"""Tabs built the first time they are shown: start-up builds only the page the window opens on.

Each lazy tab starts as an empty placeholder; its factory makes the real widget the first time the tab becomes
current, or the first time code asks for it (`get`), and the real widget takes the placeholder's place in the
QTabWidget (same index, same label), so `tabs.currentWidget()` is always a real page. LazyTabs connects to
currentChanged before anyone else does: slots connected later see the real page.

Factories are called with the owner (the window), which LazyTabs holds weakly: a factory that captured the window
would keep it alive through the tab widget's signal connection."""
from __future__ import annotations

from collections.abc import Mapping
import weakref
from typing import Callable

from PySide6.QtWidgets import QTabWidget, QWidget


class Placeholder(QWidget):
    """Stands in a tab until its page is built (it carries the attributes the tab widget's users read)."""

    def __init__(self, key: str, **attributes):
        super().__init__()
        self.key = key
        for name, value in attributes.items():
            setattr(self, name, value)


class LazyTabs:
    def __init__(self, tabs: QTabWidget, owner):
        self.tabs = tabs
        self._owner = weakref.ref(owner)
        self.factories: dict[str, Callable[[object], QWidget]] = {}
        self.placeholders: dict[str, Placeholder] = {}
        self.built: dict[str, QWidget] = {}
        self.on_built: list[Callable[[str, QWidget], None]] = []   # told of each page when it is made
        tabs.currentChanged.connect(self._current_changed)

    def add(self, key: str, label: str, factory: Callable[[object], QWidget], **attributes) -> int:
        """A tab whose widget `factory(owner)` makes when first needed; attributes are set on its placeholder."""
        placeholder = Placeholder(key, **attributes)
        self.factories[key] = factory
        self.placeholders[key] = placeholder
        return self.tabs.addTab(placeholder, label)

    def set_label(self, key: str, label: str) -> None:
        """A tab's text (a change of language), whether its page is built or still a placeholder."""
        widget = self.built.get(key) or self.placeholders.get(key)
        index = self.tabs.indexOf(widget) if widget is not None else -1
        if index >= 0:
            self.tabs.setTabText(index, label)

    def is_built(self, key: str) -> bool:
        return key in self.built

    def peek(self, key: str) -> QWidget | None:
        """The page if it has been built, else None (builds nothing)."""
        return self.built.get(key)

    def get(self, key: str) -> QWidget:
        """The page, built now if it was not yet, in its placeholder's place."""
        page = self.built.get(key)
        if page is not None:
            return page
        page = self.factories[key](self._owner())
        self.built[key] = page
        placeholder = self.placeholders.pop(key)
        tabs = self.tabs
        index, current = tabs.indexOf(placeholder), tabs.currentIndex()
        label, tip, visible = tabs.tabText(index), tabs.tabToolTip(index), tabs.isTabVisible(index)
        tabs.blockSignals(True)   # the same tab stays current: nobody is told of a change
        try:
            tabs.removeTab(index)
            tabs.insertTab(index, page, label)
            tabs.setTabToolTip(index, tip)
            tabs.setTabVisible(index, visible)
            tabs.setCurrentIndex(current)
        finally:
            tabs.blockSignals(False)
        placeholder.deleteLater()
        for tell in self.on_built:
            tell(key, page)
        return page

    def _current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, Placeholder) and widget.key in self.factories and widget.key not in self.built:
            self.get(widget.key)

    def pages(self) -> "Pages":
        """The tabs as a read-only mapping key -> page: reading one builds it."""
        return Pages(self)


class Pages(Mapping):
    def __init__(self, lazy: LazyTabs):
        self._lazy = lazy

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._lazy.factories:
            raise KeyError(key)
        return self._lazy.get(key)

    def __iter__(self):
        return iter(self._lazy.factories)

    def __len__(self) -> int:
        return len(self._lazy.factories)
