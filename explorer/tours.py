"""Guided tours, without Qt: a tour is a JSON file a teacher can write and share, read and checked here; the
window's player (explorer.tour_player) drives the explorer through it.

    {"title_en": "BERT from text to [MASK]", "title_zh": "BERT：从文本到 [MASK]",
     "steps": [{"model": "bert-tiny", "text": "The cat sat on the [MASK].", "step": "tokens",
                "note_en": "...", "note_zh": "..."},
               {"step": "attn.hook_pattern", "view": "attention", "layer": 2, "head": 3, "note_en": "...", ...}]}

A bare JSON list of steps is a tour too. Fields of a step (all optional but a note, and the first step's model and
text): model (a preset, "minilm" or a checkpoint folder), text, pair (second sentence / T5 target), step (a step
name or its end, e.g. "attn.hook_pattern"; "tokens" and "output" for the first and last), view, layer and head
(counted from 1, as the window shows them), note_en, note_zh. A step without model or text keeps the previous
step's. A file that breaks these rules is refused with one message naming the step and the field.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError
from explorer.session import OUTPUT_STEP, QT_TRANSLATE_NOOP, TOKENIZER_STEP

TOURS_DIR = Path(__file__).resolve().parents[1] / "assets" / "tours"
# the step-through's views (explorer.app.VIEW_CLASSES' names; a test keeps the two lists equal)
VIEWS = ("tokens", "vectors", "attention", "grid", "lines", "qkv", "mask", "masks-compare", "output", "similarity")
STEP_ALIASES = {"tokens": TOKENIZER_STEP, "tokenizer": TOKENIZER_STEP, "output": OUTPUT_STEP}
FIELDS = ("model", "text", "pair", "step", "view", "layer", "head", "note_en", "note_zh")
MAX_STEPS = 200


class TourError(InputError):
    """A tour file that cannot be played, said in one line (the file, the step and the field)."""


@dataclass(frozen=True)
class TourStep:
    model: str
    text: str
    pair: str | None = None
    step: str | None = None
    view: str | None = None
    layer: int | None = None     # from 1, as the user reads it
    head: int | None = None      # from 1
    note_en: str = ""
    note_zh: str = ""

    def note(self, lang: str) -> str:
        """The note in `lang`, the other language when this one is missing."""
        return (self.note_zh or self.note_en) if lang == "zh" else (self.note_en or self.note_zh)


@dataclass(frozen=True)
class Tour:
    title_en: str
    title_zh: str
    steps: tuple[TourStep, ...]
    path: Path | None = None

    def title(self, lang: str = "en") -> str:
        return (self.title_zh or self.title_en) if lang == "zh" else (self.title_en or self.title_zh)


def known_model(name: str) -> bool:
    """A preset, an embedded checkpoint or a folder on this computer."""
    from engine import checkpoint
    from engine.presets import all_presets

    return (name in all_presets() or name in getattr(checkpoint, "EMBEDDED", {})
            or Path(name).expanduser().is_dir())


def parse_tour(data, source: str = "the tour", check_model=known_model) -> Tour:
    """A Tour from JSON data (a list of steps, or an object with title_en/title_zh/steps); TourError naming the
    step and the field otherwise."""
    title_en = title_zh = ""
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"title_en", "title_zh", "steps"})
        if unknown:
            raise TourError(f"{source}: unknown field {unknown[0]!r} at the top (expected title_en, title_zh, steps)")
        title_en, title_zh = data.get("title_en", ""), data.get("title_zh", "")
        for name, value in (("title_en", title_en), ("title_zh", title_zh)):
            if not isinstance(value, str):
                raise TourError(f"{source}: {name} must be text")
        data = data.get("steps")
    if not isinstance(data, list):
        raise TourError(f"{source}: a tour is a list of steps (or an object with \"steps\": [...])")
    if not data:
        raise TourError(f"{source}: the tour has no steps")
    if len(data) > MAX_STEPS:
        raise TourError(f"{source}: {len(data)} steps; a tour has at most {MAX_STEPS}")
    steps: list[TourStep] = []
    model = text = None
    pair: str | None = None
    for number, raw in enumerate(data, 1):
        where = f"{source}: step {number}"
        if not isinstance(raw, dict):
            raise TourError(f"{where}: a step is an object with fields such as \"model\", \"step\", \"note_en\"")
        unknown = sorted(set(raw) - set(FIELDS))
        if unknown:
            raise TourError(f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
        for name in ("model", "text", "pair", "step", "view", "note_en", "note_zh"):
            if name in raw and not isinstance(raw[name], str):
                raise TourError(f"{where}: field {name!r} must be text, not {json.dumps(raw[name])[:40]}")
        for name in ("layer", "head"):
            value = raw.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise TourError(f"{where}: field {name!r} must be a whole number from 1, not "
                                f"{json.dumps(value)[:40]}")
        if "model" in raw:
            if not raw["model"].strip():
                raise TourError(f"{where}: field 'model' is empty")
            if raw["model"] != model and not check_model(raw["model"]):
                raise TourError(f"{where}: field 'model': {raw['model']!r} is not a preset, an embedded model or a "
                                f"folder here")
            model = raw["model"]
        if "text" in raw:
            if not raw["text"].strip():
                raise TourError(f"{where}: field 'text' is empty")
            text = raw["text"]
            pair = None   # a new text starts without the previous pair
        if "pair" in raw:
            pair = raw["pair"] or None
        if model is None:
            raise TourError(f"{where}: field 'model' is missing (the first step names the model)")
        if text is None:
            raise TourError(f"{where}: field 'text' is missing (the first step gives the text)")
        view = raw.get("view")
        if view is not None and view not in VIEWS:
            raise TourError(f"{where}: field 'view': {view!r} is not one of {', '.join(VIEWS)}")
        if "step" in raw and not raw["step"].strip():
            raise TourError(f"{where}: field 'step' is empty")
        if not (raw.get("note_en", "").strip() or raw.get("note_zh", "").strip()):
            raise TourError(f"{where}: field 'note_en' (or 'note_zh') is missing: each step says something")
        steps.append(TourStep(model, text, pair, raw.get("step"), view, raw.get("layer"), raw.get("head"),
                              raw.get("note_en", ""), raw.get("note_zh", "")))
    return Tour(title_en, title_zh, tuple(steps))


def load_tour(path: str | Path, check_model=known_model) -> Tour:
    """Read and check a tour file; TourError (one line) when it cannot be played."""
    path = Path(path).expanduser()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TourError(f"{path}: no such tour file") from None
    except IsADirectoryError:
        raise TourError(f"{path} is a folder, not a tour file") from None
    except UnicodeDecodeError:
        raise TourError(f"{path.name}: not UTF-8 text") from None
    except OSError as error:
        raise TourError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise TourError(f"{path.name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") \
            from None
    tour = parse_tour(data, path.name, check_model)
    if not tour.title_en and not tour.title_zh:
        tour = Tour(path.stem.replace("_", " "), "", tour.steps, path)
    return Tour(tour.title_en, tour.title_zh, tour.steps, path)


def shipped_tours() -> list[Path]:
    """The tours that come with the app, in their file order (01_..., 02_...)."""
    return sorted(TOURS_DIR.glob("*.json"))


def resolve_step(steps: list[str], wanted: str | None) -> str | None:
    """A tour's step in a run's step list: "tokens"/"output", an exact name, else the first name ending with it,
    else the first containing it; None when there is none."""
    if wanted is None:
        return None
    wanted = STEP_ALIASES.get(wanted, wanted)
    if wanted in steps:
        return wanted
    return next((s for s in steps if s.endswith(wanted)), None) or next((s for s in steps if wanted in s), None)


def screenshot_name(index: int, total: int) -> str:
    """step-01.png ... : one file per step, in order."""
    return f"step-{index + 1:0{max(2, len(str(total)))}d}.png"


# The errors a user meets opening a tour file, as the window says them (the others name fields of the format and
# stay as written, for the tour's author)
MESSAGES = (
    QT_TRANSLATE_NOOP("tours", "{path}: no such tour file"),
    QT_TRANSLATE_NOOP("tours", "{path} is a folder, not a tour file"),
    QT_TRANSLATE_NOOP("tours", "{name}: not UTF-8 text"),
    QT_TRANSLATE_NOOP("tours", "{path}: cannot be read ({reason})"),
    QT_TRANSLATE_NOOP("tours", "{name}: not valid JSON (line {line}, column {column}: {reason})"),
    QT_TRANSLATE_NOOP("tours", "{source}: the tour has no steps"),
    QT_TRANSLATE_NOOP("tours", "{source}: step {number}: field 'model': {model} is not a preset, an embedded model "
                               "or a folder here"),
)


def explain(message: str) -> str:
    """A tour's error (or an engine message) in the interface's language."""
    from explorer import error_texts, i18n

    translated = i18n.translate_message("tours", message, MESSAGES)
    return translated if translated != message else error_texts.explain(message)
