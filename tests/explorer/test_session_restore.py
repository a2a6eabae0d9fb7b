"""Sessions reopen where they were left: an interactive window saves its model, text, step, view, layer, head,
language and device when it closes, and the next launch without --model / --text opens them again. A value the
settings file holds that is not what it should be is ignored with a notice; a scripted run (--screenshot, --tour)
neither reads nor writes the session. Every test here uses its own settings file, never the user's."""
import pytest

from explorer import remember
from explorer.app import build_window, parse_args

TEXT = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(autouse=True)
def settings_file(tmp_path, monkeypatch):
    from explorer.views import generate as generate_view
    path = tmp_path / "settings.ini"
    monkeypatch.setenv(generate_view.SETTINGS_ENV, str(path))
    return path


def opened(qtbot, keep_open, argv):
    window = keep_open(build_window(parse_args(argv), remember_session=True))   # as main() does
    window.show()
    with qtbot.waitSignal(window.ready, timeout=60000):
        window.start()
    return window


def test_a_saved_session_reopens_on_the_same_step_layer_head_view_and_language(qtbot, keep_open):
    first = opened(qtbot, keep_open, ["--model", "bert-tiny", "--text", TEXT])
    assert first.remember_session
    first.state.go_to("blocks.2.attn.hook_pattern", "grid")
    first.state.set_head(2)
    first.state.set_setting("lang", "zh")
    first.close()

    second = opened(qtbot, keep_open, [])
    state = second.state
    assert second.model_name() == "bert-tiny" and state.text == TEXT
    assert (state.step, state.layer, state.head, state.view, state.lang) == \
        ("blocks.2.attn.hook_pattern", 2, 2, "grid", "zh")
    assert second.layer_box.value() == 3 and second.lang_combo.currentData() == "zh"
    assert not second.message_bar.isVisible()


def test_the_command_line_wins_over_the_saved_session(qtbot, keep_open):
    remember.save_session({"model": "bert-tiny", "text": TEXT, "step": "blocks.1.attn.hook_q", "head": 1})
    window = opened(qtbot, keep_open, ["--model", "gpt2-tiny", "--text", "Hello there."])
    assert window.model_name() == "gpt2-tiny" and window.state.text == "Hello there."
    assert window.state.step == "__tokens__" and window.state.head == 0


def test_corrupt_values_are_ignored_with_a_notice(qtbot, keep_open, settings_file):
    settings_file.write_text("[session]\nmodel=bert-tiny\ntext=Cats sleep.\nlayer=banana\nhead=-3\nlang=fr\n"
                             "step=blocks.1.attn.hook_pattern\n", encoding="utf-8")
    window = opened(qtbot, keep_open, [])
    assert window.model_name() == "bert-tiny" and window.state.text == "Cats sleep."
    assert window.state.step == "blocks.1.attn.hook_pattern" and window.state.head == 0 and window.state.lang == "en"
    notice = window.message.text()
    assert "could not be read and were ignored" in notice and all(k in notice for k in ("layer", "head", "lang"))


def test_a_model_no_longer_here_opens_the_default_with_a_notice(qtbot, keep_open, tmp_path):
    remember.save_session({"model": str(tmp_path / "gone"), "text": TEXT, "step": "blocks.0.attn.hook_q"})
    window = opened(qtbot, keep_open, [])
    assert window.model_name() in ("minilm", "bert-tiny") and window.state.text == TEXT
    assert "is not here any more" in window.message.text()


def test_windows_built_without_remembering_never_touch_the_settings(qtbot, keep_open, settings_file):
    """What tests and scripts get by default: build_window(args) neither reads nor writes the session."""
    remember.save_session({"model": "gpt2-tiny", "text": TEXT})
    before = settings_file.read_text(encoding="utf-8")
    window = keep_open(build_window(parse_args([])))
    assert not window.remember_session and window.model_name() != "gpt2-tiny"
    window.close()
    assert settings_file.read_text(encoding="utf-8") == before


def test_scripted_runs_neither_restore_nor_save(qtbot, keep_open, tmp_path, settings_file):
    remember.save_session({"model": "gpt2-tiny", "text": TEXT})
    before = settings_file.read_text(encoding="utf-8")
    window = keep_open(build_window(parse_args(["--screenshot", str(tmp_path / "x.png")]), remember_session=True))
    assert not window.remember_session and window.model_name() != "gpt2-tiny"
    window.close()
    assert settings_file.read_text(encoding="utf-8") == before


def test_read_session_keeps_what_is_well_formed_and_names_the_rest():
    saved, bad = remember.read_session({"model": "bert-tiny", "layer": "3", "head": "x", "lang": "zh",
                                        "text": "a" * 10_000, "view": 5})
    assert (saved.model, saved.layer, saved.lang, saved.head, saved.text, saved.view) == \
        ("bert-tiny", 3, "zh", None, None, None)
    assert sorted(bad) == ["head", "text", "view"]


def test_recent_items_are_the_latest_first_each_once():
    for path in ("/a", "/b", "/a"):
        remember.add_recent("checkpoints", path)
    assert remember.recent("checkpoints") == ["/a", "/b"]
    for i in range(20):
        remember.add_recent("tours", f"/t{i}")
    assert remember.recent("tours")[:2] == ["/t19", "/t18"] and len(remember.recent("tours")) == remember.RECENT_MAX
