"""Lesson texts: what each recorded step means, in English and Chinese (no Qt).

Every HookPoint carries a lesson `key` naming a concept ("attn.pattern", "logits", "block.attn_norm_pre"). One key
per concept: `assets/lessons/common.json` explains each shared concept in general terms; a family's own files
override those texts where the family does it its own way (GPT's `logits` is next-token prediction, BERT's is the
masked-LM guess) and add the concepts only that family has (`t5.buckets`, `glm.mask` ...). Which files a family
reads, most general first, is its spec's `lessons` tuple (e.g. chatglm -> ("common", "llama", "chatglm")).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from engine.models import FAMILIES

LESSONS_DIR = Path(__file__).resolve().parents[1] / "assets" / "lessons"

# family name -> lesson file stems, most general first (read from each family's spec)
LESSON_FILES: dict[str, tuple[str, ...]] = {name: tuple(family.lessons) for name, family in FAMILIES.items()}

# keys that are not hook points: the explorer's first and last steps
SYNTHETIC_KEYS = frozenset({"tokenizer", "output"})


@lru_cache(maxsize=None)
def lesson_file(stem: str) -> dict[str, dict[str, str]]:
    """One file's texts, {key: {"en": ..., "zh": ...}}; read once."""
    return json.loads((LESSONS_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def _stems(family: str | None) -> tuple[str, ...]:
    return LESSON_FILES.get(family, ("common",)) if family else ("common",)


def lesson_text(key: str, lang: str = "en", family: str | None = None) -> str:
    """The text for `key` in `lang` as `family` tells it: its most specific file that has the key wins, common.json
    last. A missing language falls back to English; an unknown key (or family's file lacking it) gives ""."""
    for stem in reversed(_stems(family)):
        entry = lesson_file(stem).get(key)
        if entry:
            return entry.get(lang) or entry.get("en", "")
    return ""


def lesson_keys(family: str | None = None) -> set[str]:
    """Every key with a text for `family` (common.json's keys alone when family is None)."""
    keys: set[str] = set()
    for stem in _stems(family):
        keys |= set(lesson_file(stem))
    return keys
