"""engine.graph: the architecture graph read from each preset's module and one forward pass on meta, its folding,
its parameter counts against engine.params, its step names against real traces, block comparisons in words, and
`python -m engine graph`."""
import json
import re
from collections import Counter
from functools import lru_cache

import networkx as nx
import pytest

import engine
from engine.__main__ import main
from engine.graph import EDGE_KINDS, NODE_KINDS, block_traits, build_graph, compare_blocks, node_for_step
from engine.params import account
from engine.presets import all_presets

PRESETS = sorted(all_presets())
TINY = sorted(name for name, preset in all_presets().items() if preset.is_tiny)
TEXT = "The cat sat on the mat."


@lru_cache(maxsize=None)
def traced_steps(name: str) -> tuple[str, ...]:
    return tuple(engine.load(name).trace(text=TEXT).cache.names())


def nodes_of_kind(graph, kind, parent=None):
    return [n for n, d in graph.nodes(data=True) if d["kind"] == kind and (parent is None or d["parent"] == parent)]


def listed_steps(graph):
    return [step for _, data in graph.nodes(data=True) for step in data["steps"]]


@pytest.mark.parametrize("name", PRESETS)
def test_node_parameters_sum_to_the_accounts_total_and_layers_fold(name):
    graph = build_graph(name)
    assert sum(d["params"] for _, d in graph.nodes(data=True)) == account(name).total_with_heads == \
        graph.graph["params"]
    assert {d["kind"] for _, d in graph.nodes(data=True)} <= set(NODE_KINDS)
    assert {d["kind"] for _, _, d in graph.edges(data=True)} <= set(EDGE_KINDS)
    blocks = nodes_of_kind(graph, "block")
    assert len(blocks) == len(graph.graph["stacks"])   # every preset's layers share one structure: one block each
    for block in blocks:
        stack = graph.nodes[block]["stack"]
        assert graph.nodes[block]["repeat"] == graph.graph["stacks"][stack]["depth"]
        assert nodes_of_kind(graph, "attention", block) and nodes_of_kind(graph, "mlp", block)


def test_bert_base_folds_twelve_layers_into_one_block_with_one_node_per_component():
    graph = build_graph("bert-base-uncased")
    (block,) = nodes_of_kind(graph, "block")
    assert block == "blocks.0-11" and graph.nodes[block]["repeat"] == 12
    kinds = Counter(graph.nodes[n]["kind"] for n in graph if graph.nodes[n]["parent"] == block)
    assert kinds == {"attention": 1, "mlp": 1, "norm": 2, "add": 2}
    attention = graph.nodes["blocks.0-11.attn"]
    assert attention["repeat"] == 12 and attention["params"] == 12 * 4 * (768 * 768 + 768)
    assert attention["params_each"] == 4 * (768 * 768 + 768)
    assert attention["shape"]["text"] == "(batch, pos, hidden) = (1, T, 768)"
    assert node_for_step(graph, "blocks.3.attn.hook_pattern") == "blocks.0-11.attn"
    assert node_for_step(graph, "blocks.3.hook_resid_mid") == "blocks.0-11.resid_mid"
    assert node_for_step(graph, "blocks.3.hook_resid_pre") == block
    head = graph.nodes["mlm_head"]
    assert head["tied_to"] == {"decoder.weight": "embeddings.token"}   # the decoder matrix counted once
    for node in ("embeddings.token", "embeddings.position", "embeddings.segment"):
        assert graph.has_edge(node, "embeddings.sum")

    unfolded = build_graph("bert-base-uncased", fold=False)
    assert len(nodes_of_kind(unfolded, "block")) == 12
    for layer in range(12):
        inside = [n for n, d in unfolded.nodes(data=True) if d["parent"] == f"blocks.{layer}"]
        assert Counter(unfolded.nodes[n]["kind"] for n in inside) == kinds
    assert node_for_step(unfolded, "blocks.3.hook_resid_mid") == "blocks.3.resid_mid"
    assert set(unfolded.predecessors("blocks.3.resid_mid")) == {"blocks.2.mlp_norm", "blocks.3.attn"}
    assert unfolded.edges["blocks.2.mlp_norm", "blocks.3.resid_mid"]["kind"] == "residual"
    assert unfolded.graph["params"] == graph.graph["params"]


def test_pre_and_post_norm_order_is_visible_in_the_edges():
    gpt1, gpt2 = build_graph("openai-gpt", fold=False), build_graph("gpt2", fold=False)
    # post-norm: the sum after attention is normalised, and the normalised stream is the next skip
    assert gpt1.has_edge("blocks.0.resid_mid", "blocks.0.ln_1") and gpt1.has_edge("blocks.0.ln_1", "blocks.0.mlp")
    assert gpt1.edges["blocks.0.ln_1", "blocks.0.resid_post"]["kind"] == "residual"
    # pre-norm: the norm feeds its sub-layer only; the stream skips it, and a final norm closes the stack
    assert list(gpt2.successors("blocks.0.ln_1")) == ["blocks.0.attn"]
    assert gpt2.edges["blocks.0.resid_mid", "blocks.0.resid_post"]["kind"] == "residual"
    assert gpt2.edges["embed_sum", "blocks.0.resid_mid"]["kind"] == "residual"
    assert "ln_f" in gpt2 and "ln_f" not in gpt1
    assert gpt2.has_edge("blocks.11.resid_post", "ln_f")


def test_t5_cross_attention_reads_the_encoder_in_every_decoder_block():
    unfolded = build_graph("t5-small", fold=False)
    for layer in range(6):
        target = f"decoder.blocks.{layer}.cross_attn"
        assert unfolded.nodes[target]["kind"] == "cross_attention"
        assert unfolded.edges["encoder.final_norm", target]["kind"] == "cross"
    folded = build_graph("t5-small")
    cross = [(u, v) for u, v, d in folded.edges(data=True) if d["kind"] == "cross"]
    assert cross == [("encoder.final_norm", "decoder.blocks.0-5.cross_attn")]
    assert {"encoder.blocks.0-5", "decoder.blocks.0-5"} <= set(nodes_of_kind(folded, "block"))
    assert folded.nodes["input.input_ids"]["shape"]["sizes"] == [1, "S"]
    assert folded.nodes["decoder.blocks.0-5.cross_attn"]["shape"]["sizes"] == [1, "T", 512]
    # the relative position bias lives in layer 0 and is used by every layer of its stack
    bias = folded.nodes["encoder.blocks.0.attn.relative_attention_bias"]
    assert bias["kind"] == "position_bias" and bias["params"] == 32 * 8 and bias["parent"] is None
    assert folded.edges["encoder.blocks.0.attn.relative_attention_bias", "encoder.blocks.0-5.attn"]["kind"] == \
        "position"
    # the shared table: counted once, by the encoder's lookup; T5 1.0's LM head is tied to it
    assert folded.nodes["decoder.embed.token"]["shared_with"] == "encoder.embed.token"
    assert folded.nodes["lm_head"]["tied_to"] == {"proj.weight": "encoder.embed.token"}

    expanded = build_graph("t5-small", expand=["decoder"])
    assert "encoder.blocks.0-5" in expanded and "decoder.blocks.5" in expanded
    assert sum(1 for _, _, d in expanded.edges(data=True) if d["kind"] == "cross") == 6


def test_albert_is_one_shared_block_applied_n_times():
    graph = build_graph("albert-base-v2")
    block = graph.nodes["blocks.0-11"]
    assert block["repeat"] == 12 and block["shared"]
    attention = graph.nodes["blocks.0-11.attn"]
    assert attention["shared"] and attention["parameter_sets"] == 1
    assert attention["params"] == attention["params_each"]   # counted once, applied 12 times
    assert block["params_inside"] == account("albert-base-v2").per_layer["layers"]["each_total"]
    assert graph.nodes["embed_proj"]["kind"] == "projection"
    unfolded = build_graph("albert-base-v2", fold=False)
    assert unfolded.nodes["blocks.5.attn"]["shared_with"] == "blocks.0.attn"
    assert unfolded.nodes["blocks.5.attn"]["params"] == 0


def test_gpt3_marks_its_dense_and_banded_layers():
    attention = build_graph("gpt3-175b").nodes["blocks.0-95.attn"]
    assert attention["variants"] == {"dense": list(range(0, 96, 2)), "banded": list(range(1, 96, 2))}
    unfolded = build_graph("gpt3-tiny", fold=False)
    for layer, block in enumerate(engine.load("gpt3-tiny").module.blocks):   # what each real layer records
        banded = block.attn.hook_mask.key == "attn.mask_banded"
        assert unfolded.nodes[f"blocks.{layer}.attn"]["variant"] == ("banded" if banded else "dense")
    assert "variants" not in build_graph("gpt2").nodes["blocks.0-11.attn"]


@pytest.mark.parametrize("name", TINY)
def test_every_step_of_a_tiny_trace_belongs_to_exactly_one_node(name):
    steps = traced_steps(name)
    for fold in (False, True):
        graph = build_graph(name, fold=fold)
        assert sorted(listed_steps(graph)) == sorted(steps)
        for step in steps:
            assert step in graph.nodes[node_for_step(graph, step)]["steps"]
    unfolded = build_graph(name, fold=False)
    assert nx.is_directed_acyclic_graph(unfolded)
    position = {step: index for index, step in enumerate(steps)}
    for _, data in unfolded.nodes(data=True):   # each node's steps in the order the trace recorded them
        assert [position[s] for s in data["steps"]] == sorted(position[s] for s in data["steps"])


@pytest.mark.parametrize("published, tiny", [("bert-base-uncased", "bert-tiny"), ("llama-2-70b", "llama-tiny"),
                                             ("t5-11b", "t5-tiny"), ("gpt3-175b", "gpt3-tiny"),
                                             ("chatglm3-6b", "chatglm2-tiny")])
def test_a_published_preset_names_its_steps_as_its_familys_tiny_trace(published, tiny):
    def pattern(steps):
        return {re.sub(r"blocks\.\d+", "blocks.N", step) for step in steps}
    graph = build_graph(published)
    assert pattern(listed_steps(graph)) <= pattern(traced_steps(tiny))   # the tiny BERT carries one head more
    depth = next(iter(graph.graph["stacks"].values()))["depth"]
    assert len(listed_steps(graph)) > depth * 10   # every layer's steps, not one layer's


def test_comparing_bert_with_llama_names_rmsnorm_prenorm_swiglu_rope_and_then_gqa():
    seven = compare_blocks("bert-base-uncased", "llama-2-7b")
    assert {"norm", "norm placement", "feed-forward", "position"} <= set(seven.aspects())
    words = {d.aspect: d.b for d in seven.differences}
    assert words["norm"] == "RMSNorm" and words["norm placement"].startswith("pre-norm")
    assert "SwiGLU" in words["feed-forward"] and "RoPE" in words["position"]
    assert "post-norm" in {d.aspect: d.a for d in seven.differences}["norm placement"]
    assert "attention" not in seven.aspects()   # both plain multi-head attention
    seventy = compare_blocks("bert-base-uncased", "llama-2-70b")
    attention = {d.aspect: d for d in seventy.differences}["attention"]
    assert attention.a.startswith("MHA") and attention.b.startswith("GQA") and "8 key/value" in attention.b


def test_comparisons_of_gpt_generations_glm_norm_styles_and_chatglm():
    assert compare_blocks("openai-gpt", "gpt2").aspects() == ["norm placement", "final norm"]
    assert compare_blocks("glm-tiny", "glm-post-tiny").aspects() == ["norm placement", "final norm"]
    deepnorm = compare_blocks("glm-post-tiny", "glm-deepnorm-tiny")
    assert deepnorm.aspects() == ["residual scale"]
    assert deepnorm.b.residual_scale == pytest.approx(8 ** 0.5)   # (2N)^0.5 with N = 4, not the probe's 2 layers
    chatglm = {d.aspect: d.a for d in compare_blocks("chatglm2-6b", "llama-3-8b").differences}
    assert "64 of 128" in chatglm["position"] and "q_proj/k_proj/v_proj" in chatglm["biases"]
    t5 = block_traits("t5-small", "decoder")
    assert t5.cross_attention and t5.position.startswith("relative position bias") and t5.biases == "no bias terms"
    assert block_traits("albert-base-v2").sharing == "1 parameter set(s) shared by 12 layers"
    assert "banded" in block_traits("gpt3-13b").layer_kinds


def test_an_analytic_preset_keeps_its_released_tensor_count():
    graph = build_graph("glm-130b")
    assert graph.nodes["released.final_norm"]["params"] == 2 * 12288   # in the released tensors, not in the class
    assert graph.nodes["embeddings.position"]["params"] == 0          # in the class, not in the released tensors
    assert any("analytic" in note for note in graph.graph["notes"])


def test_a_loaded_model_draws_from_its_own_config():
    loaded = engine.load("bert-tiny")
    graph = build_graph(loaded)
    unique = {id(p): p.numel() for p in loaded.module.parameters()}
    assert graph.graph["params"] == sum(unique.values())
    assert graph.graph["name"] == "bert-tiny"


def test_cli_prints_the_graph_as_json_and_text_and_fails_cleanly(capsys):
    assert main(["graph", "bert-base-uncased", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes["blocks.0-11"]["repeat"] == 12 and nodes["blocks.0-11.attn"]["kind"] == "attention"
    assert nodes["blocks.0-11.attn"]["shape"]["sizes"] == [1, "T", 768]
    assert "blocks.3.attn.hook_pattern" in nodes["blocks.0-11.attn"]["steps"]
    assert {"from": "blocks.0-11.attn", "to": "blocks.0-11.resid_mid", "kind": "data"} in data["edges"]
    assert sum(node["params"] for node in data["nodes"]) == data["params"]

    assert main(["graph", "t5-tiny", "--json", "--compare", "llama-tiny"]) == 0
    compared = json.loads(capsys.readouterr().out)["compare"]
    assert "position" in [d["aspect"] for d in compared["differences"]]

    assert main(["graph", "gpt2-tiny", "--unfold", "--compare", "gpt1-tiny"]) == 0
    out = capsys.readouterr().out
    assert "blocks.3.attn  attention" in out and "norm placement" in out and "residual" in out

    assert main(["graph", "no-such-model"]) == 2
    err = capsys.readouterr().err
    assert "No preset called 'no-such-model'" in err and len(err.strip().splitlines()) == 1
    assert main(["graph", "bert-tiny", "--expand", "decoder"]) == 2
    assert "no stack" in capsys.readouterr().err
