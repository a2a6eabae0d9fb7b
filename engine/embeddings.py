"""Sentence embeddings by mean pooling, what MiniLM (all-MiniLM-L6-v2) was trained to produce."""
from __future__ import annotations

import torch


@torch.no_grad()
def sentence_embeddings(loaded, sentences: list[str]) -> torch.Tensor:
    """(n_sentences, hidden): the mean of each sentence's final hidden states over the tokens its attention mask
    lets in (sentence-transformers' mean pooling)."""
    vectors = []
    for sentence in sentences:
        prepared = loaded.prepare(text=sentence)
        hidden_states = loaded.module(**prepared.inputs)["last_hidden_state"][0].float()   # (T, H)
        mask = prepared.inputs.get("attention_mask")
        weights = torch.ones(hidden_states.shape[0]) if mask is None else mask[0].float().cpu()
        vectors.append((hidden_states.cpu() * weights[:, None]).sum(0) / weights.sum().clamp(min=1e-9))
    return torch.stack(vectors)


def cosine_matrix(embeddings: torch.Tensor) -> torch.Tensor:
    """(n, n): cosine similarity of every pair of rows."""
    normed = torch.nn.functional.normalize(embeddings.float(), dim=-1)
    return normed @ normed.T
