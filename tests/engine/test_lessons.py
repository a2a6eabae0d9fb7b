"""Lesson texts: every recorded step of every tiny preset is explained in English and Chinese for its family; one
key per concept, explained generally in common.json and overridden (never renamed) by a family's own files."""
import json
from functools import lru_cache

import pytest

import engine
from engine.hooks import HookPoint
from engine.lessons import LESSON_FILES, LESSONS_DIR, SYNTHETIC_KEYS, lesson_keys, lesson_text
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
            assert set(entry) == {"en", "zh"}, f"{stem}.json: {key!r} has languages {sorted(entry)}"
            assert entry["en"].strip() and entry["zh"].strip(), f"{stem}.json: {key!r} has an empty text"


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
