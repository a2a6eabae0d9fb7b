"""engine.generation.generate: greedy decoding gives transformers' tokens on the same weights (every decoder family
and T5, loaded from folders that transformers saved), with and without the KV cache; sampling with a seed is
reproducible; each step records its candidates, their probabilities and the KV cache per layer."""
from __future__ import annotations

import json

import pytest
import torch

transformers = pytest.importorskip("transformers")

import engine  # noqa: E402
from engine.__main__ import main  # noqa: E402
from engine.errors import InputError  # noqa: E402
from engine.generation import Sampling, generate  # noqa: E402

VOCAB = 64
EOS = VOCAB - 1
PROMPT = [5, 17, 42, 8, 23, 11]
NEW = 10


def lively(model, seed: int = 0):
    """Weights larger than transformers' init, so each greedy step has a clear winner (no near-ties that float
    rounding could flip) and the text does not repeat one token from the start."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.dim() >= 2:
                big = any(key in name for key in ("wte", "tokens_embed", "embed_tokens", "shared", "lm_head",
                                                  "relative_attention_bias"))
                param.copy_(torch.randn(param.shape, generator=generator) * (1.0 if big else 0.3))
            elif "norm" in name or "ln_" in name or name.endswith("layer_norm.weight"):
                param.copy_(torch.rand(param.shape, generator=generator) + 0.5 if name.endswith("weight")
                            else torch.randn(param.shape, generator=generator) * 0.1)
            else:
                param.copy_(torch.randn(param.shape, generator=generator) * 0.1)
    return model.eval()


def reference(kind: str):
    common = dict(vocab_size=VOCAB, eos_token_id=EOS, pad_token_id=0, attn_implementation="eager")
    if kind == "gpt1":
        config = transformers.OpenAIGPTConfig(n_embd=32, n_layer=2, n_head=4, n_positions=64, **common)
        return transformers.OpenAIGPTLMHeadModel(config)
    if kind == "gpt2":
        config = transformers.GPT2Config(n_embd=32, n_layer=2, n_head=4, n_positions=64, bos_token_id=EOS, **common)
        return transformers.GPT2LMHeadModel(config)
    if kind == "llama":
        config = transformers.LlamaConfig(hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                                          num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                                          bos_token_id=1, **common)
        return transformers.LlamaForCausalLM(config)
    if kind == "chatglm":
        config = transformers.GlmConfig(hidden_size=32, intermediate_size=48, num_hidden_layers=2, head_dim=8,
                                        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                                        **common)
        return transformers.GlmForCausalLM(config)
    if kind == "t5":   # decoder deeper than the encoder: transformers' own cached generate trips on that
        config = transformers.T5Config(d_model=32, d_kv=8, d_ff=48, num_layers=2, num_decoder_layers=3, num_heads=4,
                                       relative_attention_num_buckets=8, relative_attention_max_distance=16,
                                       decoder_start_token_id=0, **common)
        return transformers.T5ForConditionalGeneration(config)
    raise KeyError(kind)


KINDS = ["gpt1", "gpt2", "llama", "chatglm", "t5"]
SEEDS = {"gpt1": 0, "gpt2": 5, "llama": 2, "chatglm": 3, "t5": 4}   # each gives a varied greedy text


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """kind -> (the transformers model, the folder it was saved to)."""
    torch.manual_seed(0)
    out = {}
    for kind in KINDS:
        model = lively(reference(kind), seed=SEEDS[kind])
        folder = tmp_path_factory.mktemp(kind)
        model.save_pretrained(folder)
        out[kind] = (model, folder)
    return out


def expected_tokens(model, kind: str, max_new: int = NEW) -> list[int]:
    ids = torch.tensor([PROMPT])
    with torch.no_grad():
        if kind == "t5":
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new,
                                 do_sample=False, use_cache=False)
            return out[0, 1:].tolist()   # after the decoder start token
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new, do_sample=False)
    return out[0, len(PROMPT):].tolist()


@pytest.mark.parametrize("kind", KINDS)
def test_greedy_gives_the_tokens_of_transformers_generate(saved, kind):
    model, folder = saved[kind]
    loaded = engine.load(folder)
    expected = expected_tokens(model, kind)
    assert len(set(expected)) >= 3   # a text that varies, not one token repeated
    for use_cache in (True, False):
        result = generate(loaded, input_ids=PROMPT, max_new_tokens=NEW, use_cache=use_cache)
        assert result.new_ids == expected, f"use_cache={use_cache}"
        assert result.stopped == ("eos" if expected[-1] == EOS else "max_new_tokens")
        assert [step.id for step in result.steps] == expected
        for step in result.steps:   # greedy: the chosen token is the model's most probable one
            assert step.candidates[0].id == step.id and step.sample_probability is None
            assert step.probability == pytest.approx(step.candidates[0].probability)
            probabilities = [c.probability for c in step.candidates]
            assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1 + 1e-6
            assert (step.kv_cache_bytes is not None) == use_cache


def test_kv_cache_bytes_per_layer_grow_one_position_per_step(saved):
    loaded = engine.load(saved["llama"][1])
    config = loaded.config
    result = generate(loaded, input_ids=PROMPT, max_new_tokens=4)
    head_dim = config.hidden_size // config.num_attention_heads
    for step in result.steps:
        assert step.context_length == len(PROMPT) + step.index
        per_layer = 2 * config.num_key_value_heads * step.context_length * head_dim * 4   # keys + values, float32
        assert step.kv_cache_bytes == [per_layer] * config.num_hidden_layers
        assert step.kv_cache_total == per_layer * config.num_hidden_layers


def test_t5_cache_counts_decoder_self_attention_only(saved):
    loaded = engine.load(saved["t5"][1])
    result = generate(loaded, input_ids=PROMPT, max_new_tokens=3)
    assert [len(step.kv_cache_bytes) for step in result.steps] == [3, 3, 3]   # one entry per decoder layer
    assert [step.context_length for step in result.steps] == [1, 2, 3]          # the decoder's own tokens
    totals = [step.kv_cache_total for step in result.steps]
    assert totals[1] == 2 * totals[0] and totals[2] == 3 * totals[0]


def test_sampling_with_a_seed_is_reproducible(saved):
    loaded = engine.load(saved["gpt2"][1])
    options = dict(input_ids=PROMPT, max_new_tokens=NEW, temperature=1.5)
    first = generate(loaded, seed=7, **options)
    assert first.new_ids == generate(loaded, seed=7, **options).new_ids
    assert first.new_ids == generate(loaded, seed=7, use_cache=False, **options).new_ids
    assert first.settings["seed"] == 7 and not first.settings["greedy"]
    others = {tuple(generate(loaded, seed=seed, **options).new_ids) for seed in range(8)}
    assert len(others) > 1   # the seed matters
    for step in first.steps:
        assert 0 < step.sample_probability <= 1
    drawn = generate(loaded, **options)   # no seed: one is drawn and recorded, so the run can be replayed
    assert generate(loaded, seed=drawn.settings["seed"], **options).new_ids == drawn.new_ids


def test_top_k_one_and_a_tiny_top_p_are_greedy(saved):
    loaded = engine.load(saved["llama"][1])
    greedy = generate(loaded, input_ids=PROMPT, max_new_tokens=6).new_ids
    assert generate(loaded, input_ids=PROMPT, max_new_tokens=6, temperature=2.0, top_k=1, seed=1).new_ids == greedy
    assert generate(loaded, input_ids=PROMPT, max_new_tokens=6, temperature=2.0, top_p=1e-9, seed=1).new_ids == greedy


def test_top_k_and_top_p_filter_the_distribution():
    logits = torch.tensor([4.0, 3.0, 2.0, 1.0, 0.0])
    assert (Sampling(1.0, top_k=2).distribution(logits) > 0).tolist() == [True, True, False, False, False]
    probabilities = logits.softmax(-1)   # 0.64, 0.24, 0.09, ...: the first two reach 0.85
    kept = Sampling(1.0, top_p=0.85).distribution(logits) > 0
    assert kept.tolist() == [True, True, (probabilities[:2].sum() < 0.85).item(), False, False]
    flat = Sampling(100.0).distribution(logits)
    assert flat.max() - flat.min() < 0.05   # a high temperature flattens the distribution


@pytest.mark.parametrize("options, message", [
    (dict(temperature=-1.0), "temperature"),
    (dict(top_k=5), "temperature above 0"),
    (dict(temperature=1.0, top_k=0), "top-k"),
    (dict(temperature=1.0, top_p=1.5), "top-p"),
    (dict(candidates=0), "candidates"),
    (dict(max_new_tokens=0), "max_new_tokens"),
])
def test_bad_settings_are_explained(saved, options, message):
    loaded = engine.load(saved["gpt2"][1])
    with pytest.raises(InputError, match=message):
        generate(loaded, input_ids=PROMPT, **{"max_new_tokens": 2, **options})


def test_cli_json_has_the_steps_and_their_candidates(saved, capsys):
    folder = str(saved["gpt2"][1])
    assert main(["generate", "--model", folder, "--ids", " ".join(map(str, PROMPT)), "--max-new-tokens", "4",
                 "--candidates", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["new_ids"] == expected_tokens(saved["gpt2"][0], "gpt2", 4)
    assert len(data["steps"]) == len(data["new_ids"])
    step = data["steps"][0]
    assert {"id", "token", "probability", "candidates", "kv_cache_bytes", "kv_cache_total", "context_length"} <= set(step)
    assert len(step["candidates"]) == 3 and {"id", "token", "probability", "logit"} <= set(step["candidates"][0])
    args = ["generate", "--model", folder, "--ids", "5 6 7", "--max-new-tokens", "5", "--temperature", "1.2",
            "--top-k", "20", "--top-p", "0.9", "--seed", "3", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["new_ids"] == first["new_ids"]
    assert first["settings"] == {**first["settings"], "temperature": 1.2, "top_k": 20, "top_p": 0.9, "seed": 3}


def test_cli_text_output_shows_each_step(capsys):
    assert main(["generate", "--model", "llama-tiny", "--text", "The cat", "--max-new-tokens", "3"]) == 0
    out = capsys.readouterr().out
    assert "greedy" in out and "top candidates" in out and "not the released ones" in out
    assert main(["generate", "--model", "gpt2-tiny", "--text", "x", "--top-k", "3"]) == 2
    assert "temperature" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["glm-tiny", "chatglm2-tiny", "t5-tiny", "gpt3-tiny"])
def test_presets_agree_with_and_without_the_cache(name):
    loaded = engine.load(name)
    cached = generate(loaded, text="The cat sat on the mat.", max_new_tokens=5)
    uncached = generate(loaded, text="The cat sat on the mat.", max_new_tokens=5, use_cache=False)
    assert cached.new_ids == uncached.new_ids
    for a, b in zip(cached.steps, uncached.steps):
        assert [c.id for c in a.candidates] == [c.id for c in b.candidates]
        assert a.probability == pytest.approx(b.probability, abs=1e-5)
