"""The Look inside page on tiny models: every part renders from the state's run, ablation shows a difference, a
head opens in the step-through, and the demonstrations show their numbers."""
import numpy as np
import pytest

import engine
from tests.explorer.helpers import run_and_wait
from explorer.state import ExplorerState
from explorer.views.inspect import InspectView

TEXT = "The cat sat on the mat because it was tired."
_loaded: dict = {}


def model(name):
    if name not in _loaded:
        _loaded[name] = engine.load(name)
    return _loaded[name]


def settle(qtbot, view, timeout=60000):
    qtbot.waitUntil(lambda: not view.busy(), timeout=timeout)
    qtbot.wait(20)   # the queued results are delivered
    qtbot.waitUntil(lambda: not view.busy(), timeout=timeout)


@pytest.fixture
def page(qtbot):
    def open_(name="gpt2-tiny", text=TEXT):
        state = ExplorerState()
        loaded = model(name)
        state.set_trace(loaded, loaded.trace(text=text), text)
        view = InspectView(state)
        qtbot.addWidget(view)
        view.resize(1400, 900)
        view.show()
        settle(qtbot, view)
        return view
    yield open_


def test_lens_heads_and_rollout_render_from_the_run(page):
    view = page("gpt2-tiny")
    table = view.lens_table
    assert table.rowCount() == 5 and table.columnCount() == len(view.state.trace.tokens)
    assert table.verticalHeaderItem(0).text() == "embeddings" and table.item(4, 0).text()
    assert table.horizontalHeaderItem(1).text() == "2 cat"                    # readable, not 'Ġcat'
    assert view.heads_table.rowCount() == 4 * 4
    view.heads_table.sortItems(2)                                             # entropy, ascending
    entropies = [view.heads_table.item(r, 2).value for r in range(16)]
    assert entropies == sorted(entropies)
    flow = view.rollout_map.data
    np.testing.assert_allclose(flow.sum(-1), 1.0, atol=1e-5)


def test_mlm_lens_reads_the_masks(page):
    view = page("bert-tiny", "The cat [MASK] on the mat.")
    assert view.lens_table.columnCount() == 1 and "[MASK]" in view.lens_table.horizontalHeaderItem(0).text()


def test_a_model_without_a_head_says_so_and_still_summarises_heads(page):
    view = page("minilm", "The cat sat.")
    assert "no output head" in view.lens_caption.text() and view.heads_table.rowCount() == 6 * 12


def test_ablation_shows_before_after_and_their_difference(page, qtbot):
    view = page("gpt2-tiny")
    view.parts.setCurrentIndex(3)
    view.choose_heads([(1, 0), (1, 1), (1, 2), (1, 3)])                      # layer 2, every head
    view.before_map.cell_clicked.emit(4, 1)                                  # block a cell by clicking it
    assert view.blocked == [(4, 1)]
    with qtbot.waitSignal(view.ready, timeout=60000):
        view.run_ablation()
    result = view.comparison
    assert set(result.intervention.heads) == {"blocks.1.attn"} and result.logit_change > 0
    view.ablate_site.setCurrentIndex(view.ablate_site.findData("blocks.2.attn"))
    assert np.abs(view.diff_map.data).max() > 0                             # a later layer sees the change
    np.testing.assert_allclose(view.diff_map.data, view.after_map.data - view.before_map.data, atol=1e-6)
    assert view.predictions.rowCount() >= len(view.state.trace.tokens)
    assert "zeroed" in view.ablate_summary.text()


def test_nothing_to_change_is_said_not_run(page):
    view = page("gpt2-tiny")
    view.run_ablation()
    assert "Nothing to change" in view.ablate_summary.text() and not view.ablate_runner.active


def test_double_clicking_a_head_opens_it_in_the_step_through(page, qtbot):
    view = page("gpt2-tiny")
    row = next(r for r in range(view.heads_table.rowCount())
               if view.heads_table.item(r, 0).text() == "layer 3" and view.heads_table.item(r, 1).text() == "2")
    with qtbot.waitSignal(view.step_opened):
        view.heads_table.cellDoubleClicked.emit(row, 0)
    assert view.state.step == "blocks.2.attn.hook_pattern" and view.state.head == 1


def test_demonstrations_show_their_numbers(page, qtbot):
    view = page("llama-tiny")
    view.parts.setCurrentIndex(4)
    view.demos.demo_list.setCurrentRow(0)
    settle(qtbot, view)
    assert view.demos.rope_model.currentText().startswith("llama-tiny (the model of the run)")
    view.demos.rope_m.setValue(30)
    view.demos.rope_n.setValue(11)
    shown = view.demos.rope_result.text()
    assert "m − n = 19" in shown and "✔ depends only on m − n" in shown
    view.demos.demo_list.setCurrentRow(1)
    settle(qtbot, view)
    assert view.demos.position_map.data.shape == (128, 128)                        # RoPE: the sinusoidal table only
    view.demos.demo_list.setCurrentRow(2)
    assert view.demos.norm_table.rowCount() == 3 and "RMSNorm" in view.demos.norm_note.text()
    view.demos.depth.setValue(4)
    view.demos.demo_list.setCurrentRow(3)
    settle(qtbot, view)
    assert "4 layers" in view.demos.placement_note.text()
    view.demos.demo_list.setCurrentRow(4)
    assert "gated" in view.demos.ffn_note.text()
    view.demos.demo_list.setCurrentRow(5)
    assert view.demos.gqa_picture.kv_of_query == [0, 0, 1, 1] and "grouped-query" in view.demos.gqa_note.text()
    view.demos.gqa_model.setCurrentIndex(view.demos.gqa_model.findData("llama-2-70b"))
    assert "88%" in view.demos.gqa_note.text()                                    # 8 of 64 kv heads kept


def test_albert_sharing_demonstration(page, qtbot):
    view = page("albert-tiny")
    view.parts.setCurrentIndex(4)
    view.demos.demo_list.setCurrentRow(6)
    view.demos.compute_albert()
    settle(qtbot, view)
    assert "1 distinct set" in view.demos.albert_note.text() and "4 distinct sets" in view.demos.albert_note.text()


def test_the_window_has_the_page_on_ctrl_6(open_window, qtbot):
    window = open_window("gpt2-tiny", TEXT)
    run_and_wait(qtbot, window)
    page = window.show_inspect()
    assert window.pages.tabText(window.pages.currentIndex()) == "Look inside  (Ctrl+6)"
    qtbot.waitUntil(lambda: page.analysis is not None and not page.busy(), timeout=60000)
    page.open_head("blocks.1.attn.hook_pattern", 2)
    assert window.pages.currentIndex() == 0 and window.state.head == 2
