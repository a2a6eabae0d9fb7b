"""In-context learning in miniature: an induction head appearing in a two-layer attention-only transformer.

GPT-3's few-shot prompts work because a model can copy from its own context. The smallest mechanism that does
this is the *induction head* (Elhage et al. 2021, "A Mathematical Framework for Transformer Circuits"; Olsson et
al. 2022, "In-context Learning and Induction Heads"): on "... A B ... A" it predicts "B". It takes two layers:

    layer 1: a previous-token head writes "the token before me was A" into each position
    layer 2: the induction head's query (the current token, A) matches those keys, so it attends to the position
             *after* A's previous occurrence, and its value copies that token (B) to the output

The task makes nothing else useful: each sequence is [BOS] + t_0 .. t_{L-1} + t_0 .. t_{L-1}, L random tokens
repeated once (L drawn per batch, so no fixed offset can stand in for finding the token). The first copy cannot
be predicted (its loss stays near ln V); the second can, once the circuit exists. Per step the run records

    first-half loss     mean cross-entropy on t_1 .. t_{L-1} of the first copy (what no model can know)
    repeated-half loss  the same on t_1 .. t_{L-1} of the second copy (what the context gives away)
    induction score     per head: mean attention from each position q of the second copy to q - L + 1, the token
                        after q's previous occurrence (1 = a perfect induction head)
    previous-token score per head: mean attention from q to q - 1 (layer 1's half of the circuit)

    run = InductionRun(steps=400, seed=0)
    for record in run.run():              # one InductionProgress per step; run.stop() from any thread
        ...
    pattern = run.pattern(layer=1, head=run.best_head()[1])    # (T, T) on a fixed repeated sequence
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

import torch
import torch.nn.functional as F
from torch import nn

from engine.errors import InputError
from engine.layers.attention import merge_heads, split_heads
from engine.layers.masks import causal_mask, to_additive

__all__ = ["DEFAULT_STEPS", "InductionConfig", "AttentionOnlyTransformer", "repeated_tokens", "half_losses",
           "head_scores", "InductionProgress", "InductionRun", "run_induction"]

DEFAULT_STEPS = 400     # the induction head appears after about 200 (seeds 0-4: the loss drop at steps 191-203)


@dataclass
class InductionConfig:
    vocab_size: int = 32            # random tokens 0 .. V-1; [BOS] is id V
    d_model: int = 32
    n_heads: int = 4                # per layer
    n_layers: int = 2
    min_len: int = 6                # L, the repeated segment's length, drawn per batch in min_len .. max_len
    max_len: int = 16
    init_std: float = 0.1           # normal(0, std) weights: the plateau before the induction head is short

    @property
    def bos_id(self) -> int:
        return self.vocab_size

    @property
    def max_positions(self) -> int:
        return 1 + 2 * self.max_len

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads


# --- the model: attention only, no MLPs, no norms ----------------------------------------------------------------

class CausalSelfAttention(nn.Module):
    def __init__(self, config: InductionConfig):
        super().__init__()
        self.num_heads = config.n_heads
        self.q_proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.k_proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.v_proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.o_proj = nn.Linear(config.d_model, config.d_model, bias=False)
        self.scale = 1.0 / math.sqrt(config.head_dim)

    def forward(self, hidden_states):                                           # (B, T, D)
        query_states = split_heads(self.q_proj(hidden_states), self.num_heads)  # (B, nh, T, hs)
        key_states = split_heads(self.k_proj(hidden_states), self.num_heads)
        value_states = split_heads(self.v_proj(hidden_states), self.num_heads)
        length = hidden_states.shape[1]
        allowed = causal_mask(length, length, hidden_states.device)             # (1, 1, T, T)
        attn_scores = query_states @ key_states.transpose(-1, -2) * self.scale  # (B, nh, T, T)
        attn_weights = torch.softmax(attn_scores + to_additive(allowed, attn_scores.dtype), dim=-1)
        context = attn_weights @ value_states                                   # (B, nh, T, hs)
        return self.o_proj(merge_heads(context)), attn_weights                  # (B, T, D), (B, nh, T, T)


class AttentionOnlyTransformer(nn.Module):
    """Token + position embeddings, two attention layers writing into the residual stream, an unembedding:

        x = W_E[tokens] + W_pos[positions]
        x = x + attn_1(x)
        x = x + attn_2(x)
        logits = W_U x
    """

    def __init__(self, config: InductionConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size + 1, config.d_model)       # + [BOS]
        self.pos_embed = nn.Embedding(config.max_positions, config.d_model)
        self.layers = nn.ModuleList(CausalSelfAttention(config) for _ in range(config.n_layers))
        self.unembed = nn.Linear(config.d_model, config.vocab_size, bias=False)   # never predicts [BOS]

    def forward(self, input_ids) -> tuple[torch.Tensor, list[torch.Tensor]]:    # (B, T)
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        hidden_states = self.embed(input_ids) + self.pos_embed(positions)[None]  # (B, T, D)
        patterns = []
        for attn in self.layers:
            attn_out, attn_weights = attn(hidden_states)
            hidden_states = hidden_states + attn_out                            # the residual stream
            patterns.append(attn_weights)
        return self.unembed(hidden_states), patterns                           # (B, T, V), L x (B, nh, T, T)


# --- the task -----------------------------------------------------------------------------------------------------

def repeated_tokens(batch: int, length: int, config: InductionConfig, generator: torch.Generator) -> torch.Tensor:
    """(batch, 1 + 2 * length): [BOS], then `length` distinct random tokens, then the same tokens again. Distinct,
    so every token of the second copy has exactly one previous occurrence."""
    if length > config.vocab_size:
        raise InputError(f"a segment of {length} distinct tokens needs a vocabulary of {length} or more, not "
                         f"{config.vocab_size}.")
    segment = torch.rand(batch, config.vocab_size, generator=generator).argsort(dim=-1)[:, :length]   # (B, L)
    bos = torch.full((batch, 1), config.bos_id, dtype=torch.long)
    return torch.cat([bos, segment, segment], dim=1)


def half_losses(logits: torch.Tensor, input_ids: torch.Tensor, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(first-half loss, repeated-half loss). Position p predicts token p + 1. The first copy sits at 1 .. L, the
    second at L+1 .. 2L; each half's loss covers its tokens t_1 .. t_{L-1} (t_0 follows [BOS] or the end of the
    first copy, and nothing says which token comes then)."""
    token_loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), input_ids[:, 1:].flatten(),
                                 reduction="none").view(input_ids.shape[0], -1)   # (B, 2L): loss of token p + 1
    first = token_loss[:, 1:length]                   # predicting positions 2 .. L
    repeated = token_loss[:, length + 1:2 * length]   # predicting positions L+2 .. 2L
    return first.mean(), repeated.mean()


def head_scores(pattern: torch.Tensor, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(induction score, previous-token score) of each head of one layer's pattern (B, nh, T, T), both (nh,).
    The queries are the second copy's positions q = L+1 .. 2L; the induction target is q - L + 1."""
    queries = torch.arange(length + 1, 2 * length + 1)
    induction = pattern[:, :, queries, queries - length + 1]    # (B, nh, L)
    previous = pattern[:, :, queries, queries - 1]
    return induction.mean(dim=(0, 2)), previous.mean(dim=(0, 2))


# --- the run ------------------------------------------------------------------------------------------------------

@dataclass
class InductionProgress:
    step: int                          # steps done (1 = the first)
    steps: int
    length: int                        # L of this step's batch
    loss: float                        # the training loss: every next token of the sequence
    first_half_loss: float
    repeated_loss: float
    induction_scores: list[list[float]]   # [layer][head]
    previous_scores: list[list[float]]
    elapsed_s: float

    def to_json(self) -> dict:
        return asdict(self)


class InductionRun:
    """A seeded training run (the same seed, the same numbers); `run()` yields one InductionProgress per step."""

    def __init__(self, steps: int = DEFAULT_STEPS, seed: int = 0, *, batch_size: int = 64, lr: float = 1e-2,
                 config: InductionConfig | None = None, device="cpu"):
        for name, value, low in (("steps", steps, 1), ("batch size", batch_size, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise InputError(f"The {name} must be a whole number of at least {low}, not {value!r}.")
        if isinstance(lr, bool) or not (isinstance(lr, (int, float)) and 0 < lr < 1):
            raise InputError(f"The learning rate must lie between 0 and 1, not {lr!r}.")
        c = self.config = config or InductionConfig()
        if not 2 <= c.min_len <= c.max_len <= c.vocab_size:
            raise InputError(f"The repeated segment's length must satisfy 2 <= {c.min_len} <= {c.max_len} <= the "
                             f"vocabulary ({c.vocab_size}).")
        if c.d_model % c.n_heads:
            raise InputError(f"d_model {c.d_model} does not split into {c.n_heads} heads of equal size.")
        from engine.api import init_weights
        from engine.devices import resolve_device

        self.steps, self.seed, self.batch_size, self.lr = steps, seed, batch_size, float(lr)
        self.device = resolve_device(device)
        self.model = AttentionOnlyTransformer(c)
        init_weights(self.model, seed, std=c.init_std)
        self.model.to(self.device)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=self.lr, weight_decay=0.01)
        self.data = torch.Generator().manual_seed(seed)   # the sequences: drawn on the CPU, the same on any device
        self.step = 0
        self.history: list[InductionProgress] = []
        self._stop = threading.Event()
        self._elapsed = 0.0

    def stop(self) -> None:
        """The run ends before its next step (from any thread)."""
        self._stop.set()

    def train_step(self) -> InductionProgress:
        began = time.perf_counter()
        c = self.config
        length = int(torch.randint(c.min_len, c.max_len + 1, (), generator=self.data))
        input_ids = repeated_tokens(self.batch_size, length, c, self.data).to(self.device)   # (B, 1 + 2L)
        self.model.train()
        logits, patterns = self.model(input_ids)                                             # (B, T, V)
        loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), input_ids[:, 1:].flatten())
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        with torch.no_grad():
            first, repeated = half_losses(logits, input_ids, length)
            scores = [head_scores(pattern, length) for pattern in patterns]
        self._elapsed += time.perf_counter() - began
        self.step += 1
        record = InductionProgress(self.step, self.steps, length, loss.item(), first.item(), repeated.item(),
                                   [s[0].tolist() for s in scores], [s[1].tolist() for s in scores], self._elapsed)
        self.history.append(record)
        return record

    def run(self) -> Iterator[InductionProgress]:
        """Train to the planned steps, yielding each step's record; checks the stop flag before every step. On the
        CPU it runs on one thread: matrices this small gain nothing from more, and lose much on a busy machine."""
        self._stop.clear()
        threads = torch.get_num_threads()
        if self.device.type == "cpu":
            torch.set_num_threads(1)
        try:
            while self.step < self.steps and not self._stop.is_set():
                yield self.train_step()
        finally:
            torch.set_num_threads(threads)
            self.model.eval()

    # --- results ----------------------------------------------------------------------------------------------

    def best_head(self, record: InductionProgress | None = None) -> tuple[float, int, int]:
        """(score, layer, head) of the head with the highest induction score (the last step's by default)."""
        record = record or self.history[-1]
        return max((score, layer, head) for layer, row in enumerate(record.induction_scores)
                   for head, score in enumerate(row))

    def drop_step(self) -> int | None:
        """The first step whose repeated-half loss fell below half its first-half loss, or None."""
        return next((r.step for r in self.history if r.repeated_loss < 0.5 * r.first_half_loss), None)

    @torch.no_grad()
    def pattern(self, layer: int, head: int, length: int = 12, seed: int = 1234) -> tuple[list[int], torch.Tensor]:
        """The ids of one fixed repeated sequence and head (layer, head)'s attention on it, (T, T)."""
        ids = repeated_tokens(1, length, self.config, torch.Generator().manual_seed(seed)).to(self.device)
        self.model.eval()
        _logits, patterns = self.model(ids)
        return ids[0].tolist(), patterns[layer][0, head].cpu()

    def summary(self) -> dict:
        score, layer, head = self.best_head() if self.history else (None, None, None)
        tail = self.history[-20:]
        return {"steps": self.step, "planned_steps": self.steps, "seed": self.seed, "batch_size": self.batch_size,
                "lr": self.lr, "config": asdict(self.config), "device": str(self.device),
                "drop_step": self.drop_step(), "best_head": {"layer": layer, "head": head, "score": score},
                "first_half_loss": sum(r.first_half_loss for r in tail) / len(tail) if tail else None,
                "repeated_loss": sum(r.repeated_loss for r in tail) / len(tail) if tail else None,
                "chance_loss": math.log(self.config.vocab_size), "elapsed_s": self._elapsed}


def run_induction(on_progress: Callable[[InductionProgress], object] | None = None, **settings) -> InductionRun:
    """A whole run; on_progress(record) after each step (return False from it to stop)."""
    run = InductionRun(**settings)
    for record in run.run():
        if on_progress is not None and on_progress(record) is False:
            run.stop()
    return run
