"""Explorer test fixtures: windows kept referenced until they are closed (closing waits for their workers), and
after every test the widgets Qt was asked to delete are deleted and Python's cyclic GC runs here, on the GUI
thread, rather than whenever a worker thread happens to trigger it."""
from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread():
    yield
    try:
        from PySide6.QtCore import QCoreApplication, QEvent
    except ImportError:   # pragma: no cover
        gc.collect()
        return
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()


@pytest.fixture
def keep_open(qtbot):
    """keep_open(widget): registered with qtbot and referenced until the test's end, then closed here (a window's or
    dialog's closeEvent waits for its workers) before Qt deletes it."""
    import shiboken6

    kept = []

    def keep(widget):
        qtbot.addWidget(widget)
        kept.append(widget)
        return widget

    yield keep
    for widget in kept:
        if shiboken6.isValid(widget):
            widget.close()
    kept.clear()


@pytest.fixture
def open_window(keep_open):
    """open_window(model, text, pair, **options) -> a shown MainWindow, closed (workers joined) after the test."""
    from explorer.app import MainWindow

    def open_(model="bert-tiny", text="The cat sat on the [MASK].", pair=None, **options):
        window = keep_open(MainWindow(model, text, pair, autorun=False, **options))
        window.show()
        return window

    return open_
