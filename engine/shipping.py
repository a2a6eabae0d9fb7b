"""Training, measuring and shipping the small models of engine.shipped (its table is the recipe): kept apart from
the table so that the loader, which lists the shipped names, never imports the training code (and through it
engine.api, which imports the loader)."""
from __future__ import annotations

import functools
import json
import textwrap
from pathlib import Path
from typing import Callable

from engine import shipped
from engine.errors import InputError
from engine.shipped import HELD_OUT_EVERY, TRAINED_BY, ShippedModel, get_shipped

# --- building and training ------------------------------------------------------------------------------------------

def shipped_tokenizer(model: ShippedModel):
    """The family's tokenizer recipe trained on the bundled corpus (engine.tokenization.training) with the table's
    smaller vocabulary: 3,000 pieces would leave most of them seen a handful of times in 16,000 tokens."""
    import dataclasses

    from engine.models import FAMILIES
    from engine.presets import get_preset
    from engine.tokenization import Tokenizer
    from engine.tokenization.build import trained_note
    from engine.tokenization.corpus import corpus_lines
    from engine.tokenization.recipes import RECIPES
    from engine.tokenization.training import train

    preset = get_preset(model.preset)
    if preset is None:
        raise InputError(f"{model.name}: the preset {model.preset!r} no longer exists.")
    recipe = RECIPES[model.tokenizer or FAMILIES[preset.family].tokenizer_recipe]
    if model.vocab_size:
        recipe = dataclasses.replace(recipe, vocab_size=model.vocab_size)
    backend = train(recipe, corpus_lines())
    size = backend.get_vocab_size(with_added_tokens=True)
    return Tokenizer(backend, recipe.kind, recipe.name, dict(recipe.roles), byte_fallback=recipe.byte_fallback,
                     description=recipe.describe(size), released=False,
                     vocabulary_note=trained_note(recipe, size))


def build_untrained(model: ShippedModel, device="cpu"):
    """The model before training: the preset's architecture with the table's overrides, sized to its tokenizer,
    random weights seeded by model.seed."""
    from engine.api import _configure_for_tokenizer, init_weights
    from engine.devices import resolve_device
    from engine.loaded import LoadedModel
    from engine.models import FAMILIES
    from engine.presets import get_preset

    tokenizer = shipped_tokenizer(model)
    preset = get_preset(model.preset)
    family = FAMILIES[preset.family]
    config = _configure_for_tokenizer(family.config({**preset.config, **model.config}), tokenizer, True)
    device = resolve_device(device)
    module = family.model_cls(config)
    init_weights(module, model.seed)
    source = f"{TRAINED_BY} (engine/shipped.py: {model.objective} on the bundled corpus)"
    return LoadedModel(model.name, family, config, tokenizer, module.to(device).eval(), device, "random", source)


def split_corpus(rotations: int = 1):
    """(training corpus, held-out corpus): the bundled corpus without / with only every HELD_OUT_EVERY-th
    document. rotations > 1: the training documents that many times, each copy starting one document later, so
    the Trainer's fixed windows start at different places in the text in each copy (a model with learned
    positions otherwise ties each phrase to the one position it always sat at)."""
    from engine.training import Corpus, load_corpus

    documents = load_corpus().documents
    train = [d for i, d in enumerate(documents) if i % HELD_OUT_EVERY]
    held = [d for i, d in enumerate(documents) if not i % HELD_OUT_EVERY]
    step = max(1, len(train) // rotations)
    rotated = [d for k in range(rotations) for d in train[k * step:] + train[:k * step]]
    copies = f", in {rotations} rotations" if rotations > 1 else ""
    return (Corpus(rotated, f"the bundled corpus (assets/corpus) less every {HELD_OUT_EVERY}th document{copies}"),
            Corpus(held, f"every {HELD_OUT_EVERY}th document of the bundled corpus (held out)"))


def train_shipped(model: ShippedModel, steps: int | None = None, device="cpu",
                  on_progress: Callable | None = None):
    """Train `model` as the table says (steps: fewer, for a quick check). Returns the Trainer (its .loaded is the
    trained model). The same table row and seed give the same weights on the same machine."""
    import torch

    from engine.training import Trainer

    train_corpus, _held = split_corpus(model.rotations)
    with torch.random.fork_rng(devices=[]):     # dropout's draws, without touching the caller's generator
        torch.manual_seed(model.seed)
        loaded = build_untrained(model, device)
        trainer = Trainer(loaded, model.objective, train_corpus, steps=steps or model.steps,
                          batch_size=model.batch_size, seq_len=model.seq_len, lr=model.lr, seed=model.seed,
                          device=device, mask_rate=model.mask_rate, unit=model.unit)
        for record in trainer.run():
            if on_progress is not None and on_progress(record) is False:
                trainer.stop()
    loaded.weights = "real"        # learned weights: the output views treat them as a trained model's
    return trainer


# --- measuring ------------------------------------------------------------------------------------------------------

def corpus_loss(loaded, objective: str, corpus, seq_len: int = 64, seed: int = 0,
                unit: str = "windows") -> tuple[float, int]:
    """(the objective's loss in nats per predicted token, the corpus's token count) on `corpus`, every item once
    with one fixed draw of masks or spans (epoch 0, static), the corpus cut as the model was trained (`unit`)."""
    import torch

    from engine.objectives import Vocabulary
    from engine.training import Items, collate, losses, model_inputs

    vocab = Vocabulary.of(loaded.tokenizer)
    pad_id = vocab.pad_id if vocab.pad_id is not None else (vocab.eos_id or 0)
    items = Items(objective, vocab, corpus, seq_len, seed, dynamic=False, unit=unit)
    module = loaded.module.eval()
    total, weight = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(items), 64):          # batches of 64 items: bounded memory
            examples = [items.example(i, 0) for i in range(start, min(len(items), start + 64))]
            batch = {k: v.to(loaded.device) for k, v in collate(examples, pad_id).items()}
            parts = losses(objective, module(**model_inputs(loaded, objective, batch)), batch)
            labelled = int((batch["labels"] != -100).sum())
            total, weight = total + float(sum(parts.values())) * labelled, weight + labelled
    return total / max(weight, 1), len(items.content)


def held_out_loss(loaded, objective: str, seq_len: int = 64, seed: int = 0, unit: str = "windows") -> dict:
    """The objective's loss on the held-out documents and on the training documents, and the unigram entropy of
    the whole corpus under the model's tokenizer (all in nats per predicted token)."""
    from engine.objectives import Vocabulary
    from engine.training import Items, load_corpus, unigram_entropy

    train, held = split_corpus()
    held_loss, held_tokens = corpus_loss(loaded, objective, held, seq_len, seed, unit)
    train_loss, _ = corpus_loss(loaded, objective, train, seq_len, seed, unit)
    everything = Items(objective, Vocabulary.of(loaded.tokenizer), load_corpus(), seq_len, seed,
                       dynamic=False).content
    return {"held_out_loss": held_loss, "held_out_tokens": held_tokens, "held_out_documents": len(held.documents),
            "training_text_loss": train_loss, "unigram_entropy": unigram_entropy(everything),
            "corpus_tokens": len(everything)}


@functools.lru_cache(maxsize=1)
def _training_sentences() -> tuple[str, ...]:
    from engine.training import typed_sentences

    return tuple(typed_sentences(split_corpus()[0].documents))


def in_training_text(prompt: str) -> str:
    """Where `prompt` (its blanks aside: [MASK], <extra_id_N>; quotation marks aside) is in the training documents:
    "sentence" (a whole sentence of them), "part" (inside a longer sentence) or "no": what a toy that memorised its
    corpus can be expected to answer."""
    import re

    pieces = [re.escape(p.strip()) for p in re.split(r"\[MASK\]|<extra_id_\d+>", prompt)]
    pattern = re.compile(r"\s*\w+\s*".join(pieces))      # a blank: one word (a run of Chinese characters)
    sentences = _training_sentences()
    if any(pattern.fullmatch(sentence) for sentence in sentences):
        return "sentence"
    return "part" if any(pattern.search(sentence) for sentence in sentences) else "no"


def fill_mask(loaded, text: str, k: int = 5) -> list[list[tuple[str, float]]]:
    """An encoder's top k tokens (and probabilities) at each [MASK] of `text`."""
    import torch

    prepared = loaded.prepare(text=text)
    ids = prepared.inputs["input_ids"][0]
    with torch.no_grad():
        logits = loaded.module.eval()(**prepared.inputs)["mlm"][0]      # (T, V)
    mask_id = loaded.tokenizer.role_id("mask")
    answers = []
    for position in (ids == mask_id).nonzero().flatten().tolist():
        top = logits[position].float().softmax(-1).topk(k)
        answers.append([(word(loaded.tokenizer, int(i)), float(p)) for p, i in zip(top.values, top.indices)])
    return answers


def word(tokenizer, token_id: int) -> str:
    """A token as the text it stands for ("Ġthe" -> "the", "▁cat" -> "cat"); "##ing" and specials as they are."""
    token = tokenizer.id_to_token(token_id) or f"<{token_id}>"
    if token_id in tokenizer.special_ids or token.startswith("##"):
        return token
    return tokenizer.decode([token_id]).strip() or token


def complete(loaded, text: str, max_new_tokens: int = 12) -> str:
    """Greedy: a decoder's continuation, T5's filling of its sentinels, GLM's filling of its [MASK] (a blank at the
    end of the text when it has none). The new tokens as text, special tokens spelled out."""
    from engine.generation import generate

    generation = generate(loaded, text, max_new_tokens=max_new_tokens)
    if loaded.family.group == "Decoder-only" and loaded.family.name != "glm":
        return generation.text
    return loaded.tokenizer.decode(generation.new_ids, skip_special_tokens=False)


def demo(loaded, text: str) -> str:
    """One line saying what the model makes of `text`: the top words at each [MASK], or the greedy output."""
    if loaded.family.group == "Encoder-only":
        return " | ".join(", ".join(f"{word} {p:.2f}" for word, p in top[:5]) for top in fill_mask(loaded, text))
    return complete(loaded, text)


# --- shipping: train, measure, write the folder and its card --------------------------------------------------------

def ship(name: str, out: str | Path | None = None, steps: int | None = None, device="cpu",
         on_progress: Callable | None = None) -> dict:
    """Train the shipped model `name` and write it into out/<name> (default assets/trained/<name>): the Hugging Face
    folder in float16, training.json (the run), shipped.json (the table row and the measurements) and README.md
    (the model card). Returns shipped.json's content."""
    import time

    model = get_shipped(name)
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 1):
        raise InputError(f"--steps must be a whole number of at least 1, not {steps!r}.")
    folder = Path(out).expanduser() / model.name if out is not None else shipped.TRAINED_DIR / model.name
    began = time.perf_counter()
    trainer = train_shipped(model, steps, device, on_progress)
    seconds = time.perf_counter() - began
    loaded = trainer.loaded
    record = {
        "name": model.name, "family": loaded.family.name, "family_title": loaded.family.title,
        "preset": model.preset, "config_overrides": model.config, "objective": model.objective,
        "tokenizer": loaded.tokenizer.recipe, "vocab_size": loaded.config.vocab_size,
        "steps": trainer.step, "table_steps": model.steps, "batch_size": model.batch_size,
        "seq_len": model.seq_len, "lr": model.lr, "seed": model.seed, "rotations": model.rotations,
        "mask_rate": model.mask_rate, "unit": model.unit,
        "parameters": sum(p.numel() for p in loaded.module.parameters()),
        "train_seconds": round(seconds, 1), "device": str(trainer.device), "final_train_loss": trainer.mean_loss(),
    }
    saved = trainer.save(folder)
    _to_float16(folder)
    record = describe(folder, record)
    record["folder"], record["files"] = str(folder), saved.files + ["shipped.json", "README.md"]
    return record


def describe(folder: str | Path, record: dict | None = None) -> dict:
    """Measure the model saved in `folder` as it is stored (float16, reopened by engine.load): its losses on the
    held-out and the training documents, its outputs on the table's prompts; write shipped.json and README.md.
    record: the training facts (default: the folder's shipped.json, to redo the card without training)."""
    import engine

    folder = Path(folder).expanduser()
    if record is None:
        record = json.loads((folder / "shipped.json").read_text(encoding="utf-8"))
    model = get_shipped(record["name"])
    loaded = engine.load(str(folder))
    measured = held_out_loss(loaded, model.objective, model.seq_len, model.seed, model.unit)
    # a record from before a setting existed ran with the table's value (what the setting's default reproduces)
    record = {"rotations": model.rotations, "mask_rate": model.mask_rate, "unit": model.unit, **record, **measured,
              "examples": [[prompt, demo(loaded, prompt)] for prompt in model.prompts],
              "in_training_text": [in_training_text(prompt) for prompt in model.prompts],
              "bytes": (folder / "model.safetensors").stat().st_size}
    (folder / "shipped.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(model_card(record), encoding="utf-8")
    return record


def write_index(folder: str | Path | None = None) -> Path:
    """README.md of the trained models' folder: one line per model found there (from its shipped.json)."""
    folder = Path(folder).expanduser() if folder is not None else shipped.TRAINED_DIR
    rows = []
    for path in sorted(folder.glob("*/shipped.json")):
        r = json.loads(path.read_text(encoding="utf-8"))
        rows.append(f"| `{r['name']}` | {r['family_title']} | {r['objective']} | {r['parameters']:,} | "
                    f"{r['vocab_size']:,} | {r['bytes'] / 1e6:.2f} MB | {r['steps']:,} | "
                    f"{r['training_text_loss']:.2f} | "
                    f"{r['held_out_loss']:.2f} | "
                    f"{r['unigram_entropy']:.2f} |")
    text = f"""# Small models {TRAINED_BY}

Toy checkpoints, one per family line of the chapter (GLM's line by ChatGLM2), that PLM Explorer trained itself on its
bundled corpus (assets/corpus: about 41,000 characters of short English and Chinese paragraphs, every
{HELD_OUT_EVERY}th document held out). They know only that corpus, and they have memorised it in their few CPU
minutes: on text they never saw they do worse than token frequencies (held-out loss above the unigram entropy;
T5's stays below: about half of its targets are sentinels and the end token, which every example teaches). The
decoders (GPT-2, LLaMA, ChatGLM2) complete the corpus's own sentences ("The cat sat on the" -> " mat."). The
encoders (BERT, RoBERTa, ALBERT: masked language modelling) and T5 (span corruption) read one sentence of the
corpus per example, framed as a typed sentence is, and fill a blank in the corpus's own sentences ("The library
closes at six, so do not be [MASK]." -> late); in a sentence they never saw their guesses are poor.

Each folder is a Hugging Face checkpoint (float16) with its card (README.md: numbers and example outputs); open one
with `engine.load("gpt2-trained")` or pick it in the window ("trained by this app"). The recipes are the table in
engine/shipped.py; `python -m engine ship [NAME ...]` retrains them (one thread, a few CPU minutes each).

Losses in nats per predicted token; the unigram entropy is the loss of a model that knows only how often each token
occurs in the corpus.

| name | family | objective | parameters | vocabulary | weights | steps | loss: training text | held out | unigram |
|---|---|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n"
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    return path


def _to_float16(folder: Path) -> None:
    """Rewrite model.safetensors in float16 and say so in config.json (engine.load upcasts on the CPU)."""
    import torch
    from safetensors.torch import load_file, save_file

    path = folder / "model.safetensors"
    state = {k: v.to(torch.float16).contiguous() for k, v in load_file(str(path)).items()}
    save_file(state, str(path), metadata={"format": "pt"})
    path.chmod(0o644)
    config_path = folder / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["torch_dtype"] = "float16"
    config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


_WHAT = {"mlm": "masked language modelling ({rate:.0%} of tokens chosen; 80% [MASK], 10% random, 10% kept; dynamic "
                "masking)",
         "clm": "causal language modelling (every next token)",
         "span": "T5 span corruption (spans of mean length 3 covering 15%, each replaced by a sentinel)",
         "blank": "GLM autoregressive blank infilling (Poisson(3) spans covering 15%, Part B shuffled)",
         "sop": "masked language modelling plus sentence-order prediction"}


def _verdict(record: dict) -> str:
    """What the two losses say, in words."""
    entropy, held, trained = record["unigram_entropy"], record["held_out_loss"], record["training_text_loss"]
    if held < entropy - 0.5:
        return ("It generalises a little: on text it never saw it does better than token frequencies alone."
                + (" It has also memorised much of its training text." if trained < held - 1.5 else ""))
    if held < entropy:
        return "On text it never saw it does barely better than token frequencies alone."
    work = "completes" if record["objective"] == "clm" else "fills the blanks of"
    return (f"It has memorised its training text (so it {work} the corpus's own sentences) at the price of "
            "text it never saw, where it does worse than token frequencies alone: a small model on a tiny corpus.")


def describe_batch(batch_size: int, seq_len: int, unit: str = "windows") -> str:
    if unit == "sentences":
        return f"{batch_size} sentences (each at most {seq_len} tokens)"
    return f"{batch_size} sequences x {seq_len} tokens"


def model_card(record: dict) -> str:
    gap = record["unigram_entropy"] - record["held_out_loss"]
    overrides = f" with {json.dumps(record['config_overrides'])}" if record["config_overrides"] else ""
    mlm = " (the top 5 tokens at each [MASK], with probabilities)" if record["objective"] in ("mlm", "sop") else ""
    intro = (f"A {record['parameters']:,}-parameter {record['family_title']} ({record['bytes'] / 1e6:.1f} MB in "
             f"float16) that PLM Explorer trained itself, on its own bundled corpus. **It is a toy**: it has read "
             f"about {record['corpus_tokens']:,} tokens of short English and Chinese paragraphs (assets/corpus, about "
             f"41,000 characters), over and over, and knows nothing else: its predictions are learned, not noise, "
             f"but only as good as a few CPU minutes on that corpus make them (its outputs below are shown as they "
             f"came). It is no language model for real use.")
    facts = [
        f"Architecture: the `{record['preset']}` preset{overrides}; a vocabulary of {record['vocab_size']:,} tokens "
        f"(this app's `{record['tokenizer']}` tokenizer recipe, trained on the whole corpus).",
        f"Objective: {_WHAT.get(record['objective'], record['objective']).format(rate=record.get('mask_rate', 0.15))}.",
        f"Training: {record['steps']:,} steps of "
        f"{describe_batch(record['batch_size'], record['seq_len'], record.get('unit', 'windows'))}, "
        f"AdamW, peak learning rate {record['lr']:g} (warm-up, then cosine decay to a tenth), seed {record['seed']}, "
        f"{record['train_seconds']:.0f} s on {record['device']} (one thread, on a shared machine). Every "
        f"{HELD_OUT_EVERY}th document of the corpus is held out; "
        + (f"the others are read in {record['rotations']} rotations, so the trainer's fixed windows start at "
           f"different places in the text." if record.get("unit", "windows") == "windows" else
           "each sentence of the others is one example, framed as a typed sentence is (between the tokenizer's "
           "start and end tokens): the blanks a user types sit in one short sentence, not in a window of running "
           "text."),
        f"Loss in nats per predicted token (one fixed draw of masks or spans), against the corpus's unigram entropy "
        f"of {record['unigram_entropy']:.3f} nats (the loss of knowing only how often each token occurs): on the "
        f"training documents {record['training_text_loss']:.3f}; on the {record['held_out_documents']} held-out "
        f"documents ({record['held_out_tokens']:,} tokens) {record['held_out_loss']:.3f}, {abs(gap):.2f} nats "
        f"{'below' if gap >= 0 else 'above'} it. {_verdict(record)}",
    ]
    seen = record.get("in_training_text") or [None] * len(record["examples"])
    where = {"sentence": "  (a sentence of its training text)", "part": "  (inside a longer sentence of its training "
             "text)", "no": "  (not in its training text)", None: ""}
    examples = "\n".join(f"    {prompt!r}{where[known]}\n        -> {answer!r}"
                         for (prompt, answer), known in zip(record["examples"], seen))
    bullets = "\n".join(textwrap.fill(fact, 116, initial_indent="- ", subsequent_indent="  ") for fact in facts)
    return f"""# {record['name']}: a toy {record['family_title']} {TRAINED_BY}

{textwrap.fill(intro, 116)}

{bullets}

Reproduce it (engine/shipped.py holds the table row):

    python -m engine ship {record['name']}

Greedy outputs on sentences like the corpus's{mlm}:

{examples}

Files: config.json, model.safetensors (float16), tokenizer.json and its configs, training.json (the run: its loss
curve), shipped.json (these numbers).
"""
