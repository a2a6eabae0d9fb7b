"""What makes a family a family, in one object.

Each family module ends by declaring its `FamilySpec` (GPT's module declares three, glm.py two); the registry in
`engine.models` imports those objects and nothing else reads a family's module by name. Everything that varies by
family and is needed outside the model itself is a field here: the accounting, the loader, the picker, the
lessons and the tests all read the spec. `check()` says which part is missing, so a half-written family fails
with a sentence rather than an AttributeError three modules away.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import torch

from engine.models.base import Prepared

ENCODER_ONLY, ENCODER_DECODER, DECODER_ONLY = "Encoder-only", "Encoder-decoder", "Decoder-only"
GROUPS = (ENCODER_ONLY, ENCODER_DECODER, DECODER_ONLY)


@dataclass(frozen=True)
class AttentionDims:
    """The attention shapes the KV-cache and FLOP accounting need."""
    kind: str                 # "encoder", "encoder-decoder", "decoder"
    hidden: int
    vocab: int
    layers: int               # attention layers applied to each token (decoder layers for T5)
    heads: int
    kv_heads: int
    head_dim: int
    n_ctx: int
    encoder_layers: int = 0   # T5
    kv_note: str = ""         # what the KV-cache figures should say about this family's attention

    @property
    def d_attn(self) -> int:
        return self.heads * self.head_dim


def single_stream_inputs(tokenizer, config, input_ids: torch.Tensor, **_options) -> Prepared:
    """Bare ids as one stream, every position real: what most families need when there is no text."""
    return Prepared(None, {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)})


def keep_config(config, _state_dict):
    """A family whose released files carry no optional parts: the config alone says what to build."""
    return config


def no_rules(_config) -> list[str]:
    return []


# Ranges of the config fields that size a model: far beyond every released model, far below what would take
# minutes to build or overflow an allocation. Checked for checkpoints and for edited presets alike.
SIZE_LIMITS = [
    (("num_hidden_layers", "n_layer", "num_layers", "num_decoder_layers", "num_hidden_groups", "inner_group_num"),
     1, 1024),
    (("num_attention_heads", "n_head", "num_heads", "num_key_value_heads"), 1, 4096),
    (("hidden_size", "n_embd", "d_model", "intermediate_size", "n_inner", "d_ff", "d_kv", "head_dim",
      "embedding_size"), 1, 2**17),
    (("vocab_size",), 1, 2**23),
    (("max_position_embeddings", "n_positions", "max_sequence_length"), 1, 2**20),
    (("type_vocab_size", "relative_attention_num_buckets", "relative_attention_max_distance"), 1, 2**16),
    (("num_labels",), 1, 2**16),
]


def size_problem(name: str, value) -> str | None:
    for names, low, high in SIZE_LIMITS:
        if name in names and isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
            return f"{name} is {value:,}, outside {low}..{high:,}"
    return None


# (stack name -> (the config field that sets its depth, the attribute that reads it back))
Depth = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class FamilySpec:
    name: str                          # our name: "bert", "gpt2", "chatglm" ...
    title: str                         # what the user reads
    group: str                         # one of GROUPS
    config_cls: type
    model_cls: type
    hf_renames: list                   # Hugging Face parameter name -> ours (engine.weights.load_hf_state_dict)
    prepare_inputs: Callable[..., Prepared]        # (tokenizer, text, text_pair=None, **options)
    param_formula: Callable[[Any], tuple[int, int, str]]   # config -> (body, with heads, the formula in words)
    attention_dims: Callable[[Any], AttentionDims]
    tokenizer_recipe: str              # engine.tokenization recipe for random-weight models
    lessons: tuple[str, ...]           # assets/lessons/<stem>.json, most general first
    tiny_presets: dict[str, dict]      # name -> config overrides, runnable in a blink
    depth: Depth = field(default_factory=dict)   # empty: the module is built whole (ALBERT: shared sets)
    inputs_from_ids: Callable[..., Prepared] = single_stream_inputs   # (tokenizer or None, config, ids (B, T))
    configure_from_keys: Callable[[Any, dict], Any] = keep_config     # a real file decides optional heads
    config_rules: Callable[[Any], list[str]] = no_rules   # config -> what makes it impossible, in words
    hf_model_types: tuple[str, ...] = ()        # config.json "model_type" values this family loads
    hf_architectures: tuple[str, ...] = ()      # transformers class-name prefixes (renamed LLaMA-compatibles)
    # the way back (engine.saving): our name -> Hugging Face name (a third element transforms the tensor); every
    # save runs the names it writes through hf_renames and must get exactly the saved parameters back
    hf_save_names: list = field(default_factory=list)
    hf_save_class: str = ""            # config.json "architectures" of a saved folder ("" when none reads it)
    paper: str = ""                    # where the architecture is described

    @property
    def module_name(self) -> str:
        return self.model_cls.__module__

    @property
    def model_class(self) -> str:
        return self.model_cls.__name__

    def config(self, values: dict | Any):
        return values if not isinstance(values, dict) else self.config_cls.from_dict(values)

    def config_problems(self, values: dict) -> list[str]:
        """Why a configuration (config.json field names) cannot be built, in words; empty when it can. Never
        raises: an editor shows these inline."""
        problems = [p for p in (size_problem(k, v) for k, v in values.items()) if p]
        if problems:
            return problems
        try:
            config = self.config(values)
            dims = self.attention_dims(config)
        except (TypeError, ValueError, ZeroDivisionError, KeyError) as error:
            return [str(error)]
        if dims.heads % dims.kv_heads:
            problems.append(f"the {dims.heads} query heads cannot be shared evenly by {dims.kv_heads} key/value "
                            f"heads: make the first a multiple of the second")
        return problems + list(self.config_rules(config))

    def check(self) -> list[str]:
        """The parts this family lacks or gets wrong, in words (empty when complete)."""
        problems = []
        if self.group not in GROUPS:
            problems.append(f"group {self.group!r} is not one of {', '.join(GROUPS)}")
        for part in ("prepare_inputs", "inputs_from_ids", "configure_from_keys", "param_formula",
                     "attention_dims", "config_rules"):
            if not callable(getattr(self, part)):
                problems.append(f"{part} is not callable")
        if not self.hf_renames:
            problems.append("hf_renames is empty: no checkpoint of this family can load")
        if not self.tiny_presets:
            problems.append("no tiny preset: nothing runs in a blink for the tests and the picker")
        if not self.lessons or self.lessons[0] != "common":
            problems.append("lessons must start with 'common' and name the family's own lesson files")
        defaults = self.config_cls()
        for stack, (field_name, attribute) in self.depth.items():
            if not hasattr(defaults, field_name) or not hasattr(defaults, attribute):
                problems.append(f"depth of {stack!r} names {field_name!r}/{attribute!r}, which the config lacks")
        return problems
