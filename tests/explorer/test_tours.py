"""Guided tours: a tour is a JSON file of steps (model, text, step, view, layer, head, note_en, note_zh); every
shipped tour plays to its end under `--tour FILE --screenshots DIR` (one PNG per step, exit status 0); a bad file
is refused with exit status 2 and one line naming the step and the field; in the window, PageDown / PageUp drive the
tour while one plays."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from explorer.tours import TOURS_DIR, VIEWS, TourError, load_tour, parse_tour, resolve_step, shipped_tours

ROOT = Path(__file__).absolute().parents[2]
SHIPPED = shipped_tours()
TITLES = {"BERT from text to [MASK]", "Why RoBERTa never says [UNK]", "ALBERT's savings", "T5: text to text",
          "GPT's causal mask and generation", "LLaMA: RMSNorm, RoPE, SwiGLU, GQA", "GLM's blank infilling"}


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    """Recent tours go to a settings file of this test, never the user's."""
    from explorer.views import generate as generate_view
    monkeypatch.setenv(generate_view.SETTINGS_ENV, str(tmp_path / "settings.ini"))


def test_the_seven_tours_of_the_issue_are_shipped_with_notes_in_both_languages():
    tours = [load_tour(path) for path in SHIPPED]
    assert {t.title_en for t in tours} == TITLES
    for tour in tours:
        assert tour.title_zh and 4 <= len(tour.steps) <= 8, tour.title_en
        for step in tour.steps:
            assert step.note_en.strip() and step.note_zh.strip(), tour.title_en
            assert "seed" not in step.note_en.lower() and "遮罩" not in step.note_zh


def test_the_views_a_tour_may_name_are_the_step_through_s():
    from explorer.app import VIEW_CLASSES
    assert VIEWS == tuple(c.name for c in VIEW_CLASSES)


# Every tour is played as a teacher would: `python main.py --tour FILE --screenshots DIR`, one process per tour
# (two at a time: one start of Python, torch and Qt each).
def play(tmp_path, tours: list[str]) -> dict[str, tuple[int, str, Path]]:
    """{tour path: (exit status, its stderr, its screenshots folder)}."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLM_EXPLORER_SETTINGS=str(tmp_path / "settings.ini"))
    played, running = {}, []
    for i, tour in enumerate(tours):
        out = tmp_path / f"shots-{i}"
        command = [sys.executable, "main.py", "--tour", tour, "--screenshots", str(out), "--lang",
                   "zh" if i % 2 else "en", "--size", "1000x700"]
        running.append((tour, out, subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                                    stderr=subprocess.PIPE, text=True)))
        if len(running) == 2 or i == len(tours) - 1:
            for path, folder, process in running:
                _, err = process.communicate(timeout=300)
                lines = [line for line in err.splitlines() if "propagateSizeHints" not in line]
                played[path] = (process.returncode, "\n".join(lines), folder)
            running = []
    return played


def test_every_shipped_tour_plays_to_its_end_with_one_screenshot_per_step_and_a_bad_step_stops_one(tmp_path):
    bad = tmp_path / "bad-step.json"
    bad.write_text(json.dumps([GOOD, {"step": "attn.hook_no_such_thing", "note_en": "x"}]), encoding="utf-8")
    played = play(tmp_path, [str(p) for p in SHIPPED] + [str(bad)])
    for path in SHIPPED:
        code, err, folder = played[str(path)]
        assert code == 0 and err == "", f"{path.name}: {err}"
        steps = len(load_tour(path).steps)
        pictures = sorted(folder.glob("*.png"))
        assert [p.name for p in pictures] == [f"step-{i:02d}.png" for i in range(1, steps + 1)], path.name
        assert all(QImage(str(p)).size().toTuple() == (1000, 700) for p in pictures), path.name
    code, err, folder = played[str(bad)]
    assert code == 2 and err.count("\n") == 0, err
    assert "bad-step.json: tour step 2: bert-tiny has no step called 'attn.hook_no_such_thing'" in err
    assert [p.name for p in folder.glob("*.png")] == ["step-01.png"]


def write(tmp_path, data, name="tour.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


GOOD = {"model": "bert-tiny", "text": "The cat sat on the mat.", "note_en": "Tokens.", "note_zh": "词元。"}
BAD = {
    "not JSON": ("[{\"model\": ", "tour.json: not valid JSON (line 1"),
    "not a list": ({"title_en": "x", "steps": {"a": 1}}, "a tour is a list of steps"),
    "empty": ([], "the tour has no steps"),
    "unknown field": ([GOOD, {"stepp": "attn.hook_pattern", "note_en": "x"}], "step 2: unknown field 'stepp'"),
    "layer as words": ([GOOD, {"layer": "two", "note_en": "x"}], "step 2: field 'layer' must be a whole number"),
    "head 0": ([GOOD, {"head": 0, "note_en": "x"}], "step 2: field 'head' must be a whole number from 1"),
    "unknown model": ([dict(GOOD, model="bert-tinyy")], "step 1: field 'model': 'bert-tinyy' is not a preset"),
    "no model": ([{"text": "x", "note_en": "x"}], "step 1: field 'model' is missing"),
    "no note": ([GOOD, {"step": "tokens"}], "step 2: field 'note_en' (or 'note_zh') is missing"),
    "unknown view": ([dict(GOOD, view="heatmap")], "step 1: field 'view': 'heatmap' is not one of"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_tour_file_exits_2_with_one_line_naming_the_step_and_field(case, tmp_path, capsys):
    from explorer.app import main

    data, expected = BAD[case]
    code = main(["--tour", write(tmp_path, data), "--screenshots", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert expected in err, err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_tour_file_is_a_list_of_steps_each_keeping_the_model_and_text_before_it():
    tour = parse_tour([GOOD, {"step": "attn.hook_pattern", "layer": 2, "head": 3, "note_zh": "注意力"},
                       {"model": "gpt2-tiny", "note_en": "GPT", "pair": "B"}])
    assert [s.model for s in tour.steps] == ["bert-tiny", "bert-tiny", "gpt2-tiny"]
    assert {s.text for s in tour.steps} == {GOOD["text"]}
    assert (tour.steps[1].layer, tour.steps[1].head) == (2, 3)
    assert tour.steps[1].note("en") == "注意力"      # the other language when one is missing
    assert tour.steps[2].pair == "B"
    with pytest.raises(TourError):
        load_tour(TOURS_DIR / "no-such-tour.json")


def test_steps_are_found_by_name_or_by_their_end():
    steps = ["__tokens__", "blocks.0.attn.hook_q", "blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern",
             "__output__"]
    assert resolve_step(steps, "tokens") == "__tokens__" and resolve_step(steps, "output") == "__output__"
    assert resolve_step(steps, "attn.hook_pattern") == "blocks.0.attn.hook_pattern"
    assert resolve_step(steps, "blocks.1.attn.hook_pattern") == "blocks.1.attn.hook_pattern"
    assert resolve_step(steps, "hook_mlp") is None


def test_page_down_and_up_drive_the_tour_and_its_note_follows_the_language(open_window, qtbot, tmp_path):
    window = open_window("bert-tiny", "The cat sat on the mat.")
    tour = load_tour(write(tmp_path, [dict(GOOD, step="tokens"),
                                      {"step": "attn.hook_pattern", "layer": 2, "head": 3,
                                       "note_en": "Attention.", "note_zh": "注意力。"}]))
    with qtbot.waitSignal(window.tour.shown, timeout=60000):
        window.tour.start(tour)
    assert window.state.step == "__tokens__" and window.tour.panel.note.text() == "Tokens."
    window.activateWindow()
    with qtbot.waitSignal(window.tour.shown, timeout=10000):
        qtbot.keyClick(window, Qt.Key_PageDown)
    assert window.state.step == "blocks.1.attn.hook_pattern" and window.state.head == 2
    window.state.set_setting("lang", "zh")
    assert window.tour.panel.note.text() == "注意力。"
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert window.state.step == "__tokens__" and window.tour.index == 0
    window.tour.stop()
    qtbot.keyClick(window, Qt.Key_PageDown)   # no tour: the clicker steps through the tensors
    assert window.state.index == 1 and window.tour.panel.isHidden()


def test_a_tour_opened_from_a_file_is_remembered_among_the_recent_ones(open_window, qtbot, tmp_path):
    from explorer import remember

    window = open_window("bert-tiny", "The cat sat on the mat.")
    path = write(tmp_path, [GOOD])
    with qtbot.waitSignal(window.tour.shown, timeout=60000):
        assert window.tour.open_path(path)
    assert remember.recent("tours") == [str((tmp_path / "tour.json").resolve())]
    assert not window.tour.open_path(write(tmp_path, "[", "bad.json"))
    assert "bad.json: not valid JSON" in window.message.text()


@pytest.mark.parametrize("argv, expected", [
    (["--screenshots", "DIR"], "--screenshots takes a folder for the steps of a --tour"),
    (["--tour", str(TOURS_DIR / "01_bert_text_to_mask.json"), "--screenshot", "x.png"], "not --screenshot"),
    (["--tour", "no-such-tour.json"], "no such tour file"),
])
def test_tour_options_used_wrongly_exit_2_with_one_line(argv, expected, capsys, tmp_path):
    from explorer.app import main

    code = main([a.replace("DIR", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and expected in err, err
