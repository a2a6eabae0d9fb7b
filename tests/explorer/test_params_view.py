"""The Parameters view: its numbers are the engine's accounting (every preset), ALBERT's switches give the figures of
the edited presets, a bad edit is explained inline, the scaling table lists all eight GPT-3 sizes with sources, the
notes' slips are marked, exports write files (or say why not), and the command line reaches the view."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QAction, QImage, QShortcut  # noqa: E402

from engine.params import account, edit_preset  # noqa: E402
from engine.presets import all_presets  # noqa: E402
from explorer import params_model as pm  # noqa: E402
from explorer.state import ExplorerState  # noqa: E402
from explorer.views.params import ParamsView  # noqa: E402

ROOT = Path(__file__).absolute().parents[2]
GPT3 = ["gpt3-125m", "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b", "gpt3-13b", "gpt3-175b"]


@pytest.fixture
def view(qtbot, keep_open):
    v = keep_open(ParamsView(ExplorerState()))
    v.resize(1400, 860)
    v.show()
    return v


def wait_idle(qtbot, widget, timeout=60000):
    qtbot.waitUntil(lambda: not widget.busy(), timeout=timeout)


# ---------------------------------------------------------------------------------------------- the model (no Qt)
def test_every_preset_table_equals_the_engine_accounting():
    """Whole model and per layer, grouped and with the engine's own keys: totals and components add up to the
    engine's figures for every preset (large ones too: counted on the meta device)."""
    for name in all_presets():
        a = account(name)
        for detail in (False, True):
            table = pm.compare_table([a], detail=detail)
            assert table.row("total_with_heads").values == [a.total_with_heads], name
            assert table.row("total").values == [a.total], name
            components = [r.values[0] for r in table.rows if r.kind == "component"]
            assert sum(components) == a.total_with_heads, name
        layer = pm.compare_table([a], per_layer=True)
        assert layer.row("all_layers").values == [v["all_layers"] for v in a.per_layer.values()], name
        assert layer.row("layer_total").values == [v["each_total"] for v in a.per_layer.values()], name
        memory = pm.memory_table([a], {"cpu": 2 ** 40})
        row = memory.rows[0]
        assert row.values[:4] == [a.total_with_heads, a.memory_bytes["fp32"], a.memory_bytes["fp16"],
                                  a.memory_bytes["int8"]], name
        assert row.values[7] == a.kv_cache["bytes_per_token"], name
        assert row.values[11] == a.flops["flops_per_token"], name


def test_tied_weights_are_marked_and_counted_once():
    a = account("gpt2")
    table = pm.compare_table([a])
    heads = table.row("heads")
    assert heads.values == [0] and 0 in heads.marks           # the LM head is wte: nothing added, marked tied
    assert sum(r.values[0] for r in table.rows if r.kind == "component") == a.total_with_heads
    assert "counted once" in pm.tied_note(a)


def test_scaling_rows_list_all_eight_gpt3_sizes_with_sources():
    rows = {r["name"]: r for r in pm.scaling_rows("gpt")}
    assert [n for n in rows if n.startswith("gpt3-")] == GPT3
    assert {"openai-gpt", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"} <= set(rows)
    for name in GPT3:
        r = rows[name]
        assert r["params"] == account(name).total_with_heads
        assert r["tokens"] == 300e9 and "Brown et al. 2020" in r["tokens_source"]
        assert r["source"] == all_presets()[name].source
    assert rows["openai-gpt"]["hidden"] == 768 and rows["openai-gpt"]["ffn"] == 3072
    assert rows["openai-gpt"]["tokens"] is None            # no token count in the paper: left out, not guessed
    llama = {r["name"]: r for r in pm.scaling_rows("llama")}
    assert llama["llama-1-7b"]["tokens"] == 1.0e12 and llama["llama-1-65b"]["tokens"] == 1.4e12
    assert llama["llama-2-70b"]["tokens"] == 2.0e12 and llama["llama-3-8b"]["tokens_text"] == "15T+"
    assert llama["llama-3-8b"]["released"] == "Apr 2024"
    assert {r["name"] for r in pm.scaling_rows("t5")} >= {"t5-small", "t5-base", "t5-large", "t5-3b", "t5-11b"}


def test_the_notes_slips_are_marked():
    table = pm.notes_slips()
    notes, paper = table.row("notes-GPT-1"), table.row("openai-gpt")
    assert notes.values[1] == 3072 and notes.values[3] == 768 and set(notes.marks) == {1, 3}   # swapped in the notes
    assert paper.values[:4] == [12, 768, 12, 3072] and not paper.marks
    assert pm.LLAMA3_DATE["actual"] == "April 2024"


def test_embedding_savings_per_albert_size_are_the_engines():
    rows = {r["name"]: r for r in pm.embedding_rows()}
    for name in pm.ALBERT_SIZES:
        assert rows[name]["saving"] == account(name).albert["embedding"]["saving"]
    assert round(rows["albert-base-v2"]["saving"], 3) == 0.829
    assert rows["albert-xxlarge-v2"]["saving"] > 0.96


# ---------------------------------------------------------------------------------------------- the view
def test_the_view_shows_the_engines_totals(qtbot, view):
    names = ["albert-base-v2", "bert-base-uncased", "gpt2", "t5-small", "llama-3.1-405b", "glm-130b"]
    view.open("compare", names)
    qtbot.waitUntil(lambda: [a.name for a in view.compare.accounts] == names, timeout=60000)
    wait_idle(qtbot, view)
    table = view.compare.table
    for i, name in enumerate(names):
        a = account(name)
        assert table.cell("total_with_heads", i) == f"{a.total_with_heads:,}"
        assert table.cell("total", i) == f"{a.total:,}"
    assert "+ tied" in table.cell("heads", names.index("gpt2"))
    assert view.compare.uses_log([a.total_with_heads for a in view.compare.accounts])   # 12M .. 405B: log
    view.compare.scope.setCurrentIndex(1)                                              # one layer of each stack
    assert table.cell("depth", 0) == "12" and table.cell("parameter_sets", 0) == "1"   # ALBERT: 12 uses, 1 set
    assert view.compare.chart.categories[names.index("t5-small") + 1] == "t5-small · decoder"
    view.tabs.setCurrentWidget(view.memory)
    memory = view.memory.table
    row = names.index("llama-3.1-405b")
    a = account("llama-3.1-405b")
    assert memory.item(row, 0).text() == f"{a.total_with_heads:,}"
    assert memory.item(row, 6).text() == "GQA (8/128)"
    assert memory.item(row, 4).text().startswith("no")                     # 1.6 TB of fp32 weights: not here
    assert memory.item(names.index("bert-base-uncased"), 6).text().startswith("encoder")
    for which in range(view.memory.which.count()):
        view.memory.which.setCurrentIndex(which)
        assert view.memory.chart.categories


def test_picking_presets_recounts_in_a_worker(qtbot, view):
    view.open("compare", ["gpt2"])
    qtbot.waitUntil(lambda: [a.name for a in view.compare.accounts] == ["gpt2"], timeout=60000)
    view.picker.items["gpt3-175b"].setCheckState(0, Qt.Checked)
    qtbot.waitUntil(lambda: [a.name for a in view.compare.accounts] == ["gpt2", "gpt3-175b"], timeout=60000)
    assert view.compare.table.cell("total_with_heads", 1) == f"{account('gpt3-175b').total_with_heads:,}"


def test_albert_switches_give_the_edited_presets_figures(qtbot, view):
    view.open("albert", ["albert-base-v2"])
    panel = view.albert
    qtbot.waitUntil(lambda: panel.result is not None, timeout=60000)
    wait_idle(qtbot, panel)
    base = account("albert-base-v2")
    assert panel.result.current.total_with_heads == base.total_with_heads
    expected = {
        (False, True): account(edit_preset("albert-base-v2", {"num_hidden_groups": 12})),
        (True, False): account(edit_preset("albert-base-v2", {"embedding_size": 768})),
        (False, False): account(edit_preset("albert-base-v2", {"num_hidden_groups": 12, "embedding_size": 768})),
        (True, True): base,
    }
    for (share, factorise), want in expected.items():
        panel.set_switches(share=share, factorise=factorise)
        qtbot.waitUntil(lambda: panel.result is not None and (panel.result.share, panel.result.factorise)
                        == (share, factorise) and not panel.busy(), timeout=60000)
        assert panel.result.current.total_with_heads == want.total_with_heads
        assert panel.table.cell("total_with_heads", 0) == f"{want.total_with_heads:,}"
    # the engine's own shared/unshared figures agree
    assert expected[(False, True)].total_with_heads == base.albert["unshared_total_with_heads"]
    # E on the slider: the factorised embedding at E = 64
    panel.set_switches(share=True, factorise=True, e=64)
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.e == 64 and panel.result.factorise
                    and panel.result.share and not panel.busy(), timeout=60000)
    assert panel.result.current.total_with_heads == account(edit_preset("albert-base-v2",
                                                                        {"embedding_size": 64})).total_with_heads
    # BERT of the same shape, and the trade-off: parameters shrink, FLOPs per token do not
    bert = account(pm.bert_same_shape("albert-base-v2"))
    assert panel.result.bert.total_with_heads == bert.total_with_heads
    assert panel.table.cell("total_with_heads", 1) == f"{bert.total_with_heads:,}"
    variants = panel.result.variants
    assert variants["both"].total_with_heads < 0.2 * variants["neither"].total_with_heads
    flops = [v.flops["flops_per_token"] for v in variants.values()] + [bert.flops["flops_per_token"]]
    assert max(flops) / min(flops) < 1.02
    assert "80%" in panel.summary.text() and "about 80%" in panel.embedding.cell("albert-base-v2", 6)


def test_a_bad_edit_is_explained_inline_and_a_good_one_counted(qtbot, view):
    view.open("editor")
    editor = view.editor
    editor.set_base("gpt2")
    editor.set_values({"n_head": 5})                                   # 768 does not split into 5 heads
    assert editor.problem.isVisible() and "5 heads" in editor.problem.text()
    qtbot.waitUntil(lambda: not editor.busy() and editor.base_account is not None, timeout=60000)
    assert editor.edited is None and not editor.run_button.isEnabled()
    editor.set_values({"n_head": 12, "n_layer": 0})
    assert "outside 1..1,024" in editor.problem.text()
    editor.set_values({"n_layer": 6})
    assert not editor.problem.isVisible()
    want = account(edit_preset("gpt2", {"n_layer": 6}))
    qtbot.waitUntil(lambda: editor.edited_account is not None and not editor.busy(), timeout=60000)
    assert editor.table.cell("total_with_heads", 1) == f"{want.total_with_heads:,}"
    assert editor.table.cell("total_with_heads", 0) == f"{account('gpt2').total_with_heads:,}"
    assert editor.run_button.isEnabled()
    # GQA on LLaMA: key/value heads must divide the query heads
    editor.set_base("llama-2-70b")
    editor.set_values({"num_key_value_heads": 3})
    assert "multiple of num_key_value_heads" in editor.problem.text()
    # GLM's norm placement is a field of its own
    editor.set_base("glm-10b")
    assert editor.widgets["norm_style"].currentText() == "pre"
    editor.set_values({"norm_style": "post"})
    assert editor.changes() == {"norm_style": "post"} and not editor.problem.isVisible()
    # a preset counted analytically cannot be edited: said, not raised
    editor.set_base("glm-130b")
    editor.set_values({"num_layers": 10})
    assert "cannot be edited" in editor.problem.text()
    assert editor.set_values({"no_such_field": 1}) == ["no_such_field"]


def test_exports_write_files_or_say_why_not(qtbot, view, tmp_path):
    view.open("compare", ["albert-base-v2", "bert-base-uncased"])
    qtbot.waitUntil(lambda: len(view.compare.accounts) == 2, timeout=60000)
    written = view.export_csv(str(tmp_path / "table"))
    assert written == tmp_path / "table.csv"
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "component,albert-base-v2,bert-base-uncased"
    assert f"total with heads,{account('albert-base-v2').total_with_heads}," in text
    assert view.export_chart("png", str(tmp_path / "chart.png")).stat().st_size > 1000
    svg = view.export_chart("svg", str(tmp_path / "chart.svg"))
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert view.export_csv(str(tmp_path / "missing" / "x.csv")) is None
    assert view.message.isVisible() and "does not exist" in view.message.text()


def test_scaling_panel_shows_every_gpt3_size_with_its_source(qtbot, view):
    view.open("scaling")
    panel = view.scaling
    panel.set_series("gpt")
    qtbot.waitUntil(lambda: [r["name"] for r in panel.rows if r["name"].startswith("gpt3")] == GPT3
                    and not panel.busy(), timeout=60000)
    table = panel.table
    source_column = len(pm.SCALING_COLUMNS) - 1
    for name in GPT3:
        assert table.cell(name, source_column) == all_presets()[name].source
        assert table.cell(name, 11) == "300B"
    assert panel.chart.categories[:1] == ["openai-gpt"] and len(panel.chart.categories) == 13
    panel.quantity.setCurrentIndex([q[0] for q in pm.QUANTITIES].index("tokens"))
    assert "Brown et al. 2020" in panel.notes.toPlainText()
    assert panel.slips.cell("notes-GPT-1", 1).startswith("3,072") and "2024" in panel.slips_note.text()


def test_chinese_labels_follow_the_language_setting(qtbot, view):
    view.open("albert", ["albert-base-v2"])
    qtbot.waitUntil(lambda: view.albert.result is not None, timeout=60000)
    view.state.set_setting("lang", "zh")
    assert view.tabs.tabText(0) == "组件" and view.albert.share.text() == "跨层共享参数"
    assert "笔记说约 80%" in view.albert.summary.text()


# ---------------------------------------------------------------------------------------------- in the window
def test_the_window_has_a_parameters_page_and_runs_an_edited_config(qtbot, open_window):
    window = open_window("bert-tiny")
    parameters = next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+2")
    parameters.trigger()                                         # View > Parameters (Ctrl+2)
    page = window.params_view
    assert window.pages.currentWidget() is page and window.current_view() is page
    assert not any(s.isEnabled() for s in window.findChildren(QShortcut, options=Qt.FindDirectChildrenOnly))
    page.open("editor")
    page.editor.set_base("bert-tiny")
    page.editor.set_values({"num_hidden_layers": 2})
    qtbot.waitUntil(lambda: page.editor.run_button.isEnabled() and not page.editor.busy(), timeout=60000)
    with qtbot.waitSignal(window.ready, timeout=60000):
        page.editor.run_button.click()
    assert not window.last_error, window.last_error
    assert window.pages.currentIndex() == 0
    assert all(s.isEnabled() for s in window.findChildren(QShortcut, options=Qt.FindDirectChildrenOnly))
    assert window.state.loaded.config.num_hidden_layers == 2 and window.state.layers == 2
    assert window.model_name() == page.editor.edited.name


def test_a_window_with_the_parameters_page_drawn_is_freed_at_once(qtbot):
    import weakref

    from explorer.app import MainWindow

    window = MainWindow("bert-tiny", "The cat sat.", autorun=False)
    window.show()
    page = window.show_params()
    for tab in ("compare", "albert", "scaling", "editor"):
        page.open(tab, ["albert-base-v2", "gpt2"] if tab == "compare" else None)
        wait_idle(qtbot, page)
    window.close()
    del page
    ref = weakref.ref(window)
    gc.disable()
    try:
        del window
        assert ref() is None
    finally:
        gc.enable()


def test_the_command_line_opens_the_view(qtbot, keep_open):
    from explorer.app import build_window, parse_args

    window = keep_open(build_window(parse_args(["--view", "params", "--compare", "albert-base-v2,bert-base-uncased"])))
    assert window.pages.currentWidget() is window.params_view
    assert window.params_view.picker.checked() == ["albert-base-v2", "bert-base-uncased"]
    window = keep_open(build_window(parse_args(["--view", "scaling", "--series", "llama"])))
    assert window.params_view.current_panel() is window.params_view.scaling
    assert window.params_view.scaling.series.currentData() == "llama"
    window = keep_open(build_window(parse_args(["--edit", "gpt2", "--set", "n_head=5"])))
    assert window.params_view.current_panel() is window.params_view.editor
    assert "5 heads" in window.params_view.editor.problem.text()


def test_screenshot_of_the_parameters_view(tmp_path):
    out = tmp_path / "params.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "main.py", "--view", "params", "--compare",
                             "albert-base-v2,bert-base-uncased", "--size", "1280x800", "--screenshot", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_redrawing_the_charts_leaves_no_qt_object_to_the_cyclic_gc(qtbot, view):
    """Bars and labels taken off a chart are deleted by Qt on the GUI thread (explorer.widgets.plots.Graveyard),
    never left in a reference cycle for Python's GC to free on a worker thread."""
    import shiboken6

    view.open("compare", ["albert-base-v2", "gpt2", "llama-2-7b"])
    qtbot.waitUntil(lambda: len(view.compare.accounts) == 3, timeout=60000)
    for index in (1, 2, 0):
        view.compare.scale.setCurrentIndex(index)
        view.compare.scope.setCurrentIndex(index % 2)
    view.open("albert")
    wait_idle(qtbot, view)
    view.albert.set_switches(share=False)
    qtbot.waitUntil(lambda: view.albert.result is not None and not view.albert.result.share and not view.busy(),
                    timeout=60000)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, shiboken6.Object) and shiboken6.isValid(o)
                and shiboken6.ownedByPython(o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not left, sorted({type(o).__name__ for o in left})


def test_fits_says_which_precisions_fit_each_device():
    """The memory table's 'fits' columns, with a GPU (this machine may have none): weights x 1.2 against free bytes."""
    a = account("llama-2-7b")                        # 6.74B parameters: 25.1 GiB at fp32, 12.6 at fp16, 6.3 at int8
    table = pm.memory_table([a], {"cpu": 20 * 2 ** 30, "cuda:0": 139 * 2 ** 30})
    cpu, gpu = table.rows[0].values[4], table.rows[0].values[5]
    assert cpu.startswith("only fp16/bf16/int8") and gpu.startswith("cuda:0: yes, even fp32")
    assert pm.fit_text(a, 2 ** 30).startswith("no") and pm.fit_text(a, None) == "unknown"
    assert pm.memory_table([a], {"cpu": None}).rows[0].values[5] == "no GPU here"
