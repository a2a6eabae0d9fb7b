"""The registry: the seven families of the chapter, one `FamilySpec` each (GPT and GLM have a spec per
generation whose architecture differs), grouped as the seed groups them. Every list elsewhere (the accounting,
the loader, the picker, the comparisons, the tests) reads `FAMILIES`; adding a family is writing its module and
naming its spec here (see CONTRIBUTING.md)."""
from __future__ import annotations

from engine.models.family import DECODER_ONLY, ENCODER_DECODER, ENCODER_ONLY, GROUPS, FamilySpec
from engine.models.albert import FAMILY as ALBERT
from engine.models.bert import FAMILY as BERT
from engine.models.glm import CHATGLM_FAMILY as CHATGLM
from engine.models.glm import GLM_FAMILY as GLM
from engine.models.gpt import GPT1_FAMILY as GPT1
from engine.models.gpt import GPT2_FAMILY as GPT2
from engine.models.gpt import GPT3_FAMILY as GPT3
from engine.models.llama import FAMILY as LLAMA
from engine.models.roberta import FAMILY as ROBERTA
from engine.models.t5 import FAMILY as T5

__all__ = ["FAMILIES", "FamilySpec", "GROUPS", "ENCODER_ONLY", "ENCODER_DECODER", "DECODER_ONLY",
           "family_for_config"]

FAMILIES: dict[str, FamilySpec] = {f.name: f for f in (BERT, ROBERTA, ALBERT, T5, GPT1, GPT2, GPT3, LLAMA, GLM,
                                                       CHATGLM)}


def family_for_config(config: dict) -> FamilySpec | None:
    """config.json -> family: its model_type, or else a transformers class name in `architectures` (a
    LLaMA-compatible model renamed). Glm4* adds norms of its own: not the ChatGLM2 architecture."""
    model_type = config.get("model_type")
    for family in FAMILIES.values():
        if model_type in family.hf_model_types:
            return family
    architectures = config.get("architectures")
    for architecture in architectures if isinstance(architectures, list) else ():
        if not isinstance(architecture, str) or architecture.startswith("Glm4"):
            continue
        for family in FAMILIES.values():
            if architecture.startswith(family.hf_architectures):
                return family
    return None
