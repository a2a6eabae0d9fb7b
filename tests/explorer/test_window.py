"""The explorer window, headless: every tiny preset runs through it, every step is visited with the keyboard, the
heatmap shows the cache's numbers, Cancel and closing mid-run stop cleanly, bad input keeps the text."""
from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from PySide6.QtCore import Qt  # noqa: E402

from explorer import session  # noqa: E402
from explorer.app import MainWindow  # noqa: E402

TINY = ["bert-tiny", "roberta-tiny", "albert-tiny", "t5-tiny", "gpt1-tiny", "gpt2-tiny", "gpt3-tiny", "llama-tiny",
        "glm-tiny", "chatglm2-tiny"]


def make_window(qtbot, model="bert-tiny", text="The cat sat on the [MASK].", pair=None):
    window = MainWindow(model, text, pair, autorun=False)
    qtbot.addWidget(window)
    window.show()
    return window


def run_and_wait(qtbot, window, timeout=60000):
    window.trace, window.last_error = None, ""
    window.run()
    qtbot.waitUntil(lambda: not window.runner.jobs and (window.trace is not None or window.last_error),
                    timeout=timeout)
    assert window.trace is not None, window.last_error


@pytest.mark.parametrize("model", TINY)
def test_every_step_visited_with_the_keyboard(qtbot, model):
    pair = "Die Katze saß." if model == "t5-tiny" else None
    window = make_window(qtbot, model, "The cat sat on the [MASK]. 猫坐在垫子上。", pair)
    run_and_wait(qtbot, window)
    window.activateWindow()
    window.setFocus()
    assert window.current_step == session.TOKENIZER_STEP
    seen = [window.current_step]
    for _ in range(len(window.steps) - 1):
        qtbot.keyClick(window, Qt.Key_PageDown)
        seen.append(window.current_step)
    assert seen == window.steps
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert window.current_step == window.steps[-2]
    # every view a step allows opens without an exception (attention steps: one layer is enough)
    done_kinds = set()
    for name in window.steps:
        for kind in window.kinds_for(name):
            if (kind, name.rsplit(".", 1)[-1]) in done_kinds or kind == "masks-compare":
                continue
            done_kinds.add((kind, name.rsplit(".", 1)[-1]))
            window.go_to(name, kind)
            assert window.current_view().name == kind
            # no view may force the window wider than a 1280-pixel laptop screen
            assert window.minimumSizeHint().width() <= 1200, (name, kind, window.minimumSizeHint().width())
    assert not window.last_error


def test_heatmap_cell_shows_the_cache_value(qtbot):
    window = make_window(qtbot)
    run_and_wait(qtbot, window)
    name = "blocks.1.attn.hook_pattern"
    window.head = 2
    window.go_to(name, "attention")
    heatmap = window.views["attention"].heatmap
    cache = window.trace.cache[name]
    row, col = 3, 1
    assert heatmap.value_at(row, col) == pytest.approx(float(cache[0, 2, row, col]), abs=0)
    heatmap._mouse_moved(heatmap.scene_pos_of(row, col))   # what a hover does
    assert session.format_value(float(cache[0, 2, row, col])) in heatmap.readout.text()
    # hidden states too
    window.go_to("blocks.0.hook_out", "vectors")
    vec = window.views["vectors"].heatmap
    assert vec.value_at(2, 5) == float(window.trace.cache["blocks.0.hook_out"][0, 2, 5])
    csv = window.copy_csv()
    assert csv.count("\n") == window.trace.cache["blocks.0.hook_out"].shape[1] + 1


def test_qkv_arithmetic_equals_the_cache(qtbot):
    window = make_window(qtbot)
    run_and_wait(qtbot, window)
    cache = window.trace.cache
    a = session.cell_arithmetic(cache, "blocks.2.attn", 1, 4, 2)
    assert a.ok
    assert a.total == pytest.approx(float(cache["blocks.2.attn.hook_scores"][0, 1, 4, 2]), rel=1e-4, abs=1e-5)
    assert a.scaled == pytest.approx(float(cache["blocks.2.attn.hook_scaled"][0, 1, 4, 2]), rel=1e-4, abs=1e-5)
    assert a.probability == pytest.approx(float(cache["blocks.2.attn.hook_pattern"][0, 1, 4, 2]), abs=1e-5)
    assert a.scale == pytest.approx(1 / math.sqrt(cache["blocks.2.attn.hook_q"].shape[-1]))
    window.go_to("blocks.2.attn.hook_scores", "qkv")
    assert "✗" not in window.views["qkv"].sums.text()


def test_tokens_view_highlights_the_span(qtbot):
    text = "猫坐在垫子上 the cat"
    window = make_window(qtbot, text=text)
    run_and_wait(qtbot, window)
    view = window.views["tokens"]
    enc = window.trace.encoding
    index = next(i for i, (a, b) in enumerate(enc.offsets) if b > a)
    view.highlight(index)
    start, end = enc.offsets[index]
    assert view.highlighted_text() == text[start:end]
    assert len(view.chips) == len(window.trace.tokens)


def test_mlm_output_shows_top_k_for_mask(qtbot):
    window = make_window(qtbot)
    run_and_wait(qtbot, window)
    window.go_to(session.OUTPUT_STEP)
    view = window.current_view()
    assert view.name == "output"
    assert view.shown and view.shown[0][0].startswith("[MASK]")
    probs = [p for _, p in view.shown[0][1]]
    assert probs == sorted(probs, reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "word " * 2000])
def test_bad_input_shows_a_message_and_keeps_the_text(qtbot, text):
    window = make_window(qtbot, text=text)
    window.run()
    assert window.message.isVisible() and window.last_error
    assert window.text_edit.toPlainText() == text
    assert not window.runner.jobs


def test_too_many_tokens_is_a_readable_engine_error(qtbot):
    window = make_window(qtbot, text="cat " * 400)   # under the character limit, over bert-tiny's 256 positions
    window.run()
    qtbot.waitUntil(lambda: not window.runner.jobs, timeout=60000)
    assert "256" in window.last_error and "Traceback" not in window.last_error
    assert window.text_edit.toPlainText() == "cat " * 400


def _blocking(window, gate):
    """Replace Run's work with one that waits on a gate (so cancel/close happen mid-run)."""
    original = window.runner.start

    def start(fn, on_result, on_error, on_progress=None):
        def slow(job):
            gate.wait(10)
            return fn(job)
        return original(slow, on_result, on_error, on_progress)
    window.runner.start = start


def test_cancel_discards_the_result(qtbot):
    window = make_window(qtbot)
    gate = threading.Event()
    _blocking(window, gate)
    window.run()
    assert window.cancel_button.isEnabled() and window.busy.isVisible()
    window.cancel()
    assert not window.runner.active and not window.busy.isVisible()
    gate.set()
    window.runner.pool.waitForDone(30000)
    qtbot.wait(50)
    assert window.trace is None


def test_new_run_replaces_the_old_one(qtbot):
    window = make_window(qtbot)
    gate = threading.Event()
    _blocking(window, gate)
    window.run()
    first = window.job
    window.text_edit.setPlainText("A second sentence.")
    window.run()
    assert first.cancelled and not window.job.cancelled
    gate.set()
    qtbot.waitUntil(lambda: window.trace is not None, timeout=30000)
    window.runner.pool.waitForDone(30000)
    assert window.trace_text == "A second sentence."


def test_close_mid_run_stops_the_worker(qtbot):
    window = make_window(qtbot)
    gate = threading.Event()
    _blocking(window, gate)
    window.run()
    threading.Timer(0.3, gate.set).start()
    window.close()
    assert window.runner.pool.activeThreadCount() == 0
    assert not window.runner.jobs


def test_exports(qtbot, tmp_path):
    window = make_window(qtbot)
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_pattern", "attention")
    assert window.export_view("png", str(tmp_path / "a.png")) and (tmp_path / "a.png").stat().st_size > 1000
    assert window.export_view("svg", str(tmp_path / "a.svg")) and (tmp_path / "a.svg").stat().st_size > 1000
    window.save_npz(str(tmp_path / "t.npz"))
    data = np.load(tmp_path / "t.npz")
    assert np.array_equal(data["blocks.0.attn.hook_pattern"], window.trace.cache["blocks.0.attn.hook_pattern"].numpy())


def test_session_tree_and_lessons():
    names = ["embeddings.hook_token", "blocks.0.attn.hook_q", "blocks.0.hook_out", "decoder.blocks.1.cross_attn.hook_q",
             "lm_head.hook_logits"]
    tree = session.build_tree(names)
    labels = [c.label for c in tree.children]
    assert labels[0] == "Tokenizer" and labels[-1] == "Output"
    assert "Layer 1" in labels and "Decoder layer 2" in labels
    lessons = session.Lessons()
    assert lessons.text("attn.pattern", "zh") and lessons.text("attn.pattern", "en")
    assert lessons.text("no.such.key") == ""


@pytest.mark.parametrize("model,says", [("glm-post-tiny", "Post-norm, as the seed reads GLM"),
                                        ("glm-tiny", "pre-norm")])
def test_the_window_says_which_norm_placement_a_glm_preset_uses(qtbot, model, says):
    window = make_window(qtbot, model, "The cat [sat on] the mat.")
    run_and_wait(qtbot, window)
    assert window.model_note.isVisibleTo(window)
    assert says.lower() in window.model_note.text().lower()


def test_all_heads_grid_hover_reads_the_cache_value(qtbot):
    from PySide6.QtCore import QPointF

    window = make_window(qtbot)
    run_and_wait(qtbot, window)
    window.go_to("blocks.1.attn.hook_pattern", "grid")
    grid = window.views["grid"]
    qtbot.wait(50)   # let the layout place the thumbnails
    box, layer, head, _ = next(cell for cell in grid.cells if cell[1] == 1 and cell[2] == 2)
    row, col = 4, 1
    grid._hovered(box.mapViewToScene(QPointF(col + 0.5, row + 0.5)))
    expected = session.format_value(float(window.trace.cache["blocks.1.attn.hook_pattern"][0, 2, row, col]))
    assert grid.readout.text().startswith(f"layer 2 · head 2 · query {row} [")
    assert grid.readout.text().endswith(expected)
