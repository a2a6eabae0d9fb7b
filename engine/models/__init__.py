"""The seven families of the chapter, grouped as the seed groups them. One family (or one generation of it) per
entry; each lives in its own module with a config dataclass, a model class, a Hugging Face rename table
(`HF_RENAMES`), `prepare_inputs` and `TINY_PRESETS`."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

ENCODER_ONLY, ENCODER_DECODER, DECODER_ONLY = "Encoder-only", "Encoder-decoder", "Decoder-only"
GROUPS = (ENCODER_ONLY, ENCODER_DECODER, DECODER_ONLY)


@dataclass(frozen=True)
class Family:
    name: str                        # our name: "bert", "gpt2", "chatglm" ...
    title: str                       # what the user reads
    group: str                       # one of GROUPS
    module_name: str                 # "engine.models.bert"
    model_class: str
    config_class: str
    hf_model_types: tuple[str, ...]  # config.json "model_type" values this family loads
    tokenizer_recipe: str            # engine.tokenization recipe for random-weight models

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(self.module_name)

    @property
    def config_cls(self):
        return getattr(self.module, self.config_class)

    @property
    def model_cls(self):
        return getattr(self.module, self.model_class)


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("bert", "BERT", ENCODER_ONLY, "engine.models.bert", "Bert", "BertConfig", ("bert",), "bert"),
    Family("roberta", "RoBERTa", ENCODER_ONLY, "engine.models.roberta", "Roberta", "RobertaConfig", ("roberta",),
           "roberta"),
    Family("albert", "ALBERT", ENCODER_ONLY, "engine.models.albert", "Albert", "AlbertConfig", ("albert",), "albert"),
    Family("t5", "T5", ENCODER_DECODER, "engine.models.t5", "T5", "T5Config", ("t5",), "t5"),
    Family("gpt1", "GPT-1", DECODER_ONLY, "engine.models.gpt", "GPT1", "GPT1Config", ("openai-gpt",), "gpt1"),
    Family("gpt2", "GPT-2", DECODER_ONLY, "engine.models.gpt", "GPT2", "GPT2Config", ("gpt2",), "gpt2"),
    Family("gpt3", "GPT-3", DECODER_ONLY, "engine.models.gpt", "GPT3", "GPT3Config", (), "gpt2"),
    Family("llama", "LLaMA", DECODER_ONLY, "engine.models.llama", "Llama", "LlamaConfig", ("llama",), "llama"),
    Family("glm", "GLM", DECODER_ONLY, "engine.models.glm", "GLM", "GLMConfig", (), "glm"),
    Family("chatglm", "ChatGLM2/3", DECODER_ONLY, "engine.models.glm", "ChatGLM", "ChatGLMConfig", ("glm",),
           "chatglm"),
)}


def family_for_model_type(model_type: str) -> Family | None:
    for family in FAMILIES.values():
        if model_type in family.hf_model_types:
            return family
    return None


# transformers class-name prefixes: a config with another model_type but one of these architectures (a
# LLaMA-compatible model renamed) is read as that family
ARCHITECTURE_PREFIXES = {"Bert": "bert", "Roberta": "roberta", "Albert": "albert", "T5": "t5", "OpenAIGPT": "gpt1",
                         "GPT2": "gpt2", "Llama": "llama", "Glm": "chatglm"}


def family_for_config(config: dict) -> Family | None:
    family = family_for_model_type(config.get("model_type") or "")
    if family is not None:
        return family
    for architecture in config.get("architectures") or ():
        for prefix, name in ARCHITECTURE_PREFIXES.items():
            # Glm4* adds norms of its own: not the ChatGLM2 architecture, so it is not taken for one
            if str(architecture).startswith(prefix) and not str(architecture).startswith("Glm4"):
                return FAMILIES[name]
    return None
