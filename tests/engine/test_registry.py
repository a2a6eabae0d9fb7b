"""The registry: every family is one FamilySpec with every part, and the rest of the engine reads it."""
import subprocess
import sys

import pytest
import torch

import engine
from engine.models import FAMILIES, GROUPS, family_for_config
from engine.models.family import FamilySpec
from engine.presets import all_presets

FAMILY_NAMES = sorted(FAMILIES)


def test_the_chapter_s_seven_families_are_registered_in_its_three_groups():
    assert set(FAMILIES) == {"bert", "roberta", "albert", "t5", "gpt1", "gpt2", "gpt3", "llama", "glm", "chatglm"}
    assert {f.group for f in FAMILIES.values()} == set(GROUPS)
    assert all(isinstance(f, FamilySpec) and FAMILIES[f.name] is f for f in FAMILIES.values())


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_a_registered_family_has_every_part(name):
    family = FAMILIES[name]
    assert family.check() == [], f"{name} lacks: " + "; ".join(family.check())
    assert family.model_cls.__module__ == family.config_cls.__module__, "one family, one module"


def test_check_names_what_a_half_written_family_lacks():
    import dataclasses

    broken = dataclasses.replace(FAMILIES["bert"], hf_renames=[], tiny_presets={}, lessons=("bert",),
                                 depth={"layers": ("no_such_field", "num_hidden_layers")})
    problems = " | ".join(broken.check())
    for part in ("hf_renames", "tiny preset", "lessons", "no_such_field"):
        assert part in problems


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_each_family_runs_its_tiny_presets_from_text_and_from_ids(name):
    family = FAMILIES[name]
    for preset in family.tiny_presets:
        loaded = engine.load(preset)
        assert loaded.family is family
        from_text = loaded.trace(text="The cat sat on the mat.")
        from_ids = loaded.trace(input_ids=from_text.input_ids[0, :4].tolist())
        assert len(from_text.cache) > 10 and len(from_ids.cache) > 10
        assert from_ids.logits is not None and torch.isfinite(from_ids.logits).all()


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_the_formula_and_the_attention_dims_read_the_family_s_config(name):
    family = FAMILIES[name]
    for preset in family.tiny_presets.values():
        config = family.config(preset)
        body, with_heads, words = family.param_formula(config)
        assert 0 < body <= with_heads and words
        dims = family.attention_dims(config)
        assert dims.heads % dims.kv_heads == 0 and dims.layers >= 1


def test_every_preset_names_a_registered_family():
    assert {p.family for p in all_presets().values()} <= set(FAMILIES)


@pytest.mark.parametrize("config, expected", [
    ({"model_type": "bert"}, "bert"), ({"model_type": "t5"}, "t5"), ({"model_type": "glm"}, "chatglm"),
    ({"model_type": "mistral", "architectures": ["LlamaForCausalLM"]}, "llama"),
    ({"model_type": "glm4", "architectures": ["Glm4ForCausalLM"]}, None),
    ({"model_type": "x", "architectures": [7]}, None), ({"model_type": "x", "architectures": 7}, None),
])
def test_config_json_is_read_as_its_family(config, expected):
    family = family_for_config(config)
    assert (family.name if family else None) == expected


def test_loading_a_preset_does_not_import_the_accounting():
    code = ("import sys, engine; engine.load('bert-tiny'); "
            "print('engine.params' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_no_engine_module_imports_another_that_imports_it_back():
    """Every import counts, the ones inside functions too: that is where circles used to hide (api <-> checkpoint,
    presets <-> published)."""
    import ast
    from pathlib import Path

    import networkx as nx

    root = Path(engine.__file__).parent

    def module_name(path):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    modules = {module_name(p): p for p in root.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            else:
                continue
            graph.add_edges_from((name, t) for t in targets if t in modules and t != name)
    assert graph.number_of_edges() > 50
    assert list(nx.simple_cycles(graph)) == []
