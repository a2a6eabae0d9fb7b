"""Every recorded step has an explanation in English and Chinese, and no key is explained twice."""
import json
from pathlib import Path

import pytest

import engine
from engine.presets import all_presets

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


def lesson_files():
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(LESSONS.glob("*.json"))}


def test_no_key_is_defined_in_two_lesson_files():
    owners = {}
    for name, lessons in lesson_files().items():
        for key in lessons:
            assert key not in owners, f"{key!r} is in both {owners[key]} and {name}"
            owners[key] = name


@pytest.mark.parametrize("name", sorted(n for n, p in all_presets().items() if p.is_tiny))
def test_every_step_of_a_tiny_preset_has_a_bilingual_lesson(name):
    lessons = {k: v for file in lesson_files().values() for k, v in file.items()}
    trace = engine.load(name).trace(text="The cat sat on the mat.")
    for step in trace.cache.steps():
        assert step.key in lessons, f"{name}: step {step.name} has lesson key {step.key!r} with no text"
        assert lessons[step.key].get("en") and lessons[step.key].get("zh"), step.key
