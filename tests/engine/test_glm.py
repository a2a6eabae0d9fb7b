"""ChatGLM2/3 matches transformers' GlmForCausalLM (every layer, every attention map, the logits, generation with
and without a KV cache). The original GLM has no reference class: it is checked against the paper by property
(Figure 2's layout exactly; Part A never sees Part B, for every norm placement)."""
import json
import math

import pytest
import torch
import transformers

from engine.api import init_weights
from engine.generation import fill_blank, greedy
from engine.hooks import HookPoint, name_hook_points, record
from engine.models import FAMILIES, glm
from engine.models.llama import _position_ids as llama_position_ids
from parity import assert_close, padded_batch, port, randomised, run_recorded

VOCAB = 97
NORM_STYLES = ("pre", "post", "deepnorm")

# (hidden, layers, heads, kv heads, head_dim, intermediate, partial_rotary_factor, attention_bias, tied)
CHATGLM_SIZES = [
    (32, 2, 4, 2, 8, 40, 0.5, True, False),     # ChatGLM2's shape in small: 2 key/value groups, half rotary
    (30, 3, 6, 3, 5, 37, 0.5, True, False),     # head_dim 5 -> rot_dim 2: odd sizes, heads not a power of two
    (48, 2, 3, 1, 16, 64, 1.0, False, True),    # one key/value head (true multi-query), full rotary, tied head
]


def chatglm_reference(hidden=32, layers=2, heads=4, kv_heads=2, head_dim=8, intermediate=40, partial=0.5,
                      bias=True, tied=False, seed=0):
    torch.manual_seed(seed)
    hf_config = transformers.GlmConfig(
        vocab_size=VOCAB, hidden_size=hidden, intermediate_size=intermediate, num_hidden_layers=layers,
        num_attention_heads=heads, num_key_value_heads=kv_heads, head_dim=head_dim, max_position_embeddings=64,
        attention_bias=bias, tie_word_embeddings=tied, pad_token_id=0, eos_token_id=1, rms_norm_eps=1e-5,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": partial},
        attn_implementation="eager")
    reference = transformers.GlmForCausalLM(hf_config).eval()
    with torch.no_grad():   # RMSNorm gains and q/k/v biases away from their init so a slip would show
        for name, param in reference.named_parameters():
            if name.endswith("layernorm.weight") or name.endswith("norm.weight"):
                param.normal_(1.0, 0.2)
            elif name.endswith("bias"):
                param.normal_(0.0, 0.2)
    ours = port(reference, glm, glm.ChatGLM(glm.ChatGLMConfig.from_dict(hf_config.to_dict())))
    return reference, ours


def tiny_glm(norm_style="pre", vocab_size=VOCAB, **changes):
    values = dict(glm.TINY_PRESETS["glm-tiny"], vocab_size=vocab_size, norm_style=norm_style, **changes)
    model = glm.GLM(glm.GLMConfig.from_dict(values))
    return randomised(model)


def tiny_chatglm(vocab_size=VOCAB):
    values = dict(glm.TINY_PRESETS["chatglm2-tiny"], vocab_size=vocab_size)
    model = glm.ChatGLM(glm.ChatGLMConfig.from_dict(values))
    init_weights(model, seed=0, std=0.1)
    name_hook_points(model)
    return model.eval()


# --- ChatGLM2/3: parity with transformers ------------------------------------------------------------------------

@pytest.mark.parametrize("hidden,layers,heads,kv_heads,head_dim,intermediate,partial,bias,tied", CHATGLM_SIZES)
def test_chatglm_matches_reference(hidden, layers, heads, kv_heads, head_dim, intermediate, partial, bias, tied):
    reference, ours = chatglm_reference(hidden, layers, heads, kv_heads, head_dim, intermediate, partial, bias, tied)
    input_ids, attention_mask = padded_batch(VOCAB)   # right padding
    # transformers' forward numbers positions 0..T-1 even on padding; ours gives padding position 0 (as its
    # generate does). Hand it the same positions so the padded rows compare too.
    position_ids = llama_position_ids(attention_mask, 0, input_ids.shape[1], "cpu")
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                             output_hidden_states=True, output_attentions=True)
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)

    assert len(expected.hidden_states) == layers + 1 and len(expected.attentions) == layers
    assert_close(cache["hook_embed"], expected.hidden_states[0], "embeddings")
    for i in range(layers - 1):
        assert_close(cache[f"blocks.{i}.hook_resid_post"], expected.hidden_states[i + 1], f"layer {i} hidden states")
    # transformers puts the final RMSNorm's output in the last slot of hidden_states
    assert_close(cache["hook_final_norm"], expected.hidden_states[layers], "final norm")
    for i in range(layers):
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"layer {i} attention")
    assert_close(outputs["lm"], expected.logits, "logits")


def test_chatglm_records_rotary_and_grouped_steps():
    reference, ours = chatglm_reference()
    input_ids, _ = padded_batch(VOCAB, lengths=(7,))
    _, cache = run_recorded(ours, input_ids=input_ids)
    config = ours.config
    rot = config.rotary_dim
    assert rot == config.head_dim // 2
    cos, sin = cache["rotary_emb.hook_cos"], cache["rotary_emb.hook_sin"]
    assert cos.shape == (1, 7, rot) and cache.step("rotary_emb.hook_cos").dims == ("batch", "pos", "rot_dim")
    assert torch.equal(cos[..., 0::2], cos[..., 1::2])   # interleaved: each frequency twice, side by side
    attn = "blocks.0.attn."
    q_pre, q = cache[attn + "hook_q"], cache[attn + "hook_rot_q"]
    assert torch.equal(q_pre[..., rot:], q[..., rot:])   # the second half of each head is not turned
    # the first half: pairs (x[2j], x[2j+1]) turned by the angle m * theta_j
    x0, x1 = q_pre[..., 0:rot:2], q_pre[..., 1:rot:2]
    c, s = cos[:, None, :, 0::2], sin[:, None, :, 0::2]
    assert_close(q[..., 0:rot:2], x0 * c - x1 * s, "rotated even dims")
    assert_close(q[..., 1:rot:2], x1 * c + x0 * s, "rotated odd dims")
    # grouped keys/values: 2 groups before repeat_kv, 4 heads after, each group shared by 2 query heads
    k_grouped, k = cache[attn + "hook_rot_k"], cache[attn + "hook_k_repeated"]
    assert k_grouped.shape[1] == config.num_key_value_heads and k.shape[1] == config.num_attention_heads
    assert cache[attn + "hook_k"].shape == k_grouped.shape   # before RoPE, per key/value group too
    assert torch.equal(k[:, 0], k_grouped[:, 0]) and torch.equal(k[:, 1], k_grouped[:, 0])
    assert torch.equal(cache[attn + "hook_v_repeated"][:, 3], cache[attn + "hook_v"][:, 1])
    mlp = "blocks.0.mlp."
    assert_close(cache[mlp + "hook_gate_act"], torch.nn.functional.silu(cache[mlp + "hook_pre"]), "SiLU gate")
    assert_close(cache[mlp + "hook_post"], cache[mlp + "hook_gate_act"] * cache[mlp + "hook_pre_linear"],
                 "gate * up")


def test_chatglm_fused_path_equals_recording_path():
    _, ours = chatglm_reference(seed=3)
    input_ids, attention_mask = padded_batch(VOCAB)
    with torch.no_grad():
        fused = ours(input_ids=input_ids, attention_mask=attention_mask)
    recorded, _ = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)
    assert_close(fused["lm"], recorded["lm"], "logits, fused vs recorded")


def test_chatglm_kv_cache_and_generation_match_reference():
    reference, ours = chatglm_reference(seed=1)
    prompt, _ = padded_batch(VOCAB, lengths=(6,), seed=2)
    with torch.no_grad():
        full = ours(prompt)["lm"]
        step = ours(prompt[:, :4], use_cache=True)
        past = step["past_key_values"]
        assert len(past) == ours.config.num_hidden_layers
        assert past[0][0].shape == (1, ours.config.num_key_value_heads, 4, ours.config.head_dim)
        for t in range(4, 6):   # positions continue from the cached length
            step = ours(prompt[:, t:t + 1], past_key_values=past, use_cache=True)
            past = step["past_key_values"]
            assert_close(step["lm"][:, -1], full[:, t], f"cached logits at {t}")
        expected = reference.generate(prompt, max_new_tokens=6, do_sample=False, eos_token_id=None,
                                      pad_token_id=0)[:, prompt.shape[1]:]
    assert torch.equal(greedy(ours, prompt, 6, use_cache=True), expected)
    assert torch.equal(greedy(ours, prompt, 6, use_cache=False), expected)


# --- GLM: blank infilling by the paper ----------------------------------------------------------------------------

X = {f"x{i}": 10 + i for i in range(1, 7)}   # x1..x6 -> ids 11..16
M, S, E = 1, 2, 3                              # [MASK], [START], [END]


def test_blank_infilling_reproduces_the_papers_figure_2():
    """Figure 2: x1..x6, spans [x3] and [x5, x6]. The figure lists Part B with the spans permuted ([x5 x6]
    first); Part B follows the order the spans are given, so we give them in the figure's order."""
    ids = [X[f"x{i}"] for i in range(1, 7)]
    layout = glm.blank_infilling(ids, [(4, 6), (2, 3)], mask_id=M, start_id=S, end_id=E)
    x1, x2, x3, x4, x5, x6 = ids
    assert layout["part_a_length"] == 5
    assert layout["input_ids"].tolist() == [x1, x2, M, x4, M,      # Part A: x1 x2 [M] x4 [M]
                                            S, x5, x6, S, x3]      # Part B: [S] x5 x6 [S] x3
    assert layout["targets"].tolist() == [-100] * 5 + [x5, x6, E, x3, E]
    # The figure counts positions from 1 (1 2 3 4 5 | 5 5 5 3 3); GLM's code, and we, from 0.
    assert layout["position_ids"].tolist() == [[0, 1, 2, 3, 4, 4, 4, 4, 2, 2],
                                               [0, 0, 0, 0, 0, 1, 2, 3, 1, 2]]
    expected = torch.tensor([
        # x1 x2 M  x4 M  S  x5 x6 S  x3      key ->      query:
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],    # x1   Part A sees all of Part A, none of Part B
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],    # x2
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],    # [M]
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],    # x4
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],    # [M]
        [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],    # [S]  Part B sees Part A and Part B up to itself
        [1, 1, 1, 1, 1, 1, 1, 0, 0, 0],    # x5
        [1, 1, 1, 1, 1, 1, 1, 1, 0, 0],    # x6
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 0],    # [S]  (the earlier span included)
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],    # x3
    ], dtype=torch.bool)
    assert layout["attention_mask"].dtype == torch.bool
    assert torch.equal(layout["attention_mask"], expected)


def test_blank_infilling_in_text_order_and_refuses_bad_spans():
    ids = [X[f"x{i}"] for i in range(1, 7)]
    layout = glm.blank_infilling(ids, [(2, 3), (4, 6)], M, S, E)
    assert layout["input_ids"].tolist()[5:] == [S, X["x3"], S, X["x5"], X["x6"]]
    assert layout["position_ids"].tolist() == [[0, 1, 2, 3, 4, 2, 2, 4, 4, 4], [0, 0, 0, 0, 0, 1, 2, 1, 2, 3]]
    from engine.errors import InputError
    for spans in ([(1, 3), (2, 4)], [(3, 3)], [(5, 7)]):
        with pytest.raises(InputError):
            glm.blank_infilling(ids, spans, M, S, E)


def _layout_batch(seed=0):
    """Figure 2's layout with random token ids."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(4, VOCAB, (6,), generator=generator).tolist()
    layout = glm.blank_infilling(ids, [(4, 6), (2, 3)], M, S, E)
    return layout["input_ids"][None], layout["position_ids"][None], layout["part_a_length"]


@pytest.mark.parametrize("norm_style", NORM_STYLES)
def test_part_a_never_sees_part_b(norm_style):
    model = tiny_glm(norm_style)
    input_ids, position_ids, n_a = _layout_batch()
    changed = input_ids.clone()
    changed[0, n_a:] = torch.randint(4, VOCAB, (changed.shape[1] - n_a,), generator=torch.Generator().manual_seed(9))
    assert not torch.equal(changed, input_ids)
    out, cache = run_recorded(model, input_ids=input_ids, position_ids=position_ids, part_a_length=n_a)
    out2, cache2 = run_recorded(model, input_ids=changed, position_ids=position_ids, part_a_length=n_a)
    layer_out = "hook_resid_post" if norm_style == "pre" else "hook_normalized_resid_post"
    for i in range(4):
        assert_close(cache2[f"blocks.{i}.{layer_out}"][:, :n_a], cache[f"blocks.{i}.{layer_out}"][:, :n_a],
                     f"{norm_style}: layer {i}, Part A", atol=1e-6)
    assert_close(out2["lm"][:, :n_a], out["lm"][:, :n_a], f"{norm_style}: Part A logits", atol=1e-6)
    assert (out2["lm"][:, n_a:] - out["lm"][:, n_a:]).abs().max() > 1e-3   # Part B did change

    # Part B is causal: changing its last token leaves every earlier position alone ...
    last = input_ids.clone()
    last[0, -1] = (last[0, -1] + 1) % VOCAB
    out3, _ = run_recorded(model, input_ids=last, position_ids=position_ids, part_a_length=n_a)
    assert_close(out3["lm"][:, :-1], out["lm"][:, :-1], f"{norm_style}: before the last token", atol=1e-6)
    # ... and Part A is bidirectional: its last token reaches its first
    first = input_ids.clone()
    first[0, n_a - 2] = (first[0, n_a - 2] + 1) % VOCAB
    out4, _ = run_recorded(model, input_ids=first, position_ids=position_ids, part_a_length=n_a)
    assert (out4["lm"][:, 0] - out["lm"][:, 0]).abs().max() > 1e-3


@pytest.mark.parametrize("norm_style", NORM_STYLES)
def test_glm_fused_path_equals_recording_path_and_cache_continues(norm_style):
    model = tiny_glm(norm_style)
    input_ids, position_ids, n_a = _layout_batch(1)
    batch = torch.cat((input_ids, input_ids.flip(1)))   # two rows; the second padded at the end
    attention_mask = torch.ones_like(batch)
    attention_mask[1, -2:] = 0
    with torch.no_grad():
        fused = model(batch, attention_mask=attention_mask, position_ids=position_ids, part_a_length=n_a)
    recorded, cache = run_recorded(model, input_ids=batch, attention_mask=attention_mask, position_ids=position_ids,
                                   part_a_length=n_a)
    assert_close(fused["lm"], recorded["lm"], f"{norm_style}: fused vs recorded")
    # the recorded masks: the 2D mask on its own, then combined with padding inside attention
    layout_mask = glm.blank_infilling(list(range(4, 10)), [(4, 6), (2, 3)], M, S, E)["attention_mask"]
    assert torch.equal(cache["hook_glm_mask"][0], layout_mask)
    assert torch.equal(cache["blocks.0.attn.hook_mask"][1, 0], layout_mask & attention_mask[1].bool()[None])
    assert cache["hook_position_ids"].dtype == torch.long
    assert torch.equal(cache["hook_position_ids"][0], position_ids[0])

    # KV cache: Part A and the first pieces at once, the rest one token at a time
    with torch.no_grad():
        step = model(input_ids[:, :7], position_ids=position_ids[:, :, :7], part_a_length=n_a, use_cache=True)
        past = step["past_key_values"]
        for t in range(7, input_ids.shape[1]):
            step = model(input_ids[:, t:t + 1], position_ids=position_ids[:, :, t:t + 1], part_a_length=n_a,
                         past_key_values=past, use_cache=True)
            past = step["past_key_values"]
            assert_close(step["lm"][:, -1], fused["lm"][:1, t], f"{norm_style}: cached logits at {t}")


def test_norm_styles_differ_where_they_should():
    pre, post, deep = (tiny_glm(style) for style in NORM_STYLES)
    assert hasattr(pre, "final_layernorm") and not hasattr(post, "final_layernorm")
    assert deep.config.residual_alpha == pytest.approx(math.sqrt(2 * 4)) and post.config.residual_alpha == 1.0
    for model in (pre, post, deep):
        assert model.config.norm_note == glm.NORM_NOTES[model.config.norm_style]
    assert glm.GLMConfig.from_dict(glm.TINY_PRESETS["glm-tiny"]).norm_style == "pre"
    input_ids, position_ids, n_a = _layout_batch()
    _, cache = run_recorded(deep, input_ids=input_ids, position_ids=position_ids, part_a_length=n_a)
    alpha = math.sqrt(8)
    assert_close(cache["blocks.1.hook_resid_mid"],
                 alpha * cache["blocks.0.hook_normalized_resid_post"] + cache["blocks.1.hook_attn_out"],
                 "DeepNorm residual", atol=1e-5)
    assert torch.equal(cache["blocks.0.hook_normalized_resid_post"], cache["blocks.1.hook_resid_pre"])
    assert deep.blocks[1].hook_resid_mid.key == "glm.deepnorm_add"
    assert post.blocks[1].hook_resid_mid.key == "block.attn_add"
    assert_close(cache["hook_embed_sum"], cache["hook_embed"] + cache["hook_pos_embed"] + cache["hook_block_pos_embed"],
                 "token + two position tables")
    # the output layer is the token embedding matrix
    assert deep.lm_head.weight is deep.embeddings.token.weight
    with pytest.raises(ValueError):
        glm.GLMConfig(norm_style="sandwich")


def test_glm_greedy_without_layout_is_left_to_right_and_fill_blank_uses_2d_positions():
    model = tiny_glm()
    prompt = torch.randint(4, VOCAB, (1, 5), generator=torch.Generator().manual_seed(4))
    assert torch.equal(greedy(model, prompt, 4, use_cache=True), greedy(model, prompt, 4, use_cache=False))

    input_ids, position_ids, n_a = _layout_batch()
    # stop after x5 x6's piece: generate the last span ([S] x3 ...) ourselves
    cached = fill_blank(model, input_ids[:, :9], position_ids[:, :, :9], n_a, max_new_tokens=4)
    plain = fill_blank(model, input_ids[:, :9], position_ids[:, :, :9], n_a, max_new_tokens=4, use_cache=False)
    assert torch.equal(cached, plain) and cached.shape == (1, 4)
    # its first new token is what the model predicts after [S] at the [MASK] of x3 (position 2, in-span 1)
    with torch.no_grad():
        logits = model(input_ids[:, :9], position_ids=position_ids[:, :, :9], part_a_length=n_a)["lm"]
    assert int(cached[0, 0]) == int(logits[0, -1].argmax())


def test_glm_renames_cover_a_thudm_checkpoint():
    """THUDM's GLM names (glm-10b and its Megatron ancestors) load through the same table, strictly."""
    source = tiny_glm()
    ours_to_theirs = [
        ("embeddings.token.", "word_embeddings."),
        ("embeddings.position.", "transformer.position_embeddings."),
        ("embeddings.block_position.", "transformer.block_position_embeddings."),
        ("final_layernorm.", "transformer.final_layernorm."),
    ]
    state = {}
    for name, tensor in source.state_dict().items():
        if name == "lm_head.weight":
            continue   # GLM has no separate output matrix
        for ours, theirs in ours_to_theirs:
            name = name.replace(ours, theirs) if name.startswith(ours) else name
        if name.startswith("blocks."):
            _, index, rest = name.split(".", 2)
            name = f"glm.transformer.layers.{index}." + rest.replace("attn.", "attention.")
        state[name] = tensor
    assert any(k.startswith("glm.transformer.layers.0.attention.query_key_value") for k in state)
    target = glm.GLM(source.config)
    port(_StateDict(state), glm, target)
    input_ids, position_ids, n_a = _layout_batch()
    with torch.no_grad():
        assert_close(target(input_ids, position_ids=position_ids, part_a_length=n_a)["lm"],
                     source(input_ids, position_ids=position_ids, part_a_length=n_a)["lm"], "reloaded GLM")


class _StateDict:
    def __init__(self, state):
        self._state = state

    def state_dict(self):
        return self._state


# --- golden hook names --------------------------------------------------------------------------------------------

def _names(model, **inputs):
    with torch.no_grad(), record() as cache:
        model(**inputs)
    return cache.names()


ATTN = ["attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_scores", "attn.hook_scaled", "attn.hook_mask",
        "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z"]


def test_golden_hook_names_glm_tiny():
    input_ids, position_ids, n_a = _layout_batch()
    block = (["hook_resid_pre", "hook_attn_norm"] + ATTN + ["hook_attn_out", "hook_resid_mid", "hook_mlp_norm",
                                                            "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out",
                                                            "hook_resid_post"])
    expected = (["hook_position_ids", "hook_glm_mask", "hook_embed", "hook_pos_embed", "hook_block_pos_embed",
                 "hook_embed_sum"]
                + [f"blocks.{i}.{name}" for i in range(4) for name in block]
                + ["hook_final_norm", "lm_head.hook_logits"])
    assert _names(tiny_glm("pre"), input_ids=input_ids, position_ids=position_ids, part_a_length=n_a) == expected

    post_block = ["hook_resid_pre"] + ATTN + ["hook_attn_out", "hook_resid_mid", "hook_normalized_resid_mid",
                                              "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out", "hook_resid_post",
                                              "hook_normalized_resid_post"]
    expected_post = expected[:6] + [f"blocks.{i}.{name}" for i in range(4) for name in post_block] + [
        "lm_head.hook_logits"]
    for style in ("post", "deepnorm"):
        assert _names(tiny_glm(style), input_ids=input_ids, position_ids=position_ids,
                      part_a_length=n_a) == expected_post


def test_golden_hook_names_chatglm2_tiny():
    attn = (["attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_rot_q", "attn.hook_rot_k",
             "attn.hook_k_repeated", "attn.hook_v_repeated"] + ATTN[3:])
    block = (["hook_resid_pre", "hook_attn_norm"] + attn + ["hook_attn_out", "hook_resid_mid", "hook_mlp_norm",
                                                            "mlp.hook_pre", "mlp.hook_gate_act", "mlp.hook_pre_linear",
                                                            "mlp.hook_post", "hook_mlp_out", "hook_resid_post"])
    expected = (["hook_embed", "rotary_emb.hook_cos", "rotary_emb.hook_sin"]
                + [f"blocks.{i}.{name}" for i in range(4) for name in block]
                + ["hook_final_norm", "lm_head.hook_logits"])
    assert _names(tiny_chatglm(), input_ids=torch.tensor([[5, 6, 7]])) == expected


def test_lesson_keys_have_english_and_chinese_text():
    from engine.lessons import lesson_text

    for family, models in (("glm", [tiny_glm(style) for style in NORM_STYLES]), ("chatglm", [tiny_chatglm()])):
        keys = {m.key for model in models for m in model.modules() if isinstance(m, HookPoint)}
        for key in keys:
            assert lesson_text(key, "en", family) and lesson_text(key, "zh", family), (family, key)
    # one key, the family's own text: GLM's output layer, ChatGLM's interleaved half-head RoPE tables
    assert lesson_text("logits", "en", "glm") != lesson_text("logits", "en", "chatglm")
    assert lesson_text("rope.cos", "en", "chatglm") != lesson_text("rope.cos", "en", "llama")


# --- through the engine, with the real tokenizers -----------------------------------------------------------------

def test_presets_and_configs():
    assert {name: family for family in ("glm", "chatglm") for name in FAMILIES[family].tiny_presets} == {
        "glm-tiny": "glm", "glm-post-tiny": "glm", "glm-deepnorm-tiny": "glm", "chatglm2-tiny": "chatglm"}
    chat = dict(glm.TINY_PRESETS["chatglm2-tiny"])
    config = glm.ChatGLMConfig.from_dict(chat)
    assert config.num_key_value_heads < config.num_attention_heads and config.rotary_dim == config.head_dim // 2
    assert glm.GLMConfig.from_dict({"max_sequence_length": 256}).max_length == 256
    # transformers 5 keeps theta and the rotary fraction in rope_parameters
    hf = glm.ChatGLMConfig.from_dict({"rope_parameters": {"rope_theta": 500.0, "partial_rotary_factor": 1.0},
                                      "head_dim": 8})
    assert hf.rope_theta == 500.0 and hf.rotary_dim == 8


def _engine():
    import engine
    return engine


def test_glm_tiny_trace_shows_the_layout():
    engine = _engine()
    loaded = engine.load("glm-tiny")
    trace = loaded.trace(text="The cat sat on the [warm mat] today.")
    assert "hook_glm_mask" in trace.cache and "hook_position_ids" in trace.cache
    n_a = trace.extras["part_a_length"]
    ids = trace.input_ids[0].tolist()
    tokenizer = loaded.tokenizer
    assert len(trace.tokens) == len(ids)
    assert ids.count(tokenizer.role_id("mask")) == 1 and ids[n_a] == tokenizer.role_id("start")
    assert trace.extras["blank_rule"] == "brackets" and trace.extras["blanks"][0]["text"] == "warm mat"
    assert "warm" not in tokenizer.decode(ids[:n_a])
    assert not any(c in token for token in trace.tokens[1:n_a - 1] if token != "[MASK]" for c in "[]")
    mask = trace.cache["hook_glm_mask"][0]
    assert not mask[:n_a, n_a:].any() and mask[n_a:, :n_a].all()
    assert trace.cache["hook_position_ids"][0, 1, :n_a].eq(0).all()
    # the targets are Part B shifted by one, closed by [END]
    targets = trace.extras["targets"]
    assert targets[-1] == tokenizer.role_id("end") and targets[n_a:-1] == ids[n_a + 1:]
    json.dumps(trace.to_json())


def test_glm_blank_rules():
    engine = _engine()
    loaded = engine.load("glm-tiny")
    tokenizer = loaded.tokenizer
    start, mask = tokenizer.role_id("start"), tokenizer.role_id("mask")
    # rule 2: [MASK] in the text, contents from the second text
    prepared = loaded.prepare("Tsinghua is in [MASK] and [MASK].", "Beijing | China")
    ids = prepared.inputs["input_ids"][0].tolist()
    n_a = prepared.extras["part_a_length"]
    assert ids[:n_a].count(mask) == 2 and ids[n_a:].count(start) == 2
    assert [b["text"] for b in prepared.extras["blanks"]] == ["Beijing", "China"]
    assert tokenizer.decode(ids[n_a + 1:prepared.extras["blanks"][1]["part_b"][0]]).replace(" ", "") == "Beijing"
    # ... without contents: a lone [START] per blank
    prepared = loaded.prepare("清华大学在[MASK]。")
    ids = prepared.inputs["input_ids"][0].tolist()
    assert ids[prepared.extras["part_a_length"]:] == [start]
    # rule 3: nothing marked: the last ~15% of the words, as one span
    prepared = loaded.prepare("one two three four five six seven eight nine ten eleven twelve thirteen")
    assert prepared.extras["blank_rule"] == "tail" and prepared.extras["blanks"][0]["text"] == "twelve thirteen"
    with torch.no_grad():
        loaded.module(**prepared.inputs)


def test_chatglm2_tiny_trace_and_generation():
    engine = _engine()
    loaded = engine.load("chatglm2-tiny")
    trace = loaded.trace(text="清华大学在北京。")
    assert trace.logits.shape == (1, trace.input_ids.shape[1], loaded.config.vocab_size)
    assert "blocks.0.attn.hook_rot_k" in trace.cache
    prompt = trace.input_ids
    assert torch.equal(greedy(loaded.module, prompt, 3, use_cache=True), greedy(loaded.module, prompt, 3,
                                                                                  use_cache=False))


def test_a_saved_glm_checkpoint_loads_as_chatglm(tmp_path):
    """A Hugging Face folder of model_type "glm" (GLM-4 / converted ChatGLM) loads through engine.load."""
    import engine

    reference, _ = chatglm_reference(seed=5)
    reference.save_pretrained(tmp_path)
    loaded = engine.load(tmp_path)
    assert loaded.family.name == "chatglm" and loaded.weights == "real"
    input_ids, _ = padded_batch(VOCAB, lengths=(7,))
    trace = loaded.trace(input_ids=input_ids)
    with torch.no_grad():
        expected = reference(input_ids=input_ids).logits
    assert_close(trace.logits, expected, "logits of the loaded checkpoint")
