"""Looking inside and intervening: the chapter's claims checked numerically (RoPE depends only on m - n, RMSNorm is
x / rms(x) * g, grouped heads share key/value heads), the logit lens, attention rollout and per-head summaries,
head ablation, blocked mask cells and replaced tokens, and the two commands."""
import json
import math

import pytest
import torch

import engine
from engine.__main__ import main
from engine.api import init_weights
from engine.demos import (grouping, norm_compare, norm_placement, rope_check, rope_families, rope_setup, rotated,
                          sharing)
from engine.hooks import name_hook_points, record
from engine.interventions import Intervention, ablate_heads, applied, attention_sites, compare, parse_heads
from engine.layers.attention import merge_heads
from engine.layers.norms import RMSNorm
from engine.lens import layer_logits, logit_lens
from engine.models import FAMILIES
from engine.rollout import head_summaries, pattern_summary, rollout, stack_patterns

TEXT = "The cat sat on the mat because it was tired."
_models: dict = {}


def load(name):
    if name not in _models:
        _models[name] = engine.load(name)
    return _models[name]


# ----------------------------------------------------------------------------------------------- RoPE
ROPE = rope_families()


def test_the_rope_families_are_found_in_the_models():
    assert {"llama", "chatglm"} <= set(ROPE)
    assert not {"bert", "gpt2", "t5", "glm"} & set(ROPE)


@pytest.mark.parametrize("family", sorted(ROPE))
def test_rope_score_depends_only_on_the_distance_in_every_rope_family(family):
    spec = FAMILIES[family]
    module = spec.model_cls(spec.config(spec.tiny_presets[ROPE[family]]))
    init_weights(module)
    name_hook_points(module)
    setup = rope_setup(module)
    # the check rotates with the model's own tables and pair layout: it reproduces the recorded rot_q
    ids = torch.arange(3, 12)[None]
    with torch.no_grad(), record({"blocks.0.attn.hook_q", "blocks.0.attn.hook_rot_q"}) as cache:
        module(ids)
    q, rot_q = cache["blocks.0.attn.hook_q"][0, 1], cache["blocks.0.attn.hook_rot_q"][0, 1]   # (T, hs)
    mine = torch.stack([rotated(setup, q[i], torch.tensor([i]))[0] for i in range(q.shape[0])])
    torch.testing.assert_close(mine, rot_q)

    check = rope_check(setup, m=9, n=4, positions=96)
    assert check.relative, (check.deviation, check.scale)
    for _a, _b, score in check.shifted:                       # (m + s, n + s): the same score, even at s = 1000
        assert score == pytest.approx(check.score, rel=1e-4, abs=1e-4)
    assert abs(check.scores[9, 5] - check.score) > 1e-3        # another distance, another score
    if family == "chatglm":
        assert check.interleaved and check.rot_dim == check.head_dim // 2   # half-rotary, interleaved pairs


# ----------------------------------------------------------------------------------------------- norms
def test_rmsnorm_output_equals_x_over_rms_times_gain():
    torch.manual_seed(0)
    x = torch.randn(3, 5, 16) * 3 + 1.5
    norm = RMSNorm(16, eps=1e-6)
    with torch.no_grad():
        norm.weight.copy_(torch.randn(16))
        expected = x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * norm.weight
        torch.testing.assert_close(norm(x), expected)


def test_layernorm_removes_the_mean_rmsnorm_keeps_it():
    result = norm_compare(torch.tensor([1.0, 2.0, 3.0, 10.0]))
    assert result.mean == pytest.approx(4.0)
    assert float(result.layer_norm.mean()) == pytest.approx(0.0, abs=1e-6)
    assert float(result.rms_norm.mean()) > 0.5                              # the mean survives, rescaled
    assert float(result.rms_norm.pow(2).mean()) == pytest.approx(1.0, abs=1e-4)


def test_pre_norm_stream_grows_with_depth_post_norm_stays_normalised():
    pre, post = norm_placement(depth=8, hidden=32, tokens=8, styles=("pre", "post"))
    assert pre.activation[-1] > pre.activation[0]
    assert max(post.activation) == pytest.approx(min(post.activation), rel=1e-3)   # LayerNorm'd: sqrt(H) each
    assert all(g > 0 for g in pre.gradient + post.gradient) and len(pre.gradient) == 8


def test_grouped_query_heads_share_key_value_heads_and_save_cache():
    g = grouping(heads=64, kv_heads=8, head_dim=128, layers=80)   # LLaMA-2 70B
    assert g.kv_of_query[:8] == [0] * 8 and g.kv_of_query[8] == 1 and g.kv_of_query[-1] == 7
    assert g.saved == pytest.approx(7 / 8) and g.kind == "grouped-query (GQA)"
    assert grouping(32, 1, 128, 28).kind == "multi-query (MQA)"


def test_albert_uses_one_weight_set_and_its_hidden_states_still_change():
    albert = load("albert-tiny")
    result = sharing(albert, albert.trace(text=TEXT))
    assert result.parameter_sets == 1 and result.layers == 4
    assert all(c < 1.0 - 1e-6 for c in result.cosine)


# ----------------------------------------------------------------------------------------------- logit lens
@pytest.mark.parametrize("name", ["bert-tiny", "gpt1-tiny", "llama-tiny", "t5-tiny", "glm-post-tiny"])
def test_logit_lens_at_the_last_layer_equals_the_logits(name):
    loaded = load(name)
    trace = loaded.trace(text="The cat sat on the [MASK].", text_pair="Die Katze" if name == "t5-tiny" else None)
    result = logit_lens(loaded, trace, top=3)
    torch.testing.assert_close(layer_logits(loaded, trace, result.steps[-1]), trace.logits[0].float())
    final = trace.logits[0, result.positions].argmax(-1)
    assert torch.equal(result.top_ids[-1, :, 0], final)
    assert result.layers[0] == "embeddings" and len(result.layers) == 1 + 4 - 2 * (name == "t5-tiny")
    assert torch.all(result.top_probs[:, :, :-1] >= result.top_probs[:, :, 1:])


def test_logit_lens_reads_mlm_heads_at_the_masks():
    result = logit_lens(load("bert-tiny"), text="The cat [MASK] on the [MASK].")
    assert [result.tokens[p] for p in result.positions] == ["[MASK]", "[MASK]"] and result.kind == "mlm"


# ----------------------------------------------------------------------------------------------- rollout, summaries
def test_rollout_rows_sum_to_one_and_start_from_the_first_layer():
    patterns = stack_patterns(load("gpt2-tiny").trace(text=TEXT).cache)      # (L, nh, T, T)
    flow = rollout(patterns)
    torch.testing.assert_close(flow.sum(-1), torch.ones(flow.shape[:2]))
    first = 0.5 * patterns[0].mean(0) + 0.5 * torch.eye(patterns.shape[-1])
    torch.testing.assert_close(flow[0], first / first.sum(-1, keepdim=True))
    assert torch.all(flow.triu(1) == 0)                                       # causal all the way through


def test_head_summaries_of_known_patterns():
    length = 8
    diagonal = torch.eye(length)[None]
    uniform = torch.full((1, length, length), 1 / length)
    numbers = pattern_summary(torch.cat([diagonal, uniform]), special=[0])
    assert numbers["entropy"].tolist() == pytest.approx([0.0, math.log2(length)], abs=1e-5)
    assert numbers["distance"][0] == 0 and numbers["self"][0] == 1
    assert numbers["special"].tolist() == pytest.approx([1 / length, 1 / length])
    summaries = head_summaries(load("bert-tiny").trace(text=TEXT), load("bert-tiny").tokenizer)
    assert len(summaries) == 4 * 4 and summaries[5].layer == 1 and summaries[5].head == 1


# ----------------------------------------------------------------------------------------------- interventions
def test_ablating_every_head_of_a_layer_leaves_only_the_projection_bias_and_changes_the_logits():
    loaded = engine.load("bert-tiny")   # its own copy: the bias is changed below
    with torch.no_grad():
        loaded.module.blocks[1].attn.output.bias.copy_(torch.linspace(-1, 1, 64))
    before = loaded.trace(text=TEXT)
    result = ablate_heads(loaded, "2.*", text=TEXT, before=before)
    attn_out = result.after.cache["blocks.1.hook_attn_out"][0]                # (T, H)
    torch.testing.assert_close(attn_out, loaded.module.blocks[1].attn.output.bias.expand_as(attn_out))
    torch.testing.assert_close(result.after.cache["blocks.0.hook_attn_out"], before.cache["blocks.0.hook_attn_out"])
    assert result.logit_change > 1e-4 and not torch.equal(result.after.logits, before.logits)
    # the hooks are gone afterwards: a plain run gives the first run's logits again
    torch.testing.assert_close(loaded.trace(text=TEXT).logits, before.logits)


def test_an_intervention_acts_only_in_the_thread_that_installed_it():
    import threading

    loaded = load("gpt2-tiny")
    before = loaded.trace(text=TEXT)
    intervention = Intervention(heads={"blocks.0.attn": [0, 1, 2, 3]})
    seen = {}
    with applied(loaded.module, intervention, attention_sites(before.cache)):
        worker = threading.Thread(target=lambda: seen.update(logits=loaded.trace(text=TEXT).logits))
        worker.start()
        worker.join()
    torch.testing.assert_close(seen["logits"], before.logits)


def test_albert_ablation_hits_only_the_chosen_depth_of_its_shared_layer():
    loaded = load("albert-tiny")
    before = loaded.trace(text=TEXT)
    result = ablate_heads(loaded, "2.*", text=TEXT, before=before)
    cache = result.after.cache
    assert torch.equal(cache["blocks.0.hook_attn_out"], before.cache["blocks.0.hook_attn_out"])
    assert cache["blocks.1.hook_attn_out"].abs().max() == 0                  # random weights: zero biases
    assert cache["blocks.2.hook_attn_out"].abs().max() > 0


def test_mean_ablation_replaces_a_head_by_its_mean_over_positions():
    loaded = load("llama-tiny")
    result = compare(loaded, Intervention(heads={"blocks.2.attn": [1]}, mode="mean"), text=TEXT)
    z = result.after.cache["blocks.2.attn.hook_z"].clone()                   # (1, nh, T, hs), before the hook
    z[:, 1] = z[:, 1].mean(dim=1, keepdim=True)
    expected = loaded.module.blocks[2].attn.o_proj(merge_heads(z))
    torch.testing.assert_close(result.after.cache["blocks.2.hook_attn_out"], expected)
    assert result.pattern("blocks.3.attn", "diff").abs().max() > 0           # later layers see the change


def test_blocked_mask_cells_get_no_attention_and_rows_still_sum_to_one():
    loaded = load("gpt2-tiny")
    result = compare(loaded, Intervention(blocked=[(3, 0), (3, 2)]), text=TEXT)
    for site, _heads in result.sites:
        pattern = result.pattern(site, "after")
        assert pattern[:, 3, 0].abs().max() == 0 and pattern[:, 3, 2].abs().max() == 0
        torch.testing.assert_close(pattern.sum(-1), torch.ones(pattern.shape[:2]))
    assert result.pattern("blocks.0.attn", "before")[:, 3, 0].min() > 0


def test_replacing_a_token_reruns_with_the_new_id():
    loaded = load("gpt2-tiny")
    new_id = loaded.tokenizer.encode(" dog").ids[0]
    result = compare(loaded, Intervention(replace={1: new_id}), text=TEXT)
    assert int(result.after.input_ids[0, 1]) == new_id != int(result.before.input_ids[0, 1])
    assert result.after.tokens[1] == loaded.tokenizer.id_to_token(new_id)
    assert result.logit_change > 0


def test_head_numbers_are_counted_from_one_and_checked():
    sites = attention_sites(load("t5-tiny").trace(text=TEXT, text_pair="Die Katze").cache)
    assert parse_heads("1.2, decoder:2.1, cross:1.*", sites) == {
        "encoder.blocks.0.attn": [1], "decoder.blocks.1.attn": [0], "decoder.blocks.0.cross_attn": [0, 1, 2, 3]}
    for bad in ("3.1", "1.5", "0.1", "1", "side:1.1", ""):
        with pytest.raises(engine.errors.InputError):
            parse_heads(bad, sites)


# ----------------------------------------------------------------------------------------------- commands
def test_lens_and_ablate_commands(capsys):
    assert main(["lens", "--model", "gpt2-tiny", "--text", "The cat sat", "--top", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["layer"] for row in data["layers"]] == ["embeddings", "layer 1", "layer 2", "layer 3", "layer 4"]
    assert len(data["layers"][0]["positions"][0]["top"]) == 2
    assert main(["ablate", "--model", "gpt2-tiny", "--text", "The cat sat", "--heads", "1.2,2.1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["heads"] == {"blocks.0.attn": [2], "blocks.1.attn": [1]} and data["max_logit_change"] > 0
    assert main(["ablate", "--model", "gpt2-tiny", "--text", "The cat", "--heads", "1.1", "--mode", "mean"]) == 0
    assert "before:" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["ablate", "--model", "gpt2-tiny", "--text", "The cat", "--heads", "9.1"],
    ["ablate", "--model", "gpt2-tiny", "--text", "The cat", "--heads", "1.9"],
    ["ablate", "--model", "gpt2-tiny", "--text", "The cat", "--heads", "one"],
    ["ablate", "--model", "gpt2-tiny", "--text", "The cat", "--heads", "1.1", "--mode", "half"],
    ["lens", "--model", "minilm", "--text", "The cat"],
    ["lens", "--model", "gpt2-tiny", "--text", "The cat", "--top", "0"],
])
def test_command_errors_are_one_line_with_status_2(argv, capsys):
    try:
        status = main(argv)
    except SystemExit as exit_:   # a usage mistake argparse finds
        status = exit_.code
    assert status == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("error:") and "Traceback" not in captured.err
