"""Pretraining (engine.training) and saving (engine.saving): tiny models learn the bundled corpus below its unigram
entropy, every objective trains, runs are seeded and can be paused and stopped, and a saved run reopens with
engine.load (and transformers) giving the same logits. The `pretrain` command, its output and its errors."""
import json
import math
import threading
from collections import Counter

import pytest
import torch
from safetensors.torch import load_file

import engine
from engine.presets import all_presets
from engine.__main__ import main
from engine.errors import InputError
from engine.training import Corpus, Trainer, load_corpus, objectives_for, train, unigram_entropy

TEXT = "The cat sat on the mat. 小猫坐在垫子上。"


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny matrices gain nothing from threads, and on a busy machine two of them spinning for each small op
    make a step several times slower: one thread, restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# --- learning -------------------------------------------------------------------------------------------------------

def test_the_unigram_entropy_is_that_of_the_corpus_tokens():
    trainer = Trainer(engine.load("gpt2-tiny"), "clm", steps=1)
    ids = trainer.items.content
    counts = Counter(ids)
    expected = -sum(c / len(ids) * math.log(c / len(ids)) for c in counts.values())
    assert trainer.unigram_entropy == pytest.approx(expected)
    assert 5.0 < trainer.unigram_entropy < math.log(trainer.vocab.size)
    assert unigram_entropy([1, 1, 2, 2]) == pytest.approx(math.log(2))


def test_a_few_hundred_clm_steps_bring_the_loss_well_below_the_unigram_entropy():
    trainer = train(engine.load("gpt2-tiny"), "clm", steps=300, batch_size=8, seq_len=32, lr=5e-3)
    first, final = trainer.history[0].loss, trainer.mean_loss(20)
    assert first > math.log(trainer.vocab.size) - 0.2           # starts near uniform guessing
    assert final < trainer.unigram_entropy - 0.75, (final, trainer.unigram_entropy)


def test_a_few_hundred_mlm_steps_bring_the_loss_below_the_unigram_entropy():
    trainer = train(engine.load("bert-tiny"), "mlm", steps=300, batch_size=16, seq_len=32, lr=2e-3)
    assert trainer.mean_loss(20) < trainer.unigram_entropy - 0.4, (trainer.mean_loss(20), trainer.unigram_entropy)


@pytest.mark.parametrize("name,kind,parts", [
    ("bert-tiny", "nsp", {"mlm", "nsp"}), ("albert-tiny", "sop", {"mlm", "sop"}), ("roberta-tiny", "mlm", {"mlm"}),
    ("t5-tiny", "span", {"lm"}), ("glm-tiny", "blank", {"lm"}), ("glm-tiny", "clm", {"lm"}),
    ("llama-tiny", "clm", {"lm"}), ("chatglm2-tiny", "clm", {"lm"}), ("gpt3-tiny", "clm", {"lm"}),
    ("gpt1-tiny", "clm", {"lm"})])
def test_every_objective_trains_its_head(name, kind, parts):
    trainer = Trainer(engine.load(name), kind, steps=6, batch_size=4, seq_len=32, lr=3e-3)
    records = list(trainer.run())
    assert [r.step for r in records] == list(range(1, 7))
    assert set(records[0].parts) == parts and all(math.isfinite(r.loss) for r in records)
    assert records[-1].tokens > 0 and records[-1].tokens_per_s > 0 and records[-1].lr > 0
    assert not trainer.module.training                               # left ready to trace


def test_training_is_seeded():
    def losses(seed):
        return [r.loss for r in Trainer(engine.load("llama-tiny"), "clm", steps=4, batch_size=2, seq_len=16,
                                        seed=seed).run()]
    assert losses(3) == losses(3)
    assert losses(3) != losses(4)


def test_dynamic_masking_redraws_each_epoch_and_static_masking_does_not():
    loaded = engine.load("bert-tiny")
    dynamic = Trainer(loaded, "mlm", steps=1, seq_len=32).items
    static = Trainer(loaded, "mlm", steps=1, seq_len=32, dynamic=False).items
    assert dynamic.example(5, 0).input_ids != dynamic.example(5, 1).input_ids
    assert static.example(5, 0).input_ids == static.example(5, 1).input_ids == static.example(5, 7).input_ids


@pytest.mark.parametrize("rate", [0.15, 0.4])
def test_the_mask_rate_sets_the_share_of_tokens_labelled(rate):
    items = Trainer(engine.load("bert-tiny"), "mlm", steps=1, seq_len=64, mask_rate=rate).items
    labelled = maskable = 0
    for index in range(min(len(items), 40)):
        example = items.example(index, 0)
        labelled += sum(label != -100 for label in example.labels)
        maskable += sum(label != -100 or i not in items.vocab.special_ids   # ([MASK] replaced some)
                        for i, label in zip(example.input_ids, example.labels))
    assert abs(labelled / maskable - rate) < 0.02


@pytest.mark.parametrize("rate", [0, 1, 1.5, True, "0.4"])
def test_a_mask_rate_outside_zero_to_one_is_refused(rate):
    with pytest.raises(InputError, match="share of tokens masked"):
        Trainer(engine.load("bert-tiny"), "mlm", steps=1, mask_rate=rate)


@pytest.mark.parametrize("objective", ["mlm", "span"])
def test_sentence_examples_are_one_sentence_each_framed_as_a_typed_prompt_without_quotation_marks(objective):
    loaded = engine.load("bert-tiny" if objective == "mlm" else "t5-tiny")
    corpus = Corpus(["The cat sat on the mat. The dog sat on the log.\n图书馆六点关门。", '"Hello world."'], "test")
    items = Trainer(loaded, objective, corpus, steps=1, seq_len=32, unit="sentences").items
    decoded = [loaded.tokenizer.decode(window).replace(" ", "").lower() for window in items.windows]
    assert len(decoded) == 4
    assert decoded[0] == "thecatsatonthemat." and decoded[1] == "thedogsatonthelog." and decoded[3] == "helloworld."
    if objective == "mlm":                     # as a typed sentence is: [CLS] sentence [SEP], then padding
        example = items.example(0, 0)
        assert loaded.tokenizer.id_to_token(example.input_ids[0]) == "[CLS]"
        assert loaded.tokenizer.id_to_token(example.input_ids[-1]) == "[SEP]"
        assert len(example.input_ids) == len(items.windows[0]) + 2


def test_a_sentence_longer_than_the_sequence_is_cut_into_pieces():
    loaded = engine.load("bert-tiny")
    long = " ".join(["word"] * 50) + "."
    items = Trainer(loaded, "mlm", Corpus([long], "test"), steps=1, seq_len=16, unit="sentences").items
    assert [len(w) for w in items.windows] == [14, 14, 14, 9]      # 51 tokens, 14 per piece ([CLS], [SEP] aside)


def test_an_unknown_way_of_cutting_examples_is_refused():
    with pytest.raises(InputError, match="windows or sentences"):
        Trainer(engine.load("bert-tiny"), "mlm", steps=1, unit="paragraphs")


def test_sentence_examples_are_refused_for_an_objective_that_reads_running_text():
    with pytest.raises(InputError, match="applies to MLM and span corruption"):
        Trainer(engine.load("gpt2-tiny"), "clm", steps=1, unit="sentences")


def test_a_run_pauses_resumes_and_stops_from_another_thread():
    trainer = Trainer(engine.load("gpt2-tiny"), "clm", steps=50, batch_size=2, seq_len=16)
    run = trainer.run()
    next(run)
    trainer.pause()
    assert trainer.state == "paused"
    got = []
    worker = threading.Thread(target=lambda: got.append(next(run)))
    worker.start()
    worker.join(0.3)
    assert worker.is_alive() and not got                           # waiting while paused
    trainer.resume()
    worker.join(10)
    assert got and got[0].step == 2
    trainer.stop()
    assert list(run) == [] and trainer.step == 2 and trainer.state == "stopped"
    assert [r.step for r in trainer.run(steps=3)] == [3, 4, 5]       # run() again continues


def test_on_progress_returning_false_stops_the_run():
    trainer = train(engine.load("gpt2-tiny"), "clm", steps=20, batch_size=2, seq_len=16,
                    on_progress=lambda record: record.step < 3)
    assert trainer.step == 3


def test_a_text_file_is_a_corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text(("One sentence here. Another one follows.\n\nA second document. It ends here.\n\n" * 20),
                    encoding="utf-8")
    corpus = load_corpus(path)
    assert len(corpus.documents) == 40
    trainer = Trainer(engine.load("bert-tiny"), "nsp", path, steps=2, batch_size=4, seq_len=32)
    assert len(list(trainer.run())) == 2
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_corpus(tmp_path / "latin1.txt")


def test_objectives_a_model_cannot_learn_are_refused_with_the_reason():
    assert objectives_for(engine.load("bert-tiny")) == ["mlm", "nsp"]
    assert objectives_for(engine.load("glm-tiny")) == ["blank", "clm"]
    with pytest.raises(InputError, match="cannot learn masked language modelling.*Its objectives: clm"):
        Trainer(engine.load("gpt2-tiny"), "mlm")
    with pytest.raises(InputError, match="cannot learn sentence order prediction"):
        Trainer(engine.load("bert-tiny"), "sop")
    with pytest.raises(InputError, match="at most 256"):
        Trainer(engine.load("bert-tiny"), "mlm", seq_len=1000)


# --- saving ---------------------------------------------------------------------------------------------------------

REOPENS = sorted(name for name, preset in all_presets().items() if preset.is_tiny)   # every family


def _trained(name, steps=2):
    loaded = engine.load(name)
    trainer = Trainer(loaded, objectives_for(loaded)[0], steps=steps, batch_size=2, seq_len=16, lr=1e-2)
    list(trainer.run())
    return trainer


@pytest.mark.parametrize("name", REOPENS)
def test_a_saved_run_reopens_with_the_same_logits(name, tmp_path):
    trainer = _trained(name)
    saved = trainer.save(tmp_path / name)
    assert saved.reopens and not saved.note
    assert {"config.json", "model.safetensors", "tokenizer.json", "training.json"} <= set(saved.files)
    config = json.loads((tmp_path / name / "config.json").read_text())
    assert config["model_type"] in trainer.loaded.family.hf_model_types or \
        config["architectures"][0].startswith(trainer.loaded.family.hf_architectures)   # GLM: by its class
    reopened = engine.load(tmp_path / name)
    assert reopened.family is trainer.loaded.family and reopened.weights == "real"
    fresh = engine.load(name)
    ours, theirs, untrained = (m.forward(TEXT, "Der Hund." if name == "t5-tiny" else None)
                               for m in (trainer.loaded, reopened, fresh))
    for key, value in ours.items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, theirs[key]), key
    head = trainer.loaded.module.primary_head
    assert not torch.equal(ours[head], untrained[head])              # the trained weights were saved
    assert reopened.tokenizer.encode(TEXT).ids == trainer.loaded.tokenizer.encode(TEXT).ids
    assert reopened.tokenizer.special_tokens.get("mask") == trainer.loaded.tokenizer.special_tokens.get("mask")
    summary = json.loads((tmp_path / name / "training.json").read_text())
    assert summary["steps"] == 2 and len(summary["history"]) == 2


def test_saved_names_are_hugging_faces(tmp_path):
    _trained("gpt2-tiny").save(tmp_path / "gpt2")
    _trained("bert-tiny").save(tmp_path / "bert")
    gpt2 = load_file(tmp_path / "gpt2" / "model.safetensors")
    assert gpt2["transformer.h.0.attn.c_attn.weight"].shape == (64, 192)      # Conv1D: (in, out)
    assert "lm_head.weight" not in gpt2                                       # tied to wte, stored once
    bert = load_file(tmp_path / "bert" / "model.safetensors")
    assert "bert.encoder.layer.0.attention.self.query.weight" in bert and "cls.seq_relationship.weight" in bert
    assert "cls.predictions.decoder.weight" not in bert
    assert json.loads((tmp_path / "bert" / "tokenizer_config.json").read_text())["mask_token"] == "[MASK]"


@pytest.mark.parametrize("name", ["bert-tiny", "gpt2-tiny", "llama-tiny", "t5-tiny"])
def test_transformers_reads_a_saved_run_with_the_same_logits(name, tmp_path):
    transformers = pytest.importorskip("transformers")
    classes = {"bert": transformers.BertForPreTraining, "gpt2": transformers.GPT2LMHeadModel,
               "llama": transformers.LlamaForCausalLM, "t5": transformers.T5ForConditionalGeneration}
    trainer = _trained(name)
    trainer.save(tmp_path)
    reference = classes[trainer.loaded.family.name].from_pretrained(tmp_path, attn_implementation="eager").eval()
    prepared = trainer.loaded.prepare(TEXT, "Der Hund." if name == "t5-tiny" else None)
    inputs = {k: v for k, v in prepared.inputs.items()
              if k in ("input_ids", "attention_mask", "token_type_ids", "decoder_input_ids")}
    with torch.no_grad():
        output = reference(**inputs)
        expected = output.prediction_logits if name == "bert-tiny" else output.logits
        ours = trainer.loaded.module(**prepared.inputs)[trainer.loaded.module.primary_head]
    torch.testing.assert_close(ours, expected, atol=1e-5, rtol=1e-5)


# --- the command ----------------------------------------------------------------------------------------------------

def test_pretrain_command_prints_the_loss_and_saves_a_folder_engine_load_reopens(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["pretrain", "--model", "llama-tiny", "--objective", "clm", "--steps", "4", "--out", str(out),
                 "--batch", "2", "--seq-len", "16", "--seed", "1"]) == 0
    text = capsys.readouterr().out
    assert "unigram entropy" in text and "final loss" in text and "reopens it" in text
    assert engine.load(out).family.name == "llama"
    assert main(["pretrain", "--model", "albert-tiny", "--objective", "sop", "--steps", "2", "--out", str(out),
                 "--batch", "2", "--seq-len", "32", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["step"] for line in lines[:-1]] == [1, 2] and set(lines[0]["parts"]) == {"mlm", "sop"}
    assert lines[-1]["saved"]["reopens"] and lines[-1]["summary"]["objective"] == "sop"
    assert main(["pretrain", "--model", "bert-tiny", "--objective", "mlm", "--steps", "2", "--out", str(out),
                 "--batch", "2", "--mask-rate", "0.4", "--examples", "sentences", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])["summary"]
    assert (summary["mask_rate"], summary["examples"]) == (0.4, "sentences")


@pytest.mark.parametrize("argv,message", [
    (["--model", "gpt2-tiny", "--objective", "mlm", "--steps", "2"], "cannot learn masked language modelling"),
    (["--model", "no-such-model", "--objective", "clm", "--steps", "2"], "No model"),
    (["--model", "gpt2-tiny", "--objective", "clm", "--steps", "0"], "at least 1"),
    (["--model", "gpt2-tiny", "--objective", "clm", "--steps", "2", "--corpus", "/no/such.txt"], "not a text file"),
    (["--model", "gpt2-tiny", "--objective", "clm", "--steps", "2", "--lr", "5"], "learning rate"),
    (["--model", "gpt2-tiny", "--objective", "masking", "--steps", "2"], "invalid choice"),
    (["--model", "bert-tiny", "--objective", "mlm", "--steps", "2", "--mask-rate", "1.5"], "share of tokens masked"),
    (["--model", "bert-tiny", "--objective", "mlm", "--steps", "2", "--examples", "words"], "invalid choice"),
    (["--model", "gpt2-tiny", "--objective", "clm", "--steps", "2", "--examples", "sentences"], "applies to MLM"),
])
def test_pretrain_command_errors_are_one_line_and_exit_2(argv, message, tmp_path, capsys):
    try:
        status = main(["pretrain", *argv, "--out", str(tmp_path / "out")])
    except SystemExit as usage_error:    # argparse's mistakes exit from inside the parser
        status = usage_error.code
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()
