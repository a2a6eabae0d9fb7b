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


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that switches the interface to Chinese leaves the next one in English (the translator is global)."""
    yield
    from explorer import i18n
    i18n.use("en")


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


def _can_write(folder) -> bool:
    import tempfile

    try:
        tempfile.NamedTemporaryFile(dir=folder).close()
        return True
    except OSError:
        return False


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nothing can be written into: a chmod 555 folder, or (as root, whom permissions do not stop) /sys;
    skipped where neither refuses."""
    import os
    from pathlib import Path

    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if not _can_write(folder):
            yield folder
        elif os.path.isdir("/sys") and not _can_write("/sys"):
            yield Path("/sys")
        else:
            pytest.skip("no read-only folder here (root, and /sys is writable)")
    finally:
        folder.chmod(0o755)


@pytest.fixture
def bad_paths(tmp_path, read_only_folder):
    """Export targets that cannot be written, by kind: each must be answered with a reason, never a file."""
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("not a folder")
    return {
        "missing folder": tmp_path / "no" / "such" / "folder" / "out",
        "under a file": a_file / "out",
        "name too long": tmp_path / ("n" * 300),
        "read-only folder": read_only_folder / "out",
        "a folder": tmp_path,
        "a folder with a slash": f"{tmp_path}/",
        "NUL in the name": tmp_path / "a\x00b",
    }
