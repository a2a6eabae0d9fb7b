"""In-context learning in miniature (engine.induction): the task's sequences are a random segment repeated, the
scores measure what they say, and a two-layer attention-only model trained a few hundred steps grows an
induction head in its second layer while the repeated half's loss falls far below the first half's. Runs are
seeded and can be stopped; the `induction` command prints the run and exits 2 with one line on bad input."""
import json

import pytest
import torch

from engine.__main__ import main
from engine.errors import InputError
from engine.induction import InductionConfig, InductionRun, head_scores, repeated_tokens, run_induction

TRAIN_STEPS = 300   # the drop comes near step 200 for seeds 0-5 (bench/induction.py); 300 leaves a margin


@pytest.fixture(scope="module")
def trained():
    """One seeded run of TRAIN_STEPS steps, shared by the tests that read it."""
    run = InductionRun(TRAIN_STEPS, seed=0)
    for _ in run.run():
        pass
    return run


def test_each_sequence_is_bos_then_distinct_random_tokens_then_the_same_tokens_again():
    config = InductionConfig()
    ids = repeated_tokens(8, 10, config, torch.Generator().manual_seed(3))
    assert ids.shape == (8, 21)
    assert (ids[:, 0] == config.bos_id).all()
    first, second = ids[:, 1:11], ids[:, 11:]
    assert torch.equal(first, second)
    assert all(len(set(row.tolist())) == 10 for row in first)              # one previous occurrence each
    assert int(first.min()) >= 0 and int(first.max()) < config.vocab_size  # never [BOS] inside
    assert not torch.equal(first[0], first[1])                             # random per row
    with pytest.raises(InputError, match="distinct"):
        repeated_tokens(1, config.vocab_size + 1, config, torch.Generator())


def test_the_induction_score_is_attention_to_the_token_after_the_previous_occurrence():
    length, size = 5, 11                         # [BOS] + 5 + 5
    induction = torch.zeros(1, 2, size, size)
    induction[..., 0] = 1.0                      # every query on [BOS] ...
    for q in range(length + 1, 2 * length + 1):  # ... but the second copy's: on q - L + 1
        induction[0, :, q] = 0
        induction[0, :, q, q - length + 1] = 1.0
    previous = torch.zeros(1, 2, size, size)
    for q in range(size):
        previous[0, :, q, max(q - 1, 0)] = 1.0
    assert head_scores(induction, length)[0].tolist() == [1.0, 1.0]
    assert head_scores(induction, length)[1].tolist() == [0.0, 0.0]
    assert head_scores(previous, length)[0].tolist() == [0.0, 0.0]
    assert head_scores(previous, length)[1].tolist() == [1.0, 1.0]


def test_an_untrained_model_predicts_both_halves_equally_badly():
    run = InductionRun(1, seed=0)
    record = next(run.run())
    chance = torch.log(torch.tensor(float(run.config.vocab_size))).item()
    assert abs(record.first_half_loss - chance) < 0.3 and abs(record.repeated_loss - chance) < 0.3
    assert max(max(row) for row in record.induction_scores) < 0.3


def test_after_training_the_repeated_half_is_predicted_and_a_second_layer_head_does_induction(trained):
    summary = trained.summary()
    assert summary["repeated_loss"] < 0.5 * summary["first_half_loss"]
    assert summary["first_half_loss"] > 0.9 * summary["chance_loss"]   # the first copy stays unpredictable
    assert trained.drop_step() is not None and trained.drop_step() < TRAIN_STEPS
    score, layer, head = trained.best_head()
    assert score > 0.8 and layer == 1                                   # it takes two layers


def test_the_best_heads_pattern_on_a_repeated_sequence_is_the_shifted_diagonal(trained):
    _score, layer, head = trained.best_head()
    ids, pattern = trained.pattern(layer, head, length=12)
    assert len(ids) == 25 and pattern.shape == (25, 25)
    stripe = torch.tensor([pattern[q, q - 12 + 1] for q in range(13, 25)])
    assert stripe.mean() > 0.8
    assert torch.allclose(pattern.sum(-1), torch.ones(25), atol=1e-5)
    assert torch.equal(pattern.triu(1), torch.zeros(25, 25))           # causal


def test_runs_are_seeded_and_stop_when_asked():
    first = run_induction(steps=4, seed=7)
    again = run_induction(steps=4, seed=7)
    other = run_induction(steps=4, seed=8)
    assert [r.loss for r in first.history] == [r.loss for r in again.history]
    assert [r.loss for r in first.history] != [r.loss for r in other.history]
    stopped = run_induction(lambda record: record.step < 2, steps=50, seed=0)
    assert stopped.step == 2


@pytest.mark.parametrize("settings,message", [
    (dict(steps=0), "at least 1"),
    (dict(steps=5, lr=3.0), "learning rate"),
    (dict(steps=5, config=InductionConfig(min_len=10, max_len=8)), "segment"),
    (dict(steps=5, config=InductionConfig(d_model=30, n_heads=4)), "heads"),
])
def test_bad_settings_are_refused_with_a_reason(settings, message):
    with pytest.raises(InputError, match=message):
        InductionRun(**settings)


def test_the_command_prints_the_run_and_json(capsys):
    assert main(["induction", "--steps", "3"]) == 0
    out = capsys.readouterr().out
    assert "first half" in out and "best induction head" in out
    assert main(["induction", "--steps", "2", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["step"] for line in lines[:-1]] == [1, 2]
    assert len(lines[0]["induction_scores"]) == 2 and len(lines[0]["induction_scores"][0]) == 4
    assert lines[-1]["summary"]["steps"] == 2


@pytest.mark.parametrize("argv,message", [(["--steps", "0"], "at least 1"), (["--lr", "7"], "learning rate"),
                                          (["--device", "nowhere"], "device"), (["--steps", "x"], "invalid int")])
def test_command_errors_are_one_line_and_exit_2(argv, message, capsys):
    try:
        status = main(["induction", *argv])
    except SystemExit as usage_error:
        status = usage_error.code
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
