"""Interventions, as TransformerLens allows them in code: switch heads off, block cells of the attention mask,
replace a token; the run repeats and the two runs are compared.

Head ablation acts on the per-head outputs z (B, nh, T, hs) where they are merged into (B, T, nh*hs) and enter the
output projection (BERT `output`, GPT `c_proj`, LLaMA/ChatGLM `o_proj`, T5 `o`, GLM `dense`): a forward pre-hook
on that projection zeroes a head's slice, or replaces it by its mean over positions. The projection then adds only
its bias for a layer whose heads are all off. Blocking mask cells wraps `Attention.attend` for the run and takes
the cells out of `allowed`, so the softmax gives them no weight.

Sites are counted in call order: the k-th call of any output projection during a run is the k-th attention site of
the recorded trace (`...attn` / `...cross_attn`, in the order their patterns were recorded), so ALBERT's one layer
called N times is N sites, as its steps are. The hooks act only in the thread that installed them (a context
variable), so a window tracing the same model in another thread at the same moment is not touched.

Layer and head numbers: every index here is 0-based (blocks.0, head 0), as in step names; `parse_heads` reads the
1-based "L.H" a user types, as the window counts.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import re
import threading
from dataclasses import dataclass, field
from typing import Iterator

import torch

from engine.errors import InputError
from engine.layers.attention import Attention

OUTPUT_PROJECTIONS = ("output", "c_proj", "o_proj", "o", "dense")   # BERT/ALBERT/RoBERTa, GPT, LLaMA, T5, GLM
STACK_PREFIXES = {"": None, "enc": "encoder.blocks", "encoder": "encoder.blocks", "dec": "decoder.blocks",
                  "decoder": "decoder.blocks", "cross": "decoder.blocks"}
_active: contextvars.ContextVar["Intervention | None"] = contextvars.ContextVar("plm_intervention", default=None)
_installing = threading.Lock()   # one intervention installed at a time: two would unwrap each other's `attend`


# ----------------------------------------------------------------------------------------------- what to change
@dataclass
class Intervention:
    heads: dict[str, list[int]] = field(default_factory=dict)   # site ("blocks.3.attn") -> heads switched off
    mode: str = "zero"                                           # "zero" | "mean" (over positions)
    blocked: list[tuple[int, int]] = field(default_factory=list)  # (query, key) cells taken out of every mask
    blocked_sites: list[str] | None = None                       # where to block them (None: every self-attention)
    replace: dict[int, int] = field(default_factory=dict)        # position -> new token id (the first stream)

    def __post_init__(self):
        if self.mode not in ("zero", "mean"):
            raise InputError(f"ablation mode must be 'zero' or 'mean', not {self.mode!r}")

    @property
    def empty(self) -> bool:
        return not (self.heads or self.blocked or self.replace)

    def describe(self) -> str:
        parts = []
        if self.heads:
            heads = ", ".join(f"{site_title(s)} head {h + 1}" for s, hs in self.heads.items() for h in hs)
            parts.append(f"{'zeroed' if self.mode == 'zero' else 'mean-ablated'}: {heads}")
        if self.blocked:
            parts.append(f"blocked {len(self.blocked)} mask cell(s)")
        if self.replace:
            parts.append(f"replaced {len(self.replace)} token(s)")
        return "; ".join(parts) or "no change"


def site_title(site: str) -> str:
    """"blocks.2.attn" -> "layer 3"; "decoder.blocks.0.cross_attn" -> "decoder layer 1 cross-attention"."""
    match = re.match(r"^(?:(\w+)\.)?blocks\.(\d+)\.(attn|cross_attn)$", site)
    if not match:
        return site
    stack, layer, kind = match.groups()
    return f"{stack + ' ' if stack else ''}layer {int(layer) + 1}{' cross-attention' if kind == 'cross_attn' else ''}"


def attention_sites(cache) -> list[tuple[str, int]]:
    """(site, heads) of every attention computed, in call order: "blocks.0.attn", ... (T5: encoder, then each
    decoder layer's self- and cross-attention)."""
    return [(name[: -len(".hook_pattern")], int(cache.step(name).shape[1]))
            for name in cache.names() if name.endswith(".hook_pattern")]


def parse_heads(spec: str, sites: list[tuple[str, int]]) -> dict[str, list[int]]:
    """"1.2,3.1" (layer.head, counted from 1 as the window counts) -> {"blocks.0.attn": [1], "blocks.2.attn": [0]}.
    T5: "1.2" or "encoder:1.2" is the encoder, "decoder:1.2" the decoder's self-attention, "cross:1.2" its
    cross-attention. "2.*" switches off every head of layer 2. Unknown layers or heads: InputError naming the
    range."""
    by_site = dict(sites)
    stacks = sorted({s.rsplit(".", 2)[0] for s, _ in sites})
    default_stack = "encoder.blocks" if "encoder.blocks" in stacks else "blocks"
    out: dict[str, list[int]] = {}
    for item in [p.strip() for p in spec.replace(";", ",").split(",") if p.strip()]:
        match = re.fullmatch(r"(?:(\w+):)?(\d+)\.(\d+|\*)", item)
        if not match:
            raise InputError(f"head {item!r} is not LAYER.HEAD (e.g. 1.2: layer 1, head 2, counted from 1)")
        prefix, layer_text, head_text = match.groups()
        if prefix is not None and prefix not in STACK_PREFIXES:
            raise InputError(f"{prefix!r} in {item!r} is not a stack: use encoder:, decoder: or cross:")
        stack = STACK_PREFIXES.get(prefix or "") or default_stack
        kind = "cross_attn" if prefix == "cross" else "attn"
        layers = sorted(int(s.split(".")[-2]) for s, _ in sites if s.startswith(stack + ".")
                        and s.endswith("." + kind))
        if not layers:
            raise InputError(f"{item!r}: this model has no {stack.replace('.blocks', '') + ' ' if '.' in stack else ''}"
                             f"{'cross-attention' if kind == 'cross_attn' else 'attention'} layers")
        layer = int(layer_text) - 1
        site = f"{stack}.{layer}.{kind}"
        if site not in by_site:
            raise InputError(f"layer {layer_text} in {item!r} does not exist: layers are 1..{len(layers)}")
        heads = by_site[site]
        if head_text == "*":
            chosen = list(range(heads))
        else:
            head = int(head_text) - 1
            if not 0 <= head < heads:
                raise InputError(f"head {head_text} in {item!r} does not exist: heads are 1..{heads}")
            chosen = [head]
        out.setdefault(site, [])
        out[site] = sorted(set(out[site]) | set(chosen))
    if not out:
        raise InputError("no heads given: write them as LAYER.HEAD, e.g. --heads 1.2,3.1")
    return out


# ----------------------------------------------------------------------------------------------- the hooks
def _projection(attention: Attention) -> torch.nn.Module:
    for name in OUTPUT_PROJECTIONS:
        module = getattr(attention, name, None)
        if isinstance(module, torch.nn.Linear):
            return module
    raise InputError(f"{type(attention).__name__} has no output projection this app knows "
                     f"({', '.join(OUTPUT_PROJECTIONS)})")


@contextlib.contextmanager
def applied(module: torch.nn.Module, intervention: Intervention, sites: list[tuple[str, int]]) -> Iterator[None]:
    """Install the intervention on `module` for the block: head ablation as pre-hooks on the output projections,
    blocked mask cells by wrapping `attend`. Removed on exit, always."""
    calls = {"projection": 0, "attend": 0}
    blocked_sites = set(intervention.blocked_sites) if intervention.blocked_sites is not None else \
        {s for s, _ in sites if not s.endswith("cross_attn")}

    def ablate(_projection_module, args):
        if _active.get() is not intervention:
            return None
        k = calls["projection"]
        calls["projection"] += 1
        site, heads = sites[k] if k < len(sites) else (None, 0)
        off = intervention.heads.get(site)
        if not off:
            return None
        merged = args[0]                                               # (B, T, nh*hs)
        z = merged.unflatten(-1, (heads, -1)).clone()                  # (B, T, nh, hs)
        if intervention.mode == "zero":
            z[:, :, off] = 0
        else:   # each head's output replaced by its mean over the positions of this input
            z[:, :, off] = z[:, :, off].mean(dim=1, keepdim=True).expand_as(z[:, :, off])
        return (z.flatten(-2),) + tuple(args[1:])

    handles, wrapped = [], []
    attentions = [m for m in module.modules() if isinstance(m, Attention)]
    with _installing, _installed(handles, wrapped):
        for projection in {id(p): p for p in map(_projection, attentions)}.values():
            handles.append(projection.register_forward_pre_hook(ablate))
        if intervention.blocked:
            for attention in attentions:
                original = attention.attend

                def attend(query_states, key_states, value_states, allowed, scale, bias=None, _original=original):
                    if _active.get() is intervention:
                        k = calls["attend"]
                        calls["attend"] += 1
                        if k < len(sites) and sites[k][0] in blocked_sites:
                            allowed = _block(allowed, intervention.blocked, query_states, key_states)
                    return _original(query_states, key_states, value_states, allowed, scale, bias)

                attention.attend = attend
                wrapped.append(attention)
        token = _active.set(intervention)
        try:
            yield
        finally:
            _active.reset(token)


@contextlib.contextmanager
def _installed(handles: list, wrapped: list) -> Iterator[None]:
    """Remove whatever hooks and wrappers were put into the two lists, however the block ends."""
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()
        for attention in wrapped:
            del attention.attend   # the class's method again


def _block(allowed, cells, query_states, key_states) -> torch.Tensor:
    """allowed with the given (query, key) cells set False; (B or 1, 1, Tq, Tk)."""
    tq, tk = query_states.shape[2], key_states.shape[2]
    if allowed is None:
        allowed = torch.ones(1, 1, tq, tk, dtype=torch.bool, device=query_states.device)
    allowed = allowed.expand(-1, -1, tq, tk).clone()
    for q, k in cells:
        if q < tq and k < tk:
            allowed[..., q, k] = False
    return allowed


# ----------------------------------------------------------------------------------------------- before and after
@dataclass
class Change:
    position: int
    token: str          # the token at that position
    id: int             # the vocabulary entry whose probability moved
    candidate: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class Comparison:
    """Two runs of one input: `before` as it is, `after` with the intervention."""
    intervention: Intervention
    before: object                  # engine Trace
    after: object
    sites: list[tuple[str, int]]
    kind: str                       # "lm" | "mlm" | "" (no token head: patterns only)
    positions: list[int]            # where predictions are compared
    tokens: list[str] = field(default_factory=list)    # the tokens the head reads (T5: the decoder's)
    top_before: list[list[tuple[int, str, float]]] = field(default_factory=list)   # per position: (id, token, p)
    top_after: list[list[tuple[int, str, float]]] = field(default_factory=list)
    kl: list[float] = field(default_factory=list)        # KL(before || after) per position, nats
    changes: list[Change] = field(default_factory=list)  # the largest probability changes, largest first
    logit_change: float = 0.0                             # max |logits after - logits before|

    def pattern(self, site: str, which: str = "before") -> torch.Tensor:
        """(nh, Tq, Tk) of one site: "before", "after" or "diff" (after - before)."""
        name = f"{site}.hook_pattern"
        if which == "diff":
            return self.after.cache[name][0] - self.before.cache[name][0]
        return getattr(self, which).cache[name][0]

    def to_json(self) -> dict:
        def tops(rows):
            return [[{"id": i, "token": t, "probability": round(p, 6)} for i, t, p in row] for row in rows]

        return {"model": self.before.model_name, "intervention": self.intervention.describe(),
                "heads": {site: [h + 1 for h in heads] for site, heads in self.intervention.heads.items()},
                "mode": self.intervention.mode, "kind": self.kind, "tokens": self.tokens,
                "positions": self.positions, "top_before": tops(self.top_before), "top_after": tops(self.top_after),
                "kl": [round(x, 6) for x in self.kl], "max_logit_change": round(self.logit_change, 6),
                "changes": [{"position": c.position, "token": c.token, "id": c.id, "candidate": c.candidate,
                             "before": round(c.before, 6), "after": round(c.after, 6)} for c in self.changes],
                "pattern_change": {site: round(float(self.pattern(site, "diff").abs().max()), 6)
                                   for site, _ in self.sites}}


def compare(loaded, intervention: Intervention, text: str | None = None, text_pair: str | None = None,
            input_ids=None, before=None, top: int = 5, changes: int = 10) -> Comparison:
    """Run the input as it is (or take `before`, a trace of it) and again with the intervention; compare the
    predictions (top tokens, KL per position, the largest probability changes) and every attention pattern."""
    from engine.lens import head_tokens, mask_positions, readout, token_text

    prepared = loaded.prepare(text, text_pair, input_ids)
    if before is None:
        before = loaded.trace_prepared(prepared)
    sites = attention_sites(before.cache)
    for site in intervention.heads:
        if site not in dict(sites):
            raise InputError(f"{site} is not an attention layer of {loaded.name}")
    for q, k in intervention.blocked:
        if q < 0 or k < 0:
            raise InputError(f"mask cell ({q}, {k}) is outside the positions")
    if intervention.replace:
        ids = prepared.inputs["input_ids"].clone()
        for position, new_id in intervention.replace.items():
            if not 0 <= position < ids.shape[1]:
                raise InputError(f"position {position + 1} is outside the {ids.shape[1]} tokens")
            if not 0 <= new_id < loaded.config.vocab_size:
                raise InputError(f"token id {new_id} is outside 0..{loaded.config.vocab_size - 1}")
            ids[:, position] = new_id
        prepared.inputs = {**prepared.inputs, "input_ids": ids}
        if prepared.encoding is not None:   # the after run's tokens name the replacement
            decode = token_text(loaded)
            tokens = list(prepared.encoding.tokens)
            for position, new_id in intervention.replace.items():
                tokens[position] = decode(new_id)
            prepared.encoding = dataclasses.replace(prepared.encoding, tokens=tokens)
    with applied(loaded.module, intervention, sites):
        after = loaded.trace_prepared(prepared)
    result = Comparison(intervention, before, after, sites, "", [])
    try:
        kind = readout(loaded).kind
    except InputError:
        return result   # no token head (MiniLM): the patterns still compare
    head = loaded.module.primary_head
    logits_before, logits_after = before.outputs[head][0].float(), after.outputs[head][0].float()   # (T, V)
    tokens = head_tokens(before, "decoder.blocks" if getattr(loaded.module, "is_encoder_decoder", False)
                         else "blocks")
    positions = list(range(len(tokens)))
    if kind == "mlm":
        positions = mask_positions(loaded, tokens) or positions
    decode = token_text(loaded)
    p_before, p_after = torch.softmax(logits_before, -1), torch.softmax(logits_after, -1)
    result.kind, result.positions, result.tokens = kind, positions, tokens
    result.logit_change = float((logits_after - logits_before).abs().max())
    k = min(top, p_before.shape[-1])
    for probs, out in ((p_before, result.top_before), (p_after, result.top_after)):
        values, ids = probs[positions].topk(k, dim=-1)
        out.extend([[(int(i), decode(int(i)), float(v)) for v, i in zip(vs, is_)] for vs, is_ in zip(values, ids)])
    log_before, log_after = torch.log_softmax(logits_before, -1), torch.log_softmax(logits_after, -1)
    result.kl = [float((p_before[p] * (log_before[p] - log_after[p])).sum()) for p in positions]
    delta = (p_after - p_before)[positions]                                                  # (P, V)
    flat = delta.abs().flatten().topk(min(changes, delta.numel())).indices
    vocab = delta.shape[-1]
    for index in flat.tolist():
        row, token_id = divmod(index, vocab)
        position = positions[row]
        result.changes.append(Change(position, tokens[position], token_id, decode(token_id),
                                     float(p_before[position, token_id]), float(p_after[position, token_id])))
    return result


def ablate_heads(loaded, heads: str | dict[str, list[int]], mode: str = "zero", **run) -> Comparison:
    """compare() with heads switched off; heads as typed ("1.2,3.1", 1-based) or as {site: [0-based heads]}."""
    if isinstance(heads, str):
        before = run.pop("before", None) or loaded.trace(text=run.get("text"), text_pair=run.get("text_pair"),
                                                         input_ids=run.get("input_ids"))
        heads = parse_heads(heads, attention_sites(before.cache))
        run["before"] = before
    return compare(loaded, Intervention(heads=heads, mode=mode), **run)
