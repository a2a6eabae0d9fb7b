"""LLaMA matches transformers' LlamaForCausalLM (GQA, MHA, MQA; padded batches; greedy generation with and without a
KV cache), RoPE has its relative-position property, and the recorded steps have stable names and lesson texts."""
import pytest
import torch
import transformers

from engine.hooks import HookPoint, name_hook_points
from engine.lessons import lesson_text
from engine.generation import greedy
from engine.layers.rope import RotaryEmbedding, apply_rotary, rope_tables
from engine.models import llama
from parity import assert_close, padded_batch, port, run_recorded

VOCAB = 97

CONFIGS = {  # small configs that differ where LLaMA-1/2/3 differ: key/value heads, RoPE base and scaling, ties
    "gqa": dict(hidden_size=32, intermediate_size=50, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, rope_theta=500.0),
    "mha": dict(hidden_size=30, intermediate_size=37, num_hidden_layers=2, num_attention_heads=5,
                num_key_value_heads=5, tie_word_embeddings=True, attention_bias=True, mlp_bias=True),
    "mqa-llama3-rope": dict(hidden_size=24, intermediate_size=40, num_hidden_layers=1, num_attention_heads=6,
                            num_key_value_heads=1, head_dim=8,   # head_dim != hidden / heads
                            rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=8.0,
                                                 low_freq_factor=1.0, high_freq_factor=4.0,
                                                 original_max_position_embeddings=4)),
}


def reference_and_ours(name: str, **extra):
    torch.manual_seed(len(name))
    hf_config = transformers.LlamaConfig(vocab_size=VOCAB, max_position_embeddings=64, attn_implementation="eager",
                                         **CONFIGS[name], **extra)
    reference = transformers.LlamaForCausalLM(hf_config).eval()
    ours = port(reference, llama, llama.Llama(llama.LlamaConfig.from_dict(hf_config.to_dict())))
    return reference, ours


def layer_outputs(reference):
    """Every decoder layer's output (HF's hidden_states has the final norm folded into its last entry)."""
    captured = []
    handles = [layer.register_forward_hook(lambda _m, _i, out: captured.append(out[0] if isinstance(out, tuple) else out))
               for layer in reference.model.layers]
    return captured, handles


@pytest.mark.parametrize("name", list(CONFIGS))
def test_causal_lm_matches_reference(name):
    reference, ours = reference_and_ours(name)
    input_ids, attention_mask = padded_batch(VOCAB)
    # Ours counts positions over real tokens only (as HF's generate does); HF's forward gets the same positions.
    position_ids = llama._position_ids(attention_mask, 0, input_ids.shape[1], None)
    captured, handles = layer_outputs(reference)
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                             output_hidden_states=True, output_attentions=True)
    for handle in handles:
        handle.remove()
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)

    assert_close(cache["hook_embed"], expected.hidden_states[0], "embeddings")
    for i in range(len(reference.model.layers)):
        assert_close(cache[f"blocks.{i}.hook_resid_post"], captured[i], f"layer {i} hidden states")
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"layer {i} attention")
    assert_close(cache["hook_final_norm"], expected.hidden_states[-1], "final norm")
    assert_close(outputs["lm"], expected.logits, "logits")


def test_without_mask_positions_are_those_of_the_reference_forward():
    reference, ours = reference_and_ours("gqa")
    input_ids = torch.randint(3, VOCAB, (2, 7), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = reference(input_ids=input_ids).logits
    assert_close(ours(input_ids)["lm"], expected, "logits")


def test_rope_frequencies_match_reference_scalings():
    for rope_parameters in (dict(rope_type="linear", rope_theta=1000.0, factor=4.0),
                            dict(rope_type="llama3", rope_theta=500000.0, factor=8.0, low_freq_factor=1.0,
                                 high_freq_factor=4.0, original_max_position_embeddings=16)):
        reference, ours = reference_and_ours("gqa", rope_parameters=rope_parameters)
        assert_close(ours.rotary_emb.inv_freq, reference.model.rotary_emb.inv_freq, rope_parameters["rope_type"],
                     atol=1e-9)


# --- generation -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["gqa", "mha"])
def test_greedy_generation_matches_reference_with_and_without_cache(name):
    reference, ours = reference_and_ours(name, initializer_range=0.4)   # larger weights: varied, not repeating
    input_ids = torch.randint(3, VOCAB, (2, 6), generator=torch.Generator().manual_seed(2))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, :2] = 0   # left padding: the second prompt is 4 tokens long
    with torch.no_grad():
        expected = reference.generate(input_ids, attention_mask=attention_mask, max_new_tokens=16, min_new_tokens=16,
                                      do_sample=False, eos_token_id=None, pad_token_id=0)[:, input_ids.shape[1]:]
    assert expected.shape == (2, 16) and len(set(expected.flatten().tolist())) > 4   # not one repeated token
    for use_cache in (True, False):
        generated = greedy(ours, input_ids, 16, use_cache=use_cache, attention_mask=attention_mask)
        assert torch.equal(generated, expected), f"use_cache={use_cache}"


def test_kv_cache_holds_rotated_keys_per_key_value_head():
    _, ours = reference_and_ours("gqa")
    input_ids = torch.randint(3, VOCAB, (1, 8), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        full = ours(input_ids)["lm"]
        prefix = ours(input_ids[:, :5], use_cache=True)
    past = prefix["past_key_values"]
    assert len(past) == 2 and past[0][0].shape == (1, 2, 5, 8)   # (B, n_kv, T, hs)
    outputs, cache = run_recorded(ours, input_ids=input_ids[:, 5:], past_key_values=past, use_cache=True)
    assert_close(outputs["lm"], full[:, 5:], "logits continued from the cache")
    assert cache["blocks.0.attn.hook_rot_k"].shape == (1, 2, 8, 8)        # cached + new keys, per key/value head
    assert cache["blocks.0.attn.hook_k"].shape == (1, 2, 3, 8)            # the new tokens' projections
    assert cache["blocks.0.attn.hook_k_repeated"].shape == (1, 4, 8, 8)
    assert cache["blocks.0.attn.hook_pattern"].shape == (1, 4, 3, 8)
    assert outputs["past_key_values"][0][0].shape == (1, 2, 8, 8)


# --- RoPE -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("interleaved,rot_dim", [(False, 16), (True, 16), (False, 8), (True, 8)])
def test_rope_score_depends_only_on_relative_position(interleaved, rot_dim):
    """<R(m) q, R(n) k> is the same for (m, n) and (m + s, n + s), including partial rotary dims."""
    generator = torch.Generator().manual_seed(4)
    q, k = torch.randn(2, 16, generator=generator, dtype=torch.float64)
    rope = RotaryEmbedding(rot_dim, base=10000.0, interleaved=interleaved)

    def score(m, n):
        cos, sin = rope_tables(torch.tensor([m, n]), rope.inv_freq.double(), interleaved, torch.float64)
        rq = apply_rotary(q, cos[0], sin[0], interleaved)
        rk = apply_rotary(k, cos[1], sin[1], interleaved)
        assert torch.allclose(rq.norm(), q.norm())   # a rotation keeps lengths
        return (rq @ rk).item()

    for m, n in ((5, 2), (0, 7), (3, 3)):
        for shift in (1, 10, 123):
            assert score(m + shift, n + shift) == pytest.approx(score(m, n), abs=1e-5)   # angles are float32
    assert score(5, 2) != pytest.approx(score(5, 3), abs=1e-3)   # ...but it does depend on m - n


def test_rope_layouts_rotate_the_documented_pairs():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    cos, sin = torch.zeros(4), torch.ones(4)   # a 90-degree turn of every pair
    assert apply_rotary(x, cos, sin).tolist() == [-3.0, -4.0, 1.0, 2.0]                   # (x0, x2), (x1, x3)
    assert apply_rotary(x, cos, sin, interleaved=True).tolist() == [-2.0, 1.0, -4.0, 3.0]  # (x0, x1), (x2, x3)
    assert apply_rotary(x, cos[:2], sin[:2]).tolist() == [-2.0, 1.0, 3.0, 4.0]             # partial: x2, x3 pass


# --- recording, fused path, hook names, config ---------------------------------------------------------------

def test_fused_path_equals_recording_path():
    _, ours = reference_and_ours("gqa")
    input_ids, attention_mask = padded_batch(VOCAB)
    with torch.no_grad():
        fused = ours(input_ids=input_ids, attention_mask=attention_mask)
    recorded, _ = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)
    assert_close(fused["lm"], recorded["lm"], "logits")
    assert_close(fused["last_hidden_state"], recorded["last_hidden_state"], "last hidden state")


ATTENTION = ["attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_rot_q", "attn.hook_rot_k",
             "attn.hook_k_repeated", "attn.hook_v_repeated", "attn.hook_scores", "attn.hook_scaled", "attn.hook_mask",
             "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z"]
MLP = ["mlp.hook_pre", "mlp.hook_gate_act", "mlp.hook_pre_linear", "mlp.hook_post"]
BLOCK = ["hook_resid_pre", "hook_attn_norm", *ATTENTION, "hook_attn_out", "hook_resid_mid", "hook_mlp_norm", *MLP,
         "hook_mlp_out", "hook_resid_post"]
GOLDEN = (["hook_embed", "rotary_emb.hook_cos", "rotary_emb.hook_sin"]
          + [f"blocks.{i}.{name}" for i in range(4) for name in BLOCK]
          + ["hook_final_norm", "lm_head.hook_logits"])


def tiny_model(**changes):
    torch.manual_seed(0)
    model = llama.Llama(llama.LlamaConfig.from_dict(dict(llama.TINY_PRESETS["llama-tiny"], vocab_size=VOCAB, **changes)))
    name_hook_points(model)
    return model.eval()


def test_golden_hook_names_for_llama_tiny():
    _, cache = run_recorded(tiny_model(), input_ids=torch.arange(3, 10)[None])
    assert cache.names() == GOLDEN
    assert cache["blocks.0.attn.hook_k"].shape == (1, 2, 7, 16)            # 2 key/value heads (GQA) ...
    assert cache["blocks.0.attn.hook_k_repeated"].shape == (1, 4, 7, 16)   # ... shared by 4 query heads
    assert cache["blocks.0.mlp.hook_post"].shape == (1, 7, 172)
    assert cache["rotary_emb.hook_cos"].shape == (1, 7, 16)
    assert cache["lm_head.hook_logits"].shape == (1, 7, VOCAB)


def test_steps_are_transformer_lens_quantities():
    """hook_q/k/v are the projections before RoPE, rot_q/rot_k after it; the gated MLP as TransformerLens'
    GatedMLP (pre = gate before SiLU, pre_linear = up, post = SiLU(gate) * up)."""
    model = tiny_model()
    _, cache = run_recorded(model, input_ids=torch.arange(3, 10)[None])
    a, m, attn = "blocks.0.attn.", "blocks.0.mlp.", model.blocks[0].attn
    normed = cache["blocks.0.hook_attn_norm"]
    assert_close(cache[a + "hook_q"], attn.q_proj(normed).view(1, 7, 4, 16).transpose(1, 2), "q before RoPE")
    cos, sin = cache["rotary_emb.hook_cos"][:, None], cache["rotary_emb.hook_sin"][:, None]
    assert_close(cache[a + "hook_rot_q"], apply_rotary(cache[a + "hook_q"], cos, sin), "rot_q")
    assert_close(cache[a + "hook_rot_k"], apply_rotary(cache[a + "hook_k"], cos, sin), "rot_k")
    assert torch.equal(cache[a + "hook_k_repeated"][:, 1], cache[a + "hook_rot_k"][:, 0])   # heads 0, 1 share kv 0
    assert torch.equal(cache[a + "hook_v_repeated"][:, 3], cache[a + "hook_v"][:, 1])
    assert_close(cache[m + "hook_gate_act"], torch.nn.functional.silu(cache[m + "hook_pre"]), "SiLU gate")
    assert_close(cache[m + "hook_post"], cache[m + "hook_gate_act"] * cache[m + "hook_pre_linear"], "gate * up")


def test_lesson_keys_have_english_and_chinese_text():
    keys = {m.key for m in tiny_model().modules() if isinstance(m, HookPoint)}
    for key in keys:
        assert lesson_text(key, "en", "llama") and lesson_text(key, "zh", "llama"), key
    assert lesson_text("block.attn_norm_pre", "en", "llama") != lesson_text("block.attn_norm_pre", "en")  # RMSNorm


def test_config_reads_old_and_new_rope_fields():
    old = llama.LlamaConfig.from_dict({"hidden_size": 64, "num_attention_heads": 4, "rope_theta": 500000.0,
                                       "rope_scaling": {"rope_type": "linear", "factor": 2.0}})
    new = llama.LlamaConfig.from_dict({"hidden_size": 64, "num_attention_heads": 4,
                                       "rope_parameters": {"rope_type": "linear", "rope_theta": 500000.0,
                                                           "factor": 2.0}})
    for config in (old, new):
        assert config.rope_theta == 500000.0 and config.rope_parameters == {"rope_type": "linear", "factor": 2.0}
        assert config.num_key_value_heads == 4 and config.head_dim == 16
    assert new.replace(rope_theta=10.0).rope_theta == 10.0
    assert llama.LlamaConfig.from_dict(llama.TINY_PRESETS["llama-tiny"]).max_length == 512
    with pytest.raises(ValueError, match="multiple"):
        llama.LlamaConfig(num_attention_heads=4, num_key_value_heads=3)


def test_old_checkpoint_buffers_and_prefixless_names_load():
    _, ours = reference_and_ours("gqa")
    state = {name.replace("model.", "", 1): tensor for name, tensor in
             transformers.LlamaForCausalLM(transformers.LlamaConfig(
                 vocab_size=VOCAB, max_position_embeddings=64, **CONFIGS["gqa"])).state_dict().items()}
    state["layers.0.self_attn.rotary_emb.inv_freq"] = torch.zeros(4)
    from engine.weights import load_hf_state_dict
    report = load_hf_state_dict(ours, state, llama.HF_RENAMES)
    assert report.dropped == ["layers.0.self_attn.rotary_emb.inv_freq"]



def test_load_tiny_preset_and_trace_text():
    import engine

    loaded = engine.load("llama-tiny")
    trace = loaded.trace(text="LLaMA rotates queries and keys. 旋转位置编码")
    assert trace.input_ids[0, 0].item() == loaded.tokenizer.role_id("bos")   # LLaMA's tokenizer prepends <s>
    assert trace.cache.names() == GOLDEN
    length = trace.input_ids.shape[1]
    assert trace.logits.shape == (1, length, loaded.config.vocab_size)
    assert trace.cache["blocks.3.attn.hook_pattern"].shape == (1, 4, length, length)
