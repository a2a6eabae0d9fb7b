"""The Generate page (Ctrl+4): stepping a decoder or T5 a token at a time gives engine.generation.generate's
tokens (greedy and seeded sampling), Back removes a token, the KV cache grows, GLM fills a blank, an encoder says
it fills [MASK] instead, templates fill the text, models on this computer are listed, a generated token opens in
the step-through, and the screenshot command line reaches the page."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

import engine
from engine.generation import generate
from explorer import stepping
from explorer.state import ExplorerState

ROOT = Path(__file__).absolute().parents[2]
WAIT = 60000


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    """Remembered folders go to a settings file of this test, never the user's."""
    from explorer.views import generate as generate_view
    monkeypatch.setenv(generate_view.SETTINGS_ENV, str(tmp_path / "settings.ini"))


@pytest.fixture
def page(qtbot, keep_open):
    """page(model, text) -> a shown GenerateView (alone, with its own state), its model's kind known."""
    from explorer.views.generate import GenerateView

    def make(model="gpt2-tiny", text="The cat", lang="en"):
        view = keep_open(GenerateView(ExplorerState(lang)))
        view.resize(1400, 800)
        view.show()
        view.select_model(model)
        view.text_edit.setPlainText(text)
        qtbot.waitUntil(lambda: view.info is not None and view.info.name == model, timeout=WAIT)
        return view

    return make


def run(qtbot, view, steps: int) -> None:
    with qtbot.waitSignal(view.settled, timeout=WAIT) as blocker:
        view.run(limit=steps)
    assert blocker.args == [""], blocker.args
    assert not view.last_error, view.last_error


def step(qtbot, view) -> None:
    with qtbot.waitSignal(view.settled, timeout=WAIT):
        view.step()
    assert not view.last_error, view.last_error


def ids(view) -> list[int]:
    return [s.id for s in view.steps]


# ---------------------------------------------------------------------------------------------- same as the engine
def test_stepping_greedily_gives_the_engines_tokens(qtbot, page):
    view = page("gpt2-tiny", "The cat")
    for _ in range(3):
        step(qtbot, view)
    run(qtbot, view, 3)
    expected = generate(engine.load("gpt2-tiny"), text="The cat", max_new_tokens=6)
    assert ids(view) == expected.new_ids
    assert [s.token for s in view.steps] == expected.new_tokens
    assert [s.kv_bytes for s in view.steps] == [s.kv_cache_bytes for s in expected.steps]
    first = view.steps[0]
    assert [c.id for c in first.candidates][:5] == [c.id for c in expected.steps[0].candidates]
    assert first.candidates[0].probability == pytest.approx(expected.steps[0].candidates[0].probability)
    assert len(first.candidates) == stepping.CANDIDATES and view.bars.bars[0].chosen
    assert view.strip.chips[-1].step == 5 and view.strip.chips[-1].kind in ("new", "bytes")
    assert "The cat" in view.generated.text()


def test_seeded_sampling_is_reproducible_and_the_engines(qtbot, page):
    view = page("llama-tiny", "The cat")
    view.set_sampling(0.9, 40, 0.9, 7)
    run(qtbot, view, 6)
    first = ids(view)
    assert all(s.sample_probability is not None for s in view.steps)
    view.reset()
    assert view.steps == []
    run(qtbot, view, 6)
    assert ids(view) == first
    expected = generate(engine.load("llama-tiny"), text="The cat", max_new_tokens=6, temperature=0.9, top_k=40,
                        top_p=0.9, seed=7)
    assert first == expected.new_ids
    assert view.bars.sampling and any(b.sample_probability for b in view.bars.bars)


def test_back_removes_the_last_token_and_the_next_step_draws_it_again(qtbot, page):
    view = page("gpt2-tiny", "The cat")
    view.set_sampling(1.0, None, None, 3)
    run(qtbot, view, 4)
    before = ids(view)
    view.back()
    assert ids(view) == before[:3]
    assert len([c for c in view.strip.chips if c.step is not None]) == 3
    step(qtbot, view)   # the generator's state travels with each step: the same draw again
    assert ids(view) == before
    view.back()
    view.back()
    assert ids(view) == before[:2] and view.back_button.isEnabled()


def test_the_kv_cache_grows_by_one_tokens_keys_and_values_per_step(qtbot, page):
    view = page("llama-tiny", "The cat sat")
    run(qtbot, view, 5)
    totals = [s.kv_total for s in view.steps]
    assert all(b > a for a, b in zip(totals, totals[1:]))
    figures = stepping.kv_figures(view.stepper.loaded)
    assert figures.attention == "GQA" and figures.kv_heads < figures.heads
    for s in view.steps:
        assert s.kv_total == figures.per_token() * s.context_length
        assert figures.compare(s.context_length)["MHA"] > s.kv_total > figures.compare(s.context_length)["MQA"]
    assert len(view.kv_chart.points) == 5
    assert "multi-query" in view.kv_note.text() and "GQA" in view.kv_note.text()


# ---------------------------------------------------------------------------------------------- T5, GLM, encoders
def test_t5_translates_step_by_step_with_its_cross_attention(qtbot, page):
    view = page("t5-tiny", "")
    view.use_template("t5-translate")
    run(qtbot, view, 4)
    text = stepping.template("t5-translate").text
    assert view.text_edit.toPlainText() == text
    assert ids(view) == generate(engine.load("t5-tiny"), text=text, max_new_tokens=4).new_ids
    st = view.stepper
    assert st.kind == "t5"
    assert view.attention_kind.isVisible() and view.attention_kind.currentData() == "cross"
    name = view.attention_step()
    assert name.startswith("decoder.blocks.") and ".cross_attn." in name
    row = view.steps[-1].attention[name]
    assert row.shape[-1] == len(st.prompt_ids) and abs(row[0].sum() - 1) < 1e-4   # over the source
    assert len(view.attention.tokens) == len(st.prompt_ids)
    assert view.strip.chips[0].kind == "source" and any(c.kind == "start" for c in view.strip.chips)
    assert view.steps[-1].context_length == 4   # the decoder's start token and the 3 tokens before


def test_glm_fills_a_blank_and_part_b_grows(qtbot, page):
    view = page("glm-tiny", "The cat sat on the mat")
    run(qtbot, view, 4)
    st = view.stepper
    assert st.kind == "glm" and st.blank_added and st.text.endswith(" [MASK]")
    assert ids(view) == generate(engine.load("glm-tiny"), text="The cat sat on the mat", max_new_tokens=4).new_ids
    assert len(view.steps[-1].sequence) == len(st.prompt_ids) + 4
    assert [s.context_length for s in view.steps] == [len(st.prompt_ids) + k for k in range(4)]
    assert any(c.kind == "blank" for c in view.strip.chips)
    assert "blank" in view.generated.text()
    assert "partb" in view.attention.kinds and view.attention.kinds[-1] == "query"


def test_an_encoder_says_it_fills_mask_and_offers_the_output_view(qtbot, page, open_window):
    view = page("bert-tiny", "The cat sat on the")
    assert view.encoder_box.isVisible()
    assert "fills [MASK]" in view.encoder_text.text() and not view.step_button.isEnabled()
    assert "[MASK]" in view.text_edit.placeholderText()
    view.select_model("roberta-tiny")
    qtbot.waitUntil(lambda: view.info is not None and view.info.name == "roberta-tiny", timeout=WAIT)
    assert "<mask>" in view.text_edit.placeholderText()
    view.select_model("gpt2-tiny")
    qtbot.waitUntil(lambda: view.info is not None and view.info.name == "gpt2-tiny", timeout=WAIT)
    assert not view.encoder_box.isVisible() and "no mask token" in view.text_edit.placeholderText()

    window = open_window("gpt2-tiny", "The cat")
    window.show_generate().select_model("bert-tiny")
    generate_page = window.generate_view
    generate_page.text_edit.setPlainText("The cat sat on the")
    qtbot.waitUntil(lambda: generate_page.info is not None and generate_page.info.kind == "encoder", timeout=WAIT)
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        qtbot.mouseClick(generate_page.encoder_button, Qt.LeftButton)
    assert window.pages.currentIndex() == 0 and not window.last_error, window.last_error
    assert window.model_name() == "bert-tiny" and "[MASK]" in window.text_edit.toPlainText()
    assert window.state.view == "output"


def test_random_weights_say_the_output_is_meaningless_and_a_checkpoint_is_real(qtbot, page):
    view = page("gpt2-tiny", "The cat")
    assert "meaningless" in view.meaning.text() and "not the released" in view.meaning.text()   # before loading
    step(qtbot, view)
    text = view.meaning.text()
    assert "Random weights" in text and view.stepper.loaded.tokenizer.vocabulary_note in text
    real, said = stepping.meaning(type("Loaded", (), {"weights": "real", "source": "a checkpoint", "name": "x",
                                                      "tokenizer": None})())
    assert real and "Real weights" in said and "meaningless" not in said
    assert not stepping.meaning(engine.load("t5-tiny"))[0]


# ---------------------------------------------------------------------------------------------- readable tokens
def test_byte_level_pieces_read_as_text_and_cjk_bytes_join_into_characters():
    from engine.api import model_tokenizer

    tokenizer = model_tokenizer("gpt2-tiny")
    cat = tokenizer.encode(" cat").ids
    assert tokenizer.id_to_token(cat[0]) == "Ġcat" and stepping.token_text(tokenizer, cat[0]) == (" cat", "")
    assert stepping.label(" cat", "") == "' cat'"
    assert stepping.label("a\x14\n", "") == "'a\\x14⏎'"   # control characters drawn as text every font has
    for tokenizer in (model_tokenizer("gpt2-tiny"), model_tokenizer("llama-tiny")):
        text = "齉龘猫"
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        pieces = [stepping.token_text(tokenizer, i, ids[max(0, k - 3):k]) for k, i in enumerate(ids)]
        assert "".join(t for t, how in pieces if how != "bytes").strip() == text, pieces
        assert any(how == "completes" for _t, how in pieces)
        assert all("\ufffd" not in t for t, _how in pieces)


# ---------------------------------------------------------------------------------------------- templates
def test_templates_fill_the_text_in_one_click(qtbot, page):
    view = page("gpt2-tiny", "")
    qtbot.mouseClick(view.template_buttons["few-en"], Qt.LeftButton)
    assert "sea otter => loutre de mer" in view.text_edit.toPlainText()
    assert view.text_edit.toPlainText().endswith("cheese =>")
    qtbot.mouseClick(view.template_buttons["zero-en"], Qt.LeftButton)
    assert "loutre" not in view.text_edit.toPlainText()
    qtbot.mouseClick(view.template_buttons["few-zh"], Qt.LeftButton)
    assert "你的表现非常好" in view.text_edit.toPlainText()
    qtbot.mouseClick(view.template_buttons["t5-translate"], Qt.LeftButton)
    assert view.text_edit.toPlainText().startswith("translate English to German:")
    kinds = {t.kind for t in stepping.TEMPLATES}
    assert {"zero-shot", "one-shot", "few-shot", "T5 prefix", "GLM blank"} <= kinds
    assert {t.lang for t in stepping.TEMPLATES} == {"en", "zh"}
    step(qtbot, view)   # a template then Step: a token continues it
    view.use_template("glm-zh")
    assert view.steps == []   # a new text starts again


# ---------------------------------------------------------------------------------------------- models on this computer
def _fake_cache(tmp_path, monkeypatch):
    transformers = pytest.importorskip("transformers")
    import torch

    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(transformers.GPT2Config(n_embd=24, n_layer=2, n_head=3, n_positions=32,
                                                                 vocab_size=60))
    hub = tmp_path / "hub"
    root = hub / "models--someone--tiny-gpt2"
    folder = root / "snapshots" / "0123abcd"
    folder.mkdir(parents=True)
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text("0123abcd")
    model.save_pretrained(folder)
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    return model, folder


def test_models_on_this_computer_are_listed_from_the_hub_cache(qtbot, tmp_path, monkeypatch, open_window):
    from explorer.views.generate import HEADER, remembered_folders

    model, folder = _fake_cache(tmp_path, monkeypatch)
    window = open_window("gpt2-tiny", "The cat")
    view = window.show_generate()
    qtbot.waitUntil(lambda: view.scanned, timeout=WAIT)
    combo = view.model_combo
    header = combo.findText(HEADER.format(stepping.LOCAL_GROUP))
    assert header >= 0
    index = combo.findData(str(folder))
    assert index > header, [combo.itemText(i) for i in range(combo.count())]
    assert "someone/tiny-gpt2" in combo.itemText(index) and "GPT-2" in combo.itemText(index)
    assert "fits" in combo.itemText(index)
    assert window.model_combo.findData(str(folder)) >= 0   # the step-through's picker has the group too

    # a remembered folder: a checkpoint outside the hub cache, found after File > Add a models folder…
    mine = tmp_path / "mine" / "my-gpt"
    model.save_pretrained(mine)
    with qtbot.waitSignal(view.local_models_changed, timeout=WAIT):
        view.add_models_folder(str(tmp_path / "mine"))
    assert remembered_folders() == [str(tmp_path / "mine")]
    assert combo.findData(str(mine)) > header
    assert "add a models folder" in " ".join(a.text().lower() for m in window.menuBar().actions()
                                             for a in m.menu().actions())


def test_a_local_checkpoint_is_labelled_real_in_the_catalogue(tmp_path, monkeypatch):
    from engine.discovery import find_models
    from explorer import session

    _model, folder = _fake_cache(tmp_path, monkeypatch)
    found = find_models()
    entries = [e for e in session.catalogue(found) if e.group == stepping.LOCAL_GROUP]
    assert [e.name for e in entries] == [str(folder)] and entries[0].weights == "real"
    assert all(e.group != stepping.LOCAL_GROUP for e in session.catalogue())
    real, said = stepping.meaning(engine.load(str(folder)))   # a checkpoint's weights are its own: said so
    assert real and said.startswith("Real weights") and "ids only" in said
    info = stepping.model_info(str(folder))
    assert info.kind == "decoder" and info.weights == "real" and stepping.meaning(info)[0]


# ---------------------------------------------------------------------------------------------- the step-through
def test_a_generated_token_opens_in_the_step_through_with_its_trace(qtbot, open_window):
    window = open_window("bert-tiny", "The cat sat on the [MASK].")
    view = window.show_generate()
    view.select_model("gpt2-tiny")
    view.text_edit.setPlainText("The cat")
    qtbot.waitUntil(lambda: view.info is not None and view.info.name == "gpt2-tiny", timeout=WAIT)
    run(qtbot, view, 3)
    prompt = len(view.stepper.prompt_ids)
    rect = view.strip.step_rect(1)
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        qtbot.mouseDClick(view.strip, Qt.LeftButton, pos=rect.center().toPoint())
    assert window.pages.currentIndex() == 0 and not window.last_error, window.last_error
    trace = window.state.trace
    assert trace.input_ids[0].tolist() == view.stepper.prompt_ids + ids(view)[:2]
    assert len(trace.tokens) == prompt + 2 and window.model_name() == "gpt2-tiny"
    assert window.state.step == view.attention_step() and window.state.view == "attention"
    assert window.state.query == prompt + 1
    assert window.text_edit.toPlainText() == "The cat" + view.stepper.generated_text(ids(view)[:2])


def test_a_t5_token_opens_with_the_decoder_sequence_up_to_it(qtbot, open_window):
    window = open_window("bert-tiny", "The cat sat on the [MASK].")
    view = window.show_generate()
    view.select_model("t5-tiny")
    view.use_template("t5-translate")
    qtbot.waitUntil(lambda: view.info is not None and view.info.name == "t5-tiny", timeout=WAIT)
    run(qtbot, view, 3)
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        view.open_step(2)
    trace = window.state.trace
    assert len(trace.extras["decoder_tokens"]) == 4   # the start token and three generated
    assert "decoder.blocks.1.cross_attn.hook_pattern" in trace.cache
    assert window.state.step.endswith("cross_attn.hook_pattern")
    assert window.text_edit.toPlainText() == stepping.template("t5-translate").text


# ---------------------------------------------------------------------------------------------- the window and the command line
def test_the_page_is_a_top_level_tab_with_ctrl_4_and_says_things_in_chinese(qtbot, open_window):
    from PySide6.QtGui import QAction

    window = open_window("bert-tiny", "The cat")
    action = next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+4")
    action.trigger()
    assert window.pages.currentWidget() is window.generate_view and window.current_view() is window.generate_view
    assert "Generate" in window.pages.tabText(window.pages.currentIndex())
    window.state.set_setting("lang", "zh")
    assert window.generate_view.step_button.text() == "单步"


def test_run_stop_and_the_csv(qtbot, page):
    view = page("gpt2-tiny", "The cat")
    view.max_new.setValue(200)
    view.run()
    qtbot.waitUntil(lambda: len(view.steps) >= 2, timeout=WAIT)
    view.stop()
    assert not view.runner.active and not view.stop_button.isEnabled()
    count = len(view.steps)
    assert 2 <= count < 200
    csv = view.csv()
    assert csv.startswith("step,chosen") and csv.count("\n") == 1 + count * stepping.CANDIDATES


def shoot(*args, timeout=240):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_the_screenshot_command_reaches_the_page_after_a_few_tokens(tmp_path):
    out = tmp_path / "generate.png"
    result = shoot("--view", "generate", "--model", "gpt2-tiny", "--text", "The cat", "--steps", "3",
                   "--size", "1300x850", "--screenshot", out)
    assert result.returncode == 0, result.stdout + result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1300, 850)


def test_the_command_line_options_reach_the_page(qtbot):
    from explorer.app import build_window, parse_args

    window = build_window(parse_args(["--view", "generate", "--model", "t5-tiny", "--steps", "2", "--temperature",
                                      "0.7", "--top-k", "20", "--seed", "5"]))
    qtbot.addWidget(window)
    view = window.generate_view
    assert window.pages.currentWidget() is view and view.model_name() == "t5-tiny"
    assert view.text_edit.toPlainText().startswith("translate English to German:")
    assert view.sampling_settings() == {"temperature": 0.7, "top_k": 20, "top_p": None, "seed": 5}
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        window.start()
    assert len(view.steps) == 2 and not window.last_error
    window.close()


def test_stepping_is_qt_free_and_refuses_an_encoder():
    from engine.errors import InputError

    code = ("import sys, engine; from explorer.stepping import Stepper; s = Stepper(engine.load('gpt2-tiny'), 'Hi');"
            "r = s.step([]); print(r.id, 'PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.split()[1] == "False", out.stdout + out.stderr
    with pytest.raises(InputError, match="fills \\[MASK\\]"):
        stepping.Stepper(engine.load("bert-tiny"), "The cat")
    assert json.dumps(stepping.model_info("t5-tiny").__dict__)


def test_the_continuation_keeps_the_space_its_first_piece_starts_a_word_with():
    """SentencePiece's ▁ (and byte-level Ġ) carry the space before a word: the continuation is read after the prompt,
    so "there was a" + "▁small" shows " small", not "small"."""
    from engine.generation import generate as engine_generate

    loaded = engine.load("llama-trained")
    stepper = stepping.Stepper(loaded, "Once upon a time there was a")
    new = engine_generate(loaded, text="Once upon a time there was a", max_new_tokens=3).new_ids
    assert loaded.tokenizer.id_to_token(new[0]).startswith("▁")
    assert stepper.generated_text(new).startswith(" ")
