"""The bad-input catalogue: every family, every kind of text, id and folder a tester threw at it ends in a result
or in one clear PLMError, never in another exception. The CLI turns each into one line and exit status 2."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import engine
from engine.errors import CheckpointError, InputError, PLMError
from engine.presets import all_presets

TINY = sorted(name for name, preset in all_presets().items() if preset.is_tiny)
REPO = Path(__file__).resolve().parents[2]

TEXTS = {
    "empty": "", "spaces": "   \n\t ", "only specials": "[CLS] [SEP] <s> </s> <pad>", "long": "word " * 10_000,
    "control": "a\x01b\x02c\x1b[31m", "nul": "\x00\x00", "zero width": "\u200b\u200b",
    "lone surrogate": "cat \ud800 dog", "rtl": "مرحبا بالعالم \u202e reversed", "emoji zwj": "👩‍👩‍👧‍👦 family 🏳️‍🌈",
    "malformed brackets": "[[the] cat] [ 【 ] sat", "mask where it means nothing": "[MASK] [MASK] [MASK]",
    "chinese": "猫坐在垫子上，因为它累了。", "50k chinese": "猫" * 50_000,
}


@pytest.fixture(scope="module")
def models():
    return {name: engine.load(name) for name in TINY}


@pytest.mark.parametrize("case", sorted(TEXTS))
def test_every_text_ends_in_a_trace_or_one_clear_message(models, case):
    for name, loaded in models.items():
        try:
            trace = loaded.trace(text=TEXTS[case])
        except PLMError as error:
            assert str(error) and "Traceback" not in str(error), (name, case)
        else:
            assert trace.logits is not None and torch.isfinite(trace.logits).all(), (name, case)


def test_what_each_kind_of_text_is_told(models):
    bert, gpt1, t5 = models["bert-tiny"], models["gpt1-tiny"], models["t5-tiny"]
    with pytest.raises(InputError, match="empty"):
        bert.trace(text="  ")
    with pytest.raises(InputError, match="not valid Unicode"):
        bert.trace(text="cat \ud800")
    with pytest.raises(InputError, match="no tokens"):
        gpt1.trace(text="\u200b")
    with pytest.raises(InputError, match="at most 256"):
        bert.trace(text="word " * 400)
    with pytest.raises(InputError, match=r"GiB.*Shorten the text to about"):   # T5 has no length limit of its own
        t5.trace(text="猫" * 50_000)


def test_a_long_t5_input_is_refused_before_it_runs_by_the_memory_it_would_take(models):
    t5 = models["t5-tiny"]
    prepared = t5.prepare(text="word " * 300)
    need = t5.recording_bytes(prepared)
    trace = t5.trace(text="word " * 300, max_bytes=2 * need)
    actual = trace.cache.nbytes()                      # what the cache really holds (derived steps hold nothing)
    assert 0.8 * actual <= need <= 1.25 * actual       # an estimate, not a guess
    with pytest.raises(InputError, match="would take about"):
        t5.trace(text="word " * 300, max_bytes=need // 2)


@pytest.mark.parametrize("ids, message", [
    ([], "empty"), ([5, 10**20], "outside"), ([-1], "outside"), ([3.5], "whole numbers"), ([True], "whole numbers"),
    ([[1, 2], [3]], "same length"), (torch.tensor([1.0]), "whole numbers"), (torch.zeros(1, 1, 2, dtype=torch.long), "shape"),
])
def test_bad_ids_are_refused_with_a_reason(models, ids, message):
    for loaded in models.values():
        with pytest.raises(InputError, match=message):
            loaded.trace(input_ids=ids)


def _hf_folder(tmp_path, name="bert", **config_changes):
    import transformers

    config = transformers.BertConfig(vocab_size=60, hidden_size=24, num_hidden_layers=2, num_attention_heads=3,
                                     intermediate_size=32)
    folder = tmp_path / name
    transformers.BertModel(config).save_pretrained(folder)
    if config_changes:
        values = json.loads((folder / "config.json").read_text())
        values.update(config_changes)
        (folder / "config.json").write_text(json.dumps(values))
    return folder


@pytest.mark.parametrize("changes, message", [
    ({"num_hidden_layers": 10**6}, "outside 1..1,024"), ({"hidden_size": 10**9}, "outside"),
    ({"vocab_size": 10**12}, "outside"), ({"num_attention_heads": 0}, "outside"),
    ({"hidden_size": "768"}, "not int"), ({"num_hidden_layers": 2.5}, "not int"),
    ({"hidden_act": "no-such-activation"}, "no-such-activation"), ({"architectures": 7, "model_type": "x"}, "x"),
    ({"layer_norm_eps": "small"}, "not float"),
])
def test_a_config_that_cannot_be_built_is_refused_before_anything_is_allocated(tmp_path, changes, message):
    folder = _hf_folder(tmp_path, **changes)
    with pytest.raises(CheckpointError, match=message):
        engine.load(folder)


def test_special_files_are_refused_without_reading_them(tmp_path):
    dev_zero = _hf_folder(tmp_path, "dev-zero")
    (dev_zero / "config.json").unlink()
    (dev_zero / "config.json").symlink_to("/dev/zero")
    with pytest.raises(CheckpointError, match="device"):
        engine.load(dev_zero)
    fifo = _hf_folder(tmp_path, "fifo")
    (fifo / "config.json").unlink()
    os.mkfifo(fifo / "config.json")
    with pytest.raises(CheckpointError, match="FIFO"):
        engine.load(fifo)
    fifo_weights = _hf_folder(tmp_path, "fifo-weights")
    (fifo_weights / "model.safetensors").unlink()
    os.mkfifo(fifo_weights / "model.safetensors")
    with pytest.raises(CheckpointError, match="FIFO"):
        engine.load(fifo_weights)
    folder_config = _hf_folder(tmp_path, "dir-config")
    (folder_config / "config.json").unlink()
    (folder_config / "config.json").mkdir()
    with pytest.raises(CheckpointError, match="folder"):
        engine.load(folder_config)


@pytest.mark.parametrize("shard", ["../../etc/passwd", "/etc/passwd", "../sibling/model.safetensors",
                                   "sub/../../x.bin", 7, ""])
def test_shard_index_paths_stay_inside_the_folder(tmp_path, shard):
    folder = _hf_folder(tmp_path)
    (tmp_path / "sibling").mkdir()
    os.replace(folder / "model.safetensors", tmp_path / "sibling" / "model.safetensors")
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"embeddings.x": shard}}))
    with pytest.raises(CheckpointError, match="outside the checkpoint folder|not a file name"):
        engine.load(folder)


def test_tokenizer_files_that_do_not_fit_the_model_are_refused(tmp_path):
    from engine.checkpoint import minilm_folder

    folder = _hf_folder(tmp_path)
    for name in ("tokenizer.json", "vocab.txt"):
        if (minilm_folder() / name).exists():
            (folder / name).write_bytes((minilm_folder() / name).read_bytes())
    (folder / "tokenizer_config.json").write_text("42")     # a bare number: ignored, not a TypeError
    with pytest.raises(CheckpointError, match="30,522 tokens but the model embeds only 60"):
        engine.load(folder)


def run_cli(*args, env=None):
    result = subprocess.run([sys.executable, "-m", "engine", *args], capture_output=True, cwd=REPO, env=env)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("args, message", [
    (["trace", "--model", "bert-tiny", "--ids", "5 99999999999999999999"], "outside"),
    (["trace", "--model", "bert-tiny", "--text", "hi", "--device", "bogus"], "not a device"),
    (["trace", "--model", "bert-tiny", "--text", "hi", "--device", "cuda:7"], "not available"),
    (["trace", "--model", "bert-tiny", "--text", "hi", "--npz", "/no/such/folder/x.npz"], "does not exist"),
    (["trace", "--model", "bert-tiny", "--text", "hi", "--npz", "/tmp"], "is a folder"),
    (["params", "gpt2", "--ctx", "-5"], "--ctx"),
    (["trace", "--model", "bert-tiny"], "required"),
    (["no-such-command"], "invalid choice"),
])
def test_cli_errors_are_one_line_and_status_2(args, message):
    code, _out, err = run_cli(*args)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_invalid_utf8_on_the_command_line_is_a_message(tmp_path):
    code, _out, err = run_cli("trace", "--model", "bert-tiny", "--text", os.fsdecode(b"cat \xff\xfe dog"))
    assert code == 2 and "not valid Unicode" in err and err.count("\n") == 1


def test_the_trace_archive_is_written_whole_or_not_at_all(models, tmp_path):
    trace = models["bert-tiny"].trace(text="The cat sat.")
    written = trace.save_npz(tmp_path / "trace")
    assert written == tmp_path / "trace.npz" and written.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["trace.npz"]     # no temporary file left behind
    with pytest.raises(PLMError, match="255"):
        trace.save_npz(tmp_path / ("x" * 300))
    (tmp_path / "a-file").write_text("")
    with pytest.raises(PLMError, match="is a file"):
        trace.save_npz(tmp_path / "a-file" / "x.npz")
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        if os.access(read_only, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(PLMError, match="Cannot write"):
            trace.save_npz(read_only / "x.npz")
    finally:
        read_only.chmod(0o700)
