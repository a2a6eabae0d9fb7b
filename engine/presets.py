"""Named configurations. Tiny presets (runnable in seconds, deterministic random weights) come from each family
module's TINY_PRESETS; published configurations of released models come from engine.published."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from engine.models import FAMILIES, Family


@dataclass(frozen=True)
class Preset:
    name: str
    family: str
    config: dict                  # overrides of the family's config defaults
    source: str                   # where the numbers come from, shown to the user
    runnable: bool = True         # tiny presets run; published sizes are for accounting unless small enough
    notes: str = ""
    tokenizer: str | None = None  # tokenizer recipe; None: the family's own
    extra: dict = field(default_factory=dict)

    @property
    def family_info(self) -> Family:
        return FAMILIES[self.family]

    @property
    def is_tiny(self) -> bool:
        return self.name.endswith("-tiny")


@lru_cache(maxsize=1)
def all_presets() -> dict[str, Preset]:
    presets: dict[str, Preset] = {}
    for family in FAMILIES.values():
        try:
            tiny = getattr(family.module, "TINY_PRESETS", {})
        except ModuleNotFoundError as error:
            if error.name != family.module_name:   # a real missing dependency, not a family yet to be written
                raise
            continue
        for name, config in tiny.items():
            if name in presets:   # a module holding several generations lists each tiny preset once
                continue
            config = dict(config)
            preset_family = config.pop("family", family.name)   # e.g. gpt.py lists gpt1/gpt2/gpt3 tiny presets
            presets[name] = Preset(name, preset_family, config,
                                   source="a tiny configuration of this app, random weights (seeded)")
    try:
        from engine import published
    except ImportError:
        published = None
    if published is not None:
        for preset in published.PUBLISHED:
            presets[preset.name] = preset
    return presets


def get_preset(name: str) -> Preset | None:
    return all_presets().get(name)
