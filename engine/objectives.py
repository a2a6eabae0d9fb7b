"""Pretraining objectives as data: each builder turns text (or token ids) into the training example a family's
pretraining makes of it, as plain lists the window can show, with a record of every random decision.

    mlm    BERT / RoBERTa / ALBERT: 15% of the non-special tokens are chosen; of those 80% become the mask token,
           10% a random token, 10% stay as they are; only chosen positions carry a label (-100 elsewhere).
           Static masking draws the mask once (every epoch the same); dynamic masking draws it again each epoch.
    nsp    BERT: [CLS] A [SEP] B [SEP]; IsNext (label 0): B is the sentence after A in the same document;
           NotNext (label 1): B is a sentence of another document.
    sop    ALBERT: two consecutive segments; in order (label 0) or the same two swapped (label 1).
    clm    GPT / LLaMA / ChatGLM: the input and the labels are the text shifted by one; the causal mask lets
           position i see positions 0..i.
    span   T5: spans of mean length 3 covering 15% of the tokens, each replaced by one sentinel in the input
           (<extra_id_0>, <extra_id_1>, ...); the target lists each sentinel followed by its span, then a final
           sentinel and </s>.
    blank  GLM: spans with Poisson(3) lengths covering ~15% of the tokens; Part A is the text with one [MASK] per
           span, Part B the spans in shuffled order, each opened by [START]; two position rows; Part A sees all of
           Part A, Part B sees Part A and the Part B tokens before it (engine.models.glm.blank_infilling).

Every builder is seeded: the same (seed, epoch) gives the same example. Random draws come from
`random.Random(f"{seed}/{salt}...")`, whose string seeding is the same on every machine and run.

The window shows `Example.to_json()`; the trainer (engine.training) calls the same builders with explain=False
(no token strings, no decision records, no T x T matrices) and batches the ids.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from engine.errors import InputError

IGNORE = -100                  # the label of a position that predicts nothing (PyTorch's ignore_index)
KINDS = ("mlm", "nsp", "sop", "clm", "span", "blank")
TITLES = {
    "mlm": "masked language modelling (BERT, RoBERTa, ALBERT)",
    "nsp": "next sentence prediction (BERT)",
    "sop": "sentence order prediction (ALBERT)",
    "clm": "causal language modelling (GPT, LLaMA, ChatGLM)",
    "span": "span corruption (T5)",
    "blank": "autoregressive blank infilling (GLM)",
}

# How the trainer cuts a corpus for MLM and span corruption: fixed windows of running text (the papers' way), or one
# sentence per example, framed as a typed prompt is (what a small model must see to fill a blank in one sentence)
UNITS = ("windows", "sentences")
MASK_RATE = 0.15                          # share of the maskable tokens chosen
MASK_SPLIT = (0.8, 0.1, 0.1)              # of the chosen: [MASK], a random token, unchanged
SPAN_RATE, SPAN_MEAN = 0.15, 3            # T5: noise density and mean span length
BLANK_RATE, BLANK_LAMBDA = 0.15, 3.0      # GLM: share of the tokens blanked, Poisson mean of a span's length
PAIR_LABELS = {"nsp": ("IsNext", "NotNext"), "sop": ("in order", "swapped")}   # label 0, label 1


def rng_for(seed: int, *salt) -> random.Random:
    """A generator for one draw: the same seed and salt (epoch, window index...) give the same numbers."""
    return random.Random("/".join(str(part) for part in (seed, *salt)))


# --- what a builder needs to know about a tokenizer ---------------------------------------------------------------

@dataclass
class Vocabulary:
    """A tokenizer's facts the objectives use, worked out once: its special ids, the tokens it frames one text or
    a pair with (found by encoding a probe), and the ids some objectives need (mask, sentinels, [START]...)."""
    tokenizer: Any
    size: int
    special_ids: frozenset[int]
    replacement_ids: list[int]      # what a "random token" is drawn from: every id but specials and unk
    prefix: list[int]               # one text: prefix + content + suffix
    suffix: list[int]
    pair_parts: tuple               # a pair: (prefix, middle, suffix) ids and their segments, see pair_frame
    mask_id: int | None
    pad_id: int | None
    eos_id: int | None
    sentinel_ids: list[int]         # T5's <extra_id_0>, <extra_id_1>, ... (consecutive from 0)
    start_id: int | None            # GLM's [START] (<|startofpiece|>) and [END] (<|endofpiece|>)
    end_id: int | None

    @classmethod
    def of(cls, tokenizer) -> "Vocabulary":
        if isinstance(tokenizer, Vocabulary):
            return tokenizer
        special = frozenset(tokenizer.special_ids)
        unk = tokenizer.unk_id
        size = tokenizer.vocab_size
        prefix, suffix = _single_frame(tokenizer)
        sentinels = []
        while (sentinel := tokenizer.token_to_id(f"<extra_id_{len(sentinels)}>")) is not None:
            sentinels.append(sentinel)
        def role(*names):   # the first role the tokenizer has (GLM's [START] is "start" or, reopened, "sop")
            return next((tokenizer.role_id(n) for n in names if tokenizer.role_id(n) is not None), None)

        return cls(
            tokenizer=tokenizer, size=size, special_ids=special,
            replacement_ids=[i for i in range(size) if i not in special and i != unk],
            prefix=prefix, suffix=suffix, pair_parts=_pair_frame(tokenizer),
            mask_id=role("mask"), pad_id=role("pad"), eos_id=role("eos"), sentinel_ids=sentinels,
            start_id=role("start", "sop"), end_id=role("end", "eop"))

    def token(self, token_id: int) -> str:
        return self.tokenizer.id_to_token(int(token_id)) or f"<{int(token_id)}>"

    def tokens(self, ids) -> list[str]:
        return [self.token(i) for i in ids]

    def content_ids(self, text: str) -> list[int]:
        """The text's ids without any framing token."""
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def frame(self, content: list[int]) -> list[int]:
        return self.prefix + list(content) + self.suffix


def _single_frame(tokenizer) -> tuple[list[int], list[int]]:
    """The special ids the tokenizer puts before and after one text ([CLS] .. [SEP], <s> .., .. </s>, none)."""
    encoding = tokenizer.encode("a b")
    content = [i for i, special in enumerate(encoding.special) if not special]
    if not content:
        return [], []
    return list(encoding.ids[:content[0]]), list(encoding.ids[content[-1] + 1:])


def _pair_frame(tokenizer) -> tuple:
    """((prefix, middle, suffix) ids, (their segments), segment of A, segment of B) for a pair of texts:
    prefix + A + middle + B + suffix. Found from the encoding of a probe pair, A's length known from A alone."""
    length_a = len(tokenizer.encode("a", add_special_tokens=False).ids)
    length_b = len(tokenizer.encode("b", add_special_tokens=False).ids)
    encoding = tokenizer.encode("a", "b")
    ids, segments = list(encoding.ids), list(encoding.segments)
    start_a = next((i for i, special in enumerate(encoding.special) if not special), 0)
    end_a = start_a + length_a
    start_b = next((i for i in range(end_a, len(ids)) if not encoding.special[i]), end_a)
    end_b = start_b + length_b
    parts = (ids[:start_a], ids[end_a:start_b], ids[end_b:])
    part_segments = (segments[:start_a], segments[end_a:start_b], segments[end_b:])
    return parts, part_segments, segments[start_a] if start_a < len(segments) else 0, \
        segments[start_b] if start_b < len(segments) else 0


# --- the example --------------------------------------------------------------------------------------------------

@dataclass
class Example:
    """One training example in plain lists. Shapes: T = input length, T_dec = decoder length (T5).

    labels: what each input position must predict (T,), IGNORE where nothing; for T5 the decoder's (T_dec,).
    attention_mask: (T,) 1 for every real token (padding would be 0). visibility: (T, T), 1 where query i may
    attend key j, when the objective restricts it (CLM's causal mask, GLM's Part A / Part B mask); None: every
    token sees every token. position_ids: (T,), or GLM's two rows (2, T).
    decisions: each random choice in the order it was made, e.g. {"position": 3, "token": "cat",
    "action": "mask", "became": "[MASK]"}. summary: counts and the settings that made it.
    """
    kind: str
    input_ids: list[int]
    labels: list[int]
    tokens: list[str] = field(default_factory=list)
    attention_mask: list[int] = field(default_factory=list)
    position_ids: list = field(default_factory=list)
    token_type_ids: list[int] = field(default_factory=list)
    visibility: list[list[int]] | None = None
    decoder_input_ids: list[int] | None = None       # T5: the start token + the target shifted right
    decoder_tokens: list[str] | None = None
    label_tokens: list[str] = field(default_factory=list)   # labels as tokens ("" where IGNORE)
    sentence_label: int | None = None                 # NSP / SOP: 0 IsNext / in order, 1 NotNext / swapped
    part_a_length: int | None = None                  # GLM
    decisions: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


def _explained(example: Example, vocab: Vocabulary) -> Example:
    """Fill the token strings of an example built from ids."""
    example.tokens = vocab.tokens(example.input_ids)
    example.label_tokens = ["" if i == IGNORE else vocab.token(i) for i in example.labels]
    if example.decoder_input_ids is not None:
        example.decoder_tokens = vocab.tokens(example.decoder_input_ids)
    return example


def _need(value, what: str, vocab: Vocabulary, objective: str):
    if value is None or value == []:
        raise InputError(f"This tokenizer ({vocab.tokenizer.recipe}, {vocab.tokenizer.kind}) has no {what}, which "
                         f"{TITLES[objective]} needs: choose a model whose tokenizer has one.")
    return value


def _encoded(vocab: Vocabulary, text: str) -> list[int]:
    if text is None or not text.strip():
        raise InputError("The text is empty: type a sentence first.")
    content = vocab.content_ids(text)
    if not content:
        raise InputError("The text gives no tokens: its tokenizer drops every character in it. Type some words.")
    return content


# --- MLM ------------------------------------------------------------------------------------------------------------

def choose_and_mask(ids: list[int], maskable: list[bool], vocab: Vocabulary, rng: random.Random,
                    explain: bool = True, rate: float = MASK_RATE) -> tuple[list[int], list[int], list[dict]]:
    """BERT's masking of one sequence: round(15%) of the maskable positions (at least one) are chosen; each chosen
    one becomes the mask token (80%), a random non-special token (10%) or stays (10%), and is labelled with its
    original id. Returns (input ids, labels, decisions)."""
    mask_id = _need(vocab.mask_id, "mask token", vocab, "mlm")
    candidates = [i for i, ok in enumerate(maskable) if ok]
    count = min(len(candidates), max(1, int(rate * len(candidates) + 0.5))) if candidates else 0
    chosen = sorted(rng.sample(candidates, count))
    inputs, labels, decisions = list(ids), [IGNORE] * len(ids), []
    for position in chosen:
        draw = rng.random()
        if draw < MASK_SPLIT[0]:
            action, new = "mask", mask_id
        elif draw < MASK_SPLIT[0] + MASK_SPLIT[1]:
            action, new = "random", rng.choice(vocab.replacement_ids)
        else:
            action, new = "keep", ids[position]
        inputs[position], labels[position] = new, ids[position]
        if explain:
            decisions.append({"position": position, "token": vocab.token(ids[position]), "action": action,
                              "became": vocab.token(new), "id": ids[position], "new_id": new})
    return inputs, labels, decisions


def mlm_from_ids(vocab: Vocabulary, ids: list[int], maskable: list[bool], rng: random.Random,
                 segments: list[int] | None = None, explain: bool = True, rate: float = MASK_RATE) -> Example:
    inputs, labels, decisions = choose_and_mask(ids, maskable, vocab, rng, explain, rate)
    example = Example("mlm", inputs, labels, attention_mask=[1] * len(ids), position_ids=list(range(len(ids))),
                      token_type_ids=list(segments) if segments is not None else [0] * len(ids), decisions=decisions)
    if explain:
        actions = [d["action"] for d in decisions]
        example.summary = {"maskable": sum(maskable), "chosen": len(decisions),
                           **{action: actions.count(action) for action in ("mask", "random", "keep")}}
        _explained(example, vocab)
    return example


def mlm_example(tokenizer, text: str, seed: int = 0, epoch: int = 0, dynamic: bool = True) -> Example:
    """The text framed as the family frames it ([CLS] ... [SEP]); specials are never chosen. dynamic=False
    (static masking): the mask drawn for epoch 0 is used in every epoch."""
    vocab = Vocabulary.of(tokenizer)
    _need(vocab.mask_id, "mask token", vocab, "mlm")
    ids = vocab.frame(_encoded(vocab, text))
    maskable = [i not in vocab.special_ids for i in ids]
    draw = epoch if dynamic else 0
    example = mlm_from_ids(vocab, ids, maskable, rng_for(seed, "mlm", draw))
    example.summary.update(seed=seed, epoch=epoch, masking="dynamic" if dynamic else "static", draw=draw)
    return example


# --- NSP / SOP ------------------------------------------------------------------------------------------------------

# after . ! ? ; (and closing quotes) when a space or the line's end follows; after 。！？； always
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'”’)]*(?:\s+|$)|(?<=[。！？；])[”’）」』\"']*\s*")


def split_documents(text: str) -> list[str]:
    """Documents are separated by blank lines."""
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences end with . ! ? 。 ！ ？ ; (closing quotes stay with their sentence); lines end them too."""
    sentences = []
    for line in text.splitlines():
        cursor = 0
        for match in _SENTENCE_END.finditer(line):
            if match.end() > cursor and line[cursor:match.end()].strip():
                sentences.append(line[cursor:match.end()].strip())
                cursor = match.end()
        if line[cursor:].strip():
            sentences.append(line[cursor:].strip())
    return sentences


def _halves(text: str) -> list[str]:
    """One sentence cut into two segments at the middle word (or character, for text without spaces)."""
    words = text.split()
    if len(words) >= 2:
        middle = len(words) // 2
        return [" ".join(words[:middle]), " ".join(words[middle:])]
    if len(text) >= 2:
        return [text[:len(text) // 2], text[len(text) // 2:]]
    raise InputError("The text is too short to cut into two segments: type two sentences.")


def pair_from_ids(vocab: Vocabulary, kind: str, first: list[int], second: list[int], label: int,
                  max_length: int | None = None, explain: bool = True) -> Example:
    """prefix + A + middle + B + suffix with segment ids, both sides trimmed (longest first) to max_length."""
    (prefix, middle, suffix), (seg_prefix, seg_middle, seg_suffix), seg_a, seg_b = vocab.pair_parts
    first, second = list(first), list(second)
    if max_length is not None:
        budget = max_length - len(prefix) - len(middle) - len(suffix)
        while len(first) + len(second) > max(budget, 2):
            (first if len(first) >= len(second) else second).pop()
    ids = prefix + first + middle + second + suffix
    segments = seg_prefix + [seg_a] * len(first) + seg_middle + [seg_b] * len(second) + seg_suffix
    example = Example(kind, ids, [IGNORE] * len(ids), attention_mask=[1] * len(ids),
                      position_ids=list(range(len(ids))), token_type_ids=segments, sentence_label=label)
    example.summary = {"label": PAIR_LABELS[kind][label], "length_a": len(first), "length_b": len(second)}
    return _explained(example, vocab) if explain else example


def sentence_pair_examples(kind: str, tokenizer, text: str, other: str | None = None, seed: int = 0,
                           epoch: int = 0, documents: list[str] | None = None) -> list[Example]:
    """[positive, negative] for NSP or SOP around one drawn pair of consecutive sentences of `text`.

    NSP's negative keeps A and takes B from another document: a sentence of `other` when given, else of a
    document of `documents` (the bundled corpus by default) that is not the text. SOP's negative is the
    positive's two segments swapped. A text of one sentence is cut into two segments at its middle word."""
    if kind not in PAIR_LABELS:
        raise InputError(f"sentence pairs are built for nsp or sop, not {kind!r}")
    vocab = Vocabulary.of(tokenizer)
    if text is None or not text.strip():
        raise InputError("The text is empty: type two sentences first.")
    rng = rng_for(seed, kind, epoch)
    sentences, cut = split_sentences(text), ""
    if len(sentences) < 2:
        sentences, cut = _halves(text.strip()), "the text is one sentence: cut at its middle into two segments"
    index = rng.randrange(len(sentences) - 1)
    first, second = sentences[index], sentences[index + 1]
    drawn = {"action": "pair", "sentence": index, "first": first, "second": second}
    if cut:
        drawn["note"] = cut
    decisions = [drawn]
    if kind == "nsp":
        if other is not None and other.strip():
            pool, source = split_sentences(other), "the second text"
        else:
            if documents is None:
                from engine.tokenization.corpus import corpus_text
                documents = split_documents(corpus_text())
            others = [i for i, d in enumerate(documents) if d.strip() != text.strip()]
            if not others:
                raise InputError("NSP needs another document for its NotNext example: give --pair.")
            document = others[rng.randrange(len(others))]
            pool, source = split_sentences(documents[document]), f"corpus document {document}"
        if not pool:
            raise InputError("The other document has no sentence to take.")
        pick = rng.randrange(len(pool))
        negative = (first, pool[pick])
        decisions.append({"action": "negative", "from": source, "sentence": pick, "second": pool[pick]})
    else:
        negative = (second, first)
        decisions.append({"action": "negative", "from": "the positive, its two segments swapped"})
    examples = []
    for label, (a, b) in enumerate(((first, second), negative)):
        example = pair_from_ids(vocab, kind, vocab.content_ids(a), vocab.content_ids(b), label)
        example.decisions = decisions
        example.summary.update(seed=seed, epoch=epoch, first=a, second=b)
        examples.append(example)
    return examples


# --- CLM ------------------------------------------------------------------------------------------------------------

def causal_visibility(length: int) -> list[list[int]]:
    """(T, T): query i sees keys 0..i."""
    return [[1 if key <= query else 0 for key in range(length)] for query in range(length)]


def clm_from_ids(vocab: Vocabulary, ids: list[int], explain: bool = True) -> Example:
    """ids (T+1,) -> input ids[:-1] and labels ids[1:]: position t reads tokens 0..t and predicts token t+1."""
    if len(ids) < 2:
        raise InputError("Causal language modelling needs at least two tokens.")
    inputs, labels = list(ids[:-1]), list(ids[1:])
    example = Example("clm", inputs, labels, attention_mask=[1] * len(inputs),
                      position_ids=list(range(len(inputs))), token_type_ids=[0] * len(inputs))
    if explain:
        example.visibility = causal_visibility(len(inputs))
        example.summary = {"predictions": len(labels)}
        _explained(example, vocab)
    return example


def clm_example(tokenizer, text: str) -> Example:
    """The text as the family reads it (LLaMA's <s> first, GPT-2's nothing added), shifted by one."""
    vocab = Vocabulary.of(tokenizer)
    example = clm_from_ids(vocab, vocab.frame(_encoded(vocab, text)))
    example.summary["note"] = "no random choice: every epoch gives the same example"
    return example


# --- T5 span corruption ---------------------------------------------------------------------------------------------

def random_segmentation(items: int, segments: int, rng: random.Random) -> list[int]:
    """`items` split into `segments` non-empty runs at random cut points (T5's _random_segmentation)."""
    cuts = sorted(rng.sample(range(1, items), segments - 1))
    return [b - a for a, b in zip([0] + cuts, cuts + [items])]


def span_from_ids(vocab: Vocabulary, content: list[int], rng: random.Random, explain: bool = True) -> Example:
    """T5's random_spans_noise_mask on content ids (T,): round(15%) noise tokens (at least 1, at most T-1) in
    round(noise / 3) spans, at most one fewer than the sentinels (the target ends with one). Kept runs and spans
    alternate, a kept run first and a span last, as in T5's code."""
    sentinels = _need(vocab.sentinel_ids, "sentinel tokens (<extra_id_0> ...)", vocab, "span")
    n = len(content)
    if n < 2:
        raise InputError("Span corruption needs at least two tokens.")
    noise = min(max(1, int(SPAN_RATE * n + 0.5)), n - 1)
    wanted = max(1, int(noise / SPAN_MEAN + 0.5))
    spans = min(wanted, len(sentinels) - 1, noise, n - noise)
    if spans < 1:
        raise InputError("Span corruption needs at least two sentinel tokens.")
    noise_lengths = random_segmentation(noise, spans, rng)
    kept_lengths = random_segmentation(n - noise, spans, rng)
    inputs, target, decisions, cursor = [], [], [], 0
    for k, (kept, blank) in enumerate(zip(kept_lengths, noise_lengths)):
        inputs += content[cursor:cursor + kept]
        cursor += kept
        inputs.append(sentinels[k])
        target += [sentinels[k]] + content[cursor:cursor + blank]
        if explain:
            decisions.append({"span": k, "start": cursor, "end": cursor + blank, "sentinel": vocab.token(sentinels[k]),
                              "tokens": vocab.tokens(content[cursor:cursor + blank])})
        cursor += blank
    target.append(sentinels[spans])                 # the final sentinel: "nothing more to fill"
    if vocab.eos_id is not None:
        target.append(vocab.eos_id)
    inputs = inputs + vocab.suffix                   # </s>
    start = vocab.pad_id if vocab.pad_id is not None else 0   # T5's decoder starts from <pad>
    example = Example("span", inputs, target, attention_mask=[1] * len(inputs),
                      position_ids=list(range(len(inputs))), token_type_ids=[0] * len(inputs),
                      decoder_input_ids=[start] + target[:-1])
    if explain:
        example.decisions = decisions
        example.summary = {"tokens": n, "noise": noise, "spans": spans, "mean_span": noise / spans}
        if spans < wanted:
            example.summary["note"] = (f"{wanted} spans wanted, but the tokenizer has {len(sentinels)} sentinels "
                                       f"(one ends the target): {spans} longer spans instead")
        _explained(example, vocab)
    return example


def span_example(tokenizer, text: str, seed: int = 0, epoch: int = 0) -> Example:
    vocab = Vocabulary.of(tokenizer)
    _need(vocab.sentinel_ids, "sentinel tokens (<extra_id_0> ...)", vocab, "span")
    example = span_from_ids(vocab, _encoded(vocab, text), rng_for(seed, "span", epoch))
    example.summary.update(seed=seed, epoch=epoch)
    return example


def fill_spans(example: Example, sentinel_ids: list[int]) -> list[int]:
    """The input with each sentinel replaced by the tokens the target lists after it (the input's </s> stays):
    span corruption undone, for the window's "reassemble" view and the tests."""
    spans, current = {}, None
    for token_id in example.labels:
        if token_id in sentinel_ids:
            current = token_id
            spans[current] = []
        elif current is not None:
            spans[current].append(token_id)
    rebuilt = []
    for token_id in example.input_ids:
        rebuilt += spans[token_id] if token_id in spans else [token_id]
    return rebuilt


# --- GLM blank infilling --------------------------------------------------------------------------------------------

def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: count uniform draws until their product falls below e^-lam."""
    limit, count, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def sample_blank_spans(n: int, rng: random.Random) -> list[tuple[int, int]]:
    """GLM's spans over n tokens, in text order: lengths from Poisson(3) (zeros drawn again) until at least 15% of
    the tokens are covered, one token always left in Part A; then the spans placed at random, never overlapping."""
    if n < 1:
        raise InputError("Blank infilling needs at least one token.")
    lengths, total, room = [], 0, max(1, n - 1)
    while total < BLANK_RATE * n and total < room:
        length = 0
        while length == 0:
            length = poisson(rng, BLANK_LAMBDA)
        length = min(length, room - total)
        lengths.append(length)
        total += length
    free = n - total
    slots = sorted(rng.sample(range(free + len(lengths)), len(lengths)))   # each span's place among free tokens
    spans, covered = [], 0
    for j, (slot, length) in enumerate(zip(slots, lengths)):
        start = slot - j + covered
        spans.append((start, start + length))
        covered += length
    return spans


def blank_from_ids(vocab: Vocabulary, content: list[int], rng: random.Random, explain: bool = True) -> Example:
    from engine.models.glm import blank_infilling

    mask_id = _need(vocab.mask_id, "[MASK] token", vocab, "blank")
    start_id = _need(vocab.start_id, "[START] token (<|startofpiece|>)", vocab, "blank")
    end_id = _need(vocab.end_id, "[END] token (<|endofpiece|>)", vocab, "blank")
    spans = sample_blank_spans(len(content), rng)
    order = list(range(len(spans)))
    rng.shuffle(order)                                             # Part B's order
    offset = len(vocab.prefix)
    ids = vocab.frame(content)
    shuffled = [(spans[k][0] + offset, spans[k][1] + offset) for k in order]
    layout = blank_infilling(ids, shuffled, mask_id, start_id, end_id)
    # layout: input_ids (T,), position_ids (2, T), attention_mask (T, T) bool, targets (T,), part_a_length
    length = len(layout["input_ids"])
    example = Example("blank", layout["input_ids"].tolist(), layout["targets"].tolist(),
                      attention_mask=[1] * length, position_ids=layout["position_ids"].tolist(),
                      token_type_ids=[0] * length, part_a_length=int(layout["part_a_length"]))
    if explain:
        example.visibility = layout["attention_mask"].int().tolist()
        part_a = layout["part_a_length"]
        position_a = layout["position_ids"][0].tolist()
        starts = [i for i in range(part_a, length) if example.input_ids[i] == start_id]
        for place, (k, start) in enumerate(zip(order, starts)):
            a, b = spans[k]
            example.decisions.append({"span": k, "start": a + offset, "end": b + offset, "length": b - a,
                                      "tokens": vocab.tokens(content[a:b]), "part_b_order": place,
                                      "mask_position": position_a[start], "part_b_start": start})
        blanked = sum(b - a for a, b in spans)
        example.summary = {"tokens": len(content), "blanked": blanked, "spans": len(spans),
                           "part_a_length": part_a, "part_b_order": order}
        _explained(example, vocab)
    return example


def blank_example(tokenizer, text: str, seed: int = 0, epoch: int = 0) -> Example:
    vocab = Vocabulary.of(tokenizer)
    example = blank_from_ids(vocab, _encoded(vocab, text), rng_for(seed, "blank", epoch))
    example.summary.update(seed=seed, epoch=epoch)
    return example


# --- one call for the CLI and the window ----------------------------------------------------------------------------

def build_examples(kind: str, tokenizer, text: str, pair: str | None = None, seed: int = 0, epochs: int = 1,
                   dynamic: bool = True) -> list[Example]:
    """The examples of `epochs` epochs of one text: one per epoch (NSP and SOP: the positive and the negative
    of each epoch). pair: NSP's other document; ignored by the other objectives."""
    if kind not in KINDS:
        raise InputError(f"unknown objective {kind!r}: choose one of {', '.join(KINDS)}")
    if not isinstance(epochs, int) or not 1 <= epochs <= 1000:
        raise InputError(f"epochs must be a whole number from 1 to 1000, not {epochs!r}")
    vocab = Vocabulary.of(tokenizer)
    examples = []
    for epoch in range(epochs):
        if kind == "mlm":
            made = [mlm_example(vocab, text, seed, epoch, dynamic)]
        elif kind in PAIR_LABELS:
            made = sentence_pair_examples(kind, vocab, text, pair, seed, epoch)
        elif kind == "clm":
            made = [clm_example(vocab, text)]
        elif kind == "span":
            made = [span_example(vocab, text, seed, epoch)]
        else:
            made = [blank_example(vocab, text, seed, epoch)]
        for example in made:
            example.summary["epoch"] = epoch
        examples += made
    return examples
