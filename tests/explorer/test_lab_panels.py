"""The Train page's lab panels: fine-tuning (explorer.views.lab_finetune) and the induction head
(explorer.views.lab_induction) each run their job in a worker, draw its curves as it goes, show the result (accuracy
before and after with every held-out line labelled; both halves' losses, every head's score and the best head's
attention pattern), stop when asked, speak Chinese, and leave no thread behind when closed mid-run."""
from __future__ import annotations

import pytest
import torch

from explorer.state import ExplorerState

WAIT = 120000


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def finetune_panel(keep_open):
    from explorer.views.lab_finetune import FinetunePanel

    def make(lang="en"):
        panel = keep_open(FinetunePanel(ExplorerState(lang), lambda: "cpu"))
        panel.resize(1200, 800)
        panel.show()
        return panel

    return make


@pytest.fixture
def induction_panel(keep_open):
    from explorer.views.lab_induction import InductionPanel

    def make(lang="en"):
        panel = keep_open(InductionPanel(ExplorerState(lang), lambda: "cpu"))
        panel.resize(1200, 800)
        panel.show()
        return panel

    return make


def test_fine_tuning_runs_in_a_worker_and_shows_accuracy_before_and_after_with_the_labelled_lines(
        qtbot, finetune_panel):
    panel = finetune_panel()
    models = [panel.model_combo.itemData(i) for i in range(panel.model_combo.count())]
    assert "minilm" in models and {"bert-tiny", "roberta-tiny", "albert-tiny"} <= set(models)
    assert not {"gpt2-tiny", "t5-tiny", "llama-tiny"} & set(models)       # only encoders can be picked
    panel.select_model("bert-tiny")
    panel.select_lines("both")
    panel.steps_box.setValue(4)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as finished:
        panel.start()
        assert not panel.run_button.isEnabled() and panel.stop_button.isEnabled()
    assert finished.args == [""]
    assert panel.before.step == 0 and panel.after.step == 4
    assert panel.table.rowCount() == 72
    first = panel.table.item(0, 2).text()
    assert first.endswith(("positive", "negative")) and first[0] in "✓✗"
    assert panel.bars.values["all"] == (panel.before.accuracy, panel.after.accuracy)
    assert set(panel.bars.values) == {"all", "en", "zh"}
    xs, _ys = panel.accuracy_curve.points("held-out accuracy")
    assert xs[0] == 0 and xs[-1] == 4
    assert len(panel.loss_curve.points("training loss (each step)")[0]) == 4
    assert "→" in panel.status.text() and "[UNK]" in panel.status.text()   # bert-tiny's recipe lacks many 汉字
    qtbot.waitUntil(panel.run_button.isEnabled)   # the runner reports idle just after the result
    assert not panel.stop_button.isEnabled()


def test_stopping_a_fine_tuning_keeps_what_it_measured(qtbot, finetune_panel):
    panel = finetune_panel()
    panel.select_model("albert-tiny")
    panel.select_lines("en")
    panel.steps_box.setValue(2000)
    with qtbot.waitSignal(panel.finished, timeout=WAIT):
        panel.start()
        qtbot.waitUntil(lambda: panel.last is not None and panel.last.step >= 2, timeout=WAIT)
        panel.stop_button.click()
    assert 2 <= panel.after.step < 2000 and panel.table.rowCount() == 36      # the English held-out lines
    assert panel.runner.wait(10) and panel.runner.running_threads() == 0


def test_the_fine_tuning_panel_speaks_chinese(qtbot, finetune_panel):
    panel = finetune_panel("zh")
    assert panel.run_button.text() == "微调" and "预训练" in panel.intro.text()
    panel.state.set_setting("lang", "en")
    assert panel.run_button.text() == "Fine-tune"


def test_the_induction_run_draws_both_losses_every_heads_score_and_the_best_heads_pattern(qtbot, induction_panel):
    """The mechanics, on a short run (tests/engine/test_induction.py shows the head forming in a long one)."""
    panel = induction_panel()
    panel.steps_box.setValue(50)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as finished:
        panel.start()
    assert finished.args == [""]
    assert len(panel.records) == 50
    assert len(panel.losses.points("first half")[0]) == 50 == len(panel.losses.points("repeated half")[0])
    assert len(panel.bars.scores) == 2 and len(panel.bars.scores[1]) == 4
    step, score = panel.pattern_at
    layer, head = panel.pattern_head
    assert step == 50 and score == max(max(row) for row in panel.records[-1].induction_scores)
    assert panel.heatmap.data.shape == (25, 25) and panel.heatmap.row_labels[0] == "BOS"
    assert f"Layer {layer + 1}, head {head + 1}</b> at step 50" in panel.pattern_title.text()
    assert "50 steps" in panel.status.text()


def test_the_loss_drop_is_marked_on_the_curves(qtbot, induction_panel):
    panel = induction_panel()
    panel._mark_drop(191)
    assert panel.drop_step == 191 and panel.drop_line.value() == 191
    panel.steps_box.setValue(1)
    with qtbot.waitSignal(panel.finished, timeout=WAIT):
        panel.start()
    assert panel.drop_line is None                 # a new run starts unmarked


def test_closing_the_induction_panel_mid_run_stops_its_worker(qtbot, induction_panel):
    panel = induction_panel("zh")
    assert panel.train_button.text() == "训练"
    panel.steps_box.setValue(5000)
    panel.start()
    qtbot.waitUntil(lambda: len(panel.records) >= 3, timeout=WAIT)
    runner = panel.runner
    panel.close()
    assert runner.running_threads() == 0
