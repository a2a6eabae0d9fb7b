"""T5 matches transformers' T5ForConditionalGeneration (T5 1.0: ReLU, tied head; v1.1: gated-GELU, untied head):
every encoder and decoder layer, all three kinds of attention, logits, and greedy generation with and without a
KV cache."""
import pytest
import torch
import transformers
from torch import nn

from engine.generation import greedy
from engine.hooks import name_hook_points, record
from engine.models import t5
from parity import assert_close, padded_batch, port, run_recorded

VOCAB = 97
VARIANTS = {  # name: (feed_forward_proj, tie_word_embeddings, encoder layers, decoder layers, heads, d_kv)
    "t5-1.0": ("relu", True, 2, 3, 4, 8),
    "t5-v1.1": ("gated-gelu", False, 3, 2, 3, 6),
}


def build_pair(variant: str, lively: bool = False):
    ffn, tied, enc_layers, dec_layers, heads, d_kv = VARIANTS[variant]
    torch.manual_seed(enc_layers * 7 + dec_layers)
    hf_config = transformers.T5Config(
        vocab_size=VOCAB, d_model=20, d_kv=d_kv, d_ff=37, num_layers=enc_layers, num_decoder_layers=dec_layers,
        num_heads=heads, relative_attention_num_buckets=8, relative_attention_max_distance=12,
        feed_forward_proj=ffn, tie_word_embeddings=tied, decoder_start_token_id=0, pad_token_id=0,
        eos_token_id=1, attn_implementation="eager")
    reference = transformers.T5ForConditionalGeneration(hf_config).eval()
    if not tied:   # transformers 5 ties the head whatever the config says; give v1.1 its own, as released
        reference.lm_head.weight = nn.Parameter(torch.empty(VOCAB, 20))
        torch.nn.init.normal_(reference.lm_head.weight)
    if lively:   # larger weights than HF's init, so greedy decoding does not repeat one token from the start
        with torch.no_grad():
            for name, param in reference.named_parameters():
                if "layer_norm" in name:
                    param.uniform_(0.5, 1.5)
                else:
                    big = name.startswith(("shared", "lm_head")) or "relative" in name
                    param.normal_(0.0, 1.0 if big else 0.3)
    # transformers 5's config.to_dict() reports tie_word_embeddings=True even for v1.1: set it as config.json has it
    config = t5.T5Config.from_dict(hf_config.to_dict()).replace(tie_word_embeddings=tied)
    ours = port(reference, t5, t5.T5(config))
    assert (ours.lm_head.proj.weight is ours.shared.weight) == tied
    return reference, ours


def sources():
    # short buckets (8, max distance 12) and 15 source tokens so the log-spaced buckets are exercised
    return padded_batch(VOCAB, lengths=(15, 9), seed=3)


def capture_block_outputs(stack):
    """HF's hidden_states apply the final norm to the last layer; capture every block's raw output instead."""
    captured = []
    handles = [block.register_forward_hook(lambda module, args, output: captured.append(output[0]))
               for block in stack.block]
    return captured, handles


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_t5_matches_reference(variant):
    reference, ours = build_pair(variant)
    _, _, enc_layers, dec_layers, _, _ = VARIANTS[variant]
    input_ids, attention_mask = sources()
    decoder_input_ids = torch.randint(2, VOCAB, (2, 14), generator=torch.Generator().manual_seed(5))
    decoder_input_ids[:, 0] = 0   # the start token
    encoder_blocks, h1 = capture_block_outputs(reference.encoder)
    decoder_blocks, h2 = capture_block_outputs(reference.decoder)
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask, decoder_input_ids=decoder_input_ids,
                             output_hidden_states=True, output_attentions=True, use_cache=False)
    for handle in h1 + h2:
        handle.remove()
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask,
                                  decoder_input_ids=decoder_input_ids)

    assert_close(cache["encoder.hook_embed"], expected.encoder_hidden_states[0], "encoder embeddings")
    assert_close(cache["decoder.hook_embed"], expected.decoder_hidden_states[0], "decoder embeddings")
    for i in range(enc_layers):
        assert_close(cache[f"encoder.blocks.{i}.hook_resid_post"], encoder_blocks[i], f"encoder layer {i}")
        if i + 1 < enc_layers:
            assert_close(cache[f"encoder.blocks.{i}.hook_resid_post"], expected.encoder_hidden_states[i + 1],
                         f"encoder hidden_states[{i + 1}]")
        assert_close(cache[f"encoder.blocks.{i}.attn.hook_pattern"], expected.encoder_attentions[i],
                     f"encoder layer {i} self-attention")
    assert_close(cache["encoder.hook_final_norm"], expected.encoder_last_hidden_state, "encoder output")
    assert_close(cache["encoder.hook_final_norm"], expected.encoder_hidden_states[-1], "encoder final norm")
    for i in range(dec_layers):
        assert_close(cache[f"decoder.blocks.{i}.hook_resid_post"], decoder_blocks[i], f"decoder layer {i}")
        assert_close(cache[f"decoder.blocks.{i}.attn.hook_pattern"], expected.decoder_attentions[i],
                     f"decoder layer {i} self-attention")
        assert_close(cache[f"decoder.blocks.{i}.cross_attn.hook_pattern"], expected.cross_attentions[i],
                     f"decoder layer {i} cross-attention")
    assert_close(cache["decoder.hook_final_norm"], expected.decoder_hidden_states[-1], "decoder final norm")
    assert_close(outputs["lm"], expected.logits, "LM logits")
    assert_close(outputs["encoder_hidden_states"], expected.encoder_last_hidden_state, "encoder_hidden_states")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_greedy_generation_matches_reference(variant):
    reference, ours = build_pair(variant, lively=True)
    input_ids, attention_mask = sources()
    with torch.no_grad():
        # no EOS: every row runs the full 16 steps, as greedy() does when given no eos_token_id
        expected = reference.generate(input_ids=input_ids, attention_mask=attention_mask, max_new_tokens=16,
                                      do_sample=False, eos_token_id=None, pad_token_id=0,
                                      decoder_start_token_id=0,
                                      use_cache=False)[:, 1:]   # HF 5 sizes its cache by the encoder depth
    assert expected.shape == (2, 16)
    for use_cache in (True, False):
        generated = greedy(ours, input_ids, max_new_tokens=16, use_cache=use_cache, attention_mask=attention_mask)
        assert torch.equal(generated, expected), f"use_cache={use_cache}"


def test_kv_cache_step_matches_full_run():
    _, ours = build_pair("t5-1.0")
    input_ids, attention_mask = sources()
    decoder_input_ids = torch.randint(2, VOCAB, (2, 6), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        full = ours(input_ids, attention_mask, decoder_input_ids)
        first = ours(input_ids, attention_mask, decoder_input_ids[:, :4], use_cache=True)
        step = ours(input_ids, attention_mask, decoder_input_ids[:, 4:], past_key_values=first["past_key_values"],
                    encoder_hidden_states=first["encoder_hidden_states"], use_cache=True)
    assert_close(step["lm"], full["lm"][:, 4:], "cached decoding")
    assert [tuple(k.shape) for k, _ in step["past_key_values"]] == [(2, 4, 6, 8)] * 3


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_fused_path_equals_recording_path(variant):
    _, ours = build_pair(variant)
    input_ids, attention_mask = sources()
    decoder_input_ids = torch.randint(2, VOCAB, (2, 5), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        fused = ours(input_ids, attention_mask, decoder_input_ids)
    recorded, _ = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask,
                               decoder_input_ids=decoder_input_ids)
    for key in ("lm", "encoder_hidden_states", "last_hidden_state"):
        assert_close(fused[key], recorded[key], key)


def test_relative_position_buckets():
    rel = torch.arange(-20, 21)[None]   # key - query
    both = t5.relative_position_bucket(rel, True, num_buckets=8, max_distance=12)[0].tolist()
    # 4 buckets per side: distances 0, 1 exact; 2..3 and 4..11 log-spaced; >= 12 in the last one
    assert both[20] == 0 and both[21] == 5 and both[19] == 1   # the right half starts at bucket 4
    assert set(both[:20]) <= {0, 1, 2, 3} and set(both[21:]) <= {4, 5, 6, 7}
    assert both[0] == both[20 - 12] == 3 and both[-1] == 7
    causal = t5.relative_position_bucket(rel, False, num_buckets=8, max_distance=12)[0].tolist()
    assert causal[20:] == [0] * 21                       # the future all looks alike (and is masked)
    assert causal[19] == 1 and causal[0] == 7            # the past: exact, then log-spaced, then capped


def test_position_bias_is_shared_and_not_changed_in_place():
    _, ours = build_pair("t5-1.0")
    input_ids, attention_mask = sources()
    _, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)
    bias = cache["encoder.blocks.0.attn.hook_position_bias"]
    buckets = cache["encoder.blocks.0.attn.hook_buckets"]
    assert cache.step("encoder.blocks.0.attn.hook_position_bias").dims == ("batch", "head", "q_pos", "k_pos")
    assert cache.step("encoder.blocks.0.attn.hook_buckets").dims == ("q_pos", "k_pos")
    assert buckets.dtype == torch.long and buckets.shape == (15, 15)
    table = ours.encoder.blocks[0].attn.relative_attention_bias.weight
    assert torch.equal(bias[0], table[buckets].permute(2, 0, 1))   # the recorded bias is still the looked-up one
    assert "encoder.blocks.1.attn.hook_position_bias" not in cache
    # later layers add the same bias: their scores + bias + mask reproduce their masked scores
    scores, masked = cache["encoder.blocks.1.attn.hook_scores"], cache["encoder.blocks.1.attn.hook_attn_scores"]
    keep = attention_mask.bool()[:, None, None, :].expand_as(masked)
    assert_close((scores + bias)[keep], masked[keep], "layer 1 reuses layer 0's bias")


BLOCK = ["hook_resid_pre", "hook_attn_norm", "attn.hook_buckets", "attn.hook_position_bias", "attn.hook_q",
         "attn.hook_k", "attn.hook_v", "attn.hook_scores", "attn.hook_mask", "attn.hook_attn_scores",
         "attn.hook_pattern", "attn.hook_z", "hook_attn_out", "hook_resid_mid"]
CROSS = ["hook_cross_norm", "cross_attn.hook_q", "cross_attn.hook_k", "cross_attn.hook_v", "cross_attn.hook_scores",
         "cross_attn.hook_mask", "cross_attn.hook_attn_scores", "cross_attn.hook_pattern", "cross_attn.hook_z",
         "hook_cross_attn_out", "hook_resid_mid_cross"]
MLP = ["hook_mlp_norm", "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out", "hook_resid_post"]


def golden_t5_tiny() -> list[str]:
    names = ["encoder.hook_embed"]
    for i in range(2):
        block = [n for n in BLOCK if i == 0 or "position_bias" not in n and "buckets" not in n]
        names += [f"encoder.blocks.{i}.{n}" for n in block + MLP]
    names += ["encoder.hook_final_norm", "decoder.hook_embed"]
    for i in range(2):
        block = [n for n in BLOCK if i == 0 or "position_bias" not in n and "buckets" not in n]
        names += [f"decoder.blocks.{i}.{n}" for n in block + CROSS + MLP]
    return names + ["decoder.hook_final_norm", "lm_head.hook_rescaled", "lm_head.hook_logits"]


def test_golden_hook_names_t5_tiny():
    config = t5.T5Config(vocab_size=50, **t5.TINY_PRESETS["t5-tiny"])
    model = t5.T5(config).eval()
    name_hook_points(model)
    input_ids = torch.randint(2, 50, (1, 7))
    with torch.no_grad(), record() as cache:
        model(input_ids, decoder_input_ids=torch.tensor([[0, 5, 6]]))
    assert cache.names() == golden_t5_tiny()
    assert cache.step("decoder.blocks.1.cross_attn.hook_pattern").key == "cross_attn.pattern"
    assert cache.step("decoder.blocks.1.cross_attn.hook_pattern").shape == (1, 4, 3, 7)
    assert cache.step("decoder.blocks.0.attn.hook_pattern").key == "attn.pattern"
    assert cache.step("decoder.blocks.0.hook_cross_attn_out").key == "cross_attn.out"
    b = "decoder.blocks.1."
    assert torch.allclose(cache[b + "hook_resid_mid_cross"],
                          cache[b + "hook_resid_mid"] + cache[b + "hook_cross_attn_out"])
    assert torch.allclose(cache[b + "hook_resid_post"], cache[b + "hook_resid_mid_cross"] + cache[b + "hook_mlp_out"])


def test_lesson_keys_have_texts():
    from engine.lessons import lesson_text

    tiny = {k: v for k, v in t5.TINY_PRESETS["t5-tiny"].items() if k != "feed_forward_proj"}
    keys = set()
    for ffn in ("relu", "gated-gelu"):   # T5 1.0 and v1.1
        model = t5.T5(t5.T5Config(vocab_size=50, feed_forward_proj=ffn, **tiny))
        keys |= {m.key for m in model.modules() if hasattr(m, "key")}
    for key in keys:
        assert lesson_text(key, "en", "t5") and lesson_text(key, "zh", "t5"), key


def test_gated_feed_forward_steps_are_transformer_lens_gated_mlp_steps():
    tiny = {k: v for k, v in t5.TINY_PRESETS["t5-tiny"].items() if k != "feed_forward_proj"}
    model = t5.T5(t5.T5Config(vocab_size=50, feed_forward_proj="gated-gelu", **tiny)).eval()
    name_hook_points(model)
    with torch.no_grad(), record() as cache:
        model(torch.randint(2, 50, (1, 5)), decoder_input_ids=torch.tensor([[0, 5]]))
    m, mlp = "encoder.blocks.0.mlp.", model.encoder.blocks[0].mlp
    normed = cache["encoder.blocks.0.hook_mlp_norm"]
    assert torch.allclose(cache[m + "hook_pre"], mlp.wi_0(normed))
    assert torch.allclose(cache[m + "hook_pre_linear"], mlp.wi_1(normed))
    assert torch.allclose(cache[m + "hook_gate_act"], mlp.act_fn(cache[m + "hook_pre"]))
    assert torch.allclose(cache[m + "hook_post"], cache[m + "hook_gate_act"] * cache[m + "hook_pre_linear"])
    assert torch.allclose(cache["encoder.blocks.0.hook_mlp_out"], mlp.wo(cache[m + "hook_post"]))


def test_trace_t5_tiny_translation():
    import engine

    loaded = engine.load("t5-tiny")
    trace = loaded.trace(text="translate English to German: The house is wonderful.",
                         text_pair="Das Haus ist wunderbar.")
    source = trace.input_ids.shape[1]
    decoder_tokens = trace.extras["decoder_tokens"]
    target = len(decoder_tokens)
    assert target >= 2 and trace.extras["labels"][-1] == loaded.tokenizer.role_id("eos")
    assert trace.extras["task_prefix"] == "translate English to German"
    cache = trace.cache
    assert cache["encoder.blocks.1.attn.hook_pattern"].shape == (1, 4, source, source)
    assert cache["decoder.blocks.1.attn.hook_pattern"].shape == (1, 4, target, target)
    assert cache["decoder.blocks.1.cross_attn.hook_pattern"].shape == (1, 4, target, source)
    assert cache["decoder.blocks.0.attn.hook_buckets"].shape == (target, target)
    assert trace.logits.shape == (1, target, loaded.config.vocab_size)
    causal = cache["decoder.blocks.0.attn.hook_pattern"][0, 0]
    assert torch.all(causal.triu(1) == 0)   # the decoder never sees the tokens it has yet to write
    plain = loaded.trace(text="The house is wonderful.")   # no prefix, no target: just the start token
    assert plain.extras["decoder_tokens"] == [loaded.tokenizer.id_to_token(loaded.config.decoder_start_token_id)]
    assert "task_prefix" not in plain.extras


def test_random_weights_draw_the_shared_table_at_the_references_scale():
    """transformers' T5 starts its shared embedding at N(0, 1) (the tied head reads it through d_model^-0.5); ours
    must too, or a T5 trained from scratch starts with every logit near zero."""
    from engine.api import init_weights

    config = t5.T5Config.from_dict(dict(vocab_size=500, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_heads=4))
    ours = t5.T5(config)
    init_weights(ours, seed=0)
    torch.manual_seed(0)
    theirs = transformers.T5ForConditionalGeneration(transformers.T5Config(
        vocab_size=500, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_heads=4))
    assert abs(ours.shared.weight.std().item() - theirs.shared.weight.std().item()) < 0.05
    assert ours.encoder.blocks[0].attn.q.weight.std().item() == pytest.approx(0.02, rel=0.1)
