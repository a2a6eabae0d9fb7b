"""Tools > Compare tokenizers: the seed's [UNK] table on "你好，世界 😂", chips equal to the engine's tokens, the BPE
merge player stepping "t" + "h" -> "th", workers that finish (or are waited for) when the window closes."""
from __future__ import annotations

import threading

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from engine.tokenization import bpe_merge_trace, build_tokenizer, compare, tokenizer_for  # noqa: E402
from explorer.views import tokenizers as tv  # noqa: E402
from explorer.views.tokenizers import CLASSIC, TokenizersDialog  # noqa: E402

SEED = "你好，世界 😂"


@pytest.fixture
def make_dialog(qtbot, keep_open):
    def make(text=SEED):
        dialog = keep_open(TokenizersDialog(None, text))
        dialog.show()
        wait_idle(qtbot, dialog)
        return dialog
    return make


def wait_idle(qtbot, dialog, timeout=60000):
    qtbot.waitUntil(lambda: not dialog.busy() and bool(dialog.compare.rows) and bool(dialog.merges.merges), timeout=timeout)


def test_seed_example_unknown_counts(qtbot, make_dialog):
    dialog = make_dialog()
    panel = dialog.compare
    assert panel.shown_text == SEED
    rows = {r["key"]: r for r in panel.rows}
    assert set(rows) >= {"gpt1", "roberta", "bert", "t5", "llama", "minilm"}
    engine = {r["name"]: r for r in compare(SEED, recipes=("gpt1", "roberta", "bert", "t5", "llama"))}
    for key, expected in engine.items():
        assert rows[key]["n_unknown"] == expected["n_unknown"]
        assert panel.unk_labels[key].text() == str(expected["n_unknown"])
    # the seed's table: byte-level BPE (and byte fallback) never gives [UNK]; character-level ones lose the emoji
    assert panel.unk_labels["roberta"].text() == "0"
    assert panel.unk_labels["llama"].text() == "0"
    assert int(panel.unk_labels["gpt1"].text()) >= 1
    assert int(panel.unk_labels["bert"].text()) >= 1
    if rows["minilm"].get("error"):
        pytest.skip(f"MiniLM tokenizer not installed: {rows['minilm']['error']}")
    # the real bert-base-uncased vocabulary: most of it is [UNK]
    assert int(panel.unk_labels["minilm"].text()) >= 3
    assert all(c.kind == "unknown" for c in panel.chips["minilm"] if c.token == "[UNK]")


def test_chips_match_the_engine_tokens(qtbot, make_dialog):
    dialog = make_dialog()
    panel = dialog.compare
    for row in panel.rows:
        if row.get("error"):
            continue
        key = row["key"]
        tokenizer = tokenizer_for(key)
        full = tokenizer.encode(SEED)
        chips = panel.chips[key]
        assert [c.token for c in chips] == full.tokens
        assert row["seq_len"] == len(full)
        # without the special chips: exactly the engine's compare() row
        plain = [c.token for c, special in zip(chips, full.special) if not special]
        assert plain == compare(SEED, recipes=[tokenizer])[0]["tokens"]
        assert [c.kind == "unknown" for c in chips] == full.unknown
        assert all(c.kind == "special" for c, s in zip(chips, full.special) if s)
    assert any(c.kind == "byte" for c in panel.chips["llama"])   # <0xF0> ... the emoji as bytes


def test_examples_and_extra_tokenizers(qtbot, make_dialog):
    dialog = make_dialog()
    panel = dialog.compare
    english = next(b for b in panel.example_buttons if b.text() == "English")
    qtbot.mouseClick(english, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy() and panel.shown_text == panel.text(), timeout=30000)
    assert panel.shown_text.startswith("Tokenization")
    assert panel.unk_labels["roberta"].text() == "0"
    assert "gpt2" in panel.chips                      # every family's tokenizer is a row
    panel.extra_boxes["bert-chinese"].setChecked(True)   # a recipe no family uses: on demand
    qtbot.waitUntil(lambda: not dialog.busy() and "bert-chinese" in panel.chips, timeout=30000)
    assert [c.token for c in panel.chips["bert-chinese"]] == build_tokenizer("bert-chinese").encode(panel.text()).tokens


def test_rows_come_from_the_registry(monkeypatch):
    """One row per distinct tokenizer recipe of the engine's families, labelled with their titles, plus MiniLM;
    a family added to the registry adds its row."""
    import dataclasses

    from engine import models
    from engine.tokenization import RECIPES

    rows = tv.main_choices()
    recipes = list(dict.fromkeys(f.tokenizer_recipe for f in models.FAMILIES.values()))
    assert [c.key for c in rows] == recipes + ["minilm"]
    gpt2 = next(c for c in rows if c.key == "gpt2")
    assert gpt2.label == " · ".join(f.title for f in models.FAMILIES.values() if f.tokenizer_recipe == "gpt2")
    assert gpt2.algorithm == "byte-level BPE"
    assert next(c for c in rows if c.key == "llama").algorithm == "BPE + byte fallback"
    assert {c.key for c in tv.extra_choices()} == set(RECIPES) - set(recipes)
    toy = dataclasses.replace(models.FAMILIES["bert"], name="toy", title="Toy", tokenizer_recipe="bert-chinese")
    monkeypatch.setitem(models.FAMILIES, "toy", toy)
    assert ("bert-chinese", "Toy") in [(c.key, c.label) for c in tv.main_choices()]
    assert "bert-chinese" not in {c.key for c in tv.extra_choices()}


def test_byte_level_meaning():
    assert tv.byte_level_meaning("ä½ł") == "你"
    assert tv.byte_level_meaning("Ġthe") == "␣the"
    assert tv.byte_level_meaning("ð") == "F0"
    assert tv.byte_level_meaning("ä¸ĸçķ") == "世 E7 95"


def test_merge_player_steps_t_h_to_th(qtbot, make_dialog):
    dialog = make_dialog()
    player = dialog.merges
    assert player.merges == bpe_merge_trace(None, 10 ** 6)
    assert player.merges[0] == ("t", "h", "th")     # the seed's example is the corpus's first merge
    player.word_edit.setText("the")
    player.set_position(0)
    assert player.segmentation() == [["t", "h", "e</w>"]]
    qtbot.mouseClick(player.step_button, Qt.LeftButton)
    assert player.position == 1
    assert player.segmentation() == [["th", "e</w>"]]
    assert "#1" in player.merge_label.text() and "th" in player.merge_label.text()
    assert player.merge_list.currentRow() == 0
    qtbot.mouseClick(player.back_button, Qt.LeftButton)
    assert player.segmentation() == [["t", "h", "e</w>"]]
    assert player.next_change() and player.position == 1
    assert player.next_change() and player.segmentation() == [["the</w>"]]
    # replaying every merge in order gives the GPT-1 tokenizer's own pieces
    gpt1 = build_tokenizer("gpt1")
    for word in ("together", "tokenization", "pretrained"):
        player.word_edit.setText(word)
        player.set_position(len(player.merges))
        assert [p for w in player.segmentation() for p in w] == gpt1.encode(word).tokens


def test_merge_player_plays_and_learns_from_text(qtbot, make_dialog):
    dialog = make_dialog()
    player = dialog.merges
    player.source.setCurrentIndex(player.source.findData("text"))
    player.n_merges.setValue(20)
    player.learn()
    qtbot.waitUntil(lambda: not player.runner.jobs and len(player.merges) == 20, timeout=30000)
    assert player.merges == bpe_merge_trace(CLASSIC, 20)
    assert player.word_edit.text() == "lowest"
    start = player.segmentation()
    assert start == [["l", "o", "w", "e", "s", "t</w>"]]
    player.timer.setInterval(20)
    player.play_button.setChecked(True)
    qtbot.waitUntil(lambda: not player.play_button.isChecked(), timeout=10000)   # stops at the end
    assert player.position == len(player.merges)
    assert player.segmentation() != start
    assert player.history.count() == len(player.timeline.changes) >= 2


def test_window_menu_opens_the_dialog_and_closes_cleanly(qtbot, open_window):
    window = open_window("bert-tiny", "hello")
    action = next(a for m in window.menuBar().actions() if m.text() == "&Tools" for a in m.menu().actions())
    assert action.shortcut().toString() == "Ctrl+T"
    action.trigger()
    dialog = window.tokenizers_dialog
    assert dialog is not None and dialog.isVisible()
    wait_idle(qtbot, dialog)
    assert dialog.compare.unk_labels["roberta"].text() == "0"
    window.close()
    assert not dialog.isVisible()
    assert all(not r.jobs and r.running_threads() == 0 for r in dialog.runners)


def test_busy_while_building_and_close_mid_build(qtbot, keep_open, monkeypatch):
    gate = threading.Event()
    real = tv.load

    def slow(key):
        gate.wait(10)
        return real(key)
    monkeypatch.setattr(tv, "load", slow)
    dialog = keep_open(TokenizersDialog(None, SEED))
    dialog.show()
    qtbot.waitUntil(lambda: dialog.compare.busy.isVisible(), timeout=5000)   # the UI is live while it builds
    assert dialog.busy() and not dialog.compare.rows
    threading.Timer(0.3, gate.set).start()
    dialog.close()
    assert all(not r.jobs and r.running_threads() == 0 for r in dialog.runners)
