"""Decoding for the decoder-only and encoder-decoder families, token by token, with or without a KV cache.

`generate(loaded, text=..., ...)` is the one call the command line and the window make: greedy by default (the
same tokens as transformers' `generate(do_sample=False)` on the same weights), or sampled with a temperature,
top-k and top-p filtering and a seed (the same seed gives the same tokens). It returns a `Generation` whose `steps`
record, for every new token, the model's top candidates with their probabilities and the KV cache's size per layer
at that step, so a window can show each decision.

Protocol the models follow: forward(..., past_key_values=None, use_cache=False) returns the logits under
`module.primary_head` and, with use_cache, "past_key_values" (one (key_states, value_states) pair per layer).
An encoder-decoder also takes decoder_input_ids and encoder_hidden_states, and returns "encoder_hidden_states" so
the encoder runs once. GLM writes into a blank: its positions are two rows (engine.models.glm).
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from engine.errors import InputError

MAX_NEW_TOKENS = 4096
MAX_CANDIDATES = 50


# --- one decoding session per kind of model ---------------------------------------------------------------------

class _Causal:
    """A decoder-only model: the prompt, then one more token per step (only the new one when cached)."""

    def __init__(self, module: nn.Module, input_ids: torch.Tensor, use_cache: bool,
                 attention_mask: torch.Tensor | None = None):
        self.module, self.sequence, self.use_cache, self.mask = module, input_ids, use_cache, attention_mask
        self.prompt_length = input_ids.shape[1]
        self.past = None

    def logits(self) -> torch.Tensor:
        feed = self.sequence[:, -1:] if (self.use_cache and self.past is not None) else self.sequence
        kwargs = {"input_ids": feed, "past_key_values": self.past, "use_cache": self.use_cache}
        if self.mask is not None:
            grown = self.sequence.shape[1] - self.prompt_length
            kwargs["attention_mask"] = torch.cat([self.mask, self.mask.new_ones(self.mask.shape[0], grown)], 1)
        outputs = self.module(**kwargs)
        self.past = outputs.get("past_key_values") if self.use_cache else None
        return outputs[self.module.primary_head][:, -1]

    def append(self, token: torch.Tensor) -> None:
        self.sequence = torch.cat([self.sequence, token], dim=1)

    def new_tokens(self) -> torch.Tensor:
        return self.sequence[:, self.prompt_length:]

    def context_length(self) -> int:
        return self.sequence.shape[1]


class _EncoderDecoder(_Causal):
    """T5: the encoder reads the source once; the decoder starts from its start token and grows."""

    def __init__(self, module: nn.Module, input_ids: torch.Tensor, use_cache: bool,
                 attention_mask: torch.Tensor | None = None, start: int | None = None):
        start = module.config.decoder_start_token_id if start is None else start
        sequence = torch.full((input_ids.shape[0], 1), start, dtype=torch.long, device=input_ids.device)
        super().__init__(module, sequence, use_cache)
        self.fixed = {"input_ids": input_ids, "attention_mask": attention_mask}
        self.encoder_hidden_states = None

    def logits(self) -> torch.Tensor:
        feed = self.sequence[:, -1:] if (self.use_cache and self.past is not None) else self.sequence
        kwargs = dict(self.fixed, decoder_input_ids=feed, past_key_values=self.past, use_cache=self.use_cache)
        if self.encoder_hidden_states is not None:
            kwargs["encoder_hidden_states"] = self.encoder_hidden_states
        outputs = self.module(**kwargs)
        self.past = outputs.get("past_key_values") if self.use_cache else None
        self.encoder_hidden_states = outputs.get("encoder_hidden_states", self.encoder_hidden_states)
        return outputs[self.module.primary_head][:, -1]


class _Blank(_Causal):
    """GLM: continue the last Part B piece, each new token at its span's [MASK] position (row 1) and one step
    further inside the span (row 2)."""

    def __init__(self, module: nn.Module, input_ids: torch.Tensor, use_cache: bool, position_ids: torch.Tensor,
                 part_a_length):
        super().__init__(module, input_ids, use_cache)
        self.positions = position_ids.reshape(1, 2, -1)
        self.part_a_length = part_a_length

    def logits(self) -> torch.Tensor:
        if self.use_cache and self.past is not None:
            outputs = self.module(self.sequence[:, -1:], position_ids=self.positions[:, :, -1:],
                                  part_a_length=self.part_a_length, past_key_values=self.past, use_cache=True)
        else:
            outputs = self.module(self.sequence, position_ids=self.positions, part_a_length=self.part_a_length,
                                  use_cache=self.use_cache)
        self.past = outputs.get("past_key_values") if self.use_cache else None
        return outputs[self.module.primary_head][:, -1]

    def append(self, token: torch.Tensor) -> None:
        super().append(token)
        step = self.positions[:, :, -1:] + torch.tensor([0, 1], device=self.positions.device).view(1, 2, 1)
        self.positions = torch.cat((self.positions, step), dim=2)


def kv_cache_bytes(past) -> list[int] | None:
    """Bytes the KV cache holds, per layer (keys and values together); None without a cache."""
    if not past:
        return None
    return [sum(t.numel() * t.element_size() for t in layer if isinstance(t, torch.Tensor)) for layer in past]


@torch.no_grad()
def greedy(module: nn.Module, input_ids: torch.Tensor, max_new_tokens: int = 16, use_cache: bool = True,
           attention_mask: torch.Tensor | None = None, eos_token_id: int | None = None,
           decoder_start_token_id: int | None = None) -> torch.Tensor:
    """Batched greedy decoding of bare ids. Returns only the new tokens (B, <= max_new_tokens); for an
    encoder-decoder, the decoder's tokens after the start token. Stops early only when every row gave eos."""
    if getattr(module, "is_encoder_decoder", False):
        session = _EncoderDecoder(module, input_ids, use_cache, attention_mask, decoder_start_token_id)
    else:
        session = _Causal(module, input_ids, use_cache, attention_mask)
    for _ in range(max_new_tokens):
        next_token = session.logits().argmax(-1, keepdim=True)   # (B, 1)
        session.append(next_token)
        if eos_token_id is not None and bool((next_token == eos_token_id).all()):
            break
    return session.new_tokens()


@torch.no_grad()
def fill_blank(module: nn.Module, input_ids: torch.Tensor, position_ids: torch.Tensor, part_a_length,
               max_new_tokens: int = 16, end_id: int | None = None, use_cache: bool = True) -> torch.Tensor:
    """GLM's own greedy decoding of one blank-infilling layout (one batch row): the new ids (1, <= max_new)."""
    session = _Blank(module, input_ids, use_cache, position_ids, part_a_length)
    for _ in range(max_new_tokens):
        next_token = session.logits().argmax(-1, keepdim=True)   # (1, 1)
        session.append(next_token)
        if end_id is not None and int(next_token) == end_id:
            break
    return session.new_tokens()


# --- choosing the next token -------------------------------------------------------------------------------------

@dataclass
class Sampling:
    """How each next token is chosen. temperature 0 (the default): the most probable one (greedy). Above 0: drawn
    from softmax(logits / temperature), keeping only the top_k most probable and the smallest set whose
    probabilities add up to top_p (transformers' order: temperature, then top-k, then top-p)."""
    temperature: float = 0.0
    top_k: int | None = None
    top_p: float | None = None
    seed: int | None = None

    @property
    def greedy(self) -> bool:
        return not self.temperature

    def check(self) -> None:
        if not isinstance(self.temperature, (int, float)) or not 0 <= self.temperature <= 100:
            raise InputError(f"temperature must lie in 0..100 (0 = greedy), not {self.temperature}.")
        if self.top_k is not None and (isinstance(self.top_k, bool) or not isinstance(self.top_k, int)
                                       or self.top_k < 1):
            raise InputError(f"top-k must be a whole number of at least 1, not {self.top_k}.")
        if self.top_p is not None and not 0 < self.top_p <= 1:
            raise InputError(f"top-p must lie in (0, 1], not {self.top_p}.")
        if self.greedy and (self.top_k is not None or self.top_p is not None):
            raise InputError("top-k and top-p shape sampling: give a temperature above 0 too (temperature 0 always "
                             "takes the most probable token).")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)
                                      or not 0 <= self.seed < 2**63):
            raise InputError(f"the seed must be a whole number in 0..2^63-1, not {self.seed}.")

    def distribution(self, logits: torch.Tensor) -> torch.Tensor:
        """The probabilities the next token is drawn from (float32, on the CPU); zero where filtered out."""
        scores = logits.detach().float().cpu() / self.temperature
        if self.top_k is not None and self.top_k < scores.shape[-1]:
            kth = torch.topk(scores, self.top_k).values[..., -1:]
            scores = scores.masked_fill(scores < kth, float("-inf"))
        if self.top_p is not None and self.top_p < 1:
            ordered, order = torch.sort(scores, descending=True)
            cumulative = ordered.softmax(-1).cumsum(-1)
            drop = cumulative - ordered.softmax(-1) >= self.top_p   # the tokens after the set reaching top_p
            drop[..., 0] = False
            scores = scores.masked_fill(drop.scatter(-1, order, drop), float("-inf"))
        return scores.softmax(-1)


@dataclass
class Candidate:
    id: int
    token: str
    probability: float     # the model's own probability (softmax of the logits, temperature 1, nothing filtered)
    logit: float


@dataclass
class Step:
    index: int                        # 0 for the first new token
    id: int                           # the token chosen
    token: str
    probability: float                # the model's probability of the chosen token
    candidates: list[Candidate]       # the most probable next tokens, most probable first
    sample_probability: float | None  # its probability after temperature / top-k / top-p (None when greedy)
    context_length: int               # tokens the model read before choosing (decoder tokens for T5)
    kv_cache_bytes: list[int] | None  # the KV cache per layer after this step (None without a cache)

    @property
    def kv_cache_total(self) -> int:
        return sum(self.kv_cache_bytes or [])


@dataclass
class Generation:
    model: str
    prompt_tokens: list[str]
    prompt_ids: list[int]
    new_ids: list[int]
    new_tokens: list[str]
    text: str                          # the new tokens decoded ("" without a tokenizer)
    steps: list[Step] = field(default_factory=list)
    stopped: str = "max_new_tokens"    # or "eos": the model ended the text
    settings: dict = field(default_factory=dict)   # temperature, top_k, top_p, seed, use_cache, candidates
    vocabulary_note: str = ""          # whether the ids are the released model's

    def to_json(self) -> dict:
        data = asdict(self)
        for step, record in zip(self.steps, data["steps"]):
            record["kv_cache_total"] = step.kv_cache_total
        return data


GLM_BLANK = " [MASK]"   # GLM continues a text by filling a blank at its end


def _eos_ids(loaded) -> set[int]:
    eos = getattr(loaded.config, "eos_token_id", None)
    eos = eos if isinstance(eos, (tuple, list)) else (eos,)
    return {int(e) for e in eos if isinstance(e, int) and not isinstance(e, bool)}


@torch.no_grad()
def generate(loaded, text: str | None = None, input_ids=None, max_new_tokens: int = 16, use_cache: bool = True,
             temperature: float = 0.0, top_k: int | None = None, top_p: float | None = None,
             seed: int | None = None, candidates: int = 5) -> Generation:
    """Continue a text (or ids) with a loaded decoder or encoder-decoder, one recorded step per new token.

    Greedy unless temperature > 0; sampling draws with a seeded generator (a seed is drawn and recorded in
    `settings` when none is given, so any run can be replayed). Stops at the model's eos token or after
    max_new_tokens. GLM writes into a blank: one is put at the end of the text unless the text has a [MASK]."""
    if loaded.family.group == "Encoder-only":
        raise InputError(f"{loaded.family.title} is an encoder: it fills [MASK] in a text rather than continuing "
                         "it. Pick a decoder (GPT, LLaMA, GLM) or T5.")
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) \
            or not 1 <= max_new_tokens <= MAX_NEW_TOKENS:
        raise InputError(f"max_new_tokens must lie in 1..{MAX_NEW_TOKENS}, not {max_new_tokens}.")
    if isinstance(candidates, bool) or not isinstance(candidates, int) or not 1 <= candidates <= MAX_CANDIDATES:
        raise InputError(f"candidates (how many top tokens each step shows) must lie in 1..{MAX_CANDIDATES}, "
                         f"not {candidates}.")
    sampling = Sampling(float(temperature or 0.0), top_k, top_p, seed)
    sampling.check()
    if not sampling.greedy and sampling.seed is None:
        sampling.seed = random.SystemRandom().randrange(2**31)
    generator = None if sampling.greedy else torch.Generator().manual_seed(sampling.seed)

    module = loaded.module.eval()
    is_glm = loaded.family.name == "glm"
    if is_glm and text is not None and "[MASK]" not in text:
        text = text.rstrip() + GLM_BLANK
    prepared = loaded.prepare(text=text, input_ids=input_ids)
    inputs = prepared.inputs
    prompt_ids = inputs["input_ids"][0].tolist()
    prompt_tokens = prepared.encoding.tokens if prepared.encoding is not None else loaded.tokens_of(prompt_ids)
    if is_glm and "position_ids" in inputs:
        session = _Blank(module, inputs["input_ids"], use_cache, inputs["position_ids"], inputs["part_a_length"])
        end = loaded.tokenizer.role_id("end") if loaded.tokenizer is not None else None
        stop = {end} if end is not None else set()
    elif getattr(module, "is_encoder_decoder", False):
        session = _EncoderDecoder(module, inputs["input_ids"], use_cache)
        stop = _eos_ids(loaded)
    else:
        session = _Causal(module, inputs["input_ids"], use_cache)
        stop = _eos_ids(loaded)

    steps, stopped = [], "max_new_tokens"
    shown = min(candidates, loaded.config.vocab_size)
    for index in range(max_new_tokens):
        context = session.context_length()
        logits = session.logits()[0]                          # (V,)
        model_probabilities = logits.detach().float().cpu().softmax(-1)
        if sampling.greedy:
            chosen, sample_probability = int(logits.argmax(-1)), None
        else:
            distribution = sampling.distribution(logits)
            chosen = int(torch.multinomial(distribution, 1, generator=generator))
            sample_probability = float(distribution[chosen])
        top = torch.topk(model_probabilities, shown)
        cpu_logits = logits.detach().float().cpu()
        steps.append(Step(
            index=index, id=chosen, token=loaded.tokens_of([chosen])[0],
            probability=float(model_probabilities[chosen]),
            candidates=[Candidate(int(i), loaded.tokens_of([int(i)])[0], float(p), float(cpu_logits[int(i)]))
                        for p, i in zip(top.values, top.indices)],
            sample_probability=sample_probability, context_length=context,
            kv_cache_bytes=kv_cache_bytes(session.past)))
        if chosen in stop:
            stopped = "eos"
            break
        session.append(torch.tensor([[chosen]], dtype=torch.long, device=session.sequence.device))

    new_ids = [step.id for step in steps]
    decoded = loaded.tokenizer.decode(new_ids) if loaded.tokenizer is not None else ""
    tokenizer = loaded.tokenizer
    note = tokenizer.vocabulary_note if tokenizer is not None else "No tokenizer: ids only."
    settings = {"temperature": sampling.temperature, "top_k": sampling.top_k, "top_p": sampling.top_p,
                "seed": sampling.seed, "use_cache": use_cache, "candidates": shown, "greedy": sampling.greedy,
                "max_new_tokens": max_new_tokens}
    return Generation(loaded.name, list(prompt_tokens), prompt_ids, new_ids, loaded.tokens_of(new_ids), decoded,
                      steps, stopped, settings, note)
