"""Every lesson, as the Chinese window shows it for every family with this run's numbers filled in, holds no English
left (names, code in `...`, quoted examples and the English originals glossed after a Chinese term aside)."""
from __future__ import annotations

import re

import pytest

import engine
from engine.lessons import lesson_keys, lesson_text
from explorer.app import lesson_html
from tests.explorer.english import english_words, model_names

PRESETS = ("bert-tiny", "roberta-tiny", "albert-tiny", "t5-tiny", "gpt1-tiny", "gpt2-tiny", "gpt3-tiny", "llama-tiny",
           "glm-tiny", "chatglm2-tiny")


@pytest.mark.parametrize("preset", PRESETS)
def test_every_chinese_lesson_of_a_family_reads_in_chinese(preset):
    from explorer.session import lesson_facts

    loaded = engine.load(preset)
    trace = loaded.trace("我爱自然语言处理。" if loaded.family.name != "glm" else "我爱 [MASK] 语言处理。")
    facts = lesson_facts(loaded, trace)
    family, names = loaded.family.name, model_names() | {preset}
    left = []
    for key in sorted(lesson_keys(family)):
        text = lesson_text(key, "zh", family, facts)
        words = english_words(lesson_html(text), names)
        if words:
            left.append(f"{key}: {', '.join(sorted(set(words)))} in {text[:120]!r}")
    assert not left, "\n".join(left)


def test_code_in_a_lesson_is_set_in_code_type():
    assert lesson_html("SiLU(`gate`) × `up` < 1") == "SiLU(<code>gate</code>) × <code>up</code> &lt; 1"
    assert re.search(r"<code>", lesson_html(lesson_text("mlp.post", "zh", "llama")))
