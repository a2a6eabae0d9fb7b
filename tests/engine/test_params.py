"""Parameter accounting: every preset against the reference classes of transformers (built on meta), against an
independent closed formula, and against a full build; ALBERT's sharing, tied weights, GQA's KV cache, the CLI."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine import params
from tests.reference import reference_counts
from engine.__main__ import main
from engine.models import FAMILIES
from engine.presets import all_presets

PRESETS = all_presets()
REQUIRED = """bert-base-uncased bert-large-uncased bert-base-chinese roberta-base roberta-large albert-base-v2
albert-large-v2 albert-xlarge-v2 albert-xxlarge-v2 t5-small t5-base t5-large t5-3b t5-11b t5-v1_1-small
t5-v1_1-base t5-v1_1-large t5-v1_1-xl t5-v1_1-xxl openai-gpt gpt2 gpt2-medium gpt2-large gpt2-xl gpt3-125m
gpt3-350m gpt3-760m gpt3-1.3b gpt3-2.7b gpt3-6.7b gpt3-13b gpt3-175b llama-1-7b llama-1-13b llama-1-33b llama-1-65b
llama-2-7b llama-2-13b llama-2-70b llama-3-8b llama-3-70b llama-3.1-405b glm-10b glm-130b chatglm-6b chatglm2-6b
chatglm3-6b""".split()
NO_REFERENCE = {"glm"}   # GLM (original), GLM-130B and ChatGLM-6B have no class in transformers
WITH_REFERENCE = [name for name, p in PRESETS.items() if p.family not in NO_REFERENCE]
REPO = Path(__file__).resolve().parents[2]


def test_every_published_name_is_a_preset_with_a_source():
    from engine.published import PUBLISHED

    assert [p.name for p in PUBLISHED] == REQUIRED
    for preset in PUBLISHED:
        assert preset.family in FAMILIES and preset.source.strip()
        fields = {f.name for f in dataclasses.fields(FAMILIES[preset.family].config_cls)}
        assert set(preset.config) <= fields, (preset.name, set(preset.config) - fields)   # no silent typos


def test_runnable_means_about_400m_or_fewer():
    from engine.published import PUBLISHED

    for preset in PUBLISHED:
        assert preset.runnable == (params.account(preset.name).total_with_heads <= params.RUNNABLE_LIMIT), preset.name


@pytest.mark.parametrize("name", WITH_REFERENCE)
def test_total_equals_the_reference_class(name):
    counted = params.account(name)
    reference = reference_counts(name)
    assert counted.total == reference["total"], reference["classes"][0]
    if reference["total_with_heads"] is not None:   # bert-tiny carries a classifier BertForPreTraining lacks
        assert counted.total_with_heads == reference["total_with_heads"], reference["classes"][1]


@pytest.mark.parametrize("name", list(PRESETS))
def test_formula_equals_module_count_and_breakdown_adds_up(name):
    counted = params.account(name)
    assert counted.formula["agrees"], (counted.formula, counted.total, counted.total_with_heads)
    assert sum(counted.breakdown.values()) == counted.total_with_heads
    assert counted.total_with_heads - counted.total == sum(counted.heads.values())
    assert not [key for key in counted.breakdown if key.endswith("other")], counted.breakdown   # all categorised
    if "module_formula" in counted.extra:   # glm-130b: the class's own count also matches its formula
        assert counted.extra["module_formula"]["agrees"]


@pytest.mark.parametrize("name", [n for n, p in PRESETS.items() if p.is_tiny] + ["glm-10b", "t5-small",
                                                                                  "albert-base-v2", "gpt2-medium"])
def test_two_layer_probe_equals_the_full_build(name):
    probe, full = params.account(name), params.account(name, full=True)
    assert probe.breakdown == full.breakdown and probe.total == full.total
    assert probe.per_layer["layers" if "layers" in probe.per_layer else "encoder"]["each"] == \
        full.per_layer["layers" if "layers" in full.per_layer else "encoder"]["each"]


@pytest.mark.parametrize("name, total, with_heads", [
    ("bert-base-uncased", 109_482_240, 110_106_428),     # BertModel / BertForPreTraining
    ("bert-large-uncased", 335_141_888, 336_226_108),
    ("roberta-base", 124_055_040, 124_697_433),          # RobertaModel without pooler / RobertaForMaskedLM
    ("albert-base-v2", 11_683_584, 11_813_810),          # AlbertModel / AlbertForPreTraining
    ("t5-small", 60_506_624, 60_506_624),
    ("t5-v1_1-small", 60_511_616, 76_961_152),           # v1.1: its own lm_head
    ("openai-gpt", 116_534_784, 116_534_784),
    ("gpt2", 124_439_808, 124_439_808),
    ("gpt2-xl", 1_557_611_200, 1_557_611_200),
    ("llama-2-7b", 6_607_343_616, 6_738_415_616),
    ("llama-3-8b", 7_504_924_672, 8_030_261_248),
    ("llama-3.1-405b", 403_752_042_496, 405_853_388_800),
    ("chatglm2-6b", 5_977_245_696, 6_243_584_000),
    ("chatglm-6b", 6_173_286_400, 6_173_286_400),        # analytic; the model card's "6.2B"
])
def test_famous_totals(name, total, with_heads):
    counted = params.account(name)
    assert (counted.total, counted.total_with_heads) == (total, with_heads)


def test_albert_sharing_and_factorised_embedding():
    base = params.account("albert-base-v2").albert
    layer = 7_087_872                                     # one BERT-base layer
    assert base["layer_params"] == layer and base["depth"] == 12 and base["parameter_sets"] == 1
    assert base["shared_total"] == 11_683_584
    assert base["unshared_total"] == 11_683_584 + 11 * layer == 89_650_176
    assert base["saved_by_sharing"] == 11 * layer
    savings = {}
    for size, hidden in (("base", 768), ("large", 1024), ("xlarge", 2048), ("xxlarge", 4096)):
        emb = params.account(f"albert-{size}-v2").albert["embedding"]
        assert emb["VxH"] == 30000 * hidden and emb["VxE+ExH"] == 30000 * 128 + 128 * hidden
        savings[size] = round(emb["saving"], 3)
    # "about 80%" holds for base; the larger H, the larger the saving
    assert savings == {"base": 0.829, "large": 0.871, "xlarge": 0.933, "xxlarge": 0.964}


def test_tied_weights_are_counted_once_and_shown():
    gpt2 = params.account("gpt2")
    assert gpt2.tied == [{"name": "embeddings.wte.weight", "tied_to": ["lm_head.weight"], "count": 50257 * 768}]
    assert gpt2.heads == {"lm": 0} and gpt2.total == gpt2.total_with_heads
    t5 = params.account("t5-small")
    assert set(t5.tied[0]["tied_to"]) == {"encoder.embed.token.weight", "decoder.embed.token.weight",
                                          "lm_head.proj.weight"}
    assert t5.breakdown["embeddings.token"] == 32128 * 512   # once, not four times
    bert = params.account("bert-base-uncased")
    assert bert.tied[0]["tied_to"] == ["mlm_head.decoder.weight"]
    assert bert.heads["mlm"] == 768 * 768 + 768 + 2 * 768 + 30522   # its own weights; the decoder is the table
    llama3 = params.account("llama-3-8b")   # untied: the head is its own V x H
    assert llama3.tied == [] and llama3.heads == {"lm": 128256 * 4096}


def test_kv_cache_gqa_and_mqa_savings():
    def kv(name):
        return params.account(name).kv_cache

    l70 = kv("llama-2-70b")
    assert l70["bytes_per_token"] == 2 * 80 * 8 * 128 * 2 and l70["attention"] == "GQA"
    assert l70["compare"] == {"MHA": 2 * 80 * 64 * 128 * 2, "this model": 327_680, "MQA": 2 * 80 * 1 * 128 * 2}
    assert l70["saving_vs_mha"] == 0.875
    assert kv("llama-2-7b")["saving_vs_mha"] == 0 and kv("llama-2-7b")["attention"] == "MHA"
    assert kv("llama-3-8b")["bytes_per_token"] == 2 * 32 * 8 * 128 * 2   # 128 KiB
    assert kv("chatglm2-6b")["saving_vs_mha"] == 1 - 2 / 32
    assert kv("gpt2")["by_dtype"]["fp32"] == 2 * kv("gpt2")["bytes_per_token"]
    assert kv("bert-base-uncased")["bytes_per_token"] is None
    assert kv("t5-small")["bytes_per_token"] == 2 * 6 * 8 * 64 * 2


def test_memory_and_flops():
    counted = params.account("gpt3-175b")
    assert counted.memory_bytes == {"fp32": 4 * counted.total_with_heads, "fp16": 2 * counted.total_with_heads,
                                    "bf16": 2 * counted.total_with_heads, "int8": counted.total_with_heads}
    flops = counted.flops
    n = counted.total - 50257 * 12288 - 2048 * 12288   # Kaplan's N: no embedding tables
    assert flops["N_non_embedding"] == n
    assert flops["flops_per_token"] == 2 * n + 2 * 96 * 2048 * 12288
    albert = params.account("albert-base-v2").flops   # the shared layer counts once per use
    assert albert["N_non_embedding"] == 12 * 7_087_872 + 99_072 + 256


def test_published_inconsistencies_are_explained():
    assert "5140" in PRESETS["gpt3-13b"].notes and "3072" in PRESETS["gpt3-1.3b"].notes
    glm130 = params.account("glm-130b")
    assert glm130.total_with_heads == 128_697_794_560 and PRESETS["glm-130b"].extra["stated"] == "130B"
    assert glm130.extra["module_total"] < glm130.total_with_heads   # the GLM class cannot express GeGLU
    assert "GeGLU" in PRESETS["glm-130b"].notes and "analytic" in PRESETS["chatglm-6b"].notes


def _cli_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_params_json(capsys):
    keys = {"name", "total", "total_with_heads", "breakdown", "memory_bytes", "kv_cache_bytes_per_token",
            "flops_per_token", "source", "tied"}
    big = _cli_json(capsys, "params", "gpt3-175b", "--json")
    assert keys <= set(big) and big["total"] == 174_604_259_328
    albert = _cli_json(capsys, "params", "albert-xxlarge-v2", "--json")
    assert keys <= set(albert) and albert["albert"]["shared_total"] == albert["total"]
    assert albert["kv_cache_bytes_per_token"] is None


def test_cli_presets_lists_everything(capsys):
    listing = _cli_json(capsys, "presets", "--json")
    names = {row["name"] for row in listing}
    assert set(REQUIRED) <= names
    row = next(r for r in listing if r["name"] == "gpt2")
    assert row["params"] == 124_439_808 and row["runnable"] and row["group"] == "Decoder-only" and row["source"]


def test_cli_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "engine", "params", "albert-xxlarge-v2", "--json"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total_with_heads"] == 223_158_450
    result = subprocess.run([sys.executable, "-m", "engine", "params", "no-such-model"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "No preset" in result.stderr


@pytest.mark.parametrize("name, settings", [
    ("bert-base-uncased", {"num_hidden_layers": 3, "hidden_size": 256, "num_attention_heads": 4,
                           "intermediate_size": 1000, "vocab_size": 5000}),
    ("roberta-base", {"num_hidden_layers": 2, "max_position_embeddings": 130}),
    ("albert-base-v2", {"num_hidden_groups": 12}),                    # no sharing: twelve parameter sets
    ("albert-base-v2", {"embedding_size": 64, "num_hidden_layers": 6, "num_hidden_groups": 3}),
    ("t5-small", {"num_layers": 3, "num_decoder_layers": 2, "d_ff": 1000}),
    ("t5-v1_1-small", {"num_heads": 4, "d_kv": 32}),
    ("openai-gpt", {"n_layer": 2, "n_embd": 96, "n_head": 4}),
    ("gpt2", {"n_layer": 3, "n_embd": 256, "n_head": 8, "n_positions": 128}),
    ("llama-2-7b", {"num_hidden_layers": 2, "num_key_value_heads": 8}),
    ("llama-3-8b", {"num_hidden_layers": 1, "intermediate_size": 1024, "vocab_size": 1000}),
    ("chatglm2-6b", {"num_hidden_layers": 2, "num_key_value_heads": 4}),
])
def test_an_edited_config_counts_what_transformers_counts(name, settings):
    edited = params.edit_preset(name, settings)
    ours, reference = params.account(edited), reference_counts(edited)
    assert (ours.total, ours.total_with_heads) == (reference["total"], reference["total_with_heads"])
    assert ours.formula["agrees"]
    if name.startswith("albert") and settings.get("num_hidden_groups") == 12:
        assert ours.per_layer["layers"]["parameter_sets"] == 12 and ours.albert["saved_by_sharing"] == 0


@pytest.mark.parametrize("settings, message", [
    (["n_layr=3"], "no field 'n_layr'. Did you mean n_layer?"), (["n_layer=0"], "outside 1..1,024"),
    (["n_embd=100", "n_head=12"], "does not split into 12 heads"), (["n_layer"], "KEY=VALUE"),
])
def test_an_impossible_edit_is_one_line_and_status_2(settings, message, capsys):
    assert main(["params", "gpt2", *[f"--set={s}" for s in settings]]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_params_set_prints_the_edited_account_as_json(capsys):
    assert main(["params", "llama-2-7b", "--set", "num_hidden_layers=2", "--set", "num_key_value_heads=8",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "llama-2-7b [num_hidden_layers=2, num_key_value_heads=8]"
    assert data["kv_cache"]["kv_heads"] == 8 and data["total"] < 1_000_000_000
