"""engine.discovery: checkpoints already on this computer, found in a fake Hugging Face cache and in given folders,
from their config.json alone (no weights read, no network)."""
from __future__ import annotations

import json
import os

import pytest
import torch

transformers = pytest.importorskip("transformers")

import engine  # noqa: E402
from engine import discovery  # noqa: E402
from engine.__main__ import main  # noqa: E402


def tiny(kind):
    common = dict(vocab_size=60)
    if kind == "bert":
        return transformers.BertForMaskedLM(transformers.BertConfig(hidden_size=24, num_hidden_layers=2,
                                                                    num_attention_heads=3, intermediate_size=32,
                                                                    **common))
    if kind == "gpt2":
        return transformers.GPT2LMHeadModel(transformers.GPT2Config(n_embd=24, n_layer=2, n_head=3, n_positions=32,
                                                                    **common))
    if kind == "llama":
        return transformers.LlamaForCausalLM(transformers.LlamaConfig(
            hidden_size=24, intermediate_size=40, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
            **common))
    if kind == "t5":
        return transformers.T5ForConditionalGeneration(transformers.T5Config(
            d_model=24, d_kv=8, d_ff=40, num_layers=2, num_heads=3, decoder_start_token_id=0, **common))
    raise KeyError(kind)


def snapshot(cache, repo: str, revision: str = "0123abcd", main: bool = True):
    """The hub cache's layout: models--ORG--NAME/snapshots/<rev>/ (and refs/main naming the revision)."""
    root = cache / ("models--" + repo.replace("/", "--"))
    folder = root / "snapshots" / revision
    folder.mkdir(parents=True)
    if main:
        (root / "refs").mkdir(exist_ok=True)
        (root / "refs" / "main").write_text(revision)
    return folder


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    torch.manual_seed(0)
    return {kind: tiny(kind) for kind in ("bert", "gpt2", "llama", "t5")}


@pytest.fixture
def cache(tmp_path, monkeypatch, models):
    hub = tmp_path / "hub"
    models["gpt2"].save_pretrained(snapshot(hub, "openai-community/tiny-gpt2"))
    models["llama"].save_pretrained(snapshot(hub, "someone/tiny-llama"))
    old = snapshot(hub, "someone/tiny-llama", revision="old0000", main=False)   # an older revision: not listed
    models["llama"].save_pretrained(old)
    snapshot(hub, "someone/only-a-tokenizer")                                   # no config.json, no weights
    (snapshot(hub, "someone/vision-model") / "config.json").write_text(json.dumps({"model_type": "vit"}))
    (hub / "models--someone--vision-model" / "snapshots" / "0123abcd" / "model.safetensors").write_bytes(b"x")
    (hub / "datasets--someone--data").mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(hub))
    return hub


def by_name(found):
    return {model.name: model for model in found}


def test_the_hub_cache_is_where_huggingface_hub_puts_it(monkeypatch, tmp_path):
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    assert discovery.hub_cache_dir() == discovery.Path.home() / ".cache" / "huggingface" / "hub"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert discovery.hub_cache_dir() == tmp_path / "xdg" / "huggingface" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert discovery.hub_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    assert discovery.hub_cache_dir() == tmp_path / "cache"


def test_finds_the_cached_checkpoints_of_known_families(cache, models):
    found = by_name(discovery.find_models())
    assert set(found) == {"openai-community/tiny-gpt2", "someone/tiny-llama"}
    gpt2, llama = found["openai-community/tiny-gpt2"], found["someone/tiny-llama"]
    assert (gpt2.family, gpt2.title, gpt2.source, gpt2.revision) == ("gpt2", "GPT-2", "hub cache", "0123abcd")
    assert llama.family == "llama" and llama.path.endswith(os.path.join("snapshots", "0123abcd"))
    for model, reference in ((gpt2, models["gpt2"]), (llama, models["llama"])):
        assert model.parameters == sum(p.numel() for p in reference.parameters())   # each tensor once
        assert model.memory_bytes == 4 * model.parameters and model.weights_bytes > 0
        assert model.fits is True and model.usable
    assert engine.load(llama.path).family.name == "llama"   # the path is what engine.load takes


def test_unusable_checkpoints_are_listed_only_when_asked(cache):
    found = by_name(discovery.find_models(include_unusable=True))
    assert "not a family this app runs" in found["someone/vision-model"].problem
    assert "someone/only-a-tokenizer" not in found   # not a checkpoint at all


def test_weights_are_never_read(cache, monkeypatch):
    import safetensors.torch

    def refuse(*args, **kwargs):
        raise AssertionError("discovery read weights")

    monkeypatch.setattr(safetensors.torch, "safe_open", refuse)
    monkeypatch.setattr(safetensors.torch, "load_file", refuse)
    monkeypatch.setattr(torch, "load", refuse)
    assert len(discovery.find_models()) == 2


def test_extra_folders_a_checkpoint_or_a_tree_of_them(tmp_path, models, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-cache-here"))
    models["bert"].save_pretrained(tmp_path / "mine" / "bert-small")
    models["t5"].save_pretrained(tmp_path / "mine" / "deeper" / "t5-small")
    models["gpt2"].save_pretrained(tmp_path / "single")
    (tmp_path / "mine" / ".hidden").mkdir()
    models["gpt2"].save_pretrained(tmp_path / "mine" / ".hidden" / "skipped")
    found = by_name(discovery.find_models([tmp_path / "mine", str(tmp_path / "single"), tmp_path / "missing"]))
    assert set(found) == {"bert-small", "t5-small", "single"}
    assert found["t5-small"].family == "t5" and found["bert-small"].source == "folder"
    assert found["single"].parameters == sum(p.numel() for p in models["gpt2"].parameters())
    # the same folder named twice, or through the hub cache and a folder, is listed once
    assert len(discovery.find_models([tmp_path / "single", tmp_path / "single"])) == 1


def test_a_folder_can_be_a_hub_cache(cache):
    found = discovery.find_models([cache], hub_cache=False)
    assert {m.name for m in found} == {"openai-community/tiny-gpt2", "someone/tiny-llama"}


def test_a_missing_shard_or_remote_code_is_a_reason(tmp_path, models):
    folder = tmp_path / "sharded"
    models["llama"].save_pretrained(folder, max_shard_size="20KB")
    index = json.loads((folder / "model.safetensors.index.json").read_text())
    shard = sorted(set(index["weight_map"].values()))[0]
    (folder / shard).unlink()
    model = discovery.describe_folder(folder)
    assert "missing" in model.problem and not model.usable
    remote = tmp_path / "remote"
    models["gpt2"].save_pretrained(remote)
    config = json.loads((remote / "config.json").read_text())
    (remote / "config.json").write_text(json.dumps({**config, "auto_map": {"AutoModel": "x.Y"}}))
    assert "trust_remote_code" in discovery.describe_folder(remote).problem


def test_fits_compares_with_the_free_memory(cache, monkeypatch):
    monkeypatch.setattr("engine.devices.free_bytes", lambda device: 1000)
    assert {m.fits for m in discovery.find_models()} == {False}
    monkeypatch.setattr("engine.devices.free_bytes", lambda device: None)
    assert {m.fits for m in discovery.find_models()} == {None}


def test_cli_lists_name_path_family_parameters_and_fits(cache, tmp_path, models, capsys):
    models["bert"].save_pretrained(tmp_path / "extra" / "my-bert")
    assert main(["models", "--json", "--folder", str(tmp_path / "extra")]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"openai-community/tiny-gpt2", "someone/tiny-llama", "my-bert"}
    assert {"name", "path", "family", "parameters", "fits"} <= set(rows["my-bert"])
    assert rows["my-bert"]["family"] == "bert" and rows["my-bert"]["fits"] is True
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "someone/tiny-llama" in out and "LLaMA" in out and "yes" in out
    assert main(["models", "--all", "--no-hub-cache", "--folder", str(cache)]) == 0
    assert "cannot run" in capsys.readouterr().out


def test_cli_says_when_nothing_is_found(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty"))
    assert main(["models"]) == 0
    assert "No checkpoint" in capsys.readouterr().out
