"""The Look inside page in Chinese: every part (logit lens, heads, rollout, an ablation with its before, after and
difference, every demonstration) shown after its computation, on an encoder and decoders, with no English left on
it (names, code and data aside); and none of the Chinese left after switching back to English."""
from __future__ import annotations

import re

import pytest

from tests.explorer.english import (assert_no_chinese, assert_no_english, chinese_left, english_words, model_names,
                                    open_chinese)

DEMOS = 7


def settle(qtbot, view, timeout=120000):
    qtbot.waitUntil(lambda: not view.busy(), timeout=timeout)
    qtbot.wait(30)   # the queued results are delivered
    qtbot.waitUntil(lambda: not view.busy(), timeout=timeout)


def analysed(window, qtbot):
    view = window.show_inspect()
    qtbot.waitUntil(lambda: view.analysis is not None, timeout=120000)
    settle(qtbot, view)
    return view


def no_english_in(texts) -> list[str]:
    names = model_names()
    return [t for t in texts if english_words(t, names)]


def column_names(table) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())
            if table.horizontalHeaderItem(c) is not None]


def row_names(table) -> list[str]:
    return [table.verticalHeaderItem(r).text() for r in range(table.rowCount())
            if table.verticalHeaderItem(r) is not None]


def ablate(view, qtbot, cells=((0, 0), (0, 1))):
    """Switch heads off (and block one mask cell by clicking the Before pattern), run, wait for the comparison."""
    view.parts.setCurrentIndex(3)
    view.choose_heads(list(cells))
    view.before_map.cell_clicked.emit(2, 1)
    with qtbot.waitSignal(view.ready, timeout=120000):
        view.run_ablation()
    settle(qtbot, view)
    assert view.comparison is not None


def visit_every_part(view, qtbot, check, positions: bool = True) -> None:
    """Show each sub-tab and each demonstration (each position table too), computed, and check(view) on each."""
    for part in range(4):
        view.parts.setCurrentIndex(part)
        qtbot.wait(30)
        check(view)
    view.parts.setCurrentIndex(4)
    demos = view.demos
    demos.depth.setValue(4)   # a short stack keeps the pre- vs post-norm demonstration quick
    for row in range(DEMOS):
        demos.demo_list.setCurrentRow(row)
        settle(qtbot, view)
        if row == 1 and positions:
            for index in range(demos.position_source.count()):
                demos.position_source.setCurrentIndex(index)
                settle(qtbot, view)
                check(view)
        if row == 6 and demos.albert_note.text() == "":
            demos.compute_albert()
            settle(qtbot, view)
        check(view)


def interface_of_token_tables(view) -> list[str]:
    """The interface words of the tables of tokens (marked as data, so the detectors skip them): the lens's row
    names ("第 1 层"; its columns are tokens), the predictions' column names and their "largest change" rows."""
    table = view.predictions
    changes = [table.item(r, 0).text() for r in range(table.rowCount())
               if table.item(r, 0) is not None and table.item(r, 3) is not None and table.item(r, 3).text()[:1] in "+-"]
    return row_names(view.lens_table) + column_names(table) + changes


def chinese_everywhere(view) -> None:
    assert_no_english(view)
    texts = interface_of_token_tables(view)
    assert not no_english_in(texts), no_english_in(texts)


def english_everywhere(view) -> None:
    assert_no_chinese(view)
    texts = interface_of_token_tables(view)
    assert not [t for t in texts if re.search("[\u4e00-\u9fff]", t)], texts


def switch(window, qtbot, lang: str) -> None:
    window.state.set_setting("lang", lang)
    qtbot.wait(50)


def test_the_inspect_page_reads_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    view = analysed(window, qtbot)
    assert_no_english(view)
    switch(window, qtbot, "en")
    assert_no_chinese(view)


def test_every_part_of_an_encoder_reads_in_chinese_and_back(qtbot, open_window):
    window = open_chinese(open_window, qtbot, "bert-tiny")
    view = analysed(window, qtbot)
    assert view.parts.tabText(0) == "logit 透镜" and view.lens_table.verticalHeaderItem(1).text() == "第 1 层"
    view.lens_table.cell_chosen.emit(1, 0)
    assert "位置" in view.lens_detail.text()
    ablate(view, qtbot)
    assert "已置零" in view.ablate_summary.text() and view.predictions.horizontalHeaderItem(0).text() == "位置"
    assert "之后" in view.after_map.plot.getPlotItem().titleLabel.text
    visit_every_part(view, qtbot, chinese_everywhere)
    switch(window, qtbot, "en")
    assert "zeroed" in view.ablate_summary.text() and view.lens_table.verticalHeaderItem(1).text() == "layer 1"
    visit_every_part(view, qtbot, english_everywhere, positions=False)
    assert not chinese_left(view.demos)


@pytest.mark.parametrize("model", ["llama-tiny", "gpt2-trained"])
def test_every_part_of_a_decoder_reads_in_chinese_and_back(qtbot, open_window, model):
    window = open_chinese(open_window, qtbot, model)
    view = analysed(window, qtbot)
    view.lens_table.cell_chosen.emit(2, 3)
    ablate(view, qtbot)
    assert view.predictions.rowCount() > 0
    visit_every_part(view, qtbot, chinese_everywhere, positions=model == "llama-tiny")
    demos = view.demos
    demos.demo_list.setCurrentRow(0)
    settle(qtbot, view)
    assert "只取决于 m − n" in demos.rope_result.text()
    demos.demo_list.setCurrentRow(5)
    assert "查询头" in demos.gqa_note.text()
    switch(window, qtbot, "en")
    assert "depends only on m − n" in demos.rope_result.text()
    visit_every_part(view, qtbot, english_everywhere, positions=False)


def test_a_page_built_in_chinese_is_chinese_from_the_start(qtbot, open_window):
    window = open_chinese(open_window, qtbot, "t5-tiny")   # encoder, decoder and cross-attention heads
    view = analysed(window, qtbot)
    view.parts.setCurrentIndex(3)
    kinds = [view.ablate_kind.itemText(i) for i in range(view.ablate_kind.count())]
    assert kinds == ["编码器", "解码器", "解码器交叉注意力"]
    for part in range(4):
        view.parts.setCurrentIndex(part)
        qtbot.wait(30)
        assert_no_english(view)
