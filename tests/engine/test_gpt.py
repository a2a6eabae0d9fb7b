"""GPT-1 and GPT-2 match transformers' OpenAIGPTLMHeadModel / GPT2LMHeadModel (every layer, every attention map,
the logits, greedy generation with and without a KV cache). GPT-3's sparse layers have no reference class: they are
checked against the paper's description by property."""
import pytest
import torch
import transformers

from engine.generation import greedy
from engine.hooks import HookPoint
from engine.lessons import lesson_text
from engine.layers.masks import banded_causal_mask
from engine.models import FAMILIES, gpt
from parity import assert_close, padded_batch, port, randomised, run_recorded

VOCAB = 97

GPT2_SIZES = [  # (n_embd, n_layer, n_head, n_inner, extra config): include head counts that are not powers of two
    (32, 2, 4, None, {}),
    (30, 3, 5, 37, {}),
    (48, 2, 3, None, {"scale_attn_by_inverse_layer_idx": True}),
]
GPT1_SIZES = [(32, 2, 4), (30, 3, 5)]


def gpt2_reference(n_embd=32, n_layer=2, n_head=4, n_inner=None, seed=0, **extra):
    torch.manual_seed(seed)
    hf_config = transformers.GPT2Config(vocab_size=VOCAB, n_positions=64, n_embd=n_embd, n_layer=n_layer,
                                        n_head=n_head, n_inner=n_inner, bos_token_id=0, eos_token_id=0,
                                        pad_token_id=0, attn_implementation="eager", **extra)
    reference = transformers.GPT2LMHeadModel(hf_config).eval()
    ours = port(reference, gpt, gpt.GPT2(gpt.GPT2Config.from_dict(hf_config.to_dict())))
    return reference, ours


def gpt1_reference(n_embd=32, n_layer=2, n_head=4, seed=0):
    torch.manual_seed(seed)
    hf_config = transformers.OpenAIGPTConfig(vocab_size=VOCAB, n_positions=64, n_embd=n_embd, n_layer=n_layer,
                                             n_head=n_head, afn="gelu", attn_implementation="eager")
    reference = transformers.OpenAIGPTLMHeadModel(hf_config).eval()
    ours = port(reference, gpt, gpt.GPT1(gpt.GPT1Config.from_dict(hf_config.to_dict())))
    return reference, ours


def tiny(family: str, vocab_size: int = VOCAB, **changes):
    """A tiny-preset model with random weights, built without a tokenizer."""
    values = dict(gpt.TINY_PRESETS[f"{family}-tiny"], vocab_size=vocab_size, **changes)
    model_class, config_class = {"gpt1": (gpt.GPT1, gpt.GPT1Config), "gpt2": (gpt.GPT2, gpt.GPT2Config),
                                 "gpt3": (gpt.GPT3, gpt.GPT3Config)}[family]
    model = model_class(config_class.from_dict(values))
    return randomised(model)


# --- parity with transformers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_embd,n_layer,n_head,n_inner,extra", GPT2_SIZES)
def test_gpt2_matches_reference(n_embd, n_layer, n_head, n_inner, extra):
    reference, ours = gpt2_reference(n_embd, n_layer, n_head, n_inner, **extra)
    input_ids, attention_mask = padded_batch(VOCAB)   # right padding
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True,
                             output_attentions=True)
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)

    assert_close(cache["hook_embed_sum"], expected.hidden_states[0], "embeddings")
    for i in range(n_layer - 1):
        assert_close(cache[f"blocks.{i}.hook_resid_post"], expected.hidden_states[i + 1], f"layer {i} hidden states")
    # transformers applies ln_f to the last entry of hidden_states
    assert_close(cache["hook_final_norm"], expected.hidden_states[n_layer], "final norm")
    for i in range(n_layer):
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"layer {i} attention")
    assert_close(outputs["lm"], expected.logits, "LM logits")


@pytest.mark.parametrize("n_embd,n_layer,n_head", GPT1_SIZES)
def test_gpt1_matches_reference(n_embd, n_layer, n_head):
    reference, ours = gpt1_reference(n_embd, n_layer, n_head)
    input_ids, attention_mask = padded_batch(VOCAB)
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True,
                             output_attentions=True)
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)

    assert_close(cache["hook_embed_sum"], expected.hidden_states[0], "embeddings")
    for i in range(n_layer):
        assert_close(cache[f"blocks.{i}.hook_normalized_resid_post"], expected.hidden_states[i + 1],
                     f"layer {i} hidden states")
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"layer {i} attention")
    assert_close(outputs["lm"], expected.logits, "LM logits")
    assert "hook_final_norm" not in cache   # GPT-1 has no final LayerNorm


def test_gpt1_activation_is_the_tanh_gelu():
    assert gpt.GPT1Config(afn="gelu").activation_function == "gelu_new"


@pytest.mark.parametrize("use_cache", [True, False])
def test_gpt2_greedy_generation_matches_reference(use_cache):
    reference, ours = gpt2_reference(32, 2, 4, seed=3)
    input_ids = padded_batch(VOCAB, lengths=(7, 7), seed=5)[0]
    with torch.no_grad():
        expected = reference.generate(input_ids, max_new_tokens=16, min_new_tokens=16, do_sample=False,
                                      use_cache=use_cache)[:, input_ids.shape[1]:]
    generated = greedy(ours, input_ids, max_new_tokens=16, use_cache=use_cache)
    assert generated.shape == (2, 16)
    assert torch.equal(generated, expected)


def test_gpt1_greedy_generation_matches_reference():
    reference, ours = gpt1_reference(32, 2, 4, seed=3)
    input_ids = padded_batch(VOCAB, lengths=(6,), seed=5)[0]
    with torch.no_grad():
        expected = reference.generate(input_ids, max_new_tokens=12, min_new_tokens=12, do_sample=False,
                                      pad_token_id=0)[:, input_ids.shape[1]:]
    assert torch.equal(greedy(ours, input_ids, max_new_tokens=12, use_cache=True), expected)


@pytest.mark.parametrize("family", ["gpt1", "gpt2", "gpt3"])
def test_kv_cache_continues_positions_and_matches_full_forward(family):
    model = tiny(family)
    input_ids = padded_batch(VOCAB, lengths=(9, 9), seed=2)[0]
    with torch.no_grad():
        full = model(input_ids)["lm"]
        first = model(input_ids[:, :5], use_cache=True)
        past = first["past_key_values"]
        assert len(past) == 4 and past[0][0].shape == (2, 4, 5, 16)   # (B, nh, T_past, hs)
        steps = [first["lm"]]
        for t in range(5, 9):
            out = model(input_ids[:, t:t + 1], past_key_values=past, use_cache=True)
            past = out["past_key_values"]
            steps.append(out["lm"])
    assert_close(torch.cat(steps, dim=1), full, "cached logits")
    # the recording path with a cache sees the continued positions too
    _, cache = run_recorded(model, input_ids=input_ids[:, 5:6], past_key_values=first["past_key_values"])
    assert_close(cache["hook_pos_embed"][0, 0], model.embeddings.wpe.weight[5], "position of token 5")
    assert cache["blocks.0.attn.hook_mask"].shape == (2, 1, 1, 6)   # one query row, 5 cached keys + itself


# --- GPT-3: the sparse layers, checked against the paper ---------------------------------------------------------

def test_banded_mask_shape_exactly():
    expected = torch.tensor([
        [1, 0, 0, 0, 0, 0],
        [1, 1, 0, 0, 0, 0],
        [1, 1, 1, 0, 0, 0],
        [0, 1, 1, 1, 0, 0],
        [0, 0, 1, 1, 1, 0],
        [0, 0, 0, 1, 1, 1],
    ], dtype=torch.bool)
    assert torch.equal(banded_causal_mask(6, 6, 3)[0, 0], expected)
    model = tiny("gpt3", sparse_window=3)
    _, cache = run_recorded(model, input_ids=torch.arange(3, 9)[None])
    assert torch.equal(cache["blocks.1.attn.hook_mask"][0, 0], expected)
    assert torch.equal(cache["blocks.3.attn.hook_mask"][0, 0], expected)


def test_gpt3_alternates_dense_and_banded_layers_and_uses_the_recorded_mask():
    model = tiny("gpt3", sparse_window=4)
    input_ids, attention_mask = padded_batch(VOCAB, lengths=(10, 7))
    _, cache = run_recorded(model, input_ids=input_ids, attention_mask=attention_mask)
    causal = torch.ones(10, 10).tril().bool()
    for i in range(4):
        mask = cache[f"blocks.{i}.attn.hook_mask"]              # (B, 1, T, T)
        pattern = cache[f"blocks.{i}.attn.hook_pattern"]        # (B, nh, T, T)
        layer = causal if i % 2 == 0 else banded_causal_mask(10, 10, 4)[0, 0]
        assert torch.equal(mask[0, 0], layer), f"layer {i}"
        assert torch.equal(mask[1, 0], layer & attention_mask[1].bool()[None, :]), f"layer {i} with padding"
        assert model.blocks[i].attn.hook_mask.key == ("attn.mask" if i % 2 == 0 else "attn.mask_banded")
        # the recorded mask is the one used: nothing outside it gets any probability, and rows sum to one
        assert torch.all(pattern.masked_select(~mask.expand_as(pattern)) == 0), f"layer {i}"
        assert_close(pattern.sum(-1), torch.ones(pattern.shape[:-1]), f"layer {i} rows")
        if i % 2 == 1:   # the band really is narrower than the triangle
            assert torch.all(pattern[0, :, 9, :6] == 0)


def test_gpt3_sparse_layers_are_configurable():
    config = gpt.GPT3Config.from_dict({"n_layer": 4, "sparse_layers": [0, 3]})
    assert [config.is_sparse(i) for i in range(4)] == [True, False, False, True]
    assert [gpt.GPT3Config(n_layer=4).is_sparse(i) for i in range(4)] == [False, True, False, True]


def test_gpt3_with_a_wide_window_equals_gpt2_with_the_same_weights():
    gpt3 = tiny("gpt3", sparse_window=12)
    gpt2 = tiny("gpt2")
    gpt2.load_state_dict(gpt3.state_dict())
    input_ids, attention_mask = padded_batch(VOCAB, lengths=(12, 8))
    out3, cache3 = run_recorded(gpt3, input_ids=input_ids, attention_mask=attention_mask)
    out2, cache2 = run_recorded(gpt2, input_ids=input_ids, attention_mask=attention_mask)
    for i in range(4):
        assert_close(cache3[f"blocks.{i}.hook_resid_post"], cache2[f"blocks.{i}.hook_resid_post"], f"layer {i}")
        assert_close(cache3[f"blocks.{i}.attn.hook_pattern"], cache2[f"blocks.{i}.attn.hook_pattern"], f"attn {i}")
    assert_close(out3["lm"], out2["lm"], "logits")
    narrow = tiny("gpt3", sparse_window=3)
    narrow.load_state_dict(gpt3.state_dict())
    assert not torch.allclose(narrow(input_ids, attention_mask)["lm"], out2["lm"])


# --- recording, fused path, hook names ---------------------------------------------------------------------------

@pytest.mark.parametrize("family", ["gpt1", "gpt2", "gpt3"])
def test_fused_path_equals_recording_path(family):
    model = tiny(family)
    input_ids, attention_mask = padded_batch(VOCAB)
    with torch.no_grad():
        fused = model(input_ids=input_ids, attention_mask=attention_mask)
    recorded, _ = run_recorded(model, input_ids=input_ids, attention_mask=attention_mask)
    assert_close(fused["lm"], recorded["lm"], f"{family} logits")
    assert_close(fused["last_hidden_state"], recorded["last_hidden_state"], f"{family} last hidden state")


EMBEDDINGS = ["hook_embed", "hook_pos_embed", "hook_embed_sum"]
ATTENTION = ["attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_scores", "attn.hook_scaled", "attn.hook_mask",
             "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z", "hook_attn_out"]
MLP = ["mlp.hook_pre", "mlp.hook_post", "hook_mlp_out"]
PRE_NORM_BLOCK = ["hook_resid_pre", "hook_attn_norm", *ATTENTION, "hook_resid_mid", "hook_mlp_norm", *MLP,
                  "hook_resid_post"]                                                                    # GPT-2, GPT-3
POST_NORM_BLOCK = ["hook_resid_pre", *ATTENTION, "hook_resid_mid", "hook_normalized_resid_mid", *MLP,
                   "hook_resid_post", "hook_normalized_resid_post"]                                     # GPT-1


def golden(block: list[str], final_norm: bool, layers: int = 4) -> list[str]:
    names = list(EMBEDDINGS)
    for i in range(layers):
        names += [f"blocks.{i}.{name}" for name in block]
    return names + (["hook_final_norm"] if final_norm else []) + ["lm_head.hook_logits"]


@pytest.mark.parametrize("family,expected", [
    ("gpt1", golden(POST_NORM_BLOCK, final_norm=False)),
    ("gpt2", golden(PRE_NORM_BLOCK, final_norm=True)),
    ("gpt3", golden(PRE_NORM_BLOCK, final_norm=True)),
])
def test_golden_hook_names(family, expected):
    _, cache = run_recorded(tiny(family), input_ids=torch.arange(3, 10)[None])
    assert cache.names() == expected
    assert cache["lm_head.hook_logits"].shape == (1, 7, VOCAB)
    assert cache["blocks.0.attn.hook_pattern"].shape == (1, 4, 7, 7)
    assert torch.equal(cache["hook_embed_sum"], cache["blocks.0.hook_resid_pre"])
    if family != "gpt1":   # pre-norm: the residual stream, as TransformerLens names its points
        b = "blocks.1."
        assert_close(cache[b + "hook_resid_mid"], cache[b + "hook_resid_pre"] + cache[b + "hook_attn_out"], "mid")
        assert_close(cache[b + "hook_resid_post"], cache[b + "hook_resid_mid"] + cache[b + "hook_mlp_out"], "post")
        assert torch.equal(cache[b + "hook_resid_post"], cache["blocks.2.hook_resid_pre"])


def test_every_hook_has_english_and_chinese_lesson_text_for_its_generation():
    for family in ("gpt1", "gpt2", "gpt3"):
        for hook in (m for m in tiny(family).modules() if isinstance(m, HookPoint)):
            assert lesson_text(hook.key, "en", family) and lesson_text(hook.key, "zh", family), (family, hook.key)
    # GPT's own texts replace the general ones: next-token logits, the causal mask
    assert lesson_text("logits", "en", "gpt2") != lesson_text("logits", "en")
    assert lesson_text("attn.mask", "en", "gpt2") != lesson_text("attn.mask", "en")


def test_presets_declare_their_generation():
    assert {name: family for family in ("gpt1", "gpt2", "gpt3") for name in FAMILIES[family].tiny_presets} == {
        "gpt1-tiny": "gpt1", "gpt2-tiny": "gpt2", "gpt3-tiny": "gpt3"}
    assert gpt.GPT2Config.from_dict({"n_positions": 256}).max_length == 256
    assert gpt.GPT1Config().max_length == 512


def test_too_long_input_is_refused_with_a_message():
    from engine.errors import InputError
    model = tiny("gpt2", n_positions=8)
    with pytest.raises(InputError, match="8 positions"):
        model(torch.zeros(1, 9, dtype=torch.long))


def test_hf_checkpoint_names_without_prefix_and_with_old_buffers_load():
    reference, _ = gpt2_reference(32, 2, 4)
    state = {k.removeprefix("transformer."): v for k, v in reference.state_dict().items()}
    state["h.0.attn.bias"] = torch.ones(1, 1, 64, 64).tril()   # what old GPT-2 files carry
    state["h.0.attn.masked_bias"] = torch.tensor(-1e4)
    from engine.weights import load_hf_state_dict
    ours = gpt.GPT2(gpt.GPT2Config(vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=2, n_head=4))
    report = load_hf_state_dict(ours, state, gpt.HF_RENAMES)
    assert sorted(report.dropped) == ["h.0.attn.bias", "h.0.attn.masked_bias"]


@pytest.mark.parametrize("preset", ["gpt1-tiny", "gpt2-tiny", "gpt3-tiny"])
def test_load_tiny_preset_and_trace_text(preset):
    import engine

    loaded = engine.load(preset)
    trace = loaded.trace(text="The cat sat on the mat.")
    length = trace.input_ids.shape[1]
    assert len(trace.tokens) == length
    assert trace.logits.shape == (1, length, loaded.config.vocab_size)
    assert trace.cache["blocks.1.attn.hook_mask"].shape == (1, 1, length, length)
    generated = greedy(loaded.module, trace.input_ids, max_new_tokens=3)
    assert generated.shape[1] <= 3
