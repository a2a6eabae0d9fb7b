"""Real weights: any local Hugging Face folder opens offline, matches the reference, and bad folders are refused
with a message that says what is wrong."""
import json
import pickle

import pytest
import torch
import transformers

import engine
from engine.errors import CheckpointError
from parity import assert_close

IDS = torch.tensor([[5, 9, 13, 7, 21, 4, 8]])


def tiny_reference(kind):
    """(transformers model, expected forward kwargs) for each family, small and random."""
    torch.manual_seed(0)
    common = dict(vocab_size=60, attn_implementation="eager")
    if kind == "bert":
        config = transformers.BertConfig(hidden_size=24, num_hidden_layers=2, num_attention_heads=3,
                                         intermediate_size=32, **common)
        return transformers.BertForPreTraining(config), "prediction_logits", "mlm"
    if kind == "roberta":
        config = transformers.RobertaConfig(hidden_size=24, num_hidden_layers=2, num_attention_heads=3,
                                            intermediate_size=32, max_position_embeddings=40, **common)
        return transformers.RobertaForMaskedLM(config), "logits", "mlm"
    if kind == "albert":
        config = transformers.AlbertConfig(embedding_size=8, hidden_size=24, num_hidden_layers=3,
                                           num_attention_heads=3, intermediate_size=32, **common)
        return transformers.AlbertForPreTraining(config), "prediction_logits", "mlm"
    if kind == "gpt1":
        config = transformers.OpenAIGPTConfig(n_embd=24, n_layer=2, n_head=3, n_positions=32, **common)
        return transformers.OpenAIGPTLMHeadModel(config), "logits", "lm"
    if kind == "gpt2":
        config = transformers.GPT2Config(n_embd=24, n_layer=2, n_head=3, n_positions=32, **common)
        return transformers.GPT2LMHeadModel(config), "logits", "lm"
    if kind == "llama":
        config = transformers.LlamaConfig(hidden_size=24, intermediate_size=40, num_hidden_layers=2,
                                          num_attention_heads=4, num_key_value_heads=2, **common)
        return transformers.LlamaForCausalLM(config), "logits", "lm"
    if kind == "t5":
        config = transformers.T5Config(d_model=24, d_kv=8, d_ff=40, num_layers=2, num_heads=3,
                                       decoder_start_token_id=0, **common)
        return transformers.T5ForConditionalGeneration(config), "logits", "lm"
    if kind == "chatglm":
        config = transformers.GlmConfig(hidden_size=24, intermediate_size=40, num_hidden_layers=2, head_dim=8,
                                        num_attention_heads=3, num_key_value_heads=1, pad_token_id=0, **common)
        return transformers.GlmForCausalLM(config), "logits", "lm"
    raise KeyError(kind)


def save(model, folder, safe=True):
    model.save_pretrained(folder)
    if not safe:   # the older PyTorch format: a pickled dict of tensors
        (folder / "model.safetensors").unlink()
        torch.save(model.state_dict(), folder / "pytorch_model.bin")
    return folder


class NotATensor:
    """Stands for any pickled object a malicious .bin could carry."""


@pytest.mark.parametrize("kind", ["bert", "roberta", "albert", "t5", "gpt1", "gpt2", "llama", "chatglm"])
def test_a_saved_transformers_model_loads_and_matches(kind, tmp_path):
    reference, ref_key, our_key = tiny_reference(kind)
    loaded = engine.load(save(reference.eval(), tmp_path / kind))
    assert loaded.weights == "real" and loaded.family.name == kind
    inputs = {"input_ids": IDS}
    if kind == "t5":   # the decoder reads a start token and two target ids
        inputs["decoder_input_ids"] = torch.tensor([[0, 11, 12]])
    with torch.no_grad():
        expected = getattr(reference(**inputs), ref_key)
        assert_close(loaded.module(**inputs)[our_key], expected, f"{kind} logits")
    if kind != "t5":
        assert_close(loaded.trace(input_ids=IDS).outputs[our_key], expected, f"{kind} logits (recorded)")


def test_a_pytorch_bin_checkpoint_loads_too(tmp_path):
    reference, ref_key, _ = tiny_reference("bert")
    loaded = engine.load(save(reference.eval(), tmp_path / "bin", safe=False))
    assert (tmp_path / "bin" / "pytorch_model.bin").exists()
    with torch.no_grad():
        expected = getattr(reference(input_ids=IDS), ref_key)
    assert_close(loaded.forward(input_ids=IDS)["mlm"], expected, "logits from .bin")


def test_the_embedded_minilm_matches_transformers_bert_model():
    from engine.checkpoint import minilm_folder

    loaded = engine.load("minilm")
    assert loaded.weights == "real" and loaded.heads == () and "no MLM head" in loaded.notes
    reference = transformers.BertModel.from_pretrained(str(minilm_folder())).eval()
    trace = loaded.trace(text="Hello world")
    assert trace.input_ids[0].tolist() == [101, 7592, 2088, 102]
    with torch.no_grad():
        expected = reference(input_ids=trace.input_ids).last_hidden_state
    assert_close(trace.outputs["last_hidden_state"], expected, "MiniLM hidden states")


def test_minilm_sentence_embeddings_rank_paraphrases_closest():
    from engine.embeddings import sentence_embeddings

    loaded = engine.load("minilm")
    cat, kitten, stocks = sentence_embeddings(loaded, ["A cat sits on the mat.", "A kitten is lying on the rug.",
                                                       "Stock markets fell sharply today."])
    cos = torch.nn.functional.cosine_similarity
    assert cos(cat, kitten, dim=0) > cos(cat, stocks, dim=0) + 0.2


# --- broken inputs: each refused with a message naming the problem -------------------------------------------

def test_a_folder_with_no_config_is_refused(tmp_path):
    with pytest.raises(CheckpointError, match="no config.json"):
        engine.load(tmp_path)


def test_an_unknown_model_type_is_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "mamba"}))
    with pytest.raises(CheckpointError, match="'mamba' is not one of the families"):
        engine.load(tmp_path)


def test_remote_code_configs_are_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "chatglm", "auto_map": {"AutoModel": "x.y"}}))
    with pytest.raises(CheckpointError, match="never runs code"):
        engine.load(tmp_path)


def test_a_truncated_safetensors_file_is_refused(tmp_path):
    reference, _, _ = tiny_reference("bert")
    folder = save(reference, tmp_path / "cut")
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    with pytest.raises(CheckpointError, match="damaged or truncated"):
        engine.load(folder)


def test_a_tensor_of_the_wrong_shape_is_named_with_both_shapes(tmp_path):
    reference, _, _ = tiny_reference("bert")
    folder = save(reference, tmp_path / "shape")
    config = json.loads((folder / "config.json").read_text())
    config["intermediate_size"] = 40
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(CheckpointError, match=r"blocks\.0\.mlp\.intermediate\.\w+' has shape \(32.*\) .* expects \(40"):
        engine.load(folder)


def test_a_bin_holding_other_pickled_objects_is_refused(tmp_path):
    reference, _, _ = tiny_reference("bert")
    folder = save(reference, tmp_path / "evil")
    (folder / "model.safetensors").unlink()

    with open(folder / "pytorch_model.bin", "wb") as handle:
        pickle.dump({"weights": NotATensor()}, handle)
    with pytest.raises(CheckpointError, match="pickled Python objects other than tensors"):
        engine.load(folder)


def test_missing_tensors_are_reported_by_name(tmp_path):
    from safetensors.torch import load_file, save_file

    reference, _, _ = tiny_reference("bert")
    folder = save(reference, tmp_path / "missing")
    state = load_file(folder / "model.safetensors")
    del state["bert.encoder.layer.1.attention.self.query.weight"]
    save_file(state, folder / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(CheckpointError, match=r"missing from the checkpoint.*blocks\.1\.attn\.query\.weight"):
        engine.load(folder)


def test_a_sharded_checkpoint_loads_from_its_index(tmp_path):
    reference, ref_key, _ = tiny_reference("gpt2")
    reference.eval().save_pretrained(tmp_path, max_shard_size="20KB")
    assert (tmp_path / "model.safetensors.index.json").exists()
    with torch.no_grad():
        expected = getattr(reference(input_ids=IDS), ref_key)
    assert_close(engine.load(tmp_path).forward(input_ids=IDS)["lm"], expected, "logits from shards")


def test_a_renamed_llama_compatible_config_is_read_by_its_architecture(tmp_path):
    reference, ref_key, _ = tiny_reference("llama")
    reference.eval().save_pretrained(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    config["model_type"] = "my-llama-finetune"
    (tmp_path / "config.json").write_text(json.dumps(config))
    loaded = engine.load(tmp_path)
    assert loaded.family.name == "llama"
    with torch.no_grad():
        expected = getattr(reference(input_ids=IDS), ref_key)
    assert_close(loaded.forward(input_ids=IDS)["lm"], expected, "renamed llama logits")


def test_the_trace_command_runs_on_checkpoint_folders(tmp_path, capsys):
    from engine.__main__ import main
    from engine.checkpoint import minilm_folder

    assert main(["trace", "--model", str(minilm_folder()), "--text", "Hello world", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tokens"] == ["[CLS]", "hello", "world", "[SEP]"]
    reference, _, _ = tiny_reference("bert")
    save(reference, tmp_path / "no-tokenizer")
    assert main(["trace", "--model", str(tmp_path / "no-tokenizer"), "--text", "Hello"]) == 2
    assert "without tokenizer files" in capsys.readouterr().err
    assert main(["trace", "--model", str(tmp_path / "no-tokenizer"), "--ids", "5 9 13", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["steps"]) > 10


@pytest.mark.parametrize("kind", ["bert", "roberta", "albert", "t5", "gpt1", "gpt2", "llama", "chatglm"])
def test_every_family_runs_on_bare_ids_from_a_folder_without_tokenizer_files(kind, tmp_path, capsys):
    """The T5 case used to end in AttributeError: 'NoneType' object has no attribute 'role_id'."""
    from engine.__main__ import main

    reference, _, _ = tiny_reference(kind)
    save(reference, tmp_path / kind)
    assert main(["trace", "--model", str(tmp_path / kind), "--ids", "5 9 13", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ids"] == [5, 9, 13] and data["tokens"] == ["<5>", "<9>", "<13>"]
    if kind == "t5":   # the decoder starts from the config's start id, labelled by id
        assert data["decoder_tokens"] == ["<0>"]
