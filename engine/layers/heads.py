"""The output layer the decoders share: hidden state -> one score per vocabulary token."""
from __future__ import annotations

from torch import nn

from engine.hooks import HookPoint


class LMHead(nn.Linear):
    """A linear map to the vocabulary, no bias. GPT and GLM tie its weight to the token embeddings (the model
    assigns it); LLaMA 1-3 and ChatGLM2/3 keep a matrix of their own unless the config ties it."""

    def __init__(self, hidden_size: int, vocab_size: int):
        super().__init__(hidden_size, vocab_size, bias=False)
        self.hook_logits = HookPoint(("batch", "pos", "vocab"), "logits")

    def forward(self, hidden_states):
        return self.hook_logits(super().forward(hidden_states))   # (B, T, V)
