"""The window's frame in Chinese: menus, the model bar, the navigator, the lesson panel, the status bar and the
messages, with no English left (names, code and data aside); switched back, no Chinese left; the language follows
the system locale by default.

The lesson's body comes from assets/lessons (its Chinese is written there, not through Qt's translation) and the
step-through's views are the steps part's: both are left out of the frame's check (`frame_report`)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from explorer import i18n
from tests.explorer.english import (assert_no_chinese, chinese_left, english_left, english_words, model_names,
                                    open_chinese)
from tests.explorer.helpers import run_and_wait

CJK = re.compile(r"[\u3400-\u9fff]")


def frame_report(window) -> list[str]:
    """English left on the window outside the pages' views (the step-through's view tabs are the steps part's) and
    the lesson's body (assets/lessons)."""
    return [line for line in english_left(window) if "/tabs/" not in line and "/lesson" not in line]


def frame_chinese(window) -> list[str]:
    return [line for line in chinese_left(window) if "/tabs/" not in line and "/lesson" not in line]


def assert_chinese(text: str) -> None:
    assert CJK.search(text), text
    words = english_words(text, model_names())
    assert not words, f"English {words} in {text!r}"


def open_menus(window, qtbot) -> None:
    """Every File menu's submenu filled as it is when opened (recent checkpoints, tours)."""
    window.recent_menu.aboutToShow.emit()
    window.tour.menu.aboutToShow.emit()
    qtbot.wait(10)


def test_the_frame_reads_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    open_menus(window, qtbot)
    report = frame_report(window)
    assert not report, "\n".join(report[:80])
    # what is not a visible widget's text: the picker's group headings and tooltips, the placeholders, the tabs
    combo = window.model_combo
    headings = [combo.itemText(i) for i in range(combo.count()) if combo.itemData(i) is None]
    assert "── 仅编码器 ──" in headings and "── 仅解码器 ──" in headings, headings
    minilm = combo.findData("minilm")
    assert combo.itemText(minilm).strip() == "minilm  ·  BERT 架构，真实权重"
    assert_chinese(combo.itemData(combo.findData("bert-tiny"), 3))   # Qt.ToolTipRole
    assert_chinese(window.text_edit.placeholderText())
    assert_chinese(window.pair_edit.placeholderText())
    assert [window.pages.tabText(i) for i in range(window.pages.count())][:2] == ["逐步查看  (Ctrl+1)",
                                                                              "参数  (Ctrl+2)"]
    assert window.layer_box.prefix() == "层 "
    assert window.run_button.text() == "运行  (Ctrl+Enter)"
    assert "第 1 层" in [window.tree.topLevelItem(i).text(0) for i in range(window.tree.topLevelItemCount())]
    assert_chinese(window.statusBar().currentMessage())
    assert_chinese(window.step_title.text())


def test_the_lesson_heading_and_navigator_follow_the_step(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    window.go_to("blocks.0.attn.hook_pattern")
    title = window.step_title.text()
    assert "softmax（注意力权重）" in title and "第 1 层" in title and "讲解条目" in title, title
    assert window.position_label.text().startswith("第 ")
    assert not frame_report(window), frame_report(window)[:20]


@pytest.mark.parametrize("kind", ["empty", "too long for the explorer"])
def test_text_refused_before_running_is_said_in_chinese(qtbot, open_window, kind):
    window = open_chinese(open_window, qtbot, run=False)
    window.text_edit.setPlainText("   " if kind == "empty" else "很长" * 3000)
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.run()
    assert window.message.isVisible()
    assert_chinese(window.message.text())
    assert not frame_report(window), frame_report(window)[:20]


def test_a_text_too_long_for_the_model_is_said_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot, run=False)
    window.text_edit.setPlainText("我" * 1200)   # under the explorer's 5000 characters, over bert-tiny's positions
    with qtbot.waitSignal(window.ready, timeout=60000):
        window.run()
    text = window.message.text()
    assert "个词元" in text and "bert-tiny" in text, text
    assert_chinese(text)
    assert not frame_report(window), frame_report(window)[:20]


def test_engine_messages_users_meet_are_translated():
    from explorer.error_texts import explain, explain_note

    assert i18n.use("zh")
    cases = [
        "The text is empty: type a sentence first.",
        "No model, preset or folder called 'bert-tinny'. Did you mean bert-tiny?",
        "Device 'cuda:3' is not available here. Available: cpu.",
        "The weights need 12.0 GiB but only 3.5 GiB is free on cuda:0. Pick a smaller model or another device.",
        "/tmp/x has no config.json, so it is not a Hugging Face checkpoint folder.",
        "model.safetensors is damaged or truncated and cannot be read (header too large).",
        "Something went wrong: OutOfMemoryError: CUDA out of memory.",
        "The input is 900 tokens long, but bert-tiny takes at most 512. Shorten the text.",
    ]
    for message in cases:
        shown = explain(message)
        assert shown != message and CJK.search(shown), message
    assert "bert-tiny" in explain(cases[1]) and "cuda:3" in explain(cases[2]) and "12.0" in explain(cases[3])
    assert explain("a message no template knows") == "a message no template knows"
    import engine.checkpoint as checkpoint
    assert CJK.search(explain_note(checkpoint.EMBEDDED_NOTES["minilm"]))
    i18n.use("en")
    assert explain(cases[0]) == cases[0]


def test_details_and_an_unexpected_error_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot, run=False)
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        window.show_exception(error)
    assert window.message.text().startswith("出错了：RuntimeError")
    assert window.details_button.text() == "详情…"
    dialog = window.show_details()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "PLM Explorer — 错误详情"
    assert not english_left(dialog), english_left(dialog)
    window.state.set_setting("lang", "en")
    assert dialog.windowTitle() == "PLM Explorer — error details"
    assert window.message.text().startswith("Something went wrong: RuntimeError")
    assert not chinese_left(dialog)
    dialog.close()


def test_the_tour_panel_in_chinese(qtbot, open_window):
    from explorer.tours import TOURS_DIR, load_tour

    window = open_chinese(open_window, qtbot, run=False)
    tour = load_tour(TOURS_DIR / "01_bert_text_to_mask.json")
    with qtbot.waitSignal(window.tour.shown, timeout=60000):
        window.tour.start(tour)
    panel = window.tour.panel
    assert panel.isVisible()
    assert tour.title_zh in panel.heading.text() and panel.note.text() == tour.steps[0].note("zh")
    assert panel.next_button.text() == "下一步（PageDown）▶"
    open_menus(window, qtbot)
    titles = [a.text() for a in window.tour.menu.actions() if not a.isSeparator()]
    assert tour.title_zh in titles
    assert not frame_report(window), frame_report(window)[:20]
    window.state.set_setting("lang", "en")
    assert tour.title_en in panel.heading.text() and panel.note.text() == tour.steps[0].note("en")
    assert not frame_chinese(window), frame_chinese(window)[:20]


def test_presentation_mode_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    presenter = window.presenter
    assert presenter.presentation_action.text() == "演示模式（大字）"
    presenter.toggle_presentation()
    try:
        qtbot.wait(50)
        assert not frame_report(window), frame_report(window)[:20]
    finally:
        presenter.toggle_presentation()


def test_switching_back_leaves_no_chinese_in_the_frame(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    open_menus(window, qtbot)
    window.text_edit.setPlainText("The cat sat on the mat.")
    run_and_wait(qtbot, window)
    window.state.set_setting("lang", "en")
    qtbot.wait(50)
    open_menus(window, qtbot)
    assert_no_chinese(window.menuBar())
    report = frame_chinese(window)
    assert not report, "\n".join(report[:80])
    combo = window.model_combo
    assert all(not CJK.search(combo.itemText(i)) for i in range(combo.count()))
    assert window.text_edit.placeholderText().startswith("Type a sentence")
    assert window.pages.tabText(0) == "Step through  (Ctrl+1)"


def test_a_window_built_while_chinese_is_on_starts_in_chinese(qtbot, open_window):
    assert i18n.use("zh")
    window = open_window("bert-tiny", "我爱自然语言处理。")
    assert window.state.lang == "zh" and window.lang_combo.currentData() == "zh"
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    run_and_wait(qtbot, window)
    report = frame_report(window)
    assert not report, "\n".join(report[:80])


def test_the_language_follows_the_system_unless_told(qtbot, keep_open, monkeypatch):
    from explorer import app

    monkeypatch.setattr(i18n, "system_language", lambda: "zh")
    window = keep_open(app.build_window(app.parse_args(["--model", "bert-tiny", "--text", "我爱自然语言处理。"])))
    assert window.state.lang == "zh" and i18n.current() == "zh"
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    window.close()
    i18n.use("en")
    window = keep_open(app.build_window(app.parse_args(["--model", "bert-tiny", "--text", "x", "--lang", "en"])))
    assert window.state.lang == "en" and window.menuBar().actions()[0].text() == "&File"
    assert app.parse_args([]).lang is None and app.parse_args(["--lang", "zh"]).lang == "zh"


def test_session_labels_translate_and_stay_english_without_the_translator():
    from explorer import session

    assert session.layer_title("blocks.2.attn.hook_q") == "layer 3"
    assert session.head_title(0) == "head 1"
    assert i18n.use("zh")
    try:
        assert session.layer_title("blocks.2.attn.hook_q") == "第 3 层"
        assert session.layer_title("decoder.blocks.0.cross_attn.hook_q") == "解码器第 1 层"
        assert session.attention_title("decoder.blocks.0.cross_attn.hook_pattern") == "解码器第 1 层 · 交叉注意力"
        assert session.head_title(1) == "第 2 个头"
        assert session.step_label("blocks.0.attn.hook_pattern", "attn.pattern") == "softmax（注意力权重）"
        assert session.check_text("") == "文本为空：请先输入一句话。"
        tree = session.build_tree(["embeddings.hook_token", "blocks.0.attn.hook_q"])
        assert [c.label for c in tree.children] == ["分词器", "嵌入", "第 1 层", "输出"]
    finally:
        i18n.use("en")
    assert QApplication.instance() is not None
