"""Hard to break: every bad input is answered in one clear line, nothing hangs, nothing is half-written.

Exports to paths that cannot be written say why in the window (never a traceback, never a false "Saved"); files are
written to a temporary name and renamed; unexpected exceptions are shown with their details to copy; the tokens
view lays out 5,000 tokens in well under a second; closing while a job hangs returns promptly and the process
exits; a scripted run (main.py --screenshot) always ends, 0 only when the picture was written, else 2 with one line
on stderr."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton

import engine
from explorer.session import TOKENIZER_STEP

from .helpers import run_and_wait

ROOT = Path(__file__).absolute().parents[2]


def leftovers(folder: Path) -> list[str]:
    """Temporary files an export left behind (atomic_write's '.NAME.XXXX.part.EXT')."""
    try:
        return [p.name for p in Path(folder).iterdir() if ".part" in p.name]
    except OSError:
        return []


def files_in(folder: Path) -> set[str]:
    try:
        return {p.name for p in Path(folder).iterdir()}
    except OSError:
        return set()


@pytest.fixture
def ran(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_pattern", "attention")
    return window


# ----------------------------------------------------------------------------------------------- exports
@pytest.mark.parametrize("kind", ["npz", "png", "svg"])
@pytest.mark.parametrize("bad", ["missing folder", "under a file", "name too long", "read-only folder", "a folder",
                                 "a folder with a slash", "NUL in the name"])
def test_an_export_to_a_bad_path_says_why_in_the_window(ran, bad_paths, tmp_path, kind, bad):
    window = ran
    path = bad_paths[bad]
    before = files_in(tmp_path)
    written = window.save_npz(str(path)) if kind == "npz" else window.export_view(kind, str(path))
    assert written is None
    message = window.message.text()
    assert window.message.isVisibleTo(window) and window.last_error == message
    assert "\n" not in message and "Traceback" not in message and not message.startswith("Saved")
    assert "Saved" not in window.statusBar().currentMessage()
    assert window.message.textInteractionFlags() & Qt.TextSelectableByMouse   # the reason can be copied
    reasons = {"missing folder": "does not exist", "under a file": "is a file, not a folder",
               "name too long": "255", "read-only folder": "Permission denied", "a folder": "is a folder",
               "a folder with a slash": "is a folder", "NUL in the name": "NUL"}
    assert reasons[bad].lower() in message.lower(), message
    assert files_in(tmp_path) == before            # no sibling file, nothing half-written
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("kind", ["npz", "png", "svg"])
def test_an_export_is_written_whole_and_said_so(ran, tmp_path, kind):
    window = ran
    target = tmp_path / f"out.{kind}"
    written = window.save_npz(str(target)) if kind == "npz" else window.export_view(kind, str(target))
    assert written == target and target.stat().st_size > 1000
    assert window.message.text() == f"Saved {target}" and not window.last_error
    if kind == "npz":
        assert np.array_equal(np.load(target)["blocks.0.attn.hook_pattern"],
                              window.state.trace.cache["blocks.0.attn.hook_pattern"].numpy())
    elif kind == "png":
        assert not QImage(str(target)).isNull()
    else:
        text = target.read_text()
        assert text.lstrip().startswith("<?xml") and text.rstrip().endswith("</svg>")
    # a name without the suffix gets it (never a second, other file)
    bare = window.save_npz(str(tmp_path / "bare")) if kind == "npz" else window.export_view(kind, str(tmp_path / "bare"))
    assert bare == tmp_path / f"bare.{kind}" and bare.exists() and not (tmp_path / "bare").exists()
    assert not leftovers(tmp_path)


def test_a_failed_write_leaves_the_old_file_whole(ran, tmp_path, monkeypatch):
    """Half-way through writing, the disk fills: the file already there is untouched, no temporary is left, and
    the window says why."""
    window = ran
    target = tmp_path / "trace.npz"
    target.write_bytes(b"the previous archive")

    def half_then_full(handle, **_arrays):
        handle.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", half_then_full)
    assert window.save_npz(str(target)) is None
    assert target.read_bytes() == b"the previous archive"
    assert not leftovers(tmp_path)
    assert "No space left on device" in window.message.text() and str(target) in window.message.text()


def test_an_svg_that_draws_nothing_is_not_reported_saved(ran, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    window = ran
    monkeypatch.setattr(QWidget, "render", lambda *args, **kwargs: None)   # the generator gets no drawing
    target = tmp_path / "empty.svg"
    window.export_view("svg", str(target))
    assert not target.exists() and not leftovers(tmp_path)
    assert window.last_error and "Saved" not in window.statusBar().currentMessage()


def test_a_png_the_encoder_refuses_says_why(ran, tmp_path, monkeypatch):
    from PySide6.QtGui import QImageWriter

    window = ran
    monkeypatch.setattr(QImageWriter, "write", lambda self, image: False)
    monkeypatch.setattr(QImageWriter, "errorString", lambda self: "Device not writable")
    target = tmp_path / "refused.png"
    assert window.export_view("png", str(target)) is None
    assert "Device not writable" in window.message.text() and not target.exists() and not leftovers(tmp_path)


def test_nothing_to_save_or_copy_is_said(qtbot, open_window):
    window = open_window()
    assert window.save_npz("/tmp/never.npz") is None and "Run first" in window.last_error
    assert window.copy_csv() is None and "Nothing to copy" in window.last_error
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_mask", "mask")
    if window.current_view().csv() is None:   # a view without a table of numbers
        assert window.copy_csv() is None and "has no table" in window.last_error
    window.go_to("blocks.0.attn.hook_pattern", "attention")
    assert window.copy_csv() and QApplication.clipboard().text().startswith(window.copy_csv()[:20])


# ----------------------------------------------------------------------------------------------- errors in the window
def test_an_unexpected_error_in_a_job_names_it_and_offers_the_details(qtbot, open_window, monkeypatch):
    def broken(name, *args, **kwargs):
        return {}["no such key in a broken loader"]

    monkeypatch.setattr(engine, "load", broken)
    window = open_window("gpt2-tiny")
    with qtbot.waitSignal(window.ready, timeout=30000):
        window.run()
    message = window.message.text()
    assert message.startswith("Something went wrong: KeyError") and "\n" not in message
    assert window.details_button.isVisibleTo(window)
    dialog = window.show_details()
    details = dialog.text.toPlainText()
    assert "Traceback (most recent call last)" in details and "broken" in details and message in details
    assert dialog.copy() == details and QApplication.clipboard().text() == details
    # the next good run clears it all
    monkeypatch.undo()
    run_and_wait(qtbot, window)
    assert not window.message.isVisibleTo(window) and not window.details_button.isVisibleTo(window)


def test_a_user_error_has_no_details_button(qtbot, open_window):
    window = open_window(text="cat " * 400)   # over bert-tiny's 256 positions: an engine InputError
    with qtbot.waitSignal(window.ready, timeout=60000):
        window.run()
    assert "256" in window.last_error and not window.details_button.isVisibleTo(window)


def test_a_view_that_fails_to_draw_is_shown_not_raised(qtbot, open_window, monkeypatch):
    from explorer.views.tokens import TokensView

    def broken(self, ctx):
        raise RuntimeError("the tokens view cannot draw")

    monkeypatch.setattr(TokensView, "show_step", broken)
    window = open_window()
    with qtbot.waitSignal(window.ready, timeout=30000):
        window.run()
    assert "RuntimeError: the tokens view cannot draw" in window.last_error
    assert "Traceback" in window.message_details


@pytest.mark.qt_no_exception_capture
def test_a_raising_slot_is_shown_in_the_window_and_the_app_goes_on(qtbot, open_window):
    from explorer.app import install_excepthook

    window = open_window()
    previous = install_excepthook()
    try:
        button = QPushButton("boom", window)
        button.clicked.connect(lambda: [][1])
        QTimer.singleShot(0, button.click)        # from the event loop, as a user's click
        qtbot.waitUntil(lambda: "IndexError" in window.last_error, timeout=5000)
        assert window.last_error.startswith("Something went wrong: IndexError: list index out of range")
        assert "Traceback" in window.message_details and "<lambda>" in window.message_details
        run_and_wait(qtbot, window)                # the app goes on
        assert window.state.trace is not None
    finally:
        sys.excepthook = previous


def test_worker_errors_reach_callbacks_with_or_without_details(qtbot):
    from explorer.workers import Runner

    runner = Runner(name="test")
    two, three = [], []

    def fail(job):
        raise ValueError("bad value")

    runner.start(fail, None, lambda message, user: two.append((message, user)))
    runner.start(fail, None, lambda message, user, details: three.append((message, user, details)))
    qtbot.waitUntil(lambda: bool(two and three), timeout=5000)
    assert two == [("ValueError: bad value", False)]
    assert three[0][:2] == ("ValueError: bad value", False) and "Traceback" in three[0][2]
    assert runner.shutdown()


# ----------------------------------------------------------------------------------------------- memory
def test_a_recording_too_big_offers_attention_only(qtbot, open_window):
    """The engine refuses a recording that would not fit, with the numbers; one click records the attention
    patterns alone, and every step of that smaller trace opens."""
    from explorer.app import attention_steps

    text = " ".join(["cat"] * 120)
    loaded = engine.load("bert-tiny")
    prepared = loaded.prepare(text)
    names = attention_steps(loaded)
    assert names and all(n.endswith("hook_pattern") for n in names)
    everything, attention = loaded.recording_bytes(prepared), loaded.recording_bytes(prepared, set(names))
    assert attention < everything
    window = open_window("bert-tiny", text)
    window.max_trace_bytes = (attention + everything) // 2
    with qtbot.waitSignal(window.ready, timeout=30000):
        window.run()
    message = window.last_error
    assert "would take about" in message and "GiB" in message and "tokens" in message
    assert window.state.trace is None and window.message_action.isVisibleTo(window)
    assert window.message_action.text() == f"Record attention only ({len(names)} steps)"
    with qtbot.waitSignal(window.ready, timeout=30000):
        window.message_action.click()
    assert not window.last_error, window.last_error
    assert sorted(window.state.trace.cache.names()) == sorted(names)
    assert "attention patterns only" in window.statusBar().currentMessage()
    for step in window.state.steps:
        for kind in window.state.kinds_for(step):
            if kind != "masks-compare":
                window.go_to(step, kind)
    assert not window.last_error, window.last_error


# ----------------------------------------------------------------------------------------------- the tokens view
def test_five_thousand_tokens_lay_out_in_well_under_a_second(qtbot, open_window):
    """5,000 Chinese characters on T5 are 5,002 tokens: the chips are measured and painted, not 5,000 widgets
    (82.6 s on the GUI thread before). Hover still highlights the characters of the chip under the mouse."""
    from types import SimpleNamespace

    from explorer.state import StepContext

    text = "的一" * 2500
    window = open_window("t5-tiny", "x")
    window.resize(1440, 900)
    loaded = engine.load("t5-tiny")
    prepared = loaded.prepare(text)
    trace = SimpleNamespace(tokens=list(prepared.encoding.tokens), input_ids=prepared.inputs["input_ids"],
                            encoding=prepared.encoding, extras={})
    assert len(trace.tokens) > 5000
    view = window.views["tokens"]
    window.tabs.setCurrentWidget(view)
    QApplication.processEvents()
    started = time.perf_counter()
    view.show_step(StepContext(trace, TOKENIZER_STEP, None, loaded, text))
    QApplication.processEvents()
    view.repaint()
    elapsed = time.perf_counter() - started
    print(f"5,000 tokens laid out and painted in {elapsed:.3f} s")
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert len(view.chips) == len(trace.tokens)
    assert "5,00" in view.summary.text()
    # hover the 1,000th chip: scroll to it, move the mouse there
    chip = view.chips[1000]
    view.scroll.ensureVisible(chip.rect.center().x(), chip.rect.center().y())
    QApplication.processEvents()
    qtbot.mouseMove(view.canvas, chip.rect.center())
    qtbot.waitUntil(lambda: view.highlighted == 1000, timeout=3000)
    start, end = prepared.encoding.offsets[1000]
    assert view.highlighted_text() == text[start:end] == view.marked_text()
    qtbot.mouseMove(view.canvas, QPoint(view.canvas.width() - 2, view.canvas.height() - 2))   # off every chip
    qtbot.waitUntil(lambda: view.highlighted is None, timeout=3000)
    assert view.marked_text() == ""


def test_the_tokens_view_marks_the_span_in_the_pair_and_after_an_emoji(qtbot, open_window):
    """Positions in the text box count UTF-16 units: after an emoji (two units) the mark still lands right."""
    text, pair = "😂 The cat sat.", "猫坐在垫子上"
    window = open_window("bert-tiny", text, pair)
    run_and_wait(qtbot, window)
    view = window.views["tokens"]
    enc = window.state.trace.encoding
    for index, (start, end) in enumerate(enc.offsets):
        if end <= start:
            continue
        view.highlight(index)
        assert view.marked_text() == view.highlighted_text(), index
    assert any(s == 1 for s in enc.segments)


# ----------------------------------------------------------------------------------------------- hangs
def _gate_runner(runner, gate):
    original = runner.start

    def start(fn, on_result, on_error, on_progress=None):
        def stuck(job):
            gate.wait(60)      # a load that does not answer, and does not check for cancellation
            return fn(job)
        return original(stuck, on_result, on_error, on_progress)
    runner.start = start


def test_closing_while_a_load_hangs_returns_promptly(qtbot, open_window):
    window = open_window()
    gate = threading.Event()
    _gate_runner(window.runner, gate)
    window.run()
    thread = next(iter(window.runner.jobs.values())).thread
    started = time.monotonic()
    window.close()
    took = time.monotonic() - started
    try:
        assert took < 3.0, f"closing took {took:.1f} s"
        assert thread.is_alive() and thread.daemon   # left behind, and it cannot keep the process alive
        assert not window.runner.active
    finally:
        gate.set()
    thread.join(30)
    qtbot.wait(50)
    assert window.state.trace is None             # its result was never delivered


def _script(tmp_path, body: str) -> Path:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(body))
    return script


def _python(script, *args, timeout=90):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("PLM_EXPLORER_DEBUG", None)
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(script), *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout)
    return result, time.monotonic() - started


HANGING_LOAD = """
    import sys, time
    import engine
    def hangs(*args, **kwargs):
        while True:
            time.sleep(1)
    engine.load = hangs
"""


def test_the_app_exits_when_closed_while_a_load_hangs(tmp_path):
    script = _script(tmp_path, HANGING_LOAD + """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from explorer import app
    qapp = QApplication([])
    def close():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, app.MainWindow))
        started = time.monotonic()
        window.close()
        print(f"closed in {time.monotonic() - started:.2f}", flush=True)
    QTimer.singleShot(1500, close)
    sys.exit(app.main(["--model", "bert-tiny"]))
    """)
    result, _took = _python(script, timeout=60)
    assert result.returncode == 0, result.stderr
    closed = float(result.stdout.split("closed in ")[1].split()[0])
    assert closed <= 2.5


def test_a_scripted_run_that_hangs_gives_up_at_its_timeout(tmp_path):
    out = tmp_path / "never.png"
    script = _script(tmp_path, HANGING_LOAD + """
    from explorer.app import main
    sys.exit(main(sys.argv[1:]))
    """)
    result, took = _python(script, "--model", "bert-tiny", "--timeout", "2", "--screenshot", out, timeout=60)
    assert result.returncode == 2 and not out.exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: gave up after 2 s (--timeout); it was: loading bert-tiny…"], result.stderr
    assert "Traceback" not in result.stderr


def test_a_scripted_run_whose_window_is_stuck_is_ended_by_the_watchdog(tmp_path):
    out = tmp_path / "never.png"
    script = _script(tmp_path, """
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from explorer import app
    qapp = QApplication([])
    app.WATCHDOG_GRACE_S = 1.0
    QTimer.singleShot(200, lambda: time.sleep(600))   # the GUI thread stops answering
    sys.exit(app.main(sys.argv[1:]))
    """)
    result, took = _python(script, "--model", "bert-tiny", "--timeout", "2", "--screenshot", out, timeout=60)
    assert result.returncode == 2 and not out.exists()
    assert "error: no answer 3 s after the start (the window is stuck); stopped." in result.stderr
    assert took < 40


def test_main_py_exits_even_when_a_thread_would_hold_the_process(tmp_path):
    """A non-daemon thread that never ends (a library's worker stuck in a call) would keep Python from exiting:
    main.py ends anyway, a few seconds after the window closed, with the run's exit status."""
    out = tmp_path / "shot.png"
    script = _script(tmp_path, f"""
    import runpy, sys, threading, time
    threading.Thread(target=time.sleep, args=(3600,)).start()   # not a daemon: Python would wait for it
    sys.argv = ["main.py", "--model", "bert-tiny", "--screenshot", {str(out)!r}]
    runpy.run_path({str(ROOT / "main.py")!r}, run_name="__main__")
    """)
    result, took = _python(script, timeout=90)
    assert result.returncode == 0, result.stderr
    assert out.exists() and took < 60


def test_a_raising_slot_in_a_scripted_run_is_one_line_and_exit_2(tmp_path):
    out = tmp_path / "shot.png"
    script = _script(tmp_path, """
    import sys
    from explorer import app
    original = app.MainWindow._set_busy
    def busy_then_raise(self, busy):
        original(self, busy)
        if not busy:
            raise RuntimeError("boom in a slot")
    app.MainWindow._set_busy = busy_then_raise
    sys.exit(app.main(sys.argv[1:]))
    """)
    result, _took = _python(script, "--model", "bert-tiny", "--screenshot", out, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: Something went wrong: RuntimeError: boom in a slot"], result.stderr
    assert out.exists()   # the window went on: its picture shows the message


# ----------------------------------------------------------------------------------------------- the command line
@pytest.mark.parametrize("args,says", [
    (["--size", "abc"], "argument --size: 'abc' is not a size"),
    (["--size", "0x0"], "each side must be 200 to 16384 pixels"),
    (["--head", "0"], "layers and heads count from 1"),
    (["--timeout", "-1"], "give a positive number of seconds"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["--device", "bogus"], "'bogus' is not a device name"),
    (["--text", ""], "--text: The text is empty"),
    (["--text", "   "], "--text: The text is empty"),
    (["--text", "x" * 5001], "the explorer takes at most 5000"),
])
def test_a_bad_command_line_is_one_line_and_exit_2(capsys, args, says):
    from explorer.app import main

    try:
        code = main(args + ["--screenshot", "/tmp/plm-never.png"])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("main.py: error: ") and says in err, err
    assert not Path("/tmp/plm-never.png").exists()


def test_cuda_without_cuda_is_refused_not_run_on_the_cpu(capsys):
    import torch

    from explorer.app import main

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert main(["--device", "cuda", "--screenshot", "/tmp/plm-never.png"]) == 2
    err = capsys.readouterr().err
    assert err == "main.py: error: Device 'cuda' is not available here. Available: cpu.\n" or \
        ("Device 'cuda' is not available here" in err and err.count("\n") == 1)


@pytest.mark.parametrize("bad", ["under a file", "read-only folder", "a folder", "name too long", "NUL in the name"])
def test_a_screenshot_that_cannot_be_written_is_one_line_and_exit_2(capsys, bad_paths, bad):
    from explorer.app import main

    path = str(bad_paths[bad])
    assert main(["--screenshot", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith("main.py: error: --screenshot: ") and err.count("\n") == 1, err


def test_a_scripted_run_with_a_failing_model_writes_the_picture_and_exits_2(tmp_path):
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "main.py", "--model", "no-such-model", "--screenshot", str(out)],
                            cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "No model, preset or folder called 'no-such-model'" in errors[0]
    assert "Traceback" not in result.stderr and out.exists()
