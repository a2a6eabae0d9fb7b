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
    """config.json -> family: its model_type, or else a class name in `architectures` (a LLaMA-compatible model
    renamed). A family with no model_type of its own is known by its classes first: THUDM's GLM files say
    model_type "glm", which transformers gives to ChatGLM2's architecture. Glm4* adds norms of its own: not the
    ChatGLM2 architecture."""
    model_type = config.get("model_type")
    architectures = config.get("architectures")
    named = [a for a in (architectures if isinstance(architectures, list) else ())
             if isinstance(a, str) and not a.startswith("Glm4")]
    by_class = [f for a in named for f in FAMILIES.values() if f.hf_architectures and a.startswith(f.hf_architectures)]
    for family in by_class:
        if not family.hf_model_types:
            return family
    for family in FAMILIES.values():
        if model_type in family.hf_model_types:
            return family
    return by_class[0] if by_class else None
