"""Three one-click experiments of the chapter, each two tiny models trained side by side on the bundled corpus:

    masking        RoBERTa's static vs dynamic masking: the same tiny BERT (same initial weights, same batches)
                   trained twice with MLM, once with each item's mask drawn once, once re-drawn every epoch; the
                   curves are the MLM loss on held-out documents (fixed masks), measured every few steps.
    sentence       NSP vs SOP: BERT-tiny trained with next sentence prediction, ALBERT-tiny with sentence order
                   prediction (each with MLM, as in the papers); the curves are each model's accuracy on held-out
                   pairs of its own task, and the side curves (dashed) its accuracy on the other task's pairs.
    norm           pre-norm vs post-norm at depth: a 24-layer GLM of width 64 trained twice with CLM, the same
                   learning rate and no warm-up, differing only in where LayerNorm sits (GLM's norm_style); the
                   curves are the training loss per step.

Each run is seeded (the same seed gives the same numbers), takes a few tens of seconds on a CPU, reports through
`report(Event)` (a point of a curve, or progress) and ends early when `should_stop()` says so. The result carries
the curves and a reading in plain words computed from the measured numbers: it says what happened here, which need
not be what the papers found at full scale. No Qt here: the window plots the events.

    result = run("masking", steps=150, report=print)
    result.curves[0].name, result.curves[0].steps, result.curves[0].values
    print(result.reading)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import torch

from engine.objectives import pair_from_ids, rng_for
from engine.training import Corpus, Items, Trainer, collate, load_corpus, losses, model_inputs

__all__ = ["EXPERIMENTS", "Curve", "Event", "Result", "masking", "sentence", "norm", "run", "split_corpus"]

HELD_OUT_EVERY = 10          # every 10th document of the corpus is held out (both languages, every topic)


@dataclass
class Curve:
    name: str
    steps: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def add(self, step: int, value: float) -> None:
        self.steps.append(step)
        self.values.append(value)

    def tail(self, count: int = 3) -> float:
        """The mean of the last `count` values: the end of the curve without its noise."""
        last = self.values[-count:]
        return sum(last) / len(last) if last else math.nan


@dataclass
class Event:
    """What the window hears while an experiment runs: progress (done of total steps) and, with `curve`, a new
    point (step, value) of that curve ("side" curves are drawn dashed)."""
    done: int
    total: int
    message: str
    curve: str | None = None
    step: int | None = None
    value: float | None = None
    side: bool = False


@dataclass
class Result:
    key: str
    title: str
    y_label: str
    curves: list[Curve]                 # the two compared
    side_curves: list[Curve] = field(default_factory=list)   # the same two models measured another way (dashed)
    reference: float | None = None      # a level worth a line (the unigram entropy, chance = 0.5)
    reference_label: str = ""
    reading: str = ""
    numbers: dict = field(default_factory=dict)
    stopped: bool = False


Report = Callable[[Event], object]
ShouldStop = Callable[[], bool]


def split_corpus(corpus: Corpus) -> tuple[Corpus, Corpus]:
    """(training, held-out): every HELD_OUT_EVERY-th document is held out."""
    train = [d for i, d in enumerate(corpus.documents) if i % HELD_OUT_EVERY]
    held = [d for i, d in enumerate(corpus.documents) if not i % HELD_OUT_EVERY]
    return Corpus(train, corpus.source + " (training part)"), Corpus(held, corpus.source + " (held-out part)")


class _Run:
    """Bookkeeping shared by the experiments: progress over the total steps of both trainings, the stop flag."""

    def __init__(self, total: int, report: Report | None, should_stop: ShouldStop | None):
        self.total, self.done = total, 0
        self.report = report or (lambda event: None)
        self.should_stop = should_stop or (lambda: False)
        self.stopped = False

    def point(self, curve: Curve, step: int, value: float, side: bool = False) -> None:
        curve.add(step, value)
        self.report(Event(self.done, self.total, "", curve.name, step, value, side))

    def train(self, trainer: Trainer, label: str, each_step: Callable[[int], None]) -> bool:
        """Run `trainer` to its end, calling each_step(step) after every step; False when stopped."""
        for record in trainer.run():
            self.done += 1
            each_step(record.step)
            self.report(Event(self.done, self.total, f"{label}: step {record.step} of {trainer.steps}, "
                                                     f"loss {record.loss:.3f}"))
            if self.should_stop():
                trainer.stop()
                self.stopped = True
        return not self.stopped


def _single_thread():
    """Tiny matrices gain nothing from threads (and lose on a busy machine); torch's thread count is the calling
    thread's own, and it comes back afterwards."""
    class Scope:
        def __enter__(self):
            self.threads = torch.get_num_threads()
            torch.set_num_threads(1)

        def __exit__(self, *_):
            torch.set_num_threads(self.threads)
    return Scope()


@torch.no_grad()
def _held_out_loss(trainer: Trainer, examples: list, batch: int = 32) -> float:
    """Mean token loss of the trainer's model on fixed held-out examples (weighted by labelled positions)."""
    module, total, count = trainer.module, 0.0, 0
    module.eval()
    for start in range(0, len(examples), batch):
        tensors = {k: v.to(trainer.device) for k, v in collate(examples[start:start + batch], trainer.pad_id).items()}
        outputs = module(**model_inputs(trainer.loaded, trainer.objective, tensors))
        labelled = int((tensors["labels"] != -100).sum())
        total += float(losses("mlm", outputs, tensors)["mlm"]) * labelled
        count += labelled
    module.train()
    return total / max(count, 1)


# --- (a) static vs dynamic masking -----------------------------------------------------------------------------------

def masking(steps: int = 150, seed: int = 0, eval_every: int = 10, batch_size: int = 16, seq_len: int = 32,
            corpus: Corpus | None = None, report: Report | None = None,
            should_stop: ShouldStop | None = None) -> Result:
    import engine

    train_part, held_part = split_corpus(corpus or load_corpus())
    result = Result("masking", "Static vs dynamic masking (RoBERTa)", "MLM loss on held-out text (nats)",
                    [Curve("static masking"), Curve("dynamic masking")])
    side = [Curve("static: training loss"), Curve("dynamic: training loss")]
    progress = _Run(2 * steps, report, should_stop)
    with _single_thread():
        for curve, train_curve, dynamic in zip(result.curves, side, (False, True)):
            trainer = Trainer(engine.load("bert-tiny", seed=seed), "mlm", train_part, steps=steps,
                              batch_size=batch_size, seq_len=seq_len, seed=seed, dynamic=dynamic)
            # the held-out masks are drawn once, with their own seed: both models answer the same questions
            held = Items("mlm", trainer.vocab, held_part, seq_len, seed + 1000, dynamic=False)
            examples = [held.example(i, 0) for i in range(len(held))]
            result.reference = trainer.unigram_entropy
            progress.point(curve, 0, _held_out_loss(trainer, examples))

            def measure(step, curve=curve, train_curve=train_curve, trainer=trainer, examples=examples):
                if step % eval_every == 0 or step == steps:
                    progress.point(curve, step, _held_out_loss(trainer, examples))
                    progress.point(train_curve, step, trainer.mean_loss(eval_every), side=True)

            if not progress.train(trainer, curve.name, measure):
                break
            epochs = trainer.epoch + 1
    result.side_curves = side
    result.reference_label = "unigram entropy of the corpus"
    result.stopped = progress.stopped
    result.numbers = {"steps": steps, "seed": seed, "held_out_windows": len(examples),
                      "static_held_out": result.curves[0].tail(), "dynamic_held_out": result.curves[1].tail(),
                      "static_train": side[0].tail(), "dynamic_train": side[1].tail()}
    if not progress.stopped:
        result.numbers["epochs"] = epochs
    result.reading = reading(result)
    return result


def _wobble(curves: list[Curve]) -> float:
    """How much a curve moves between its last points: the typical difference that means nothing."""
    moves = [abs(a - b) for c in curves for a, b in zip(c.values[-4:], c.values[-3:])]
    return max(moves) if moves else 0.0


# --- (b) NSP vs SOP --------------------------------------------------------------------------------------------------

def _held_out_pairs(items: Items, kind: str, seed: int, limit: int = 160) -> list:
    """Balanced held-out pairs of `kind` without masking: NSP's NotNext take a sentence of another document, SOP's
    negatives are the two sentences swapped."""
    examples = []
    for index, (document, sentence) in enumerate(items.pairs[:limit]):
        rng = rng_for(seed, "held-out", kind, index)
        first, second = items.sentences[document][sentence], items.sentences[document][sentence + 1]
        label = index % 2
        if label and kind == "sop":
            first, second = second, first
        elif label:
            other = document
            while other == document:
                other = rng.choice(items.with_text)
            second = rng.choice(items.sentences[other])
        examples.append(pair_from_ids(items.vocab, kind, first, second, label, items.seq_len, explain=False))
    return examples


@torch.no_grad()
def _accuracy(trainer: Trainer, examples: list, batch: int = 64) -> float:
    """The share of pairs whose label the sentence head gets right (label 0: IsNext / in order, both tasks)."""
    module, right = trainer.module, 0
    module.eval()
    for start in range(0, len(examples), batch):
        tensors = {k: v.to(trainer.device) for k, v in collate(examples[start:start + batch], trainer.pad_id).items()}
        outputs = module(**model_inputs(trainer.loaded, trainer.objective, tensors))
        right += int((outputs[trainer.objective].argmax(-1) == tensors["sentence_labels"]).sum())
    module.train()
    return right / max(len(examples), 1)


def sentence(steps: int = 120, seed: int = 0, eval_every: int = 10, batch_size: int = 16, seq_len: int = 48,
             corpus: Corpus | None = None, report: Report | None = None,
             should_stop: ShouldStop | None = None) -> Result:
    import engine

    train_part, held_part = split_corpus(corpus or load_corpus())
    runs = (("bert-tiny", "nsp"), ("albert-tiny", "sop"))
    result = Result("sentence", "NSP vs SOP (BERT, ALBERT)", "accuracy on held-out pairs",
                    [Curve("BERT-tiny trained with NSP: on NSP pairs"),
                     Curve("ALBERT-tiny trained with SOP: on SOP pairs")],
                    [Curve("NSP-trained: on SOP pairs"), Curve("SOP-trained: on NSP pairs")],
                    reference=0.5, reference_label="a coin toss")
    progress = _Run(2 * steps, report, should_stop)
    held_sizes, losses_at_end = {}, {}
    with _single_thread():
        for (name, kind), own, other in zip(runs, result.curves, result.side_curves):
            other_kind = "sop" if kind == "nsp" else "nsp"
            trainer = Trainer(engine.load(name, seed=seed), kind, train_part, steps=steps, batch_size=batch_size,
                              seq_len=seq_len, seed=seed)
            held = Items(kind, trainer.vocab, held_part, seq_len, seed, dynamic=True)
            sets = {k: _held_out_pairs(held, k, seed) for k in (kind, other_kind)}
            held_sizes = {k: len(v) for k, v in sets.items()}

            def measure(step, trainer=trainer, own=own, other=other, sets=sets, kind=kind, other_kind=other_kind):
                if step == 0 or step % eval_every == 0 or step == steps:
                    progress.point(own, step, _accuracy(trainer, sets[kind]))
                    progress.point(other, step, _accuracy(trainer, sets[other_kind]), side=True)

            measure(0)
            if not progress.train(trainer, f"{name} ({kind.upper()})", measure):
                break
            # the training loss's two parts over the last steps: the sentence task's and MLM's
            losses_at_end[kind] = (trainer.mean_loss(part=kind), trainer.history[0].parts["mlm"],
                                   trainer.mean_loss(part="mlm"))
    result.stopped = progress.stopped
    result.numbers = {"steps": steps, "seed": seed, "held_out_pairs": held_sizes, "losses_at_end": losses_at_end,
                      "nsp_model_on_nsp": result.curves[0].tail(), "nsp_model_on_sop": result.side_curves[0].tail(),
                      "sop_model_on_sop": result.curves[1].tail(), "sop_model_on_nsp": result.side_curves[1].tail()}
    result.reading = reading(result)
    return result


# --- (c) pre-norm vs post-norm at depth ---------------------------------------------------------------------------

def norm(steps: int = 60, seed: int = 0, layers: int = 24, hidden_size: int = 64, lr: float = 2e-2,
         warmup: int = 0, batch_size: int = 8, seq_len: int = 16, corpus: Corpus | None = None,
         report: Report | None = None, should_stop: ShouldStop | None = None) -> Result:
    from engine.api import build_from_preset
    from engine.published import Preset

    corpus = corpus or load_corpus()
    result = Result("norm", f"Pre-norm vs post-norm at {layers} layers (GLM)", "training loss (nats)",
                    [Curve("pre-norm"), Curve("post-norm")], reference_label="unigram entropy of the corpus")
    progress = _Run(2 * steps, report, should_stop)
    with _single_thread():
        for curve, style in zip(result.curves, ("pre", "post")):
            preset = Preset(f"glm-{layers}l-{style}-tiny", "glm",
                            dict(hidden_size=hidden_size, num_layers=layers, num_attention_heads=4,
                                 max_sequence_length=256, norm_style=style), source="the norm experiment")
            # clip=0: no gradient clipping, so the optimiser meets the raw gradients the norm placement gives
            trainer = Trainer(build_from_preset(preset, seed=seed), "clm", corpus, steps=steps, lr=lr,
                              warmup=warmup, batch_size=batch_size, seq_len=seq_len, seed=seed, clip=0.0)
            result.reference = trainer.unigram_entropy
            result.numbers[f"{style}_gradient_by_layer"] = _gradient_by_layer(trainer)
            try:
                finished = progress.train(trainer, f"{style}-norm",
                                          lambda step, c=curve, t=trainer: progress.point(c, step, t.history[-1].loss))
            except Exception as error:   # a diverged run (the loss became inf/nan) is a finding, not a failure
                result.numbers[f"{style}_diverged_at"] = trainer.step + 1
                result.numbers[f"{style}_error"] = str(error)
                finished = not progress.stopped
            if not finished:
                break
    result.stopped = progress.stopped
    result.numbers.update({"steps": steps, "seed": seed, "layers": layers, "hidden_size": hidden_size, "lr": lr,
                           "warmup": warmup, "pre_final": result.curves[0].tail(10),
                           "post_final": result.curves[1].tail(10),
                           "pre_first": result.curves[0].values[0] if result.curves[0].values else math.nan,
                           "post_first": result.curves[1].values[0] if result.curves[1].values else math.nan})
    result.reading = reading(result)
    return result


def _gradient_by_layer(trainer: Trainer) -> list[float]:
    """The norm of the loss's gradient over each block's parameters, on one batch before any step (the gradients
    are cleared afterwards)."""
    examples = [trainer.items.example(index, 0) for index in range(min(trainer.batch_size, len(trainer.items)))]
    batch = {k: v.to(trainer.device) for k, v in collate(examples, trainer.pad_id).items()}
    trainer.module.train()
    outputs = trainer.module(**model_inputs(trainer.loaded, trainer.objective, batch))
    sum(losses(trainer.objective, outputs, batch).values()).backward()
    squares: dict[int, float] = {}
    for name, parameter in trainer.module.named_parameters():
        parts = name.split(".")
        if parts[0] == "blocks" and parameter.grad is not None:
            squares[int(parts[1])] = squares.get(int(parts[1]), 0.0) + float(parameter.grad.pow(2).sum())
    trainer.optimizer.zero_grad(set_to_none=True)
    return [math.sqrt(squares[layer]) for layer in sorted(squares)]


def _spread(values: list[float]) -> float:
    return max(values) - min(values) if values else 0.0


# --- what a result says, in words ------------------------------------------------------------------------------------
# Each reading is composed from the result's numbers with `translate(context, template)`: the engine's own English
# as written (result.reading), or the window's translator, which finds these literal templates in the .ts files
# (explorer/i18n_build.py reads this module too) and gives the reading in the interface's language.

Translate = Callable[[str, str], str]
Join = Callable[[list[str]], str]


def as_written(_context: str, text: str) -> str:
    return text


def reading(result: Result, translate: Translate = as_written, join: Join = " ".join) -> str:
    """What `result` shows, in words. join: puts sentences one after the other (in Chinese, with no space)."""
    compose = {"masking": _masking_reading, "sentence": _sentence_reading, "norm": _norm_reading}[result.key]
    return compose(result, translate, join)


def _joined(join: Join, *sentences: str) -> str:
    return join([s for s in sentences if s])


def _stopped(translate: Translate) -> str:
    return translate("training", "Stopped before both models were trained: nothing to compare yet.")


def _masking_reading(result: Result, translate: Translate, join: Join) -> str:
    if result.stopped:
        return _stopped(translate)
    n = result.numbers
    static, dynamic = n["static_held_out"], n["dynamic_held_out"]
    gap_static, gap_dynamic = static - n["static_train"], dynamic - n["dynamic_train"]
    noise = _wobble(result.curves)
    difference = static - dynamic
    if abs(difference) <= noise:
        verdict = translate("training", "the two held-out losses end within {difference} nats of each other, inside "
                                        "the step-to-step wobble of the curves ({noise}): at this size and length, "
                                        "re-drawing the masks made no measurable difference")
    elif difference > 0:
        verdict = translate("training", "dynamic masking ends {difference} nats lower on held-out text ({dynamic} "
                                        "against {static}), more than the curves' wobble ({noise}): fresh masks each "
                                        "epoch gave the model more different questions to learn from")
    else:
        verdict = translate("training", "static masking ends {difference} nats lower on held-out text ({static} "
                                        "against {dynamic}), more than the curves' wobble ({noise}): here the "
                                        "repeated masks did not hurt, the opposite of what the RoBERTa paper "
                                        "measured at full scale (where the two were close, dynamic slightly better)")
    verdict = verdict.format(difference=f"{abs(difference):.3f}", noise=f"{noise:.3f}", static=f"{static:.3f}",
                             dynamic=f"{dynamic:.3f}")
    memorised = (translate("training", "The static model's training loss sits {gap} nats further below its held-out "
                                       "loss than the dynamic one's: it has begun to memorise the answers to its "
                                       "fixed masks.").format(gap=f"{gap_static - gap_dynamic:.3f}")
                 if gap_static - gap_dynamic > noise else "")
    below = [name for name, value in (("static", static), ("dynamic", dynamic)) if value < result.reference]
    if not below:
        where = translate("training", "Neither ends below the corpus's unigram entropy ({entropy}), the loss of "
                                      "guessing from word frequencies alone.")
    elif len(below) == 2:
        where = translate("training", "Both end below the corpus's unigram entropy ({entropy}), the loss of guessing "
                                      "from word frequencies alone.")
    elif below[0] == "static":
        where = translate("training", "Only the static model ends below the corpus's unigram entropy ({entropy}), "
                                      "the loss of guessing from word frequencies alone.")
    else:
        where = translate("training", "Only the dynamic model ends below the corpus's unigram entropy ({entropy}), "
                                      "the loss of guessing from word frequencies alone.")
    first = translate("training", "Both copies of bert-tiny started from the same weights and saw the same text for "
                                  "{steps} steps ({epochs} passes over the training part); {verdict}.").format(
        steps=n["steps"], epochs=n.get("epochs", "?"), verdict=verdict)
    return _joined(join, first, memorised, where.format(entropy=f"{result.reference:.3f}"))


def _sentence_reading(result: Result, translate: Translate, join: Join) -> str:
    if result.stopped:
        return _stopped(translate)
    n = result.numbers
    pairs = n["held_out_pairs"].get("nsp", 0)
    chance = 2 * 0.5 / math.sqrt(max(pairs, 1))

    def level(value: float) -> str:
        if abs(value - 0.5) <= chance:
            text = translate("training", "{value} (no better than a coin toss)")
        elif value > 0.5:
            text = translate("training", "{value} (above chance)")
        else:
            text = translate("training", "{value} (below chance)")
        return text.format(value=f"{value:.0%}")

    nsp_learned, sop_learned = n["nsp_model_on_nsp"] - 0.5 > chance, n["sop_model_on_sop"] - 0.5 > chance
    transfer = []
    if nsp_learned:
        transfer.append(translate("training", "the NSP-trained model's skill does not carry over to ordering") if
                        abs(n["nsp_model_on_sop"] - 0.5) <= chance else
                        translate("training", "the NSP-trained model also tells the order apart somewhat"))
    if sop_learned:
        transfer.append(translate("training", "the SOP-trained model tells unrelated sentences apart too") if
                        n["sop_model_on_nsp"] - 0.5 > chance else
                        translate("training", "the SOP-trained model's skill does not carry over to NSP pairs"))
    if not nsp_learned and not sop_learned:
        ends = n["losses_at_end"]
        parts = translate("training", "; ").join(
            translate("training", "{kind} {loss} while MLM went from {start} to {end}").format(
                kind=kind.upper(), loss=f"{ends[kind][0]:.3f}", start=f"{ends[kind][1]:.2f}",
                end=f"{ends[kind][2]:.2f}") for kind in ("nsp", "sop") if kind in ends)
        transfer.append(translate(
            "training", "neither model learned its own task in these steps, so the comparison the ALBERT paper made "
                        "cannot be read from these curves. The sentence part of the training loss ended at {parts} "
                        "(ln 2 = 0.693 is a coin toss): the MLM part is learned first, and the pooled [CLS] vector "
                        "of a tiny model starts almost the same for every text").format(parts=parts))
    elif not sop_learned:
        transfer.append(translate("training", "SOP is the harder task: this tiny ALBERT did not learn it in these "
                                              "steps, so the paper's comparison cannot be made at this size (try "
                                              "more steps)"))
    return translate(
        "training", "After {steps} steps each, on {pairs} held-out pairs per task (chance wobble about ±{chance}): "
                    "BERT-tiny trained with NSP scores {nsp_on_nsp} on NSP pairs and {nsp_on_sop} on SOP pairs; "
                    "ALBERT-tiny trained with SOP scores {sop_on_sop} on SOP pairs and {sop_on_nsp} on NSP pairs. So "
                    "here {transfer}. NSP can be solved by noticing that the second sentence is about another topic; "
                    "SOP keeps the topic the same and asks only for the order.").format(
        steps=n["steps"], pairs=pairs, chance=f"{chance:.0%}", nsp_on_nsp=level(n["nsp_model_on_nsp"]),
        nsp_on_sop=level(n["nsp_model_on_sop"]), sop_on_sop=level(n["sop_model_on_sop"]),
        sop_on_nsp=level(n["sop_model_on_nsp"]), transfer=translate("training", "; ").join(transfer))


def _norm_reading(result: Result, translate: Translate, join: Join) -> str:
    if result.stopped:
        return _stopped(translate)
    n = result.numbers
    warmup = (translate("training", "{count} warm-up steps").format(count=n["warmup"]) if n["warmup"] else
              translate("training", "no warm-up"))
    setting = translate("training", "Two {layers}-layer GLMs of width {width}, the same weights' seed, the same "
                                    "batches and the same learning rate ({lr}, {warmup}, no gradient clipping), "
                                    "{steps} steps each").format(layers=n["layers"], width=n["hidden_size"],
                                                                 lr=f"{n['lr']:g}", warmup=warmup, steps=n["steps"])
    said = []
    for style in ("pre", "post"):
        if f"{style}_diverged_at" in n:
            text = (translate("training", "the pre-norm stack diverged at step {step} (its loss became infinite)")
                    if style == "pre" else
                    translate("training", "the post-norm stack diverged at step {step} (its loss became infinite)"))
            said.append(text.format(step=n[f"{style}_diverged_at"]))
        else:
            text = (translate("training", "the pre-norm stack went from {first} to {final}") if style == "pre" else
                    translate("training", "the post-norm stack went from {first} to {final}"))
            said.append(text.format(first=f"{n[f'{style}_first']:.2f}", final=f"{n[f'{style}_final']:.2f}"))
    pre, post = n["pre_final"], n["post_final"]
    wobble = max((max(c.values[-10:]) - min(c.values[-10:])) if c.values[-10:] else 0.0 for c in result.curves)
    if "post_diverged_at" in n and "pre_diverged_at" not in n:
        verdict = translate("training", "Post-norm's trouble showed plainly: without warm-up its deep stack could not "
                                        "be trained at this rate.")
    elif post - pre > wobble:
        verdict = translate("training", "Post-norm ends {difference} nats behind (more than the last steps' spread "
                                        "of {wobble}): with every residual sum normalised, the gradients reaching the "
                                        "lower layers of a deep stack are uneven at the start, and without warm-up "
                                        "the first large steps set it back.").format(
            difference=f"{post - pre:.2f}", wobble=f"{wobble:.2f}")
    elif pre - post > wobble:
        verdict = translate("training", "Here post-norm ends {difference} nats ahead (more than the spread of "
                                        "{wobble}): at this size and rate the trouble the papers report did not "
                                        "show.").format(difference=f"{pre - post:.2f}", wobble=f"{wobble:.2f}")
    else:
        verdict = translate("training", "The two end within {difference} nats, inside the last steps' spread "
                                        "({wobble}): at this size and rate no difference showed in the loss. The "
                                        "paper that reports post-norm's trouble without warm-up (Xiong et al. 2020) "
                                        "trained far wider models for far longer.").format(
            difference=f"{abs(post - pre):.2f}", wobble=f"{wobble:.2f}")
    early = max(3, n["steps"] // 5)
    peaks = {style: max(curve.values[:early]) for style, curve in zip(("pre", "post"), result.curves)
             if curve.values}
    rises = {style: peak - n[f"{style}_first"] for style, peak in peaks.items()}
    if len(rises) == 2:
        overshoot = [style for style, rise in rises.items() if rise > 0.25]
        if not overshoot:
            outcome = translate("training", "neither overshot its start much.")
        elif len(overshoot) == 2:
            outcome = translate("training", "the pre and the post-norm stacks jumped above where they began, the "
                                            "rough start a warm-up is there to smooth.")
        elif overshoot[0] == "pre":
            outcome = translate("training", "the pre-norm stack jumped above where it began, the rough start a "
                                            "warm-up is there to smooth.")
        else:
            outcome = translate("training", "the post-norm stack jumped above where it began, the rough start a "
                                            "warm-up is there to smooth.")
        verdict = _joined(join, verdict, translate(
            "training", "In the first {early} steps the loss peaked at {pre_peak} (pre-norm) and {post_peak} "
                        "(post-norm), against starts of {pre_first} and {post_first}: {outcome}").format(
            early=early, pre_peak=f"{peaks['pre']:.2f}", post_peak=f"{peaks['post']:.2f}",
            pre_first=f"{n['pre_first']:.2f}", post_first=f"{n['post_first']:.2f}", outcome=outcome))
    gradients = {}
    for style in ("pre", "post"):
        norms = n.get(f"{style}_gradient_by_layer") or []
        if len(norms) > 1:
            text = (translate("training", "pre-norm from {first} at layer 1 to {last} at layer {layers} (median "
                                          "{median})") if style == "pre" else
                    translate("training", "post-norm from {first} at layer 1 to {last} at layer {layers} (median "
                                          "{median})"))
            gradients[style] = text.format(first=f"{norms[0]:.3f}", last=f"{norms[-1]:.3f}", layers=len(norms),
                                           median=f"{sorted(norms)[len(norms) // 2]:.3f}")
    measured = (translate("training", "Before the first step, the gradient reaching each layer's weights went {pre} "
                                      "and {post}: where the norm sits decides how the learning signal is shared out "
                                      "over the depth; Adam rescales each weight's update, one reason the loss "
                                      "curves can still agree.").format(**gradients) if len(gradients) == 2 else "")
    first = translate("training", "{setting}: {pre}, {post} (unigram entropy {entropy}).").format(
        setting=setting, pre=said[0], post=said[1], entropy=f"{result.reference:.2f}")
    return _joined(join, first, verdict, measured)


# --- the list the window shows --------------------------------------------------------------------------------------

EXPERIMENTS: dict[str, tuple[str, Callable[..., Result]]] = {
    "masking": ("Static vs dynamic masking", masking),
    "sentence": ("NSP vs SOP", sentence),
    "norm": ("Pre-norm vs post-norm, 24 layers", norm),
}


def run(key: str, **settings) -> Result:
    """One experiment by its key ("masking", "sentence", "norm") with its settings (steps, seed, report...)."""
    from engine.errors import InputError

    if key not in EXPERIMENTS:
        raise InputError(f"unknown experiment {key!r}: choose one of {', '.join(EXPERIMENTS)}")
    return EXPERIMENTS[key][1](**settings)
