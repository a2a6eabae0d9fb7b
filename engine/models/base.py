"""What every family module shares: config plumbing and the family descriptor."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


class ConfigMixin:
    """Configs are dataclasses whose field names are those of the released config.json files,
    so reading a real config is picking the known keys."""

    @classmethod
    def from_dict(cls, values: dict[str, Any]):
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in values.items() if k in names}
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclass
class Prepared:
    """What a family makes of the user's text: the encoding shown as tokens, the keyword tensors the model's
    forward takes, and family extras (T5's decoder tokens, GLM's Part A / Part B layout...)."""
    encoding: Any                                  # engine.tokenization.Encoding
    inputs: dict[str, Any]                         # tensors, batch of one
    extras: dict[str, Any] = dataclasses.field(default_factory=dict)


def encoder_inputs(tokenizer, text: str, text_pair: str | None = None, use_segments: bool = True) -> Prepared:
    """BERT-like encoders: [CLS] A [SEP] (B [SEP]) with segment ids 0/1."""
    import torch

    encoding = tokenizer.encode(text, text_pair)
    input_ids = torch.tensor([encoding.ids])
    inputs = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}
    if use_segments:
        inputs["token_type_ids"] = torch.tensor([encoding.segments])
    return Prepared(encoding, inputs)
