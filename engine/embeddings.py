"""Sentence embeddings by mean pooling, what MiniLM (all-MiniLM-L6-v2) was trained to produce."""
from __future__ import annotations

import torch


@torch.no_grad()
def sentence_embeddings(loaded, sentences: list[str]) -> torch.Tensor:
    """(n_sentences, hidden): the mean of each sentence's final hidden states over its real tokens."""
    vectors = []
    for sentence in sentences:
        outputs = loaded.forward(text=sentence)
        hidden_states = outputs["last_hidden_state"][0]                 # (T, H)
        vectors.append(hidden_states.float().mean(0).cpu())
    return torch.stack(vectors)


def cosine_matrix(embeddings: torch.Tensor) -> torch.Tensor:
    normed = torch.nn.functional.normalize(embeddings, dim=-1)
    return normed @ normed.T
