"""The one-click experiments (engine.experiments): each trains its two models and returns two curves measured at
the promised steps, the same seed repeats every number, a stop request ends it early, and the reading quotes the
numbers it measured."""
import math

import pytest

from engine import experiments
from engine.errors import InputError
from engine.experiments import Event, split_corpus
from engine.training import Corpus, load_corpus


def test_the_held_out_documents_are_not_trained_on():
    corpus = load_corpus()
    train, held = split_corpus(corpus)
    assert len(train.documents) + len(held.documents) == len(corpus.documents)
    assert held.documents and not set(train.documents) & set(held.documents)


@pytest.fixture(scope="module")
def small_corpus():
    """20 documents: an epoch of the training part is a few steps, so the second epoch comes quickly."""
    corpus = load_corpus()
    return Corpus(corpus.documents[:20], "the first 20 documents")


def test_static_vs_dynamic_masking_gives_two_held_out_curves_and_repeats_with_its_seed(small_corpus):
    events = []
    result = experiments.masking(steps=6, eval_every=3, seed=1, corpus=small_corpus, report=events.append)
    assert [c.name for c in result.curves] == ["static masking", "dynamic masking"]
    for curve in result.curves:
        assert curve.steps == [0, 3, 6]                          # before training, then every eval_every steps
        assert all(math.isfinite(v) and v > 0 for v in curve.values)
    assert result.numbers["epochs"] >= 2
    # both copies start from the same weights and answer the same held-out masks; the first epoch's masks are the
    # same for both, the second epoch's are new only for dynamic masking
    assert result.curves[0].values[0] == result.curves[1].values[0]
    assert result.curves[0].values[-1] != result.curves[1].values[-1]
    assert events[-1].done == events[-1].total == 12
    assert sum(1 for e in events if e.curve == "static masking") == 3
    again = experiments.masking(steps=6, eval_every=3, seed=1, corpus=small_corpus)
    assert [c.values for c in again.curves] == [c.values for c in result.curves]
    assert f"{result.reference:.3f}" in result.reading and not result.stopped


def test_nsp_vs_sop_measures_both_models_on_both_kinds_of_pairs():
    result = experiments.sentence(steps=3, eval_every=3, seed=0)
    assert len(result.curves) == len(result.side_curves) == 2
    for curve in result.curves + result.side_curves:
        assert curve.steps == [0, 3] and all(0.0 <= v <= 1.0 for v in curve.values)
    numbers = result.numbers
    assert numbers["held_out_pairs"]["nsp"] == numbers["held_out_pairs"]["sop"] > 20
    assert f"{numbers['sop_model_on_nsp']:.0%}" in result.reading
    assert result.reference == 0.5


def test_pre_vs_post_norm_gives_a_loss_per_step_and_repeats_with_its_seed():
    first = experiments.norm(steps=3, layers=3, seed=2)
    assert [c.name for c in first.curves] == ["pre-norm", "post-norm"]
    assert all(c.steps == [1, 2, 3] for c in first.curves)
    assert first.curves[0].values != first.curves[1].values      # the norm placement changes the numbers
    again = experiments.norm(steps=3, layers=3, seed=2)
    assert [c.values for c in again.curves] == [c.values for c in first.curves]
    assert "3-layer" in first.reading


def test_a_stop_request_ends_the_experiment_early():
    heard: list[Event] = []

    def stop_after_two_steps():
        return sum(1 for e in heard if e.curve is None) >= 2

    result = experiments.run("norm", steps=50, layers=2, report=heard.append, should_stop=stop_after_two_steps)
    assert result.stopped
    assert result.curves[0].steps == [1, 2] and result.curves[1].steps == []
    assert "Stopped" in result.reading


def test_an_unknown_experiment_is_refused():
    with pytest.raises(InputError, match="masking"):
        experiments.run("nope")
