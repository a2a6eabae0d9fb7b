"""The explorer window, headless: every tiny preset runs through it, every step is visited with the keyboard, the
heatmap shows the cache's numbers, Cancel and closing mid-run stop cleanly, bad input keeps the text; layers and
heads read from 1; the model cache; one runner per purpose."""
from __future__ import annotations

import gc
import math
import threading

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

import engine
from explorer import session
from explorer.model_cache import model_bytes
from explorer.session import OUTPUT_STEP, TOKENIZER_STEP

from .helpers import run_and_wait

def hidden_state(state, prefix: str) -> str:
    """The last (batch, pos, hidden) step whose name starts with prefix (whatever the engine calls it)."""
    return [s.name for s in state.trace.cache.steps()
            if s.name.startswith(prefix) and tuple(s.dims) == ("batch", "pos", "hidden")][-1]


TINY = ["bert-tiny", "roberta-tiny", "albert-tiny", "t5-tiny", "gpt1-tiny", "gpt2-tiny", "gpt3-tiny", "llama-tiny",
        "glm-tiny", "chatglm2-tiny"]


@pytest.mark.parametrize("model", TINY)
def test_every_step_visited_with_the_keyboard(qtbot, open_window, model):
    pair = "Die Katze saß." if model == "t5-tiny" else None
    window = open_window(model, "The cat sat on the [MASK]. 猫坐在垫子上。", pair)
    run_and_wait(qtbot, window)
    state = window.state
    window.activateWindow()
    window.setFocus()
    assert state.step == TOKENIZER_STEP
    seen = [state.step]
    for _ in range(len(state.steps) - 1):
        qtbot.keyClick(window, Qt.Key_PageDown)
        seen.append(state.step)
    assert seen == state.steps
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert state.step == state.steps[-2]
    # every view a step allows opens without an exception (attention steps: one layer is enough)
    done_kinds = set()
    for name in state.steps:
        for kind in state.kinds_for(name):
            if (kind, name.rsplit(".", 1)[-1]) in done_kinds or kind == "masks-compare":
                continue
            done_kinds.add((kind, name.rsplit(".", 1)[-1]))
            window.go_to(name, kind)
            assert window.current_view().name == kind
            # no view may force the window wider than a 1280-pixel laptop screen
            assert window.minimumSizeHint().width() <= 1200, (name, kind, window.minimumSizeHint().width())
    assert not window.last_error


def test_heatmap_cell_shows_the_cache_value(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    name = "blocks.1.attn.hook_pattern"
    window.go_to(name, "attention")
    window.state.set_head(2)
    heatmap = window.views["attention"].heatmap
    cache = window.state.trace.cache[name]
    row, col = 3, 1
    assert heatmap.value_at(row, col) == pytest.approx(float(cache[0, 2, row, col]), abs=0)
    heatmap._mouse_moved(heatmap.scene_pos_of(row, col))   # what a hover does
    assert session.format_value(float(cache[0, 2, row, col])) in heatmap.readout.text()
    # hidden states too
    hidden = hidden_state(window.state, "blocks.0.")
    window.go_to(hidden, "vectors")
    vec = window.views["vectors"].heatmap
    assert vec.value_at(2, 5) == float(window.state.trace.cache[hidden][0, 2, 5])
    csv = window.copy_csv()
    assert csv.count("\n") == window.state.trace.cache[hidden].shape[1] + 1


def test_qkv_arithmetic_equals_the_cache(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    cache = window.state.trace.cache
    a = session.cell_arithmetic(cache, "blocks.2.attn", 1, 4, 2)
    assert a.ok
    assert a.total == pytest.approx(float(cache["blocks.2.attn.hook_scores"][0, 1, 4, 2]), rel=1e-4, abs=1e-5)
    assert a.scaled == pytest.approx(float(cache["blocks.2.attn.hook_scaled"][0, 1, 4, 2]), rel=1e-4, abs=1e-5)
    assert a.probability == pytest.approx(float(cache["blocks.2.attn.hook_pattern"][0, 1, 4, 2]), abs=1e-5)
    assert a.scale == pytest.approx(1 / math.sqrt(cache["blocks.2.attn.hook_q"].shape[-1]))
    window.go_to("blocks.2.attn.hook_scores", "qkv")
    view = window.views["qkv"]
    assert "✗" not in view.sums.text()
    # the cell is the state's selection, both ways
    window.state.select(4, 2)
    assert (view.query.currentIndex(), view.key.currentIndex()) == (4, 2)
    view.key.setCurrentIndex(3)
    assert (window.state.query, window.state.key) == (4, 3)
    assert view.sums.text().startswith("<b>head 1, query 4, key 3</b>")


def test_tokens_view_highlights_the_span(qtbot, open_window):
    text = "猫坐在垫子上 the cat"
    window = open_window(text=text)
    run_and_wait(qtbot, window)
    view = window.views["tokens"]
    enc = window.state.trace.encoding
    index = next(i for i, (a, b) in enumerate(enc.offsets) if b > a)
    view.highlight(index)
    start, end = enc.offsets[index]
    assert view.highlighted_text() == text[start:end]
    assert len(view.chips) == len(window.state.trace.tokens)


def test_mlm_output_shows_top_k_for_mask(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    window.go_to(OUTPUT_STEP)
    view = window.current_view()
    assert view.name == "output"
    assert view.shown and view.shown[0][0].startswith("[MASK]")
    probs = [p for _, p in view.shown[0][1]]
    assert probs == sorted(probs, reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "word " * 2000])
def test_bad_input_shows_a_message_and_keeps_the_text(open_window, text):
    window = open_window(text=text)
    window.run()
    assert window.message.isVisible() and window.last_error
    assert window.text_edit.toPlainText() == text
    assert not window.runner.jobs


def test_too_many_tokens_is_a_readable_engine_error(qtbot, open_window):
    window = open_window(text="cat " * 400)   # under the character limit, over bert-tiny's 256 positions
    with qtbot.waitSignal(window.ready, timeout=60000):
        window.run()
    assert "256" in window.last_error and "Traceback" not in window.last_error
    assert window.text_edit.toPlainText() == "cat " * 400


def _blocking(runner, gate):
    """Make a runner's work wait on a gate first (so cancel/close happen mid-run)."""
    original = runner.start

    def start(fn, on_result, on_error, on_progress=None):
        def slow(job):
            gate.wait(10)
            return fn(job)
        return original(slow, on_result, on_error, on_progress)
    runner.start = start


def test_cancel_discards_the_result(qtbot, open_window):
    window = open_window()
    gate = threading.Event()
    _blocking(window.runner, gate)
    window.run()
    assert window.cancel_button.isEnabled() and window.busy.isVisible()
    window.cancel()
    assert not window.runner.active and not window.busy.isVisible()
    gate.set()
    assert window.runner.wait(30)
    qtbot.wait(50)
    assert window.state.trace is None


def test_a_cancelled_job_stops_its_thread_at_the_next_step(qtbot, open_window):
    window = open_window()
    steps, results = [], []

    def work(job):
        for i in range(10 ** 6):
            job.progress(f"step {i}")   # raises Cancelled once cancelled
            steps.append(i)
            threading.Event().wait(0.005)
        return "finished"

    job = window.runner.start(work, results.append, lambda *a: results.append(a))
    qtbot.waitUntil(lambda: len(steps) > 3, timeout=5000)
    window.runner.cancel_all()
    assert window.runner.wait(2) and not job.running
    done_at = len(steps)
    qtbot.wait(50)
    assert len(steps) == done_at < 10 ** 6 and results == []
    assert not window.runner.jobs   # forgotten once its thread ended


def test_new_run_replaces_the_old_one(qtbot, open_window):
    window = open_window()
    gate = threading.Event()
    _blocking(window.runner, gate)
    window.run()
    first = window.job
    window.text_edit.setPlainText("A second sentence.")
    window.run()
    assert first.cancelled and not window.job.cancelled
    gate.set()
    qtbot.waitUntil(lambda: window.state.trace is not None, timeout=30000)
    window.runner.wait(30)
    assert window.state.text == "A second sentence."


def test_close_mid_run_stops_the_worker(qtbot, open_window):
    window = open_window()
    gate = threading.Event()
    _blocking(window.runner, gate)
    window.run()
    threading.Timer(0.3, gate.set).start()
    window.close()
    assert window.runner.running_threads() == 0
    assert not window.runner.jobs


def test_exports(qtbot, open_window, tmp_path):
    window = open_window()
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_pattern", "attention")
    assert window.export_view("png", str(tmp_path / "a.png")) and (tmp_path / "a.png").stat().st_size > 1000
    assert window.export_view("svg", str(tmp_path / "a.svg")) and (tmp_path / "a.svg").stat().st_size > 1000
    window.save_npz(str(tmp_path / "t.npz"))
    data = np.load(tmp_path / "t.npz")
    assert np.array_equal(data["blocks.0.attn.hook_pattern"],
                          window.state.trace.cache["blocks.0.attn.hook_pattern"].numpy())


def test_session_tree_and_lessons():
    names = ["embeddings.hook_embed", "blocks.0.attn.hook_q", "blocks.0.hook_resid_post", "decoder.blocks.1.cross_attn.hook_q",
             "lm_head.hook_logits"]
    tree = session.build_tree(names)
    labels = [c.label for c in tree.children]
    assert labels[0] == "Tokenizer" and labels[-1] == "Output"
    assert "Layer 1" in labels and "Decoder layer 2" in labels
    assert session.lesson_text("attn.pattern", "zh") and session.lesson_text("attn.pattern", "en")
    assert session.lesson_text("logits", "en", "gpt2") != session.lesson_text("logits", "en", "bert")
    assert session.lesson_text("no.such.key") == ""


@pytest.mark.parametrize("model,says", [("glm-post-tiny", "Post-norm, as the chapter reads GLM"),
                                        ("glm-tiny", "pre-norm")])
def test_the_window_says_which_norm_placement_a_glm_preset_uses(qtbot, open_window, model, says):
    window = open_window(model, "The cat [sat on] the mat.")
    run_and_wait(qtbot, window)
    assert window.model_note.isVisibleTo(window)
    assert says.lower() in window.model_note.text().lower()


def test_all_heads_grid_hover_reads_the_cache_value(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    window.go_to("blocks.1.attn.hook_pattern", "grid")
    grid = window.views["grid"]
    qtbot.wait(50)   # let the layout place the thumbnails
    box, layer, head, _ = next(cell for cell in grid.cells if cell[1] == 1 and cell[2] == 2)
    row, col = 4, 1
    grid._hovered(box.mapViewToScene(QPointF(col + 0.5, row + 0.5)))
    expected = session.format_value(float(window.state.trace.cache["blocks.1.attn.hook_pattern"][0, 2, row, col]))
    assert grid.readout.text().startswith(f"layer 2 · head 3 · query {row} [")   # head index 2 is "head 3"
    assert grid.readout.text().endswith(expected)
    grid.open(layer, head)   # a click on a thumbnail: that layer and head in the attention view
    assert window.state.view == "attention" and window.state.head == 2
    assert window.views["attention"].bar.head.value() == 3


# ----------------------------------------------------------------------------------------------- the defects
def test_the_chosen_head_is_clamped_when_the_model_has_fewer(qtbot, open_window):
    """Head 12 of MiniLM, then bert-tiny (4 heads), Run, PageDown through everything: no IndexError."""
    window = open_window("minilm", "The cat sat on the mat.")
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_scores", "qkv")
    window.views["qkv"].bar.head.setValue(12)          # the user picks head 12 (index 11)
    assert window.state.head == 11
    window.select_model("bert-tiny")
    run_and_wait(qtbot, window)
    assert window.state.head == 3
    assert "head 12 does not exist in bert-tiny (4 heads): showing head 4" in window.statusBar().currentMessage()
    assert window.views["qkv"].bar.head.value() == 4 and window.views["qkv"].bar.head.maximum() == 4
    window.state.first()
    window.activateWindow()
    for _ in range(len(window.state.steps) - 1):
        qtbot.keyClick(window, Qt.Key_PageDown)
    assert window.state.step == OUTPUT_STEP and not window.last_error


def test_layer_box_follows_navigation_and_counts_from_one(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    box = window.layer_box
    assert (box.minimum(), box.maximum()) == (1, 4)
    window.go_to("blocks.2.attn.hook_pattern")
    assert box.value() == 3
    window.state.next()
    while session.layer_of(window.state.step) == ("blocks", 2):
        window.state.next()
    assert session.layer_of(window.state.step) == ("blocks", 3) and box.value() == 4
    window.go_to("blocks.0.attn.hook_pattern")
    assert box.value() == 1
    box.setValue(2)                                 # the user types "layer 2": blocks.1
    assert window.state.step == "blocks.1.attn.hook_pattern"
    assert "layer 2" in window.step_title.text()


def test_heads_and_layers_read_from_one_everywhere(qtbot, open_window):
    window = open_window()
    run_and_wait(qtbot, window)
    state = window.state
    window.go_to("blocks.1.attn.hook_pattern", "attention")
    bar = window.views["attention"].bar
    assert bar.head.minimum() == 1 and bar.head.maximum() == 4 and bar.head.value() == 1
    assert [bar.layer.itemText(i) for i in range(bar.layer.count())] == ["1", "2", "3", "4"]
    assert bar.layer.currentText() == "2"
    heatmap_title = window.views["attention"].heatmap.plot.getPlotItem().titleLabel.text
    assert "layer 2 · head 1" in heatmap_title
    bar.head.setValue(4)
    assert state.head == 3
    bar.layer.setCurrentIndex(3)
    bar.layer.activated.emit(3)
    assert state.step == "blocks.3.attn.hook_pattern"
    window.go_to("blocks.0.attn.hook_pattern", "lines")
    checks = window.views["lines"].checks
    assert [c.text() for c in checks] == ["h1", "h2", "h3", "h4"] and checks[3].isChecked()
    window.go_to("blocks.0.attn.hook_pattern", "grid")
    grid = window.views["grid"]
    labels = [item.text for item in grid.canvas.ci.items if hasattr(item, "text")]
    assert "h1" in " ".join(labels) and "h0" not in " ".join(labels) and "L1" in " ".join(labels)
    window.go_to("blocks.0.attn.hook_q", "qkv")
    assert "Q · head 4" in window.views["qkv"].maps["q"].plot.getPlotItem().titleLabel.text
    window.go_to("blocks.0.attn.hook_q", "vectors")
    head_box = window.views["vectors"].head_box
    assert (head_box.minimum(), head_box.maximum(), head_box.value()) == (1, 4, 4)
    head_box.setValue(1)
    assert state.head == 0


def test_masks_comparison_reads_layers_from_one_and_families_from_the_registry(qtbot, open_window):
    from explorer.views.mask import compare_masks

    window = open_window()
    run_and_wait(qtbot, window)
    view = window.views["masks-compare"]
    view.show_results([("t5-tiny", [("encoder.blocks.0.attn.hook_mask", np.ones((3, 3), bool)),
                                    ("decoder.blocks.0.cross_attn.hook_mask", np.ones((2, 3), bool))], None)])
    labels = " ".join(item.text for item in view.canvas.ci.items if hasattr(item, "text"))
    assert "encoder layer 1" in labels and "decoder layer 1 · cross-attention" in labels and "layer 0" not in labels
    names = [name for name, _, _ in compare_masks("The cat sat.")]
    assert names == [name for name, _ in session.compare_presets()]
    assert len(names) == len(engine.models.FAMILIES)


def test_a_checkpoint_folder_is_loaded_once(qtbot, open_window, monkeypatch):
    try:
        from engine.tokenization import minilm_folder
        folder = str(minilm_folder())
    except Exception as error:   # noqa: BLE001
        pytest.skip(f"MiniLM not available: {error}")
    loads = []
    real = engine.load

    def counting(name, *args, **kwargs):
        loads.append(str(name))
        return real(name, *args, **kwargs)

    monkeypatch.setattr(engine, "load", counting)
    window = open_window(folder, "The cat sat on the mat.")
    run_and_wait(qtbot, window)
    run_and_wait(qtbot, window)
    assert loads == [folder]


def test_the_model_cache_keeps_a_budget_and_says_what_it_unloaded(qtbot, open_window):
    budget = model_bytes(engine.load("gpt2-tiny")) + 1024
    window = open_window("bert-tiny", "The cat sat on the mat.", cache_budget=budget)
    run_and_wait(qtbot, window)
    window.select_model("gpt2-tiny")
    run_and_wait(qtbot, window)
    assert window.models.names() == [("gpt2-tiny", "cpu")]
    message = window.statusBar().currentMessage()
    assert "unloaded bert-tiny to stay within" in message and "GiB" in message


def test_the_similarity_view_recomputes_after_a_model_change(qtbot, open_window):
    try:
        from engine.tokenization import minilm_folder
        folder = str(minilm_folder())
    except Exception as error:   # noqa: BLE001
        pytest.skip(f"MiniLM not available: {error}")
    window = open_window("minilm", "The cat sat on the mat.")
    run_and_wait(qtbot, window)
    window.go_to(OUTPUT_STEP, "similarity")
    view = window.views["similarity"]
    qtbot.waitUntil(lambda: view.model is window.state.loaded, timeout=30000)
    first = view.model
    window.select_model(folder)   # the same architecture from its folder: another model
    run_and_wait(qtbot, window)
    assert window.state.view == "similarity"
    qtbot.waitUntil(lambda: view.model is window.state.loaded, timeout=30000)
    assert view.model is not first and view.matrix is not None
    assert window.state.loaded.name in view.status.text()


def test_run_does_not_cancel_a_views_job_and_close_waits_for_all(qtbot, open_window, monkeypatch):
    from explorer.views import output

    try:
        window = open_window("minilm", "The cat sat on the mat.")
        run_and_wait(qtbot, window)
    except AssertionError:
        pytest.skip("MiniLM not available")
    gate = threading.Event()
    real = output.similarity

    def slow(loaded, sentences, job=None):
        gate.wait(10)
        return real(loaded, sentences, job)

    monkeypatch.setattr(output, "similarity", slow)
    view = window.views["similarity"]
    window.go_to(OUTPUT_STEP, "similarity")
    assert view.runner.active
    similarity_job = next(iter(view.runner.jobs.values()))
    window.run()                     # the main Run has its own runner
    assert not similarity_job.cancelled
    qtbot.waitUntil(lambda: not window.runner.jobs, timeout=30000)
    assert view.runner.active
    window.views["masks-compare"]    # built (a view is built when first shown or read), its runner with it
    threading.Timer(0.3, gate.set).start()
    window.close()
    assert all(r.running_threads() == 0 for r in window.runners())
    assert {r.objectName() for r in window.runners()} >= {"run", "similarity", "masks-compare"}


def test_t5_decoder_steps_show_decoder_tokens(qtbot, open_window):
    text = "Das Haus ist klein."
    window = open_window("t5-tiny", text, text)
    run_and_wait(qtbot, window)
    trace = window.state.trace
    encoder, decoder = list(trace.tokens), list(trace.extras["decoder_tokens"])
    assert len(encoder) == len(decoder) and encoder != decoder
    heatmap = window.views["attention"].heatmap
    window.go_to("decoder.blocks.0.attn.hook_pattern", "attention")
    assert heatmap.row_labels == decoder and heatmap.col_labels == decoder
    window.go_to("decoder.blocks.0.cross_attn.hook_pattern", "attention")
    assert heatmap.row_labels == decoder and heatmap.col_labels == encoder
    assert window.go_to(hidden_state(window.state, "decoder.blocks.0."), "vectors")
    assert window.views["vectors"].heatmap.row_labels == decoder
    window.go_to("decoder.blocks.0.cross_attn.hook_scores", "qkv")
    maps = window.views["qkv"].maps
    assert maps["q"].row_labels == decoder and maps["k"].row_labels == encoder and maps["v"].row_labels == encoder


def test_no_process_wide_side_effects(open_window):
    import pyqtgraph as pg

    window = open_window()
    assert gc.isenabled()                          # no library code turned the cyclic GC off
    assert pg.getConfigOption("background") == "k" and pg.getConfigOption("foreground") == "d"
    assert pg.getConfigOption("antialias") is False
    assert window.views["attention"].heatmap.plot.backgroundBrush().color().name() == "#ffffff"


def test_no_qt_object_is_left_to_the_cyclic_gc(qtbot, open_window):
    """Python's cyclic GC runs on whichever thread allocates (a worker building a model too): a Qt object it frees
    there is destroyed off the UI thread (freezes, segfaults). Navigating every view, redrawing the thumbnail
    grids and switching models must leave no live Python-owned Qt object to it."""
    import shiboken6

    window = open_window()
    run_and_wait(qtbot, window)
    state = window.state
    gc.collect()
    for _ in range(2):
        for name in state.steps:
            for kind in state.kinds_for(name):
                if kind != "masks-compare":
                    state.go_to(name, kind)
        state.go_to("blocks.0.attn.hook_pattern", "grid")
        state.set_head(1)
        window.views["masks-compare"].show_results(
            [("bert-tiny", [("blocks.0.attn.hook_mask", np.ones((3, 3), bool))], None), ("x-tiny", None, "failed")])
    window.select_model("gpt2-tiny")
    run_and_wait(qtbot, window)
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, shiboken6.Object) and shiboken6.isValid(o)
                and shiboken6.ownedByPython(o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not left, sorted({type(o).__name__ for o in left})


def test_a_closed_window_is_freed_at_once_not_by_the_cyclic_gc(qtbot):
    """No reference cycle runs through the window (state events and runner callbacks hold bound methods weakly,
    views hold the state, not the window): dropping a closed window frees it here, on the GUI thread."""
    import weakref

    from explorer.app import MainWindow

    window = MainWindow("bert-tiny", "The cat sat.", autorun=False)
    window.show()
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_pattern", "grid")
    window.close()
    ref = weakref.ref(window)
    gc.disable()
    try:
        del window
        assert ref() is None
    finally:
        gc.enable()


def test_a_head_change_in_vectors_keeps_the_vector_plots_axis_one_scale_for_every_head(qtbot, open_window):
    window = open_window("bert-tiny", "The cat sat on the mat.")
    run_and_wait(qtbot, window)
    window.go_to("blocks.0.attn.hook_q", "vectors")
    view = window.views["vectors"]
    shown = view.line.getPlotItem().getViewBox().viewRange()[1]
    q = window.state.trace.cache["blocks.0.attn.hook_q"]
    assert shown[0] <= float(q.min()) and float(q.max()) <= shown[1]   # every head's values fit
    for head in range(4):
        window.state.set_head(head)
        assert view.line.getPlotItem().getViewBox().viewRange()[1] == shown
