"""The step-through's views in Chinese: on every kind of step (tokenizer, embeddings, attention pattern, Q/K/V,
mask, vectors, output) and on every tab the view offers, no English left (names, code and data aside); none of the
Chinese left after switching back to English. Also the states a user reaches: a decoder's and T5's output, a
sentence pair, the attention view's window of rows, the grid's own scales, a picked cell's arithmetic, the
families' masks, the similarity of sentences, a hovered cell; and views built in English, then switched."""
from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from explorer import i18n, session
from tests.explorer.english import (CHINESE_TEXT, assert_no_chinese, assert_no_english, english_left, english_words,
                                    model_names, open_chinese, visible_texts)
from tests.explorer.helpers import run_and_wait


def steps_of_each_kind(window) -> list[str]:
    """The first step of each kind of view the trace offers (tokenizer and output included)."""
    seen, chosen = set(), []
    for name in window.state.steps:
        kinds = tuple(window.state.kinds_for(name))
        if kinds and kinds[0] not in seen:
            seen.add(kinds[0])
            chosen.append(name)
    return chosen


def visit_every_tab(qtbot, window, check) -> None:
    for name in steps_of_each_kind(window):
        window.state.go_to(name)
        for index in range(window.tabs.count()):
            if window.tabs.isTabVisible(index):
                window.tabs.setCurrentIndex(index)
                qtbot.wait(30)
                check(window.tabs.currentWidget())


def show(qtbot, window, step: str, view: str):
    """Go to a step in a view and return the view, drawn."""
    window.state.go_to(step, view)
    qtbot.wait(30)
    return window.views[view]


def first_step(window, ending: str) -> str:
    return next(name for name in window.state.steps if name.endswith(ending))


def test_every_view_reads_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    visit_every_tab(qtbot, window, assert_no_english)


def test_switching_back_leaves_no_chinese_in_the_views(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    window.state.set_setting("lang", "en")
    visit_every_tab(qtbot, window, assert_no_chinese)


def test_views_built_in_english_follow_a_switch_to_chinese(qtbot, open_window):
    window = open_window("bert-tiny", CHINESE_TEXT)
    run_and_wait(qtbot, window)
    visit_every_tab(qtbot, window, lambda view: None)   # every view built (and drawn) in English
    window.state.set_setting("lang", "zh")
    qtbot.wait(50)   # Qt's LanguageChange is posted
    visit_every_tab(qtbot, window, assert_no_english)
    window.state.set_setting("lang", "en")
    qtbot.wait(50)
    visit_every_tab(qtbot, window, assert_no_chinese)


def test_tokens_of_a_pair_and_their_tooltips_read_in_chinese(qtbot, open_window):
    window = open_window("bert-tiny", CHINESE_TEXT, "它研究计算机如何理解人的语言。")
    window.state.set_setting("lang", "zh")
    run_and_wait(qtbot, window)
    view = show(qtbot, window, window.state.steps[0], "tokens")
    assert_no_english(view)
    assert "词元" in view.summary.text() and "WordPiece" in view.summary.text()
    assert "句对" in view.source.toPlainText()
    chips = view.chips
    assert any(c.kind == "segment1" for c in chips) and any(c.kind == "special" for c in chips)
    for chip in chips:
        assert not english_words_in(chip.tooltip, chip.token), chip.tooltip
    view.highlight(1)   # the first character is still found after the (translated) "pair: " label
    assert view.marked_text() == view.highlighted_text()
    second = next(c.index for c in chips if c.kind == "segment1" and c.token != "[SEP]")
    view.highlight(second)
    assert view.marked_text() == view.highlighted_text() == "它"


def english_words_in(text: str, token: str) -> list[str]:
    return english_words(text.replace(repr(token), " "))


def test_the_output_of_a_decoder_and_of_t5_reads_in_chinese(qtbot, open_window):
    for model in ("gpt2-trained", "t5-tiny"):
        window = open_chinese(open_window, qtbot, model=model)
        view = show(qtbot, window, session.OUTPUT_STEP if session.OUTPUT_STEP in window.state.steps else
                    window.state.steps[-1], "output")
        assert view.position.isVisible() and view.shown
        assert_no_english(view)
        tokens = show(qtbot, window, window.state.steps[0], "tokens")
        assert_no_english(tokens)
        window.state.set_setting("lang", "en")
        assert_no_chinese_but_tokens(show(qtbot, window, window.state.steps[0], "tokens"))
        window.close()


def assert_no_chinese_but_tokens(view) -> None:
    """No Chinese in the English view but tokens the summary quotes as code (a T5 decoder's input)."""
    left = [f"{t.where}: {t.text[:100]!r}" for t in visible_texts(view)
            if re.search(r"[\u3400-\u9fff]", re.sub(r"<code>.*?</code>", "", t.text, flags=re.S))]
    assert not left, left


def test_attention_window_grid_scales_and_cell_arithmetic_read_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    pattern = first_step(window, "attn.hook_pattern")
    view = show(qtbot, window, pattern, "attention")
    view.near.setChecked(True)
    window.state.select(3, 2)
    qtbot.wait(30)
    assert "32" in view.near.text() and not english_left(view)
    view.heatmap.select(3, 2)   # a picked cell names tokens: data, not interface
    assert "查询" in view.heatmap.readout.text()
    assert_no_english(view)
    grid = show(qtbot, window, pattern, "grid")
    for index in range(grid.scaling.count()):
        grid.scaling.setCurrentIndex(index)
        qtbot.wait(30)
        assert_no_english(grid)
    cell = grid.cells[0][0]
    grid._hovered(cell.mapViewToScene(QPointF(0.5, 0.5)))
    assert "查询" in grid.readout.text()
    lines = show(qtbot, window, pattern, "lines")
    assert_no_english(lines)
    assert not english_left_in_text(lines.canvas.rule())
    lines.canvas.focus = 1
    assert not english_left_in_text(lines.canvas.rule())
    qkv = show(qtbot, window, first_step(window, "attn.hook_scores") if any(
        n.endswith("attn.hook_scores") for n in window.state.steps) else pattern, "qkv")
    window.state.select(5, 0)   # [CLS] is never masked: the score is kept
    qtbot.wait(30)
    assert "掩码" in qkv.sums.text() and "<code>True</code>" in qkv.sums.text()
    assert_no_english(qkv)
    assert not english_left_in_text(qkv.products.getPlotItem().titleLabel.text)


def english_left_in_text(text: str) -> list[str]:
    return english_words(text, model_names())


def test_a_causal_mask_the_families_masks_and_similarity_read_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot, model="gpt2-trained")
    mask = show(qtbot, window, first_step(window, "attn.hook_mask"), "mask")
    assert "因果" in mask.kind.text()
    assert_no_english(mask)
    compare = window.views["masks-compare"]
    compare.runner.cancel_all()
    compare.show_results([("t5-tiny", [("encoder.blocks.0.attn.hook_mask", np.ones((3, 3), bool)),
                                       ("decoder.blocks.0.attn.hook_mask", np.tril(np.ones((3, 3), bool))),
                                       ("decoder.blocks.0.cross_attn.hook_mask", np.ones((2, 3), bool))], None),
                          ("gpt3-tiny", [("blocks.0.attn.hook_mask", np.tril(np.ones((4, 4), bool))
                                          & ~np.tril(np.ones((4, 4), bool), -2))], None)])
    window.tabs.setCurrentWidget(compare)
    qtbot.wait(30)
    assert_no_english(compare)
    window.state.set_setting("lang", "en")
    assert_no_chinese(compare)
    window.state.set_setting("lang", "zh")
    assert_no_english(compare)


def test_similarity_of_sentences_reads_in_chinese(qtbot, open_window):
    """MiniLM (no language-model head) offers the similarity of sentences on its output step."""
    try:
        from engine.tokenization import minilm_folder
        minilm_folder()
    except Exception as error:   # noqa: BLE001
        pytest.skip(f"MiniLM not available: {error}")
    window = open_chinese(open_window, qtbot, model="minilm")
    output = show(qtbot, window, session.OUTPUT_STEP, "output")
    assert "MiniLM" in output.info.text()
    assert_no_english(output)
    view = show(qtbot, window, session.OUTPUT_STEP, "similarity")
    qtbot.waitUntil(lambda: view.matrix is not None, timeout=60000)
    assert "句子" in view.status.text()
    assert_no_english(view)
    window.state.set_setting("lang", "en")
    assert "sentences" in view.status.text()
    assert_no_chinese(view)


def test_a_large_heatmap_and_its_readout_read_in_chinese(qtbot):
    """The caption while a large matrix is drawn (a logits matrix) and once it is reduced; the hint under the map."""
    from explorer.widgets.heatmap import Heatmap

    assert i18n.use("zh")
    heatmap = Heatmap()
    qtbot.addWidget(heatmap)
    data = np.random.default_rng(0).standard_normal((600, 3000)).astype(np.float32)
    data[0, 0] = np.finfo(np.float32).min   # a masked cell
    heatmap.set_matrix(data, row_name="pos", col_name="vocab")
    assert "正在绘制" in heatmap.caption.text() and not english_left_in_text(heatmap.caption.text())
    qtbot.waitUntil(lambda: not heatmap.busy(), timeout=30000)
    assert "缩小" in heatmap.caption.text() and not english_left_in_text(heatmap.caption.text())
    assert heatmap.plot.getPlotItem().getAxis("left").labelText == "位置"
    assert not english_left_in_text(heatmap.readout.text()) and not english_left_in_text(heatmap.reset_button.text())
    i18n.use("en")
    heatmap.retranslate()
    assert "drawn reduced" in heatmap.caption.text() and heatmap.reset_button.text() == "Reset"
    assert heatmap.plot.getPlotItem().getAxis("left").labelText == "pos"
