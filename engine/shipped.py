"""The small models this app trains on its own corpus and ships in assets/trained/<name>/, one per family line.

Each is a Hugging Face folder that `engine.load("bert-trained")` opens like any checkpoint. They are toys: a few
hundred thousand parameters trained for a few CPU minutes on the bundled corpus (assets/corpus, about 41,000
characters of English and Chinese), and they know nothing else. Their point is that the output views can show
learned predictions instead of noise; each card (README.md) shows what its model makes of a few sentences.

    python -m engine ship                      # retrain every model into assets/trained (a few minutes each)
    python -m engine ship gpt2-trained --out /tmp/x --steps 50
    python -m engine ship --cards              # measure the saved models again and rewrite their cards

Reproducible: the table below is the whole recipe (tiny preset + size overrides, objective, tokenizer recipe and
vocabulary size, steps, batch, sequence length, peak learning rate, seed); `train_shipped` runs it through the same
Trainer as `python -m engine pretrain`, under a torch generator seeded by the same seed. Every tenth document of the
corpus (0, 10, 20, ...) is held out: the card reports the loss there and on the training documents against the
corpus's unigram entropy (the loss of a model that knows only how often each token occurs). Weights are stored in
float16 (half the bytes; engine.load runs them in float32 on the CPU).

The vocabularies are small (1,000-2,000 pieces, the family's recipe trained to that size) because the corpus is:
16,000 tokens cannot teach 3,000 embeddings, and the embedding table would be most of the model.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import InputError

__all__ = ["SHIPPED", "ShippedModel", "TRAINED_DIR", "HELD_OUT_EVERY", "get_shipped", "shipped_folder", "shipped_note"]
# Training, measuring and writing the folders and cards: engine.shipping.

TRAINED_DIR = Path(__file__).resolve().parents[1] / "assets" / "trained"
HELD_OUT_EVERY = 10          # documents 0, 10, 20 ... of the corpus are never trained on
TRAINED_BY = "trained by this app"


@dataclass(frozen=True)
class ShippedModel:
    name: str                 # what engine.load and the picker call it
    preset: str               # the tiny preset whose architecture it starts from
    objective: str            # engine.objectives KIND
    steps: int
    lr: float                 # peak learning rate (warm-up, then cosine decay to a tenth)
    seed: int = 0             # initial weights, data order, masks and dropout
    config: dict = field(default_factory=dict)   # overrides of the preset's config (config.json names)
    tokenizer: str | None = None   # tokenizer recipe trained on the corpus; None: the family's own
    vocab_size: int = 1000    # the recipe trained to this size (specials included)
    rotations: int = 8        # copies of the training documents, each rotated (see split_corpus)
    batch_size: int = 16
    seq_len: int = 64
    mask_rate: float = 0.15   # MLM: the share of tokens chosen (BERT's 15%)
    unit: str = "windows"     # MLM / span: examples cut as "windows" of running text or one "sentences" each
    prompts: tuple[str, ...] = ()  # what the card shows it doing ([MASK] / <extra_id_0> mark the blanks)


# Sentences like the corpus's (the card shows what each model makes of them; the tests accept a few answers each)
_MASKED = ("The cat sat on the [MASK].", "Thank you very [MASK].", "The library closes at six, so do not be [MASK].",
           "A language [MASK] predicts the next token.", "图书馆六点关[MASK]，别去晚了。")
_PROMPTS = ("Once upon a time there was a", "The cat sat on the", "Thank you very", "A language model",
            "图书馆六点")

SHIPPED: dict[str, ShippedModel] = {m.name: m for m in (
    # The encoders read one sentence per example, framed as a typed sentence is, 25% of its tokens masked, in
    # batches of 64 sentences: cut into 64-token windows of running text (the papers' way) and 15% masked, they got
    # no further than frequent tokens ("the", ",") at a typed sentence's [MASK]. 3,000 pieces keep English words
    # whole next to the corpus's ~1,000 Chinese characters.
    ShippedModel("bert-trained", "bert-tiny", "mlm", steps=3000, lr=2e-3, tokenizer="bert-chinese", vocab_size=3000,
                 rotations=1, batch_size=64, mask_rate=0.25, unit="sentences", prompts=_MASKED),
    ShippedModel("roberta-trained", "roberta-tiny", "mlm", steps=3000, lr=2e-3, vocab_size=3000, rotations=1,
                 batch_size=64, mask_rate=0.25, unit="sentences", prompts=_MASKED),
    # ALBERT's 16-wide embeddings were too narrow a door for 3,000 pieces (loss 4.2 after 3,000 steps): 32 wide
    ShippedModel("albert-trained", "albert-tiny", "mlm", steps=4000, lr=3e-3, config={"embedding_size": 32},
                 vocab_size=3000, rotations=1, batch_size=64, mask_rate=0.25, unit="sentences", prompts=_MASKED),
    # T5 likewise: span corruption on one sentence per example (a typed sentence with one sentinel)
    ShippedModel("t5-trained", "t5-tiny", "span", steps=3000, lr=3e-3, vocab_size=3000, rotations=1, batch_size=64,
                 unit="sentences", prompts=tuple(p.replace("[MASK]", "<extra_id_0>") for p in _MASKED)),
    ShippedModel("gpt2-trained", "gpt2-tiny", "clm", steps=1500, lr=5e-3, vocab_size=2000, prompts=_PROMPTS),
    # SentencePiece BPE learns merges only beyond the corpus's 1,071 characters and the 256 byte pieces
    ShippedModel("llama-trained", "llama-tiny", "clm", steps=1000, lr=5e-3, vocab_size=2000, prompts=_PROMPTS),
    # GLM's own blank infilling (glm-tiny, 1,200 steps) only learned to end every blank at once (loss 4.4): the GLM
    # line ships ChatGLM2, the GLM that reads left to right (RoPE, SwiGLU, grouped attention), trained with CLM
    ShippedModel("chatglm2-trained", "chatglm2-tiny", "clm", steps=1000, lr=5e-3, vocab_size=2000,
                 prompts=_PROMPTS),
)}


def get_shipped(name: str) -> ShippedModel:
    if name not in SHIPPED:
        raise InputError(f"no shipped model called {name!r}: choose from {', '.join(SHIPPED)}.")
    return SHIPPED[name]


def shipped_folder(name: str) -> Path:
    """Where the shipped model `name` lies (assets/trained/<name>); a CheckpointError saying how to rebuild it when
    this installation lacks it."""
    from engine.errors import CheckpointError

    folder = TRAINED_DIR / get_shipped(name).name
    if not (folder / "config.json").is_file():
        raise CheckpointError(f"{name} is missing from this installation ({folder} has no config.json): "
                              f"`python -m engine ship {name}` trains it again in a few minutes.")
    return folder


_OBJECTIVE_WORDS = {"mlm": "masked language modelling", "clm": "causal language modelling",
                    "span": "span corruption", "blank": "blank infilling", "sop": "MLM + sentence order"}


def shipped_note(name: str) -> str:
    """What the picker and the status line say about a shipped model."""
    model = get_shipped(name)
    return (f"A toy model {TRAINED_BY}: the {model.preset} architecture with a {model.vocab_size:,}-token "
            f"vocabulary, trained for {model.steps:,} steps ({_OBJECTIVE_WORDS[model.objective]}, seed {model.seed}) "
            f"on the bundled corpus of about 41,000 characters of English and Chinese (every "
            f"{HELD_OUT_EVERY}th document held out). It knows only that corpus: try sentences like its own. "
            f"Its card: assets/trained/{name}/README.md; `python -m engine ship {name}` retrains it.")
