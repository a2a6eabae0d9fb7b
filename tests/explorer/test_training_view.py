"""The Train page (Ctrl+5): a tiny model trains in a worker while its loss curve grows, with the unigram entropy as
the reference line; a run pauses, resumes and stops; a saved run reopens with engine.load giving the same logits
and opens in the step-through; a bad corpus file is refused with a message; the objectives offered are those the
model can learn; an experiment draws its two curves and can be stopped."""
from __future__ import annotations

import pytest
import torch

import engine
from engine.training import objectives_for
from explorer.state import ExplorerState

WAIT = 90000


@pytest.fixture
def page(qtbot, keep_open):
    """page(model) -> a shown TrainView (alone, with its own state), its model's objectives known."""
    from explorer.views.training import TrainView

    def make(model="bert-tiny"):
        view = keep_open(TrainView(ExplorerState("en")))
        view.resize(1300, 800)
        view.show()
        pretrain = view.pretrain
        pretrain.select_model(model)
        qtbot.waitUntil(lambda: pretrain.objective() is not None, timeout=WAIT)
        pretrain.batch_box.setValue(4)
        pretrain.seq_box.setValue(16)
        return view

    return make


def train(qtbot, pretrain, steps: int) -> None:
    pretrain.steps_box.setValue(steps)
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT) as blocker:
        pretrain.train()
    assert blocker.args == [""], blocker.args


def test_training_in_the_worker_draws_the_loss_curve_below_a_unigram_entropy_line(qtbot, page):
    view = page("bert-tiny")
    pretrain = view.pretrain
    assert pretrain.objective() == "mlm"
    train(qtbot, pretrain, 6)
    trainer = pretrain.trainer
    steps, losses = pretrain.curves.points("loss of each step")
    assert steps == [1, 2, 3, 4, 5, 6] and losses == [r.loss for r in trainer.history]
    assert len(pretrain.curves.points("mean of the last 20 steps")[0]) == 6
    assert pretrain.curves.reference.value() == pytest.approx(trainer.unigram_entropy)
    assert pretrain.progress.value() == 6 and "unigram entropy" in pretrain.message.text()
    assert pretrain.save_button.isEnabled() and not pretrain.open_button.isEnabled()   # open once saved


def test_the_mask_share_and_sentence_examples_reach_the_trainer_where_the_objective_uses_them(qtbot, page):
    view = page("bert-tiny")
    pretrain = view.pretrain
    assert pretrain.mask_box.value() == 15 and pretrain.mask_box.isEnabled() and pretrain.sentences_box.isEnabled()
    pretrain.mask_box.setValue(40)
    pretrain.sentences_box.setChecked(True)
    train(qtbot, pretrain, 2)
    assert pretrain.trainer.mask_rate == pytest.approx(0.4) and pretrain.trainer.unit == "sentences"
    assert pretrain.trainer.summary()["examples"] == "sentences"
    gpt = page("gpt2-tiny").pretrain               # CLM masks nothing and reads running text
    assert not gpt.mask_box.isEnabled() and not gpt.sentences_box.isEnabled()
    gpt.sentences_box.setChecked(True)             # ticked for MLM earlier: a CLM run still reads running text
    train(qtbot, gpt, 1)
    assert gpt.trainer.unit == "windows"


def test_a_run_pauses_resumes_and_stops(qtbot, page):
    view = page("gpt2-tiny")
    pretrain = view.pretrain
    pretrain.steps_box.setValue(500)
    pretrain.train()
    qtbot.waitUntil(lambda: pretrain.feed.trainer is not None and pretrain.feed.trainer.step >= 1, timeout=WAIT)
    trainer = pretrain.feed.trainer
    pretrain.pause()
    assert pretrain.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: trainer.state == "paused", timeout=WAIT)
    paused_at = trainer.step
    qtbot.wait(400)
    assert trainer.step <= paused_at + 1                 # at most the step that was under way
    pretrain.resume()
    qtbot.waitUntil(lambda: trainer.step >= paused_at + 2, timeout=WAIT)
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT):
        pretrain.stop()
    assert trainer.state == "stopped" and trainer.step < 500
    assert len(pretrain.curves.points("loss of each step")[0]) == trainer.step
    assert "Stopped after" in pretrain.message.text() and pretrain.train_button.isEnabled()


def test_a_saved_run_reopens_with_the_same_logits_and_opens_in_the_step_through(qtbot, open_window, tmp_path):
    from PySide6.QtGui import QAction, QKeySequence

    window = open_window("bert-tiny")
    action = next(a for a in window.findChildren(QAction) if a.text() == "Train")
    assert action.shortcut() == QKeySequence("Ctrl+5")
    action.trigger()                                     # View > Train (Ctrl+5)
    view = window.train_view
    assert window.pages.currentWidget() is view
    assert window.pages.tabText(window.pages.currentIndex()) == "Train  (Ctrl+5)"
    pretrain = view.pretrain
    qtbot.waitUntil(lambda: pretrain.objective() is not None, timeout=WAIT)
    pretrain.select_model("gpt2-tiny")
    qtbot.waitUntil(lambda: pretrain.objective() == "clm", timeout=WAIT)
    pretrain.batch_box.setValue(4)
    pretrain.seq_box.setValue(16)
    train(qtbot, pretrain, 4)
    folder = tmp_path / "trained"
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT):
        pretrain.save(folder)
    assert pretrain.saved_folder == folder and (folder / "training.json").is_file()
    ids = torch.tensor([[5, 17, 42, 9, 3]])
    trained = pretrain.trainer.loaded.module
    reopened = engine.load(str(folder)).module
    with torch.no_grad():
        assert torch.allclose(trained(input_ids=ids)["lm"], reopened(input_ids=ids)["lm"], atol=1e-5)
    with qtbot.waitSignal(window.ready, timeout=WAIT):
        pretrain.open_in_step_through()
    assert window.pages.currentIndex() == 0 and not window.last_error
    assert window.state.loaded.name == "trained" and window.model_name() == str(folder)
    assert window.text_edit.toPlainText() == "The cat sat on the"


@pytest.mark.parametrize("content,said", [(b"", "holds no text"), (b"caf\xe9 au lait\n", "not UTF-8"),
                                          (b"PK\x03\x04\x00\x00binary", "binary file")])
def test_a_bad_corpus_file_is_refused_with_a_message(qtbot, page, tmp_path, content, said):
    view = page("bert-tiny")
    pretrain = view.pretrain
    path = tmp_path / "corpus.txt"
    path.write_bytes(content)
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT):
        pretrain.set_corpus_file(path)
    assert said in pretrain.message.text() and pretrain.message.isVisible()
    assert not pretrain.train_button.isEnabled()
    pretrain.corpus_combo.setCurrentIndex(0)            # back to the bundled corpus: Train again
    assert pretrain.train_button.isEnabled() and not pretrain.message.isVisible()


def test_a_text_file_is_a_corpus(qtbot, page, tmp_path):
    view = page("bert-tiny")
    pretrain = view.pretrain
    path = tmp_path / "mine.txt"
    path.write_text("小猫坐在垫子上。它睡着了。\n\nThe dog ran home. It was late.\n\n" * 30, encoding="utf-8")
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT):
        pretrain.set_corpus_file(path)
    assert "60 documents" in pretrain.message.text() and not pretrain.last_error
    train(qtbot, pretrain, 2)
    assert pretrain.trainer.corpus.source == str(path)


@pytest.mark.parametrize("model", ["t5-tiny", "glm-tiny", "albert-tiny"])
def test_only_the_objectives_the_model_can_learn_are_offered(qtbot, page, model):
    pretrain = page(model).pretrain
    offered = [pretrain.objective_combo.itemData(i) for i in range(pretrain.objective_combo.count())]
    assert offered == objectives_for(engine.load(model))


def test_an_experiment_draws_two_curves_and_stops_on_request(qtbot, page):
    panel = page("bert-tiny").experiments
    with qtbot.waitSignal(panel.settled, timeout=WAIT):
        panel.start("norm", steps=2)
    assert [c.name for c in panel.result.curves] == ["pre-norm", "post-norm"]
    for curve in panel.result.curves:
        assert panel.curves.points(curve.name) == (curve.steps, curve.values) and len(curve.steps) == 2
    assert panel.reading.text() == panel.result.reading and panel.curves.reference is not None
    panel.start("masking", steps=400)
    qtbot.waitUntil(lambda: panel.progress.value() >= 1, timeout=WAIT)
    with qtbot.waitSignal(panel.settled, timeout=WAIT):
        panel.stop()
    assert panel.result.stopped and len(panel.result.curves[0].steps) < 41
    assert all(b.isEnabled() for b in panel.buttons.values())


def test_a_configuration_edited_on_the_parameters_page_can_be_trained(qtbot, keep_open):
    from engine.params import edit_preset
    from explorer.views.training import TrainView

    edited = edit_preset("gpt2-tiny", {"n_layer": 2})
    presets = {}                                    # the window's edited_presets, filled by the Parameters page
    view = keep_open(TrainView(ExplorerState("en"), edited=presets))
    view.show()
    pretrain = view.pretrain
    assert pretrain.model_combo.findData(edited.name) < 0
    presets[edited.name] = edited
    view.hide()
    view.show()                                     # shown again: the picker reads the dict
    pretrain.select_model(edited.name)
    qtbot.waitUntil(lambda: pretrain.objective() == "clm", timeout=WAIT)
    pretrain.batch_box.setValue(4)
    pretrain.seq_box.setValue(16)
    train(qtbot, pretrain, 2)
    assert pretrain.trainer.loaded.config.n_layer == 2 and pretrain.trainer.step == 2
