"""Lesson texts: every recorded step of every tiny preset is explained in English and Chinese for its family; one
key per concept, explained generally in common.json and overridden (never renamed) by a family's own files."""
import json
import math
from functools import lru_cache

import pytest

import engine
from engine.hooks import HookPoint
from engine.lessons import (LESSON_FILES, LESSONS_DIR, SYNTHETIC_KEYS, lesson_facts, lesson_keys, lesson_text,
                            placeholders)
from engine.presets import all_presets

TINY = sorted(name for name, preset in all_presets().items() if preset.is_tiny)


def lesson_files() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(LESSONS_DIR.glob("*.json"))}


@lru_cache(maxsize=None)
def traced(name: str):
    """(family, step keys of a trace, keys of every hook point of the model)."""
    loaded = engine.load(name)
    trace = loaded.trace(text="The cat sat on the mat.")
    steps = {step.name: step.key for step in trace.cache.steps()}
    hooks = {module.key for module in loaded.module.modules() if isinstance(module, HookPoint)}
    return all_presets()[name].family, steps, hooks


def used_keys_by_family() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {family: set() for family in LESSON_FILES}
    for name in TINY:
        family, steps, hooks = traced(name)
        used[family] |= set(steps.values()) | hooks
    return used


def entry_for(key: str, family: str) -> dict:
    """The entry lesson_text reads: the family's most specific file that has the key."""
    files = lesson_files()
    for stem in reversed(LESSON_FILES[family]):
        if key in files[stem]:
            return files[stem][key]
    return {}


@pytest.mark.parametrize("name", TINY)
def test_every_step_of_a_tiny_preset_has_english_and_chinese_text_for_its_family(name):
    family, steps, _ = traced(name)
    for step_name, key in list(steps.items()) + [(k, k) for k in sorted(SYNTHETIC_KEYS)]:
        entry = entry_for(key, family)
        assert entry.get("en", "").strip() and entry.get("zh", "").strip(), \
            f"{name}: step {step_name} has lesson key {key!r} with no en/zh text for {family}"
        assert lesson_text(key, "zh", family) == entry["zh"]


def test_every_text_has_english_and_chinese():
    for stem, texts in lesson_files().items():
        for key, entry in texts.items():
            assert set(entry) - {"live"} == {"en", "zh"}, f"{stem}.json: {key!r} has languages {sorted(entry)}"
            assert entry["en"].strip() and entry["zh"].strip(), f"{stem}.json: {key!r} has an empty text"
            assert not placeholders(entry["en"]) and not placeholders(entry["zh"]), \
                f"{stem}.json: {key!r}: the general text has placeholders (they belong in its live sentences)"
            for item in entry.get("live", []):
                assert set(item) - {"when"} == {"en", "zh"}, f"{stem}.json: {key!r} live item {item}"
                assert placeholders(item["en"]) == {p.removesuffix("_zh") for p in placeholders(item["zh"])}, \
                    f"{stem}.json: {key!r}: the English and Chinese live sentences ask for different numbers"


def test_every_lesson_file_is_read_by_some_family_and_common_comes_first():
    stems = set(lesson_files())
    read = {stem for files in LESSON_FILES.values() for stem in files}
    assert stems == read, f"unread files: {sorted(stems - read)}; missing files: {sorted(read - stems)}"
    assert all(files[0] == "common" for files in LESSON_FILES.values())


def test_no_orphan_keys():
    """A common key names a concept some family records; a family file holds only common keys it overrides and
    keys the steps of a family reading it record."""
    files = lesson_files()
    used = used_keys_by_family()
    every_used = set().union(*used.values()) | SYNTHETIC_KEYS
    assert not set(files["common"]) - every_used, sorted(set(files["common"]) - every_used)
    for stem, texts in files.items():
        if stem == "common":
            continue
        readers = [family for family, stems in LESSON_FILES.items() if stem in stems]
        allowed = set(files["common"]) | SYNTHETIC_KEYS | set().union(*(used[family] for family in readers))
        orphans = sorted(set(texts) - allowed)
        assert not orphans, f"{stem}.json: keys no family reading it records: {orphans}"


def test_a_family_s_own_key_lives_in_one_file_and_only_common_keys_are_overridden():
    files = lesson_files()
    owners: dict[str, str] = {}
    for stem, texts in files.items():
        for key in texts:
            if stem == "common" or key in files["common"]:
                continue
            assert key not in owners, f"{key!r} is in both {owners[key]}.json and {stem}.json"
            owners[key] = stem
    used = used_keys_by_family()
    for key, stem in owners.items():   # a family's own key is explained in a file that family reads
        for family, keys in used.items():
            if key in keys:
                assert stem in LESSON_FILES[family], f"{family} records {key!r}, explained only in {stem}.json"


def test_family_text_overrides_common_text_and_languages_fall_back_to_english():
    files = lesson_files()
    assert lesson_text("logits", "en", "gpt2") == files["gpt"]["logits"]["en"]
    assert lesson_text("logits", "en", "bert") == files["bert"]["logits"]["en"]
    assert lesson_text("logits", "en") == files["common"]["logits"]["en"]
    assert lesson_text("logits", "zh", "chatglm") == files["chatglm"]["logits"]["zh"]
    assert lesson_text("block.attn_norm_pre", "en", "chatglm") == files["llama"]["block.attn_norm_pre"]["en"]
    assert lesson_text("attn.pattern", "fr", "t5") == files["common"]["attn.pattern"]["en"]
    assert lesson_text("no.such.key", "en", "t5") == ""
    assert lesson_keys("chatglm") == set(files["common"]) | set(files["llama"]) | set(files["chatglm"])
    assert "t5.buckets" in lesson_keys("t5") and "t5.buckets" not in lesson_keys("llama")


# ----------------------------------------------------------------------------------------------- live numbers
TEXT = "The cat sat on the mat, playing happily."


@lru_cache(maxsize=None)
def run(name: str, **settings):
    """(loaded, trace, facts) of a tiny preset, or of one with some config fields changed."""
    from engine.api import build_from_preset
    from engine.params import edit_preset

    loaded = build_from_preset(edit_preset(name, settings)) if settings else engine.load(name)
    trace = loaded.trace(text=TEXT)
    return loaded, trace, lesson_facts(loaded, trace)


def first_step(trace, suffix: str):
    return next(s for s in trace.cache.steps() if s.name.endswith(suffix))


@pytest.mark.parametrize("name", TINY)
def test_no_placeholder_is_left_unfilled_in_any_lesson_of_any_family(name):
    loaded, _, facts = run(name)
    family = loaded.family.name
    for key in sorted(lesson_keys(family)):
        for lang in ("en", "zh"):
            text = lesson_text(key, lang, family, facts)
            assert "{" not in text and "}" not in text, f"{name} {key} {lang}: {text}"


@pytest.mark.parametrize("name", TINY)
def test_the_scaling_lesson_divides_by_the_square_root_of_this_model_s_head_dim(name):
    loaded, trace, facts = run(name)
    scaled = [s for s in trace.cache.steps() if s.key == "attn.scaled"]
    if not scaled:   # T5 folds the scale into its initialisation: no scaling step to explain
        assert loaded.family.name == "t5"
        return
    head_dim = first_step(trace, "attn.hook_q").shape[-1]
    root = math.sqrt(head_dim)
    shown = f"{int(root)}" if root.is_integer() else f"{root:.2f}"
    for lang in ("en", "zh"):
        assert f"√{head_dim} = {shown}" in lesson_text("attn.scaled", lang, loaded.family.name, facts)


def test_a_head_dim_of_64_is_divided_by_8():
    loaded, _, facts = run("bert-tiny", hidden_size=256, num_attention_heads=4)
    assert "divided by √64 = 8." in lesson_text("attn.scaled", "en", "bert", facts)
    assert "√64 = 8" in lesson_text("attn.scaled", "zh", "bert", facts)


def ffn_parameters(family: str, config, hidden: int, ffn: int) -> int:
    """The feed-forward of one layer, from the architecture: two matrices (three when gated), biases where the
    family has them."""
    if family in ("llama", "chatglm"):
        return 3 * hidden * ffn                                  # gate, up, down; no biases
    if family == "t5":
        return (3 if config.feed_forward_proj.startswith("gated") else 2) * hidden * ffn   # no biases in T5
    return 2 * hidden * ffn + ffn + hidden                      # BERT, GPT, GLM: Linear with bias, twice


@pytest.mark.parametrize("name", TINY)
def test_the_ffn_lesson_gives_this_model_s_ffn_parameter_count(name):
    loaded, trace, facts = run(name)
    pre = first_step(trace, "mlp.hook_pre")
    hidden = first_step(trace, "hook_resid_pre").shape[-1]
    ffn = pre.shape[-1]
    expected = f"{ffn_parameters(loaded.family.name, loaded.config, hidden, ffn):,}"
    for lang in ("en", "zh"):
        assert expected in lesson_text("mlp.pre", lang, loaded.family.name, facts), (name, expected)


@pytest.mark.parametrize("settings, expected_en, expected_zh", [
    ({}, "ReLU here, as in the original Transformer and T5 v1.0", "这里用 ReLU"),
    ({"feed_forward_proj": "gated-gelu"}, "Gated GELU here (T5 v1.1)", "这里用门控 GELU"),
])
def test_t5_s_activation_lesson_follows_its_version(settings, expected_en, expected_zh):
    _, _, facts = run("t5-tiny", **settings)
    assert expected_en in lesson_text("mlp.post", "en", "t5", facts)
    assert expected_zh in lesson_text("mlp.post", "zh", "t5", facts)


def test_activation_lessons_name_each_family_s_feed_forward():
    assert "GELU here, as in BERT" in lesson_text("mlp.post", "en", "bert", run("bert-tiny")[2])
    assert "GELU here, as in BERT" in lesson_text("mlp.post", "en", "gpt2", run("gpt2-tiny")[2])
    assert "SwiGLU here" in lesson_text("mlp.post", "en", "llama", run("llama-tiny")[2])
    assert "SwiGLU here" in lesson_text("mlp.post", "en", "chatglm", run("chatglm2-tiny")[2])


@pytest.mark.parametrize("name", ["gpt1-tiny", "gpt2-tiny", "gpt3-tiny", "llama-tiny"])
def test_the_causal_mask_lesson_names_the_model_it_is_shown_for(name):
    loaded, trace, facts = run(name)
    n = len(trace.tokens)
    for lang in ("en", "zh"):
        text = lesson_text("attn.mask", lang, loaded.family.name, facts)
        assert name in text and f"{n} × {n}" in text


def test_gpt_positions_are_learned_and_sized_per_generation_not_sinusoidal():
    text = lesson_text("embed.position", "en", "gpt2", run("gpt2-tiny")[2])
    assert "learned, not the fixed sine and cosine" in text
    assert all(n in text for n in ("512", "1024", "2048"))
    assert "gpt2-tiny has 256 learned positions" in text


def test_head_dim_is_not_always_hidden_over_heads():
    _, _, facts = run("t5-tiny", d_kv=32)   # 4 heads of 32 in a d_model of 64, as T5-3B/11B do at scale
    text = lesson_text("attn.q", "en", "t5", facts)
    assert "4 heads × head_dim 32 = 128, hidden size 64" in text
    assert "is not the hidden size" in text
    assert "is not the hidden size" not in lesson_text("attn.q", "en", "bert", run("bert-tiny")[2])


@pytest.mark.parametrize("name, marker", [("bert-tiny", "##"), ("roberta-tiny", "Ġ"), ("t5-tiny", "▁"),
                                          ("gpt1-tiny", "</w>"), ("llama-tiny", "▁"), ("gpt2-tiny", "Ġ")])
def test_the_tokenizer_lesson_explains_this_model_s_marker(name, marker):
    loaded, _, facts = run(name)
    en = lesson_text("tokenizer", "en", loaded.family.name, facts)
    live = en.split("\n\n", 1)[1]
    assert facts["tokenizer_algorithm"] in live and marker in live
    others = {"##", "Ġ", "▁", "</w>"} - {marker}
    assert not any(other in live for other in others), f"{name}: the live part talks about another algorithm"


def test_a_sentence_with_an_unknown_placeholder_is_dropped_not_shown():
    general = lesson_text("attn.scaled", "en", "bert")
    assert lesson_text("attn.scaled", "en", "bert", {"model": "x"}) == general   # no head_dim: no live sentence
    assert lesson_text("attn.scaled", "en", "bert", {"head_dim": "64"}) == general   # sqrt missing too
    assert "{" not in general


def test_albert_s_lessons_say_the_sharing_and_the_real_saving():
    _, _, facts = run("albert-tiny")
    resid = lesson_text("block.resid_pre", "en", "albert", facts)
    assert "same parameters (cross-layer sharing)" in resid and f"run {facts['layers']} times" in resid
    projection = lesson_text("embed.projection", "en", "albert", facts)
    assert f"{3000 * 16 + 16 * 64:,}" in projection and f"{3000 * 64:,}" in projection


def test_corrections_are_in_the_lessons():
    rot_q = lesson_text("attn.rot_q", "en", "chatglm")
    assert "RoFormer (Su et al. 2021)" in rot_q and "GLM-130B" in rot_q and "rather than taking it from LLaMA" in rot_q
    assert "Hugging Face's layout" in lesson_text("rope.cos", "en", "llama")
    assert "2D is its positional encoding" in lesson_text("glm.mask", "en", "glm")
    assert "April 2024" in lesson_text("rope.sin", "en", "llama")
    assert "hidden 768 with FFN 3072" in lesson_text("mlp.pre", "en", "gpt1")


def test_no_lesson_says_seed_and_the_chinese_uses_the_chapter_s_terms():
    for stem, texts in lesson_files().items():
        for key, entry in texts.items():
            items = [entry] + entry.get("live", [])
            for item in items:
                assert "seed" not in item["en"].lower(), f"{stem}.json {key}"
                assert "遮罩" not in item["zh"], f"{stem}.json {key}: 掩码, not 遮罩"
