"""Named configurations: each family's tiny presets (runnable in seconds, deterministic random weights) from its
FamilySpec, and the published configurations of released models from engine.published."""
from __future__ import annotations

from functools import lru_cache

from engine.models import FAMILIES
from engine.published import PUBLISHED, Preset

__all__ = ["Preset", "all_presets", "get_preset", "TINY_SOURCE"]

TINY_SOURCE = "a tiny configuration of this app, random weights (seeded)"


@lru_cache(maxsize=1)
def all_presets() -> dict[str, Preset]:
    presets: dict[str, Preset] = {}
    for family in FAMILIES.values():
        for name, config in family.tiny_presets.items():
            if name in presets:
                raise ValueError(f"tiny preset {name!r} is declared by two families")
            presets[name] = Preset(name, family.name, dict(config), source=TINY_SOURCE)
    for preset in PUBLISHED:
        presets[preset.name] = preset
    return presets


def get_preset(name: str) -> Preset | None:
    return all_presets().get(name)
