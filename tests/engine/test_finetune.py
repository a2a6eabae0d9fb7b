"""Fine-tuning (engine.finetune): the project's sentiment lines are balanced and split the same way every time; a
new classifier on a real encoder's [CLS] vector learns sentiment from them (held-out accuracy well above both its
untrained guess and chance); runs are seeded and stop when asked; a model that is not an encoder is refused with
the reason, in the API and in the `finetune` command (exit 2, one line)."""
import json
from collections import Counter

import pytest
import torch

import engine
from engine.__main__ import main
from engine.errors import InputError
from engine.finetune import LABELS, FineTuner, finetune, load_sentiment, split_lines


@pytest.fixture(autouse=True)
def one_thread():
    """Small batches gain nothing from threads on a busy machine: one thread, restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_the_sentiment_lines_are_balanced_in_both_languages_and_split_the_same_way_every_time():
    lines = load_sentiment()
    counts = Counter((line.lang, LABELS[line.label]) for line in lines)
    assert set(counts.values()) == {90} and len(counts) == 4
    assert len({line.text for line in lines}) == len(lines)          # no line twice
    train, held = split_lines(lines)
    assert (len(train), len(held)) == (288, 72)
    assert not {line.text for line in train} & {line.text for line in held}
    assert set(Counter((line.lang, line.label) for line in held).values()) == {18}
    assert split_lines(load_sentiment()) == (train, held)


def test_a_real_encoder_learns_sentiment_from_the_training_lines():
    """MiniLM's real weights: ten steps lift held-out English accuracy from the new head's guess to well above
    chance (the Chinese lines are mostly [UNK] to its English vocabulary, see the next test)."""
    tuner = finetune(engine.load("minilm"), steps=10, lr=1e-4, seed=0, langs=("en",), eval_every=10)
    assert tuner.after.accuracy >= 0.7
    assert tuner.after.accuracy >= tuner.before.accuracy + 0.15
    assert len(tuner.after.predictions) == 36 and {p.predicted for p in tuner.after.predictions} == set(LABELS)
    assert tuner.loaded.weights == "trained"


def test_the_unknown_token_share_says_which_lines_a_tokenizer_cannot_read():
    tuner = FineTuner(engine.load("minilm"), steps=1)
    assert tuner.unk_share["en"] < 0.01 and tuner.unk_share["zh"] > 0.3
    assert FineTuner(engine.load("roberta-tiny"), steps=1).unk_share["zh"] == 0.0   # byte-level BPE: no [UNK]


@pytest.mark.parametrize("model", ["bert-tiny", "roberta-tiny", "albert-tiny"])
def test_every_encoder_family_fine_tunes_and_the_same_seed_gives_the_same_run(model):
    runs = [finetune(engine.load(model, seed=seed), steps=3, seed=seed, batch_size=8) for seed in (0, 0, 1)]
    losses = [[r.loss for r in run.history] for run in runs]
    assert losses[0] == losses[1] and losses[0] != losses[2]
    assert [p.probability for p in runs[0].after.predictions] == [p.probability for p in runs[1].after.predictions]
    assert runs[0].after.step == 3 and runs[0].before.step == 0


def test_a_run_stops_when_asked_and_is_still_measured():
    tuner = finetune(engine.load("bert-tiny"), lambda record: record.step < 2, steps=50, batch_size=4)
    assert tuner.step == 2 and tuner.after.step == 2


@pytest.mark.parametrize("model", ["gpt2-tiny", "t5-tiny", "llama-tiny"])
def test_a_model_that_is_not_an_encoder_is_refused_with_the_reason(model):
    with pytest.raises(InputError, match="encoder"):
        FineTuner(engine.load(model))


def test_the_command_prints_accuracy_before_and_after(capsys):
    assert main(["finetune", "--model", "bert-tiny", "--steps", "2", "--lines", "3"]) == 0
    out = capsys.readouterr().out
    assert "held-out accuracy" in out and "before fine-tuning" in out and out.count("(is ") == 3
    assert main(["finetune", "--model", "bert-tiny", "--steps", "2", "--lang", "zh", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])["summary"]
    assert summary["langs"] == ["zh"] and summary["held_out_lines"] == 36 and summary["steps"] == 2


@pytest.mark.parametrize("argv,message", [
    (["--model", "gpt2-tiny"], "encoder"),
    (["--model", "no-such-model"], "No model"),
    (["--model", "bert-tiny", "--steps", "0"], "at least 1"),
    (["--model", "bert-tiny", "--lr", "4"], "learning rate"),
    (["--model", "bert-tiny", "--lang", "fr"], "invalid choice"),
])
def test_command_errors_are_one_line_and_exit_2(argv, message, capsys):
    try:
        status = main(["finetune", *argv])
    except SystemExit as usage_error:
        status = usage_error.code
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
