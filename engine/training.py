"""Pretraining a loaded model on a corpus with one objective: the pretraining lab's engine.

    trainer = Trainer(engine.load("gpt2-tiny"), "clm", steps=300)      # the bundled corpus by default
    for record in trainer.run():          # one Progress per step: step, loss, tokens/s ... (plot it live)
        ...                               # trainer.pause() / resume() / stop() from any thread
    trainer.save("runs/gpt2-clm")         # a Hugging Face folder; engine.load() reopens it

Which objective trains which head (the loss is cross-entropy everywhere, averaged over the labelled positions):
    mlm        the "mlm" head on BERT / RoBERTa / ALBERT, at the 15% chosen positions (engine.objectives)
    nsp, sop   the "nsp" (BERT) or "sop" (ALBERT) head on [CLS], plus MLM on the same pair, summed as in the papers
    clm        the "lm" head of a decoder (GPT-1/2/3, LLaMA, ChatGLM2, GLM read left to right), every next token
    span       T5's "lm" head on the decoder: the target of span corruption, teacher-forced
    blank      GLM's "lm" head on Part B only (Part A's targets are -100)

The data: the corpus is cut into documents (blank lines), each document tokenized once, and the token stream cut
into fixed windows (items). An epoch visits every item once in a seeded shuffled order; each item becomes an
example through the same builders the window shows (explain=False), seeded by (seed, item, epoch), so MLM's
dynamic masking draws a new mask each epoch and static masking the same one every time. AdamW (no decay on
biases and norms), linear warm-up then cosine decay to a tenth, gradients clipped to norm 1.
"""
from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

import torch
import torch.nn.functional as F

from engine.errors import InputError, PLMError
from engine.objectives import (IGNORE, KINDS, MASK_RATE, PAIR_LABELS, TITLES, Example, Vocabulary, blank_from_ids,
                               choose_and_mask, clm_from_ids, mlm_from_ids, pair_from_ids, rng_for, span_from_ids,
                               split_documents, split_sentences, UNITS)

__all__ = ["DEFAULT_LR", "Corpus", "load_corpus", "Progress", "Trainer", "train", "check_objective", "objectives_for",
           "unigram_entropy"]


# Peak learning rates that bring the tiny presets well below the unigram entropy in a few hundred steps (the
# post-norm encoders diverge above ~3e-3; the pre-norm decoders take more)
DEFAULT_LR = {"mlm": 2e-3, "nsp": 2e-3, "sop": 2e-3, "clm": 5e-3, "span": 3e-3, "blank": 3e-3}


# --- the corpus -----------------------------------------------------------------------------------------------------

@dataclass
class Corpus:
    documents: list[str]
    source: str                   # "the bundled corpus (assets/corpus, 8 files)" or the file's path

    @property
    def characters(self) -> int:
        return sum(len(d) for d in self.documents)


def load_corpus(path: str | Path | None = None) -> Corpus:
    """The bundled bilingual corpus (None), or a UTF-8 text file whose blank lines separate documents."""
    if path is None:
        from engine.tokenization.corpus import corpus_files, corpus_text
        files = len(corpus_files())
        return Corpus(split_documents(corpus_text()), f"the bundled corpus (assets/corpus, {files} files)")
    path = Path(path).expanduser()
    if not path.is_file():
        raise InputError(f"{path} is not a text file: give the path of a UTF-8 .txt file.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path.name} is not UTF-8 text (byte {error.start} cannot be read).") from None
    except OSError as error:
        raise InputError(f"{path.name} cannot be read ({error.strerror}).") from None
    if "\x00" in text:   # valid UTF-8 can still be a binary file (images, archives hold NUL bytes)
        raise InputError(f"{path.name} looks like a binary file (it holds NUL bytes), not text: give a UTF-8 .txt "
                         f"file.")
    documents = split_documents(text)
    if not documents:
        raise InputError(f"{path.name} holds no text.")
    return Corpus(documents, str(path))


def unigram_entropy(ids) -> float:
    """-sum p log p (nats) of the token frequencies: the loss of the best model that ignores context."""
    counts = Counter(int(i) for i in ids)
    total = sum(counts.values())
    return -sum(c / total * math.log(c / total) for c in counts.values()) if total else 0.0


# --- which objective a model can learn -------------------------------------------------------------------------------

def _fits(loaded) -> dict[str, bool]:
    """Which objectives the model's heads and kind allow."""
    module, family = loaded.module, loaded.family
    has = {head: hasattr(module, f"{head}_head") for head in ("mlm", "nsp", "sop")}
    return {"mlm": has["mlm"], "nsp": has["nsp"] and has["mlm"], "sop": has["sop"] and has["mlm"],
            "span": bool(getattr(module, "is_encoder_decoder", False)), "blank": family.name == "glm",
            "clm": family.group == "Decoder-only"}


def objectives_for(loaded) -> list[str]:
    """The objectives `loaded` can be trained with, most natural first (none without a tokenizer)."""
    return [kind for kind, fits in _fits(loaded).items() if fits] if loaded.tokenizer is not None else []


def check_objective(loaded, kind: str) -> None:
    """An InputError saying why `loaded` cannot be trained with `kind`, or nothing."""
    if kind not in KINDS:
        raise InputError(f"unknown objective {kind!r}: choose one of {', '.join(KINDS)}")
    if not _fits(loaded)[kind]:
        suited = [k for k, fits in _fits(loaded).items() if fits]
        raise InputError(f"{loaded.name} ({loaded.family.title}) cannot learn {TITLES[kind]}: "
                         + ("it has no such head. " if kind in ("mlm", "nsp", "sop") else "")
                         + (f"Its objectives: {', '.join(suited)}." if suited else "It has no pretraining head."))
    if loaded.tokenizer is None:
        raise InputError(f"{loaded.name} came without tokenizer files: it cannot read a corpus.")


# --- items: the corpus cut for one objective --------------------------------------------------------------------------

def _windows(stream: list[int], length: int, stride: int) -> list[list[int]]:
    return [stream[start:start + length] for start in range(0, len(stream) - length + 1, stride)]


QUOTES = "\"“”「」『』"


def typed_sentences(documents: list[str]) -> list[str]:
    """The documents' sentences as a user would type them: without the quotation marks of the dialogue they came
    from (a typed sentence has none), empty ones dropped."""
    stripped = (s.strip(QUOTES) for document in documents for s in split_sentences(document))
    return [s for s in stripped if s]


class Items:
    """The corpus as numbered items for one objective; `example(i, epoch)` builds item i's example."""

    def __init__(self, kind: str, vocab: Vocabulary, corpus: Corpus, seq_len: int, seed: int, dynamic: bool,
                 mask_rate: float = MASK_RATE, unit: str = "windows"):
        if unit not in UNITS:
            raise InputError(f"Examples are cut as {' or '.join(UNITS)}, not {unit!r}.")
        if unit == "sentences" and kind not in ("mlm", "span"):
            raise InputError(f"One sentence per example applies to MLM and span corruption; {TITLES[kind]} reads "
                             f"the corpus as it is.")
        self.kind, self.vocab, self.seed, self.dynamic, self.seq_len = kind, vocab, seed, dynamic, seq_len
        self.mask_rate, self.unit = mask_rate, unit
        frame = len(vocab.prefix) + len(vocab.suffix)
        encoded = vocab.tokenizer.encode_batch(corpus.documents, add_special_tokens=False)
        self.documents = [list(e.ids) for e in encoded]          # content ids of each document
        self.content = [i for ids in self.documents for i in ids]
        if unit == "sentences":
            # one sentence per example, framed as a typed prompt is ([CLS] sentence [SEP]); long ones in pieces
            flat = typed_sentences(corpus.documents)
            ids = [list(e.ids) for e in vocab.tokenizer.encode_batch(flat, add_special_tokens=False)] if flat else []
            size = seq_len - frame
            self.windows = [s[start:start + size] for s in ids for start in range(0, len(s), size)]
        elif kind == "clm":
            # each document framed as the family reads it (<s> ..., [gMASK] sop ...) and ended by eos when there is
            # one; windows of T + 1 tokens overlap by one so every token is a label once
            stream = []
            for ids in self.documents:
                framed = vocab.frame(ids)
                if vocab.eos_id is not None and (not framed or framed[-1] != vocab.eos_id):
                    framed.append(vocab.eos_id)
                stream += framed
            self.windows = _windows(stream, seq_len + 1, seq_len)
        elif kind in ("mlm", "span"):
            self.windows = _windows(self.content, seq_len - frame, seq_len - frame)
        elif kind == "blank":
            # Part A + Part B is the window plus one [MASK] and one [START] per span (about 10% more)
            size = max(4, int((seq_len - frame) / 1.25))
            self.windows = _windows(self.content, size, size)
        else:   # nsp / sop: every sentence that has a next one in its document
            sentences = [split_sentences(document) for document in corpus.documents]
            flat = [s for doc in sentences for s in doc]
            ids = [list(e.ids) for e in vocab.tokenizer.encode_batch(flat, add_special_tokens=False)] if flat else []
            self.sentences, cursor = [], 0
            for doc in sentences:
                self.sentences.append(ids[cursor:cursor + len(doc)])
                cursor += len(doc)
            self.pairs = [(d, s) for d, doc in enumerate(self.sentences) for s in range(len(doc) - 1)]
            self.with_text = [d for d, doc in enumerate(self.sentences) if doc]   # where NotNext sentences come from
            if not self.pairs or len(self.with_text) < 2:
                raise InputError(f"{TITLES[kind]} needs documents of two sentences or more, and two documents at "
                                 f"least; this corpus has {len(self.pairs)} sentence pairs in {len(self.with_text)} "
                                 f"documents.")
            return
        if not self.windows:
            raise InputError(f"The corpus gives {len(self.content)} tokens, fewer than one sequence of {seq_len}: "
                             f"give a longer text or a shorter --seq-len.")

    def __len__(self) -> int:
        return len(self.pairs) if self.kind in PAIR_LABELS else len(self.windows)

    def example(self, index: int, epoch: int) -> Example:
        vocab, kind = self.vocab, self.kind
        rng = rng_for(self.seed, kind, index, epoch if self.dynamic or kind != "mlm" else 0)
        if kind == "mlm":
            ids = vocab.frame(self.windows[index])
            return mlm_from_ids(vocab, ids, [i not in vocab.special_ids for i in ids], rng, explain=False,
                                rate=self.mask_rate)
        if kind == "clm":
            return clm_from_ids(vocab, self.windows[index], explain=False)
        if kind == "span":
            return span_from_ids(vocab, self.windows[index], rng, explain=False)
        if kind == "blank":
            return blank_from_ids(vocab, self.windows[index], rng, explain=False)
        return self._pair(index, rng)

    def _pair(self, index: int, rng) -> Example:
        """NSP / SOP: half positives, half negatives; MLM masking on the pair's text tokens as well."""
        document, sentence = self.pairs[index]
        first, second = self.sentences[document][sentence], self.sentences[document][sentence + 1]
        label = int(rng.random() < 0.5)
        if label and self.kind == "sop":
            first, second = second, first
        elif label:   # NotNext: a sentence of another document
            other = document
            while other == document:
                other = rng.choice(self.with_text)
            second = rng.choice(self.sentences[other])
        example = pair_from_ids(self.vocab, self.kind, first, second, label, self.seq_len, explain=False)
        special = self.vocab.special_ids
        example.input_ids, example.labels, _ = choose_and_mask(
            example.input_ids, [i not in special for i in example.input_ids], self.vocab, rng, explain=False,
            rate=self.mask_rate)
        return example


# --- batches --------------------------------------------------------------------------------------------------------

def _pad(rows: list[list], value, length: int | None = None) -> torch.Tensor:
    length = length or max(len(row) for row in rows)
    return torch.tensor([list(row) + [value] * (length - len(row)) for row in rows])


def collate(examples: list[Example], pad_id: int) -> dict[str, torch.Tensor]:
    """Examples -> padded tensors: input_ids, attention_mask, token_type_ids, labels (B, T) [T5: labels (B, T_dec)
    with decoder_input_ids (B, T_dec)], GLM's position_ids (B, 2, T) and part_a_length (B,), NSP/SOP's
    sentence_labels (B,)."""
    batch = {"input_ids": _pad([e.input_ids for e in examples], pad_id),
             "attention_mask": _pad([e.attention_mask for e in examples], 0),
             "token_type_ids": _pad([e.token_type_ids for e in examples], 0),
             "labels": _pad([e.labels for e in examples], IGNORE)}
    first = examples[0]
    if first.decoder_input_ids is not None:
        batch["decoder_input_ids"] = _pad([e.decoder_input_ids for e in examples], pad_id)
    if first.part_a_length is not None:
        length = batch["input_ids"].shape[1]
        batch["position_ids"] = torch.stack([_pad(e.position_ids, 0, length) for e in examples])   # (B, 2, T)
        batch["part_a_length"] = torch.tensor([e.part_a_length for e in examples])
    if first.sentence_label is not None:
        batch["sentence_labels"] = torch.tensor([e.sentence_label for e in examples])
    return batch


def model_inputs(loaded, kind: str, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The keyword arguments the family's forward takes for this objective."""
    padded = bool((batch["attention_mask"] == 0).any())
    inputs = {"input_ids": batch["input_ids"]}
    if kind in ("mlm", "nsp", "sop"):
        inputs["attention_mask"] = batch["attention_mask"]
        if getattr(loaded.config, "type_vocab_size", 1) > 1:
            inputs["token_type_ids"] = batch["token_type_ids"]
    elif kind == "span":
        inputs.update(attention_mask=batch["attention_mask"], decoder_input_ids=batch["decoder_input_ids"])
    elif kind == "blank":
        inputs.update(position_ids=batch["position_ids"], part_a_length=batch["part_a_length"])
        if padded:
            inputs["attention_mask"] = batch["attention_mask"]
    elif padded:
        inputs["attention_mask"] = batch["attention_mask"]
    return inputs


def losses(kind: str, outputs: dict, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Each part of the objective's loss: {"mlm": ...} / {"mlm", "nsp"} / {"lm": ...}."""
    def token_loss(logits):                  # (B, T, V) against labels (B, T), -100 ignored
        return F.cross_entropy(logits.flatten(0, 1).float(), batch["labels"].flatten(), ignore_index=IGNORE)

    if kind == "mlm":
        return {"mlm": token_loss(outputs["mlm"])}
    if kind in PAIR_LABELS:
        sentence = F.cross_entropy(outputs[kind].float(), batch["sentence_labels"])   # (B, 2) against (B,)
        return {"mlm": token_loss(outputs["mlm"]), kind: sentence}
    return {"lm": token_loss(outputs["lm"])}


# --- progress -------------------------------------------------------------------------------------------------------

@dataclass
class Progress:
    """One training step, as the live curve plots it."""
    step: int                    # steps done (1 = the first)
    steps: int                   # steps planned
    epoch: int                   # passes over the corpus begun (0 = the first)
    loss: float                  # this step's loss (the sum of the parts)
    parts: dict[str, float]      # {"mlm": 5.1, "nsp": 0.69} ...
    lr: float
    tokens: int                  # tokens read this step (padding excluded; T5: encoder + decoder)
    tokens_per_s: float          # this step's
    elapsed_s: float             # since the run began (paused time excluded)

    def to_json(self) -> dict:
        return asdict(self)


# --- the trainer ----------------------------------------------------------------------------------------------------

def adamw(module: torch.nn.Module, lr: float, weight_decay: float) -> torch.optim.AdamW:
    """AdamW that decays the matrices only: biases and norm gains (1-D) keep their scale."""
    decay = [p for p in module.parameters() if p.dim() >= 2]
    no_decay = [p for p in module.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr, foreach=True)


class Trainer:
    """Trains `loaded.module` in place. Settings are attributes (read them, don't change them mid-run)."""

    def __init__(self, loaded, objective: str, corpus: Corpus | str | Path | None = None, *, steps: int = 300,
                 batch_size: int = 16, seq_len: int = 64, lr: float | None = None, weight_decay: float = 0.01,
                 warmup: int | None = None, seed: int = 0, dynamic: bool = True, device=None, clip: float = 1.0,
                 mask_rate: float = MASK_RATE, unit: str = "windows"):
        check_objective(loaded, objective)
        lr = DEFAULT_LR[objective] if lr is None else lr
        for name, value, low in (("steps", steps, 1), ("batch size", batch_size, 1), ("sequence length", seq_len, 8)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise InputError(f"The {name} must be a whole number of at least {low}, not {value!r}.")
        if isinstance(lr, bool) or not (isinstance(lr, (int, float)) and 0 < lr < 1):
            raise InputError(f"The learning rate must lie between 0 and 1, not {lr!r}.")
        if isinstance(mask_rate, bool) or not (isinstance(mask_rate, (int, float)) and 0 < mask_rate < 1):
            raise InputError(f"The share of tokens masked must lie between 0 and 1, not {mask_rate!r}.")
        limit = loaded.max_length
        if limit is not None and seq_len > limit:
            raise InputError(f"{loaded.name} reads at most {limit} tokens: choose a sequence length of {limit} or "
                             f"less.")
        self.loaded, self.objective = loaded, objective
        self.corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
        self.steps, self.batch_size, self.seq_len, self.lr = steps, batch_size, seq_len, float(lr)
        self.weight_decay, self.seed, self.dynamic, self.clip = weight_decay, seed, dynamic, clip
        self.mask_rate = float(mask_rate)   # MLM (and NSP/SOP's MLM part): BERT's 15%; more learns faster
        self.warmup = max(1, min(100, steps // 10)) if warmup is None else max(0, warmup)
        if device is not None:
            from engine.devices import resolve_device
            loaded.device = resolve_device(device)
        self.device = loaded.device
        self.module = loaded.module.to(self.device)
        if any(p.dtype != torch.float32 for p in self.module.parameters()):
            self.module.float()   # AdamW's updates are lost in half precision
        self.vocab = Vocabulary.of(loaded.tokenizer)
        self.pad_id = self.vocab.pad_id if self.vocab.pad_id is not None else (self.vocab.eos_id or 0)
        self.unit = unit               # MLM / span: "windows" of running text or one "sentences" each
        self.items = Items(objective, self.vocab, self.corpus, seq_len, seed, dynamic, self.mask_rate, unit)
        # the loss of a model that knows only how often each token occurs: the curve should fall below it
        self.unigram_entropy = unigram_entropy(self.items.content)
        self.optimizer = adamw(self.module, self.lr, weight_decay)
        self.step = 0
        self.epoch = 0
        self.history: list[Progress] = []
        self._order: list[int] = []        # the items of this epoch not yet visited
        self._begun = False
        self._elapsed = 0.0
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._active = False

    # --- control, from any thread ---------------------------------------------------------------------------------

    def pause(self) -> None:
        """The run waits before its next step until resume() (or stop())."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        """The run ends before its next step; run() again continues from there."""
        self._stop.set()
        self._running.set()

    @property
    def state(self) -> str:
        if self.step >= self.steps:
            return "done"
        if not self._active:
            return "stopped" if self.step else "ready"
        return "paused" if not self._running.is_set() else "running"

    # --- the loop ---------------------------------------------------------------------------------------------------

    def learning_rate(self, step: int) -> float:
        """Linear warm-up over `warmup` steps, then cosine decay to lr / 10 at the last step."""
        if step < self.warmup:
            return self.lr * (step + 1) / self.warmup
        progress = (step - self.warmup) / max(1, self.steps - self.warmup)
        return self.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))

    def _next_items(self) -> list[tuple[int, int]]:
        """The next batch's (item, epoch) pairs: each epoch visits every item once, in its own seeded order."""
        chosen = []
        while len(chosen) < self.batch_size:
            if not self._order:
                if self._begun:
                    self.epoch += 1
                self._begun = True
                self._order = list(range(len(self.items)))
                rng_for(self.seed, "order", self.epoch).shuffle(self._order)
            chosen.append((self._order.pop(), self.epoch))
        return chosen

    def train_step(self) -> Progress:
        """One optimisation step on the next batch."""
        began = time.perf_counter()
        examples = [self.items.example(index, epoch) for index, epoch in self._next_items()]
        batch = {k: v.to(self.device) for k, v in collate(examples, self.pad_id).items()}   # (B, T) ids, labels ...
        lr = self.learning_rate(self.step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.module.train()
        outputs = self.module(**model_inputs(self.loaded, self.objective, batch))   # "mlm"/"lm": (B, T, V) ...
        parts = losses(self.objective, outputs, batch)                               # {"mlm": (), "nsp": ()}
        loss = sum(parts.values())
        if not torch.isfinite(loss):
            raise PLMError(f"The loss became {loss.item()} at step {self.step + 1}: lower the learning rate.")
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if self.clip:
            torch.nn.utils.clip_grad_norm_(self.module.parameters(), self.clip)
        self.optimizer.step()
        self.loaded.weights = "trained"      # no longer the seeded random weights (nor the checkpoint's own)
        tokens = int(batch["attention_mask"].sum())
        if "decoder_input_ids" in batch:
            tokens += int((batch["labels"] != IGNORE).sum())
        spent = time.perf_counter() - began
        self._elapsed += spent
        self.step += 1
        record = Progress(self.step, self.steps, self.epoch, loss.item(),
                          {k: v.item() for k, v in parts.items()}, lr, tokens, tokens / max(spent, 1e-9),
                          self._elapsed)
        self.history.append(record)
        return record

    def run(self, steps: int | None = None) -> Iterator[Progress]:
        """Train until `steps` (default: the planned steps) are done, yielding each step's Progress. Checks the
        pause and stop flags before every step. The module is left in eval mode."""
        target = self.steps if steps is None else min(self.steps, self.step + steps)
        self._stop.clear()
        self._active = True
        try:
            while self.step < target:
                self._running.wait()
                if self._stop.is_set():
                    break
                yield self.train_step()
        finally:
            self._active = False
            self.module.eval()

    # --- results ----------------------------------------------------------------------------------------------------

    def mean_loss(self, last: int = 20, part: str | None = None) -> float | None:
        """The mean loss (or one part of it: "mlm", "nsp"...) of the last `last` steps: the curve without its
        noise."""
        tail = self.history[-last:]
        values = [r.loss if part is None else r.parts[part] for r in tail]
        return sum(values) / len(values) if values else None

    def summary(self) -> dict:
        return {"objective": self.objective, "title": TITLES[self.objective], "model": self.loaded.name,
                "family": self.loaded.family.name, "corpus": self.corpus.source, "steps": self.step,
                "planned_steps": self.steps, "epochs": self.epoch + 1 if self.step else 0,
                "batch_size": self.batch_size, "seq_len": self.seq_len, "lr": self.lr,
                "weight_decay": self.weight_decay, "warmup": self.warmup, "seed": self.seed,
                "masking": "dynamic" if self.dynamic else "static", "mask_rate": self.mask_rate,
                "examples": self.unit, "items": len(self.items),
                "corpus_tokens": len(self.items.content), "unigram_entropy": self.unigram_entropy,
                "final_loss": self.mean_loss(), "final_parts": {k: self.mean_loss(part=k) for k in
                                                                (self.history[-1].parts if self.history else {})},
                "device": str(self.device),
                "history": [[r.step, round(r.loss, 5)] for r in self.history]}

    def save(self, folder: str | Path):
        """The trained model as a Hugging Face folder (engine.saving), with training.json (this run's summary)."""
        from engine.saving import save_pretrained
        return save_pretrained(self.loaded, folder, extra={"training.json": self.summary()})


def train(loaded, objective: str, corpus=None, on_progress: Callable[[Progress], object] | None = None,
          **settings) -> Trainer:
    """Run a whole training; on_progress(record) after each step (return False from it to stop)."""
    trainer = Trainer(loaded, objective, corpus, **settings)
    for record in trainer.run():
        if on_progress is not None and on_progress(record) is False:
            trainer.stop()
    return trainer
