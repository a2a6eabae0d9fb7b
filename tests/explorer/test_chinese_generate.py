"""The generate page in Chinese: no English left on it (names, code and data aside) before and after generating
(greedy and sampled; a decoder, T5 and GLM's blank), in the candidates, the new token's attention and the KV-cache
readout, for an encoder, for a checkpoint found on this computer (one without an LM head or tokenizer files), and
none of the Chinese left after switching back to English. The painted texts (the candidates' title and legend, the
token strip's caption and tooltips, the KV chart's legend) are checked as strings."""
from __future__ import annotations

import html

import pytest

from explorer.i18n import mark_data

from tests.explorer.english import (_CJK, assert_no_chinese, assert_no_english, english_words, model_names,
                                    open_chinese)

WAIT = 60000


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    """Remembered folders go to a settings file of this test, and the hub cache is an empty folder of its own."""
    from explorer.views import generate as generate_view
    monkeypatch.setenv(generate_view.SETTINGS_ENV, str(tmp_path / "settings.ini"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hub"))


def painted(view) -> list[str]:
    """The texts the page paints itself (not widgets' texts, so the walk over the widgets does not see them)."""
    texts = [view.strip.caption, *view.bars.legend, *view.kv_chart.texts]
    texts += [view.bars.title] if view.bars.bars else [view.bars.empty]   # what each shows: bars or why none
    texts += [] if view.attention.tokens else [view.attention.empty]
    texts += [] if view.kv_chart.points else [view.kv_chart.empty]
    texts += [chip.tooltip for chip in view.strip.chips]
    texts += [bar.note for bar in view.bars.bars]
    if view.bars.bars:
        texts += [view.bars._right_text(bar) for bar in view.bars.bars]
    return [t for t in texts if t]


def without_tokens(view, text: str) -> str:
    """A painted text less the tokens in it (data: the new tokens' labels and vocabulary entries)."""
    tokens = {piece for s in view.steps for c in (s, *s.candidates) for piece in (c.label, c.token)}
    for token in sorted(filter(None, tokens), key=len, reverse=True):
        text = text.replace(token, " ")
    return text.replace("{attention}", "")   # the KV chart's legend, before its field is filled


def assert_painted_in_chinese(view) -> None:
    names = model_names()
    left = [f"{words} in {text!r}" for text in painted(view) if (words := english_words(without_tokens(view, text),
                                                                                         names))]
    assert not left, "\n".join(left)


def assert_painted_in_english(view) -> None:
    left = [text for text in painted(view) if _CJK.search(without_tokens(view, text))]
    assert not left, "\n".join(left)


def chinese(view) -> None:
    assert_no_english(view)
    assert_painted_in_chinese(view)


def generated_words(view) -> str:
    """The line under the tokens less its data (the prompt and the generated text, which may well be Chinese)."""
    text = view.generated.text()
    st = view.stepper
    if st is not None and view.steps:
        for data in (st.generated_text([s.id for s in view.steps]), st.typed[-79:]):
            text = text.replace(html.escape(data).replace("\n", "⏎"), " ")
    return text


def back_to_english(window, qtbot) -> None:
    view = window.generate_view
    window.state.set_setting("lang", "en")
    qtbot.wait(50)
    mark_data(view.generated)   # its words are checked below, without the text generated (data)
    try:
        assert_no_chinese(view)
    finally:
        mark_data(view.generated, False)
    assert not _CJK.search(generated_words(view)), view.generated.text()
    assert_painted_in_english(view)
    assert view.step_button.text() == "Step"


def choose(qtbot, view, model: str, text: str | None = None, template: str | None = None) -> None:
    view.select_model(model)
    if template:
        view.use_template(template)
    elif text is not None:
        view.text_edit.setPlainText(text)
    qtbot.waitUntil(lambda: view.info is not None and view.info.name == model, timeout=WAIT)


def run(qtbot, view, steps: int, error: bool = False) -> None:
    with qtbot.waitSignal(view.settled, timeout=WAIT) as blocker:
        view.run(limit=steps)
    if error:
        assert blocker.args != [""] and view.message.isVisible()
    else:
        assert blocker.args == [""], blocker.args


def page_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot, "gpt2-tiny", "The cat", run=False)
    view = window.show_generate()
    qtbot.waitUntil(lambda: view.scanned and view.info is not None, timeout=WAIT)
    return window, view


def test_the_generate_page_reads_in_chinese(qtbot, open_window):
    window, view = page_in_chinese(qtbot, open_window)
    chinese(view)   # nothing generated yet
    assert view.step_button.text() == "单步" and "词元" in view.bars.empty

    # greedy: the candidates, the new token's attention, the KV cache
    choose(qtbot, view, "gpt2-tiny", "The cat")
    run(qtbot, view, 3)
    chinese(view)
    assert "贪心" in view.choice_note.text() and "第 3 步" in view.bars.title
    assert "随机权重" in view.meaning.text() and "词表" in view.meaning.text()
    assert "第" in view.kv_note.text() and "多查询注意力" in view.kv_note.text()
    view.select_step(0)   # an earlier step, picked on the token strip
    chinese(view)
    assert "第 1 步" in view.bars.title
    view.stop()           # stopped by the user: the line under the tokens says so
    chinese(view)

    # sampled: temperature, top-k, top-p and the seed in the note, the cut bars, the legend
    choose(qtbot, view, "llama-tiny", "The cat sat")
    view.set_sampling(0.9, 5, 0.9, 7)
    run(qtbot, view, 3)
    chinese(view)
    assert "采样" in view.choice_note.text() and "随机种子" in view.choice_note.text()
    assert view.bars.sampling and "温度" in view.bars.legend[1]

    # the maximum reached: the refusal says so, and says it again in English after the switch
    view.max_new.setValue(3)
    with qtbot.waitSignal(view.settled, timeout=WAIT):
        view.step()
    assert view.message.isVisible() and "上限" in view.message.text()
    chinese(view)
    back_to_english(window, qtbot)
    assert "the maximum" in view.message.text()


def test_t5_glm_and_a_grouped_query_cache_read_in_chinese(qtbot, open_window):
    window, view = page_in_chinese(qtbot, open_window)

    # T5: the source, the decoder's start, the cross-attention picker
    choose(qtbot, view, "t5-tiny", template="t5-translate")
    chinese(view)   # the placeholder and the meaning before a step
    run(qtbot, view, 3)
    assert view.attention_kind.isVisible() and view.attention_kind.currentData() == "cross"
    chinese(view)
    assert "交叉注意力" in view.attention_kind.currentText() and "源文本" in view.bars.title
    view.attention_kind.setCurrentIndex(1)   # the decoder's self-attention over its own output
    chinese(view)

    # GLM: the blank put at the end, Part A and Part B
    choose(qtbot, view, "glm-tiny", "The cat sat on the mat")
    run(qtbot, view, 3)
    assert view.stepper.blank_added
    chinese(view)
    assert "GLM" in view.attention_note.text() and "B 部分" in view.generated.text()

    # ChatGLM2's grouped-query cache: the family's own remark (the engine's) translated
    choose(qtbot, view, "chatglm2-tiny", "The cat")
    run(qtbot, view, 2)
    chinese(view)
    assert "分组查询注意力" in view.kv_note.text() and "GQA" in view.kv_note.text()

    # a toy trained by this app: its note, with the tokenizer's provenance (the engine's sentence) in Chinese
    choose(qtbot, view, "gpt2-trained", "The cat sat on the")
    run(qtbot, view, 2)
    chinese(view)
    assert "本应用训练的玩具模型" in view.meaning.text() and "检查点自带的分词器文件" in view.meaning.text()
    back_to_english(window, qtbot)
    assert "Trained by this app" in view.meaning.text()


def test_an_encoder_and_a_checkpoint_of_this_computer_read_in_chinese(qtbot, open_window, tmp_path, monkeypatch):
    transformers = pytest.importorskip("transformers")
    import torch

    torch.manual_seed(0)   # a GPT-2 body without its LM head and without tokenizer files, in a hub cache
    model = transformers.GPT2Model(transformers.GPT2Config(n_embd=24, n_layer=2, n_head=3, n_positions=32,
                                                           vocab_size=60))
    root = tmp_path / "hub" / "models--someone--headless-gpt2"
    folder = root / "snapshots" / "0123abcd"
    folder.mkdir(parents=True)
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text("0123abcd")
    model.save_pretrained(folder)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))

    window, view = page_in_chinese(qtbot, open_window)
    combo = view.model_combo
    assert combo.findData(str(folder)) >= 0   # the local-models group lists it
    items = [combo.itemText(i) for i in range(combo.count())]
    assert any("本机" in item for item in items), items
    chinese(view)

    # an encoder (MiniLM ships no MLM head): it says it fills [MASK] and offers the step-through's Output view
    choose(qtbot, view, "minilm", "The cat sat on the")
    assert view.encoder_box.isVisible()
    chinese(view)
    assert "编码器" in view.encoder_text.text()

    # the checkpoint: its weights are real, it has no tokenizer files, so a step says why it cannot read the text
    choose(qtbot, view, str(folder))
    chinese(view)
    assert "真实权重" in view.meaning.text()
    run(qtbot, view, 1, error=True)
    chinese(view)
    assert "分词器" in view.message.text(), view.message.text()

    # none found: the group says how to add a folder
    view._scanned([])
    chinese(view)
    back_to_english(window, qtbot)
    assert any("Add a models folder" in combo.itemText(i) for i in range(combo.count()))
