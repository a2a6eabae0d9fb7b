"""Fine-tuning, the other half of "pre-train, then fine-tune": a small classifier on top of an encoder, trained
with the encoder on labelled lines (BERT's recipe, Devlin et al. 2018, sections 3.2 and 4.1; the chapter's "BERT +
小分类器", a fully connected layer, which the notes' slip "小分类器tokenizer" miscalls a tokenizer).

    logits = W · pooled + b        pooled = the encoder's pooler on h_[CLS] (BERT, ALBERT, MiniLM), or the
                                   first token's hidden state itself when the encoder has no pooler (RoBERTa's <s>)
    loss = cross-entropy(logits, label)   every weight trained: the encoder's and the new head's

The data are short sentiment lines this project wrote (assets/corpus/sentiment_en.tsv and sentiment_zh.tsv,
90 positive and 90 negative per language). A fixed split (seed SPLIT_SEED, whatever the run's seed) holds out a
fifth of each language's lines of each label, so every run is measured on the same 72 held-out lines, before
training (the head's random guess) and after.

    tuner = FineTuner(engine.load("minilm"), steps=30, seed=0)
    for record in tuner.run():        # one FinetuneProgress per step; tuner.stop() from any thread
        ...
    tuner.before.accuracy, tuner.after.accuracy, tuner.after.predictions[:5]

AdamW (no decay on biases and norms, as engine.training), the learning rate warmed up over the first tenth of the
steps then decayed linearly to zero (BERT's schedule); a real checkpoint takes BERT's small fine-tuning rate,
a random-weight tiny model a larger one (it has everything to learn).
"""
from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

import torch
import torch.nn.functional as F
from torch import nn

from engine.errors import InputError, PLMError
from engine.models.family import ENCODER_ONLY
from engine.objectives import rng_for
from engine.training import adamw

__all__ = ["LABELS", "LANGS", "SPLIT_SEED", "Line", "load_sentiment", "split_lines", "check_encoder",
           "SentimentClassifier", "Evaluation", "FinetuneProgress", "FineTuner", "finetune"]

DATA_DIR = Path(__file__).resolve().parents[1] / "assets" / "corpus"
LABELS = ("negative", "positive")          # label ids 0 and 1, as the .tsv files spell them
LANGS = ("en", "zh")
SPLIT_SEED = 0                             # the held-out lines are the same for every run
HELD_OUT_SHARE = 0.2
# A real checkpoint needs only a nudge: BERT's paper fine-tuned with 5e-5, 3e-5 or 2e-5 for 2-4 epochs; a run of a
# few dozen steps takes 1e-4. A random-weight tiny model has everything to learn: 1e-3 and more steps.
DEFAULT_LR = {"real": 1e-4, "random": 1e-3}
DEFAULT_STEPS = {"real": 30, "random": 150}
SMALL_MODEL = 2_000_000   # parameters: below this one CPU thread is fastest (and far faster on a busy machine)


@dataclass(frozen=True)
class Line:
    text: str
    label: int          # index into LABELS
    lang: str


# --- the data -----------------------------------------------------------------------------------------------------

def load_sentiment(langs=LANGS) -> list[Line]:
    """Every labelled line of the chosen languages, in file order."""
    lines = []
    for lang in langs:
        if lang not in LANGS:
            raise InputError(f"no sentiment lines in {lang!r}: choose among {', '.join(LANGS)}.")
        path = DATA_DIR / f"sentiment_{lang}.tsv"
        for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not row.strip() or row.startswith("#"):
                continue
            label, _, text = row.partition("\t")
            if label not in LABELS or not text.strip():
                raise PLMError(f"{path.name} line {number} is not 'positive<TAB>text' or 'negative<TAB>text'.")
            lines.append(Line(text.strip(), LABELS.index(label), lang))
    return lines


def split_lines(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """(training, held-out): per language and label, a seeded shuffle, the first fifth held out. Balanced, and the
    same whatever the run's seed. Both lists take the groups in turn (en+, en-, zh+, zh-, en+ ...), so any first
    few lines mix the labels and the languages."""
    trains, helds = [], []
    for lang in LANGS:
        for label in reversed(range(len(LABELS))):
            group = [line for line in lines if line.lang == lang and line.label == label]
            rng_for(SPLIT_SEED, "sentiment", lang, label).shuffle(group)
            cut = round(len(group) * HELD_OUT_SHARE)
            helds.append(group[:cut])
            trains.append(group[cut:])
    return _in_turn(trains), _in_turn(helds)


def _in_turn(groups: list[list[Line]]) -> list[Line]:
    return [group[i] for i in range(max(map(len, groups), default=0)) for group in groups if i < len(group)]


def check_encoder(loaded) -> None:
    """An InputError unless `loaded` is an encoder that can read text (the classifier sits on its [CLS] vector)."""
    if loaded.family.group != ENCODER_ONLY:
        group = loaded.family.group.lower()
        raise InputError(f"{loaded.name} is {'an' if group[0] in 'aeiou' else 'a'} {group} model "
                         f"({loaded.family.title}): "
                         f"fine-tuning here puts a classifier on an encoder's [CLS] vector. Choose an encoder: "
                         f"bert-tiny, roberta-tiny, albert-tiny, minilm, or a BERT / RoBERTa / ALBERT folder.")
    if loaded.tokenizer is None:
        raise InputError(f"{loaded.name} came without tokenizer files: it cannot read the sentiment lines.")


# --- the model ----------------------------------------------------------------------------------------------------

class SentimentClassifier(nn.Module):
    """The encoder and a new linear head on its first position ([CLS], <s>)."""

    def __init__(self, encoder: nn.Module, hidden_size: int, num_labels: int, seed: int):
        super().__init__()
        self.encoder = encoder
        self.classifier = nn.Linear(hidden_size, num_labels)
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():   # BERT's initialisation: normal(0, 0.02), zero bias
            self.classifier.weight.copy_(torch.randn(self.classifier.weight.shape, generator=generator) * 0.02)
            self.classifier.bias.zero_()

    def forward(self, **inputs) -> torch.Tensor:
        outputs = self.encoder(**inputs)
        pooled = outputs.get("pooled")                           # (B, H): tanh(W h_[CLS] + b)
        if pooled is None:
            pooled = outputs["last_hidden_state"][:, 0]          # (B, H): the first token's vector
        return self.classifier(pooled)                           # (B, labels)


# --- records ------------------------------------------------------------------------------------------------------

@dataclass
class Prediction:
    text: str
    lang: str
    label: str           # the true one
    predicted: str
    probability: float   # of the predicted label

    @property
    def correct(self) -> bool:
        return self.label == self.predicted


@dataclass
class Evaluation:
    """The classifier on the held-out lines."""
    step: int
    accuracy: float
    by_lang: dict[str, float]
    loss: float
    predictions: list[Prediction]

    def to_json(self, lines: int | None = None) -> dict:
        data = asdict(self)
        data["predictions"] = data["predictions"][:lines] if lines is not None else data["predictions"]
        return data


@dataclass
class FinetuneProgress:
    step: int             # steps done (1 = the first)
    steps: int
    epoch: int            # passes over the training lines begun (0 = the first)
    loss: float           # this batch's
    accuracy: float       # this batch's, before the update
    lr: float
    elapsed_s: float
    evaluation: Evaluation | None = None    # every `eval_every` steps and at the last

    def to_json(self) -> dict:
        data = asdict(self)
        data["evaluation"] = self.evaluation.to_json(0) if self.evaluation else None
        return data


# --- the run ------------------------------------------------------------------------------------------------------

class FineTuner:
    """Fine-tunes `loaded.module` in place (with a new head). Settings are attributes."""

    def __init__(self, loaded, *, steps: int | None = None, batch_size: int = 16, lr: float | None = None,
                 seed: int = 0, langs=LANGS, eval_every: int | None = None, weight_decay: float = 0.01, device=None):
        check_encoder(loaded)
        kind = "real" if loaded.weights == "real" else "random"
        lr = DEFAULT_LR[kind] if lr is None else lr
        steps = DEFAULT_STEPS[kind] if steps is None else steps
        for name, value, low in (("steps", steps, 1), ("batch size", batch_size, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise InputError(f"The {name} must be a whole number of at least {low}, not {value!r}.")
        if isinstance(lr, bool) or not (isinstance(lr, (int, float)) and 0 < lr < 1):
            raise InputError(f"The learning rate must lie between 0 and 1, not {lr!r}.")
        self.loaded, self.steps, self.batch_size, self.lr, self.seed = loaded, steps, batch_size, float(lr), seed
        self.langs = tuple(langs)
        self.train_lines, self.held_out = split_lines(load_sentiment(self.langs))
        self.eval_every = eval_every or max(1, steps // 10)
        self.warmup = max(1, steps // 10)
        if device is not None:
            from engine.devices import resolve_device
            loaded.device = resolve_device(device)
        self.device = loaded.device
        if any(p.dtype != torch.float32 for p in loaded.module.parameters()):
            loaded.module.float()   # AdamW's small updates are lost in half precision
        hidden = loaded.config.hidden_size
        self.model = SentimentClassifier(loaded.module, hidden, len(LABELS), seed).to(self.device)
        self.pad_id = self._pad_id()
        self.unk_share = self._unknown_share()
        self.optimizer = adamw(self.model, self.lr, weight_decay)
        self.step = self.epoch = 0
        self._order: list[int] = []       # the lines of this epoch not yet visited
        self._begun = False
        self.history: list[FinetuneProgress] = []
        self.before: Evaluation | None = None
        self.after: Evaluation | None = None
        self._stop = threading.Event()
        self._elapsed = 0.0

    def _pad_id(self) -> int:
        pad = getattr(self.loaded.config, "pad_token_id", None)
        return pad if pad is not None else (self.loaded.tokenizer.role_id("pad") or 0)

    def _unknown_share(self) -> dict[str, float]:
        """Per language, the share of the lines' tokens the tokenizer could only write as [UNK]: a model cannot
        learn from words it cannot see (MiniLM's English vocabulary misses most Chinese characters)."""
        unk = self.loaded.tokenizer.role_id("unk")
        shares = {}
        for lang in self.langs:
            ids = [i for line in self.train_lines + self.held_out if line.lang == lang for i in self._ids(line)]
            shares[lang] = sum(i == unk for i in ids) / len(ids) if ids and unk is not None else 0.0
        return shares

    def _ids(self, line: Line) -> list[int]:
        ids = list(self.loaded.tokenizer.encode(line.text).ids)   # [CLS] ... [SEP] / <s> ... </s>
        limit = self.loaded.max_length
        return ids[:limit] if limit else ids

    def batch(self, lines: list[Line]) -> dict[str, torch.Tensor]:
        """The encoder's inputs for `lines`, padded to the longest: input_ids, attention_mask (B, T)."""
        rows = [self._ids(line) for line in lines]
        length = max(len(row) for row in rows)
        input_ids = torch.tensor([row + [self.pad_id] * (length - len(row)) for row in rows])
        attention_mask = torch.tensor([[1] * len(row) + [0] * (length - len(row)) for row in rows])
        return {"input_ids": input_ids.to(self.device), "attention_mask": attention_mask.to(self.device)}

    # --- control ------------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """The run ends before its next step (from any thread)."""
        self._stop.set()

    def learning_rate(self, step: int) -> float:
        """Linear warm-up over the first tenth of the steps, then linear decay to zero (BERT's schedule)."""
        if step < self.warmup:
            return self.lr * (step + 1) / self.warmup
        return self.lr * max(0.0, (self.steps - step) / max(1, self.steps - self.warmup))

    # --- the loop -----------------------------------------------------------------------------------------------

    @torch.no_grad()
    def evaluate(self, batch_size: int = 32) -> Evaluation:
        """Accuracy, per-language accuracy and mean loss on the held-out lines, and each line's prediction."""
        self.model.eval()
        predictions, total_loss = [], 0.0
        for start in range(0, len(self.held_out), batch_size):
            lines = self.held_out[start:start + batch_size]
            logits = self.model(**self.batch(lines)).float()                        # (B, labels)
            labels = torch.tensor([line.label for line in lines], device=logits.device)
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            probabilities = logits.softmax(-1).cpu()
            for line, row in zip(lines, probabilities):
                guess = int(row.argmax())
                predictions.append(Prediction(line.text, line.lang, LABELS[line.label], LABELS[guess],
                                              float(row[guess])))
        by_lang = {}
        for lang in self.langs:
            mine = [p for p in predictions if p.lang == lang]
            by_lang[lang] = sum(p.correct for p in mine) / len(mine)
        accuracy = sum(p.correct for p in predictions) / len(predictions)
        return Evaluation(self.step, accuracy, by_lang, total_loss / len(predictions), predictions)

    def _next_lines(self) -> list[Line]:
        chosen = []
        while len(chosen) < self.batch_size:
            if not self._order:   # a new epoch: every training line once, in its own seeded order
                if self._begun:
                    self.epoch += 1
                self._begun = True
                self._order = list(range(len(self.train_lines)))
                rng_for(self.seed, "sentiment-order", self.epoch).shuffle(self._order)
            chosen.append(self.train_lines[self._order.pop()])
        return chosen

    def train_step(self) -> FinetuneProgress:
        began = time.perf_counter()
        lines = self._next_lines()
        inputs = self.batch(lines)
        labels = torch.tensor([line.label for line in lines], device=self.device)
        lr = self.learning_rate(self.step)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.model.train()
        logits = self.model(**inputs).float()                                        # (B, labels)
        loss = F.cross_entropy(logits, labels)
        if not torch.isfinite(loss):
            raise PLMError(f"The loss became {loss.item()} at step {self.step + 1}: lower the learning rate.")
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.loaded.weights = "trained"
        self.step += 1
        self._elapsed += time.perf_counter() - began
        accuracy = (logits.argmax(-1) == labels).float().mean().item()
        evaluation = None
        if self.step % self.eval_every == 0 or self.step == self.steps:
            evaluation = self.evaluate()
        record = FinetuneProgress(self.step, self.steps, self.epoch, loss.item(), accuracy, lr, self._elapsed,
                                  evaluation)
        self.history.append(record)
        return record

    def run(self) -> Iterator[FinetuneProgress]:
        """Evaluate the untrained classifier (`before`), train to the planned steps yielding each step's record
        (checking the stop flag before every step), evaluate again (`after`). The model is left in eval mode."""
        self._stop.clear()
        threads = torch.get_num_threads()
        if self.device.type == "cpu" and sum(p.numel() for p in self.model.parameters()) < SMALL_MODEL:
            torch.set_num_threads(1)
        try:
            if self.before is None:
                self.before = self.evaluate()
            while self.step < self.steps and not self._stop.is_set():
                yield self.train_step()
            last = self.history[-1].evaluation if self.history else None
            self.after = last if last is not None and last.step == self.step else self.evaluate()
        finally:
            torch.set_num_threads(threads)
            self.model.eval()

    def summary(self, lines: int = 8) -> dict:
        return {"model": self.loaded.name, "family": self.loaded.family.name, "steps": self.step,
                "planned_steps": self.steps, "batch_size": self.batch_size, "lr": self.lr, "seed": self.seed,
                "langs": list(self.langs), "train_lines": len(self.train_lines), "held_out_lines": len(self.held_out),
                "unknown_token_share": self.unk_share, "chance": 1 / len(LABELS),
                "before": self.before.to_json(lines) if self.before else None,
                "after": self.after.to_json(lines) if self.after else None, "device": str(self.device),
                "history": [[r.step, round(r.loss, 5)] for r in self.history]}


def finetune(loaded, on_progress: Callable[[FinetuneProgress], object] | None = None, **settings) -> FineTuner:
    """A whole fine-tuning; on_progress(record) after each step (return False from it to stop)."""
    tuner = FineTuner(loaded, **settings)
    for record in tuner.run():
        if on_progress is not None and on_progress(record) is False:
            tuner.stop()
    return tuner
