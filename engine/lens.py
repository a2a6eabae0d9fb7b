"""The logit lens (nostalgebraist, 2020): read every layer's hidden state with the model's own output head.

    for each layer l:   logits_l = head(final_norm(hidden_states_l))        # (T, V)

The head is the one the model predicts with: the LM head of a decoder (after its final norm, when it has one), the
MLM head of an encoder (its transform, LayerNorm and tied decoder), T5's decoder final RMSNorm and LM head (with
the tied head's d_model**-0.5 rescale). "Layer 0" is the input of the first block (the embeddings); the last row
is the output of the last block, through the same head, so it equals the model's own logits.

A post-norm block (BERT, GPT-1, GLM post/DeepNorm) ends in its own LayerNorm: its output
(`hook_normalized_resid_post`) is what the next block and the head read, so that is what the lens reads too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch

from engine.errors import InputError

FINAL_NORMS = ("ln_f", "norm", "final_layernorm")   # GPT-2/3, LLaMA/ChatGLM, GLM pre-norm


@dataclass
class Readout:
    """How a hidden state becomes logits in this model, and which stack of layers feeds it."""
    stack: str                                   # "blocks" or "decoder.blocks" (T5)
    head: Callable[[torch.Tensor], torch.Tensor]  # (.., H) -> (.., V), final norm included
    kind: str                                    # "lm" (next token) or "mlm" (the token at the position)


def readout(loaded) -> Readout:
    """The model's own output path, or InputError when it has none (MiniLM carries no MLM head)."""
    module = loaded.module
    if hasattr(module, "mlm_head"):
        return Readout("blocks", module.mlm_head, "mlm")
    if not hasattr(module, "lm_head"):
        raise InputError(f"{loaded.name} has no output head (no MLM or LM head): the logit lens needs the head the "
                         f"model predicts tokens with.")
    if getattr(module, "is_encoder_decoder", False):   # T5: the decoder's final norm, then the LM head
        norm, stack = module.decoder.final_norm, "decoder.blocks"
    else:
        norm = next((getattr(module, n) for n in FINAL_NORMS if hasattr(module, n)), None)
        stack = "blocks"
    head = module.lm_head
    return Readout(stack, (lambda h: head(norm(h))) if norm is not None else head, "lm")


def layer_names(cache, stack: str) -> list[tuple[str, str]]:
    """(label, step name) of each hidden state the lens reads: the first block's input, then every block's
    output (the normalised one for post-norm blocks)."""
    count = 0
    while f"{stack}.{count}.hook_resid_pre" in cache:
        count += 1
    if count == 0:
        raise InputError(f"the trace has no layers under {stack!r} to read with the lens")
    names = [("embeddings", f"{stack}.0.hook_resid_pre")]
    for i in range(count):
        normalized = f"{stack}.{i}.hook_normalized_resid_post"
        names.append((f"layer {i + 1}", normalized if normalized in cache else f"{stack}.{i}.hook_resid_post"))
    return names


@dataclass
class LensResult:
    model: str
    kind: str                       # "lm": row p predicts the token after p; "mlm": the token at p
    tokens: list[str]               # the tokens of the stack the head reads (T5: the decoder's)
    positions: list[int]            # the positions read (MLM: the [MASK]s unless all were asked)
    layers: list[str]               # "embeddings", "layer 1", ...
    steps: list[str]                # the step each row reads
    top_ids: torch.Tensor           # (L+1, P, K)
    top_tokens: list[list[list[str]]]
    top_probs: torch.Tensor         # (L+1, P, K)
    final_prob: torch.Tensor        # (L+1, P): each layer's probability of the model's final top-1 token
    note: str = ""
    extras: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        rows = []
        for li, layer in enumerate(self.layers):
            cells = []
            for pi, position in enumerate(self.positions):
                cells.append({"position": position, "token": self.tokens[position],
                              "top": [{"id": int(i), "token": t, "probability": round(float(p), 6)}
                                      for i, t, p in zip(self.top_ids[li, pi], self.top_tokens[li][pi],
                                                         self.top_probs[li, pi])],
                              "final_token_probability": round(float(self.final_prob[li, pi]), 6)})
            rows.append({"layer": layer, "step": self.steps[li], "positions": cells})
        return {"model": self.model, "kind": self.kind, "tokens": self.tokens, "positions": self.positions,
                "note": self.note, "layers": rows}


def head_tokens(trace, stack: str) -> list[str]:
    if stack.startswith("decoder"):
        return list((trace.extras or {}).get("decoder_tokens") or [])
    return list(trace.tokens)


def mask_positions(loaded, tokens: list[str]) -> list[int]:
    mask = getattr(loaded.tokenizer, "mask_token", None) if loaded.tokenizer is not None else None
    return [i for i, t in enumerate(tokens) if mask is not None and t == mask]


@torch.no_grad()
def layer_logits(loaded, trace, step: str) -> torch.Tensor:
    """The full (T, V) logits the model's head gives the hidden state recorded as `step` (batch row 0)."""
    head = readout(loaded).head
    hidden = trace.cache[step][0].to(loaded.device)
    return head(hidden[None])[0].float().cpu()


@torch.no_grad()
def logit_lens(loaded, trace=None, text: str | None = None, text_pair: str | None = None, top: int = 5,
               all_positions: bool = False, input_ids=None, check=None) -> LensResult:
    """Every layer's top-`top` tokens at each position read (decoders: every position; MLM heads: the [MASK]
    positions, or all of them when there is none or `all_positions`). One layer's logits at a time: a 13-layer,
    512-token, 30k-vocabulary lens never holds more than one (T, V) matrix. check: called between layers (a
    worker's job.check)."""
    out = readout(loaded)
    if trace is None:
        trace = loaded.trace(text=text, text_pair=text_pair, input_ids=input_ids)
    if top < 1:
        raise InputError(f"--top must be at least 1, not {top}")
    tokens = head_tokens(trace, out.stack)
    rows = layer_names(trace.cache, out.stack)
    note = ""
    positions = list(range(len(tokens)))
    if out.kind == "mlm" and not all_positions:
        masked = mask_positions(loaded, tokens)
        if masked:
            positions = masked
        else:
            note = "No [MASK] in the text: every position is read (an MLM head predicts the token at its position)."
    top = min(top, loaded.config.vocab_size)
    index = torch.tensor(positions)
    final = None
    top_ids, top_probs, final_prob = [], [], []
    for _label, step in reversed(rows):   # the last layer first: its top-1 is "the model's final answer"
        if check is not None:
            check()
        probs = torch.softmax(layer_logits(loaded, trace, step)[index], dim=-1)   # (P, V)
        values, ids = probs.topk(top, dim=-1)                                      # (P, K)
        if final is None:
            final = ids[:, 0]
        top_ids.append(ids)
        top_probs.append(values)
        final_prob.append(probs.gather(1, final[:, None])[:, 0])
    top_ids, top_probs, final_prob = (torch.stack(x[::-1]) for x in (top_ids, top_probs, final_prob))
    decode = token_text(loaded)
    words = [[[decode(int(i)) for i in cell] for cell in row] for row in top_ids]
    return LensResult(loaded.name, out.kind, tokens, positions, [r[0] for r in rows], [r[1] for r in rows],
                      top_ids, words, top_probs, final_prob, note)


def token_text(loaded) -> Callable[[int], str]:
    """id -> the token's spelling (its vocabulary entry), or <id> without a tokenizer."""
    tokenizer = loaded.tokenizer
    if tokenizer is None:
        return lambda i: f"<{i}>"
    return lambda i: tokenizer.id_to_token(i) or f"<{i}>"
