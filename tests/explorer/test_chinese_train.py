"""The train page in Chinese: every panel (Pretrain, Experiments, Fine-tune, Induction heads) before and after a short
run, an experiment's result and reading, the fine-tuning table, the corpus file's errors: no English left on it
(names, code and data aside), and none of the Chinese left after switching back to English. The experiments'
readings, composed in the page from the numbers, say in English exactly what engine.experiments says."""
from __future__ import annotations

import random

import pytest
import torch

from explorer.state import ExplorerState
from tests.explorer.english import (assert_no_chinese, assert_no_english, english_words, model_names,
                                    open_chinese)

WAIT = 120000


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def chinese_page(qtbot, keep_open):
    """A shown TrainView in Chinese (its own state), the Pretrain panel's model's objectives known."""
    from explorer.views.training import TrainView

    state = ExplorerState("en")
    state.set_setting("lang", "zh")
    view = keep_open(TrainView(state))
    view.resize(1440, 860)
    view.show()
    pretrain = view.pretrain
    pretrain.select_model("bert-tiny")
    qtbot.waitUntil(lambda: pretrain.objective() is not None, timeout=WAIT)
    pretrain.batch_box.setValue(4)
    pretrain.seq_box.setValue(16)
    return view


def show(qtbot, view, panel) -> None:
    view.parts.setCurrentWidget(panel)
    qtbot.wait(50)


def back_to_english(qtbot, view) -> None:
    view.state.set_setting("lang", "en")
    qtbot.wait(50)
    for index in range(view.parts.count()):
        view.parts.setCurrentIndex(index)
        qtbot.wait(20)
        assert_no_chinese(view)


def test_the_train_page_reads_in_chinese(qtbot, open_window):
    window = open_chinese(open_window, qtbot)
    window.show_train()
    qtbot.wait(100)
    view = window.train_view
    for index in range(view.parts.count()):
        view.parts.setCurrentIndex(index)
        qtbot.wait(50)
        assert_no_english(view)
    assert view.parts.tabText(0) == "预训练" and view.parts.tabText(3) == "归纳头"
    window.state.set_setting("lang", "en")
    qtbot.wait(50)
    assert_no_chinese(window.train_view)
    assert view.parts.tabText(0) == "Pretrain"


def test_a_finished_pretraining_run_reads_in_chinese(qtbot, chinese_page):
    view = chinese_page
    pretrain = view.pretrain
    objectives = [pretrain.objective_combo.itemText(i) for i in range(pretrain.objective_combo.count())]
    assert objectives[0] == "MLM  ·  掩码语言模型（BERT、RoBERTa、ALBERT）"
    pretrain.steps_box.setValue(3)
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT) as blocker:
        pretrain.train()
    assert blocker.args == [""]
    assert "一元熵" in pretrain.message.text() and "第 <b>3</b> / 3 步" in pretrain.status.text()
    assert pretrain.curves.legend.getLabel(pretrain.curves.lines["loss of each step"]).text == "每步的损失"
    show(qtbot, view, pretrain)
    assert_no_english(view)
    view.state.set_setting("lang", "en")
    qtbot.wait(50)
    assert_no_chinese(view)
    assert "unigram entropy" in pretrain.message.text() and "Done after 3 steps" in pretrain.message.text()
    assert pretrain.curves.legend.getLabel(pretrain.curves.lines["loss of each step"]).text == "loss of each step"


@pytest.mark.parametrize("content,said", [(b"", "里没有文本"), (b"caf\xe9 au lait\n", "不是 UTF-8 文本"),
                                          (b"PK\x03\x04\x00\x00binary", "二进制文件")])
def test_a_bad_corpus_file_is_refused_in_chinese(qtbot, chinese_page, tmp_path, content, said):
    view = chinese_page
    pretrain = view.pretrain
    path = tmp_path / "corpus.txt"
    path.write_bytes(content)
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT):
        pretrain.set_corpus_file(path)
    assert said in pretrain.message.text() and pretrain.message.isVisible()
    assert_no_english(view)
    view.state.set_setting("lang", "en")
    qtbot.wait(50)
    assert_no_chinese(view)
    assert "corpus.txt" in pretrain.message.text()


def test_a_readable_corpus_file_is_counted_in_chinese(qtbot, chinese_page, tmp_path):
    pretrain = chinese_page.pretrain
    path = tmp_path / "mine.txt"
    path.write_text("小猫坐在垫子上。它睡着了。\n\nThe dog ran home. It was late.\n\n" * 30, encoding="utf-8")
    with qtbot.waitSignal(pretrain.settled, timeout=WAIT):
        pretrain.set_corpus_file(path)
    assert "60 篇文档" in pretrain.message.text()
    assert_no_english(chinese_page)


@pytest.mark.parametrize("key", ["norm", "sentence"])
def test_an_experiment_result_reads_in_chinese(qtbot, chinese_page, key):
    view = chinese_page
    panel = view.experiments
    show(qtbot, view, panel)
    assert_no_english(view)
    with qtbot.waitSignal(panel.settled, timeout=WAIT):
        panel.start(key, steps=2)
    assert panel.result is not None and panel.status.text() == "完成"
    assert_no_english(view)
    assert "一元熵" in panel.reading.text() or "句对" in panel.reading.text()
    view.state.set_setting("lang", "en")
    qtbot.wait(50)
    assert_no_chinese(view)
    assert panel.reading.text() == panel.result.reading       # the page's words are the engine's, in English


def test_a_fine_tuning_result_reads_in_chinese(qtbot, chinese_page):
    view = chinese_page
    panel = view.finetune
    show(qtbot, view, panel)
    assert_no_english(view)
    panel.select_model("bert-tiny")
    panel.select_lines("both")
    panel.steps_box.setValue(2)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as finished:
        panel.start()
    assert finished.args == [""] and panel.table.rowCount() > 0
    assert_no_english(view)
    names = model_names()
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == ["留出语句", "真实", "预测", "把握"]
    for row in range(panel.table.rowCount()):          # the labels (the lines themselves are data)
        for column in (1, 2):
            assert not english_words(panel.table.item(row, column).text(), names)
    assert "留出准确率" in panel.status.text() and "第 2 步后" in panel.table_title.text()
    back_to_english(qtbot, view)
    assert panel.table.horizontalHeaderItem(0).text() == "held-out line"
    assert panel.table.item(0, 1).text() in ("positive", "negative")


def test_the_induction_panel_after_a_short_run_reads_in_chinese(qtbot, chinese_page):
    view = chinese_page
    panel = view.induction
    show(qtbot, view, panel)
    assert_no_english(view)
    panel.steps_box.setValue(5)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as finished:
        panel.start()
    assert finished.args == [""]
    panel._mark_drop(3)                                 # the drop's label too
    assert "5 步，用时" in panel.status.text() and "第 5 步" in panel.pattern_title.text()
    assert_no_english(view)
    back_to_english(qtbot, view)
    assert "5 steps in" in panel.status.text() and "at step 5" in panel.pattern_title.text()
    assert panel.drop_line.label.format == "repeated < ½ first: step 3"


# ------------------------------------------------------------------ the readings, composed from the numbers
def _results(count: int = 600):
    """Made-up results of the three experiments, every branch of their readings reached."""
    from engine import experiments as E

    rng = random.Random(0)

    def curve(name, n=12):
        made = E.Curve(name)
        for i in range(n):
            made.add(i * 10, rng.uniform(2, 6))
        return made

    for trial in range(count):
        kind, stopped = trial % 3, rng.random() < 0.05
        if kind == 0:
            result = E.Result("masking", "", "", [curve("static masking"), curve("dynamic masking")],
                              [curve("static: training loss"), curve("dynamic: training loss")],
                              reference=rng.uniform(3, 6), stopped=stopped)
            result.numbers = {"steps": 150, "static_held_out": result.curves[0].tail(),
                              "dynamic_held_out": result.curves[1].tail(),
                              "static_train": result.side_curves[0].tail() - rng.uniform(-1, 1),
                              "dynamic_train": result.side_curves[1].tail()}
            if rng.random() < 0.8:
                result.numbers["epochs"] = 3
            yield result
        elif kind == 1:
            result = E.Result("sentence", "", "", [curve("a"), curve("b")], [curve("c"), curve("d")],
                              stopped=stopped)
            values = [rng.choice([0.5, 0.55, 0.7, 0.3, 0.9, 0.52]) for _ in range(4)]
            ends = {"nsp": (0.69, 5.1, 4.2), "sop": (0.7, 5.0, 4.1)}
            if rng.random() < 0.3:
                del ends["sop"]
            result.numbers = {"steps": 120, "held_out_pairs": {"nsp": 160, "sop": 160}, "losses_at_end": ends,
                              "nsp_model_on_nsp": values[0], "nsp_model_on_sop": values[1],
                              "sop_model_on_sop": values[2], "sop_model_on_nsp": values[3]}
            yield result
        else:
            steps = rng.choice([2, 12, 60])
            result = E.Result("norm", "", "", [curve("pre-norm", steps), curve("post-norm", steps)], reference=5.0,
                              stopped=stopped)
            result.numbers = {"steps": steps, "layers": 24, "hidden_size": 64, "lr": 0.02,
                              "warmup": rng.choice([0, 5]), "pre_final": result.curves[0].tail(10),
                              "post_final": result.curves[1].tail(10) + rng.uniform(-2, 2),
                              "pre_first": result.curves[0].values[0] + rng.uniform(-1, 1),
                              "post_first": result.curves[1].values[0] + rng.uniform(-1, 1)}
            if rng.random() < 0.2:
                result.numbers["post_diverged_at"] = 7
            if rng.random() < 0.1:
                result.numbers["pre_diverged_at"] = 3
            if rng.random() < 0.7:
                for style in ("pre", "post"):
                    result.numbers[f"{style}_gradient_by_layer"] = [rng.random() for _ in range(24)]
            yield result


def test_the_readings_say_in_english_what_the_engine_says():
    from engine.experiments import reading
    from explorer.views.training import experiment_reading

    for result in _results():
        assert experiment_reading(result) == reading(result)


def test_the_readings_read_in_chinese(qapp):
    from explorer import i18n
    from explorer.views.training import experiment_reading, progress_text

    assert i18n.use("zh")
    names = model_names()
    for result in _results(300):
        text = experiment_reading(result)
        assert not english_words(text, names), text
    assert progress_text("static masking: step 12 of 150, loss 4.321") == "静态掩码：第 12/150 步，损失 4.321"
    assert progress_text("pre-norm: step 2 of 60, loss 5.000") == "前置归一化：第 2/60 步，损失 5.000"
