"""Helpers shared by the explorer's window tests."""
from __future__ import annotations


def run_and_wait(qtbot, window, timeout=60000):
    """Run and wait until the result (or an error) is shown: the window's ready signal."""
    with qtbot.waitSignal(window.ready, timeout=timeout):
        window.run()
    assert not window.last_error, window.last_error
    assert window.state.trace is not None
