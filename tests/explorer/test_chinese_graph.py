"""The Architecture page and Tools > Compare tokenizers in Chinese: no English left on them (names, code and data
aside), and none of the Chinese left after switching back to English.

The drawing's words are painted by the scene's own items (boxes, block headers, headings, the legend, loop labels,
tool tips), which the window-wide detector does not read: `scene_texts` reads them here."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPointF, Qt  # noqa: E402

from explorer.state import ExplorerState  # noqa: E402
from explorer.views.graph import GraphView  # noqa: E402
from explorer.widgets.arch_scene import BlockItem, EdgeItem, LegendItem, NodeItem, TextItem  # noqa: E402
from tests.explorer.english import (assert_no_chinese, assert_no_english, english_words, model_names,  # noqa: E402
                                    open_chinese)

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


# ---------------------------------------------------------------------------------------------- the drawing's words
def scene_texts(scene) -> list[tuple[str, str]]:
    """(what, text) of every word a scene paints or shows on hover."""
    out = []
    for item in scene.items():
        if isinstance(item, NodeItem):
            out += [(item.node, t) for t in item.title + item.details + [item.toolTip()]]
        elif isinstance(item, BlockItem):
            out += [(item.node, t) for t in item.lines + [item.note, item.toolTip()]]
        elif isinstance(item, TextItem):
            out += [("text", t) for t in item.lines]
        elif isinstance(item, LegendItem):
            out += [("legend", item.title)] + [("legend", words) for _, _, words in item.entries]
        elif isinstance(item, EdgeItem):
            out += [(f"{item.edge}", item.label), (f"{item.edge}", item.toolTip())]
    return [(what, text) for what, text in out if text]


def assert_scene_chinese(scene) -> None:
    names = model_names()
    report = [f"{what}: {', '.join(words)} in {text[:120]!r}" for what, text in scene_texts(scene)
              if (words := english_words(text, names))]
    assert not report, f"{len(report)} scene texts with English left:\n" + "\n".join(report[:60])


def assert_scene_english(scene) -> None:
    report = [f"{what}: {text[:120]!r}" for what, text in scene_texts(scene) if CJK.search(text)]
    assert not report, f"{len(report)} scene texts with Chinese left:\n" + "\n".join(report[:60])


def assert_page_chinese(view) -> None:
    assert_no_english(view)
    assert_scene_chinese(view.scene)
    if view.compare_scene is not None:
        assert_scene_chinese(view.compare_scene)


def assert_page_english(view) -> None:
    assert_no_chinese(view)
    assert_scene_english(view.scene)
    if view.compare_scene is not None:
        assert_scene_english(view.compare_scene)


@pytest.fixture
def chinese_view(qtbot, keep_open):
    """The page on its own, built while the interface is Chinese."""
    state = ExplorerState()
    state.set_setting("lang", "zh")
    view = keep_open(GraphView(state))
    view.resize(1440, 900)
    view.show()
    return view


def draw(qtbot, view, model):
    with qtbot.waitSignal(view.ready, timeout=60000):
        view.open("graph", model=model)
    assert not view.message.isVisible(), view.message.text()
    assert view.graph.graph["name"] == model


def click(qtbot, canvas, item, where=None):
    point = item.mapToScene(where) if where is not None else item.sceneBoundingRect().center()
    canvas.reveal(item)
    qtbot.mouseClick(canvas.viewport(), Qt.LeftButton, pos=canvas.mapFromScene(point))


# ---------------------------------------------------------------------------------------------- the page
def test_the_graph_page_reads_in_chinese(qtbot, open_window):
    """bert-tiny (an encoder) run in the step-through: the page, its drawing, the current layer's note."""
    window = open_chinese(open_window, qtbot)
    view = window.show_graph()
    qtbot.waitUntil(lambda: view.drawing is not None and view.matches_state() and not view.busy(), timeout=30000)
    assert view.tabs.tabText(0) == "模型结构图"
    assert view.drawing.nodes["blocks.0-3"].lines[0] == "块 × 4"
    window.state.go_to("blocks.1.attn.hook_pattern")   # a step inside the folded block: "now: layer 2"
    assert view.drawing.nodes["blocks.0-3"].note.startswith("当前：")
    assert_page_chinese(view)
    window.state.set_setting("lang", "en")
    qtbot.wait(50)
    assert view.drawing.nodes["blocks.0-3"].lines[0] == "block × 4"
    assert_page_english(view)


@pytest.mark.parametrize("model", ["gpt2-trained", "t5-tiny", "glm-tiny", "albert-tiny", "llama-tiny"])
def test_each_family_draws_in_chinese(qtbot, chinese_view, model):
    """A decoder (the trained GPT-2), T5's two lanes and cross-attention, GLM, ALBERT's shared block, LLaMA's RoPE:
    every box, header, heading, legend entry, loop label and tool tip."""
    view = chinese_view
    draw(qtbot, view, model)
    assert_page_chinese(view)
    if model == "t5-tiny":
        assert any(isinstance(i, TextItem) and i.lines == ["编码器"] for i in view.scene.items())   # the lanes
    view.state.set_setting("lang", "en")
    assert_page_english(view)
    view.state.set_setting("lang", "zh")
    assert_page_chinese(view)


def test_unfolding_and_a_click_on_a_large_preset_read_in_chinese(qtbot, chinese_view):
    """GPT-3's dense / banded layers folded and unfolded by a click on the block's header; a click on a preset too
    large to run says why, in Chinese."""
    view = chinese_view
    draw(qtbot, view, "gpt3-tiny")
    assert any("稠密: 1, 3" in line and "带状: 2, 4" in line for line in view.drawing.nodes["blocks.0-3.attn"].details)
    block = view.drawing.nodes["blocks.0-3"]
    with qtbot.waitSignal(view.ready, timeout=30000):
        click(qtbot, view.canvas, block, block.header + QPointF(12, 8))
    assert view.expand == {"layers"} and view.unfold_box.isChecked()
    assert [view.drawing.nodes[f"blocks.{i}.attn"].details[-1] for i in range(4)] == ["稠密", "带状", "稠密", "带状"]
    assert view.drawing.nodes["blocks.0"].lines[0] == "第 1 层"
    assert_page_chinese(view)

    view.model_combo.setCurrentIndex(view.model_combo.findData("llama-2-70b"))
    qtbot.waitUntil(lambda: view.graph is not None and view.graph.graph["name"] == "llama-2-70b" and not view.busy(),
                    timeout=30000)
    click(qtbot, view.canvas, view.drawing.nodes["lm_head"])
    assert view.message.isVisible() and "太大" in view.message.text()
    assert_page_chinese(view)
    view.state.set_setting("lang", "en")
    view.show_message("")
    assert_page_english(view)


def test_the_two_layer_comparison_reads_in_chinese(qtbot, chinese_view):
    """BERT vs LLaMA's three changes, GPT-1 vs GPT-2, GLM's three norms: the drawings, the numbered differences."""
    view = chinese_view
    with qtbot.waitSignal(view.ready, timeout=60000):
        view.open("compare", compare=["bert-base-uncased", "llama-2-7b"])
    text = view.differences_text()
    assert "三处改动" in text and "前置归一化，使用 RMSNorm" in text and "RoPE（旋转位置编码）" in text
    assert_page_chinese(view)
    for quick in view.quick[1:]:
        with qtbot.waitSignal(view.ready, timeout=60000):
            quick.click()
        assert_page_chinese(view)
    assert "残差缩放" in view.differences_text()   # GLM post-norm vs DeepNorm
    view.state.set_setting("lang", "en")
    assert "residual scale" in view.differences_text()
    assert_page_english(view)


# ---------------------------------------------------------------------------------------------- the tokenizers dialog
def tokenizers_action(window):
    return next(a for m in window.menuBar().actions() if m.menu() is not None for a in m.menu().actions()
                if a.shortcut().toString() == "Ctrl+T")


def wait_idle(qtbot, dialog, timeout=60000):
    qtbot.waitUntil(lambda: not dialog.busy() and bool(dialog.compare.rows) and bool(dialog.merges.merges),
                    timeout=timeout)


def test_the_tokenizers_dialog_reads_in_chinese(qtbot, open_window):
    """Opened from the window in English, switched to Chinese while open (both tabs, after steps and after learning
    from text), then back to English."""
    window = open_window("bert-tiny", "hello")
    tokenizers_action(window).trigger()
    dialog = window.tokenizers_dialog
    wait_idle(qtbot, dialog)
    window.state.set_setting("lang", "zh")
    qtbot.waitUntil(lambda: dialog.tabs.tabText(0) == "比较分词器", timeout=5000)
    assert dialog.windowTitle() == "PLM Explorer — 比较分词器"
    assert_no_english(dialog)   # the columns, the notes, the rows' algorithms; the tokens are data
    panel = dialog.compare
    english = next(b for b in panel.example_buttons if b.text() == "英文")
    qtbot.mouseClick(english, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy() and panel.shown_text == panel.text(), timeout=30000)
    assert panel.shown_text.startswith("Tokenization")
    assert_no_english(dialog)

    dialog.tabs.setCurrentIndex(1)
    player = dialog.merges
    player.word_edit.setText("the")
    qtbot.mouseClick(player.step_button, Qt.LeftButton)
    assert "合并序号" in player.merge_label.text()
    assert_no_english(dialog)
    player.source.setCurrentIndex(player.source.findData("text"))
    player.n_merges.setValue(20)
    player.learn()
    qtbot.waitUntil(lambda: not player.runner.jobs and len(player.merges) == 20, timeout=30000)
    player.set_position(3)
    assert "你的文本" in player.info.text()
    assert_no_english(dialog)

    window.state.set_setting("lang", "en")
    qtbot.waitUntil(lambda: dialog.tabs.tabText(0) == "Compare tokenizers", timeout=5000)
    assert_no_chinese(dialog)
    dialog.tabs.setCurrentIndex(0)
    assert_no_chinese(dialog)


def test_a_tokenizers_dialog_opened_in_chinese_starts_in_chinese(qtbot, open_window):
    window = open_window("bert-tiny", "hello")
    window.state.set_setting("lang", "zh")
    tokenizers_action(window).trigger()
    dialog = window.tokenizers_dialog
    assert dialog.tabs.tabText(1) == "逐步查看 BPE 合并"
    wait_idle(qtbot, dialog)
    assert_no_english(dialog)
    dialog.tabs.setCurrentIndex(1)
    assert_no_english(dialog)
