"""The small models this app trains and ships (engine.shipped, assets/trained): each loads by name and is listed in
the picker, its files agree with the recipe table, its loss on its training text lies well below the corpus's
unigram entropy and its card says on which side of it the held-out loss lies, the decoders complete the corpus's
sentences and the encoders fill their blanks with a plausible word, the card says which of its prompts are its
training text, and the recipe reproduces: the same seed gives the same weights."""
import dataclasses
import json

import pytest
import torch
from safetensors import safe_open

import engine
from engine.__main__ import main
from engine.errors import CheckpointError
from engine.presets import get_preset
from engine.shipped import SHIPPED, TRAINED_DIR, shipped_folder
from engine.shipping import complete, fill_mask, held_out_loss, in_training_text, train_shipped
from explorer import session

NAMES = list(SHIPPED)

# What each model may answer on sentences like the corpus's (measured on the shipped weights; a plausible set, not
# the one answer): the decoders' greedy output contains one of them, the encoders' first choice at [MASK] is one of
# them. The toys memorised their corpus: these are its own sentences (the cards show sentences they never saw too).
_ONCE = {"small", "little", "robot", "girl", "boy", "king", "cat", "dog"}
ACCEPTED = {
    "gpt2-trained": {"The cat sat on the": {"mat", "floor", "chair", "bed", "sofa"}, "Thank you very": {"much"}},
    "llama-trained": {"Once upon a time there was a": _ONCE, "Thank you very": {"much"},
                      "图书馆六点": {"关门", "开门"}},
    "chatglm2-trained": {"Once upon a time there was a": _ONCE,
                         "A language model": {"can", "is", "predicts", "reads", "does", "learns"}},
    "bert-trained": {"Thank you very [MASK].": {"much"}, "The library closes at six, so do not be [MASK].": {"late"},
                     "图书馆六点关[MASK]，别去晚了。": {"门"}},
    "roberta-trained": {"Thank you very [MASK].": {"much"},
                        "The library closes at six, so do not be [MASK].": {"late"}},
    "albert-trained": {"Thank you very [MASK].": {"much"}, "图书馆六点关[MASK]，别去晚了。": {"门"}},
    "t5-trained": {"The library closes at six, so do not be <extra_id_0>.": {"late"}},
}


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def loaded():
    return {name: engine.load(name) for name in NAMES}


def test_every_family_of_the_chapter_has_a_shipped_model():
    families = {engine.load(name).family.name for name in NAMES}
    assert families == {"bert", "roberta", "albert", "t5", "gpt2", "llama", "chatglm"}


@pytest.mark.parametrize("name", NAMES)
def test_a_shipped_model_loads_by_name_and_its_files_agree_with_the_table(name, loaded):
    model, entry = loaded[name], SHIPPED[name]
    folder = shipped_folder(name)
    record = json.loads((folder / "shipped.json").read_text(encoding="utf-8"))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert (record["preset"], record["objective"], record["steps"], record["seed"], record["lr"]) == \
        (entry.preset, entry.objective, entry.steps, entry.seed, entry.lr)
    assert (record["batch_size"], record["seq_len"], record["config_overrides"]) == \
        (entry.batch_size, entry.seq_len, entry.config)
    assert (record["mask_rate"], record["unit"], record["rotations"]) == (entry.mask_rate, entry.unit, entry.rotations)
    assert model.config.vocab_size == model.tokenizer.vocab_size == record["vocab_size"]
    assert abs(record["vocab_size"] - entry.vocab_size) <= entry.vocab_size // 20   # a recipe may stop a bit short
    for field, value in {**get_preset(entry.preset).config, **entry.config}.items():
        if field not in ("vocab_size",) and not field.endswith("token_id"):
            assert config[field] == (list(value) if isinstance(value, tuple) else value), field
    # stored small: float16, a few MB at most
    with safe_open(str(folder / "model.safetensors"), framework="pt") as handle:
        assert {handle.get_tensor(k).dtype for k in handle.keys()} == {torch.float16}
    assert config["torch_dtype"] == "float16" and record["bytes"] < 4_000_000
    assert model.weights == "real" and name in model.notes and "toy" in model.notes
    card = (folder / "README.md").read_text(encoding="utf-8")
    for fact in ("trained by this app", "toy", f"seed {entry.seed}", f"{entry.steps:,} steps",
                 f"{record['held_out_loss']:.3f}", f"{record['unigram_entropy']:.3f}", f"python -m engine ship {name}"):
        assert fact in card, fact


def test_all_shipped_models_together_stay_small():
    total = sum(p.stat().st_size for p in TRAINED_DIR.rglob("*") if p.is_file())
    assert total < 20_000_000, total


@pytest.mark.parametrize("name", NAMES)
def test_the_shipped_weights_have_learned_the_corpus(name, loaded):
    entry = SHIPPED[name]
    measured = held_out_loss(loaded[name], entry.objective, entry.seq_len, entry.seed, entry.unit)
    assert measured["training_text_loss"] < measured["unigram_entropy"] - 0.75, measured
    record = json.loads((shipped_folder(name) / "shipped.json").read_text(encoding="utf-8"))
    for key in ("held_out_loss", "training_text_loss", "unigram_entropy"):   # the card measured the stored weights
        assert measured[key] == pytest.approx(record[key], abs=1e-4), key
    card = (shipped_folder(name) / "README.md").read_text(encoding="utf-8")
    assert record["in_training_text"] == [in_training_text(prompt) for prompt in entry.prompts]
    below = measured["held_out_loss"] < measured["unigram_entropy"]
    assert ("nats below it" if below else "nats above it") in " ".join(card.split())


@pytest.mark.parametrize("name,prompt,accepted",
                         [(name, prompt, accepted) for name, prompts in ACCEPTED.items()
                          for prompt, accepted in prompts.items()])
def test_on_corpus_like_sentences_the_answer_is_a_plausible_word(name, prompt, accepted, loaded):
    if SHIPPED[name].objective == "mlm":         # the encoder's first choice at the [MASK]
        answer = fill_mask(loaded[name], prompt)[0][0][0]
    else:                                        # the greedy continuation or the filled sentinel
        answer = complete(loaded[name], prompt, max_new_tokens=6)
    assert any(word in answer for word in accepted), (prompt, answer)


@pytest.mark.parametrize("prompt,where", [("Thank you very [MASK].", "sentence"), ("The cat sat on the", "part"),
                                          ("The cat sat on the [MASK].", "part"),     # held out; quoted in a tip
                                          ("A language [MASK] predicts the next token.", "no")])
def test_a_prompt_is_placed_as_a_training_sentence_part_of_one_or_neither(prompt, where):
    assert in_training_text(prompt) == where


def test_the_recipe_reproduces_the_same_weights_from_the_same_seed():
    entry = SHIPPED["gpt2-trained"]
    first = train_shipped(entry, steps=3).loaded.module.state_dict()
    second = train_shipped(entry, steps=3).loaded.module.state_dict()
    assert first.keys() == second.keys()
    assert all(torch.equal(first[k], second[k]) for k in first)
    other = train_shipped(dataclasses.replace(entry, seed=1), steps=3).loaded.module.state_dict()
    assert not all(torch.equal(first[k], other[k]) for k in first)


def test_the_ship_command_retrains_one_model_into_a_folder_engine_load_reopens(tmp_path, capsys):
    assert main(["ship", "albert-trained", "--out", str(tmp_path), "--steps", "2"]) == 0
    out = capsys.readouterr().out
    assert "held-out loss" in out and "saved" in out
    reopened = engine.load(str(tmp_path / "albert-trained"))
    assert reopened.family.name == "albert"
    record = json.loads((tmp_path / "albert-trained" / "shipped.json").read_text(encoding="utf-8"))
    assert record["steps"] == 2 and record["table_steps"] == SHIPPED["albert-trained"].steps


@pytest.mark.parametrize("argv,message", [
    (["no-such-model"], "no shipped model called 'no-such-model'"),
    (["gpt2-trained", "--steps", "0"], "at least 1"),
    (["gpt2-trained", "--threads", "0"], "at least 1"),
])
def test_ship_command_errors_are_one_line_and_exit_2(argv, message, tmp_path, capsys):
    assert main(["ship", *argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_missing_shipped_folder_says_how_to_rebuild_it(monkeypatch, tmp_path):
    monkeypatch.setattr("engine.shipped.TRAINED_DIR", tmp_path)
    with pytest.raises(CheckpointError, match="python -m engine ship gpt2-trained"):
        engine.load("gpt2-trained")


def test_the_picker_lists_them_in_their_family_group_as_trained_by_this_app():
    entries = {e.name: e for e in session.catalogue()}
    for name in NAMES:
        entry, family = entries[name], engine.load(name).family
        assert entry.group == family.group and "trained by this app" in entry.label
        assert entry.weights == "toy"
    assert session.DEFAULT_MODEL == "minilm"
