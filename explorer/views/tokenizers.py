"""Tools > Compare tokenizers: the chapter's table (character-level BPE vs byte-level BPE) answered on any text.

Two tabs in one non-modal dialog:

* Compare: the same text through the tokenizer of every model family (one row per distinct tokenizer recipe of
  the engine's registry: BERT's WordPiece, RoBERTa/GPT-2's byte-level BPE, GPT-1's character-level BPE, T5's
  Unigram, LLaMA's BPE with byte fallback...) and the REAL bert-base-uncased vocabulary of the shipped MiniLM
  checkpoint. One row per tokenizer: [UNK] count, sequence length, characters per piece, and the tokens as chips
  (unknown in red, special tokens in purple, raw bytes in teal).
* BPE merges: the merges GPT-1-style BPE learns, in order (engine `bpe_merge_trace`), played one by one on a word
  the user types, so "t" + "h" -> "th" happens on screen with its merge rank.

Building a tokenizer can take seconds the first time (it is trained on the shipped corpus, then cached), so all of
it runs in workers (explorer.workers.Runner); the dialog only shows results.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar,
                               QPushButton, QScrollArea, QSizePolicy, QSlider, QSpinBox, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from engine.tokenization.merges import merge_pair
from explorer.i18n import mark_data, translate
from explorer.widgets.flow import FlowLayout
from explorer.workers import Runner

# ---------------------------------------------------------------------------------------------- what is compared


@dataclass(frozen=True)
class Choice:
    key: str          # recipe name, or "minilm" for the real checkpoint tokenizer
    label: str
    algorithm: str


MINILM = Choice("minilm", QT_TRANSLATE_NOOP("tokenizers", "MiniLM (real vocab)"),
                QT_TRANSLATE_NOOP("tokenizers", "WordPiece · real bert-base-uncased"))
KIND_NAMES = {"wordpiece": "WordPiece", "char-bpe": QT_TRANSLATE_NOOP("tokenizers", "character-level BPE"),
              "byte-bpe": QT_TRANSLATE_NOOP("tokenizers", "byte-level BPE"),
              "unigram": "Unigram (SentencePiece)"}
NOT_AVAILABLE = QT_TRANSLATE_NOOP("tokenizers", "not available")
BYTE_FALLBACK = (QT_TRANSLATE_NOOP("tokenizers", "BPE + byte fallback"),
                 QT_TRANSLATE_NOOP("tokenizers", "{name} + byte fallback"))


def algorithm(recipe) -> str:
    """An engine tokenization Recipe's algorithm, in words."""
    name = KIND_NAMES.get(recipe.kind, recipe.kind)
    if recipe.byte_fallback:
        name = "BPE + byte fallback" if "bpe" in recipe.kind else f"{name} + byte fallback"
    return name


def algorithm_words(name: str) -> str:
    """An algorithm (as algorithm() writes it) in the interface's language; the names (WordPiece, BPE, Unigram,
    SentencePiece) stay."""
    suffix = " + byte fallback"
    if name.endswith(suffix) and name != BYTE_FALLBACK[0]:
        return translate("tokenizers", BYTE_FALLBACK[1]).format(name=translate("tokenizers", name[:-len(suffix)]))
    return translate("tokenizers", name)


def main_choices() -> list[Choice]:
    """One row per distinct tokenizer recipe of the engine's families (labelled with the families that use it, in
    the registry's order), then the real MiniLM vocabulary. Read at run time: a new family adds its row."""
    from engine.models import FAMILIES
    from engine.tokenization import RECIPES

    titles: dict[str, list[str]] = {}
    for family in FAMILIES.values():
        titles.setdefault(family.tokenizer_recipe, []).append(family.title)
    choices = []
    for key, names in titles.items():
        recipe = RECIPES.get(key)
        choices.append(Choice(key, " · ".join(names), algorithm(recipe) if recipe is not None else ""))
    return choices + [MINILM]


def extra_choices() -> list[Choice]:
    """The engine's other recipes, no family's own (bert-base-chinese's WordPiece): ticked on demand."""
    from engine.tokenization import RECIPES

    used = {c.key for c in main_choices()}
    return [Choice(key, recipe.family, algorithm(recipe)) for key, recipe in RECIPES.items() if key not in used]


def choices() -> dict[str, Choice]:
    return {c.key: c for c in main_choices() + extra_choices()}


EXAMPLES = (   # (button, text): the button's words translate, the text is data
    (QT_TRANSLATE_NOOP("tokenizers", "The notes' example"), "你好，世界 😂"),
    (QT_TRANSLATE_NOOP("tokenizers", "Emoji"), "So funny 😂😂, see you soon 😊 ❤"),
    (QT_TRANSLATE_NOOP("tokenizers", "English"), "Tokenization splits unbelievably long words into pieces."),
    (QT_TRANSLATE_NOOP("tokenizers", "Chinese"), "预训练语言模型先在大量文本上学习，再针对下游任务微调。"),
)

NOTE = QT_TRANSLATE_NOOP(
    "tokenizers",
    "<b>The chapter's table, on your text.</b> Character-level BPE and WordPiece start from the characters seen "
    "in training: anything else (an emoji, a rare Chinese character) becomes <span style='color:#c62828'>"
    "[UNK]</span> and is lost. Byte-level BPE (RoBERTa, GPT-2) starts from the 256 bytes, so it encodes "
    "every string and never needs [UNK]; LLaMA's BPE falls back to bytes (&lt;0xF0&gt;…) for unseen "
    "characters. Rows marked “trained here” are real algorithms with a small vocabulary trained on the "
    "shipped corpus; MiniLM is the real 30,522-piece bert-base-uncased vocabulary.")


def load(key: str):
    """The engine tokenizer for a choice (worker thread: may train the first time)."""
    from engine.tokenization import tokenizer_for

    return tokenizer_for(key)


def real_vocab(key: str, tokenizer) -> tuple[int, int | None]:
    """(the vocabulary size here, the released tokenizer's; None for the real MiniLM vocabulary itself)."""
    from engine.tokenization import RECIPES

    recipe = RECIPES.get(key)
    return tokenizer.vocab_size, (recipe.real_vocab if recipe is not None else None)


def vocab_words(vocab: tuple[int, int | None]) -> str:
    here, real = vocab
    if real is None:
        return translate("tokenizers", "vocab {size}").format(size=f"{here:,}")
    return translate("tokenizers", "vocab {here} here · {real} real").format(here=f"{here:,}", real=f"{real:,}")


def compare_rows(text: str, tokenizers: dict, errors: dict | None = None) -> list[dict]:
    """One row per tokenizer: the engine's `compare` row (no special tokens) plus the full encoding with its
    special tokens (what the model really gets). Qt-free, so the worker runs it and tests can call it."""
    from engine.tokenization import compare

    rows = []
    known = choices()
    for key, tokenizer in tokenizers.items():
        choice = known.get(key, Choice(key, key, ""))
        if tokenizer is None:
            rows.append({"key": key, "label": choice.label, "algorithm": choice.algorithm,
                         "error": (errors or {}).get(key, NOT_AVAILABLE)})
            continue
        row = compare(text, recipes=[tokenizer])[0]
        full = tokenizer.encode(text)
        row.update({
            "key": key, "label": choice.label, "algorithm": choice.algorithm, "error": None,
            "vocab": real_vocab(key, tokenizer), "trained_here": key != "minilm",
            "full_tokens": list(full.tokens), "full_ids": list(full.ids),
            "special": list(full.special), "unknown": list(full.unknown), "seq_len": len(full),
        })
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------- byte-level helpers


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's printable stand-in for each byte (the alphabet byte-level BPE tokens are written in)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    chars, n = printable[:], 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


_BYTE_OF = {c: b for b, c in _bytes_to_unicode().items()}


def byte_level_meaning(token: str) -> str:
    """What a byte-level BPE token stands for: its text where its bytes decode, leftover bytes in hex
    ("ä¸ĸçķ" -> "世 E7 95", "ð" -> "F0", "Ġthe" -> "␣the")."""
    if not token or any(c not in _BYTE_OF for c in token):
        return token
    data = bytes(_BYTE_OF[c] for c in token)
    parts: list[tuple[bool, str]] = []   # (is a hex byte, text)
    i = 0
    while i < len(data):
        lead = data[i]
        size = 1 if lead < 0x80 else 2 if 0xC0 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else \
            4 if 0xF0 <= lead < 0xF8 else 0
        try:
            if not size:
                raise UnicodeDecodeError("utf-8", data, i, i + 1, "continuation byte")
            char = data[i:i + size].decode("utf-8")
        except UnicodeDecodeError:
            parts.append((True, f"{lead:02X}"))
            i += 1
        else:
            parts.append((False, char.replace(" ", "␣")))
            i += size
    out = ""
    for k, (hexy, piece) in enumerate(parts):
        out += (" " if k and (hexy or parts[k - 1][0]) else "") + piece
    return out


# ---------------------------------------------------------------------------------------------- chips

CHIP = ("QLabel {{ border: 1px solid {border}; border-radius: 5px; padding: 2px 5px; background: {bg}; "
        "color: #222; }}")
STYLES = {"normal": ("#7a9cc6", "#eef4fb"), "special": ("#8e6cc0", "#ece4f7"), "unknown": ("#d04040", "#fde3e3"),
          "byte": ("#2a9d8f", "#e0f4f1"), "new": ("#e0a000", "#fff2c2"), "error": ("#999", "#f4f4f4")}


def shown(token: str) -> str:
    return html.escape(token.replace(" ", "␣")) if token.strip() else html.escape(repr(token))


class TokenChip(QLabel):
    """One token: the token string, and below it (small) what it stands for and its id."""

    def __init__(self, token: str, kind: str = "normal", sub: str = "", tip: str = ""):
        self.token, self.kind = token, kind
        mark = " ⚠" if kind == "unknown" else ""
        small = f"<br><span style='color:#666;font-size:8pt'>{html.escape(sub)}</span>" if sub else ""
        super().__init__(f"<b>{shown(token)}</b>{mark}{small}")
        self.setTextFormat(Qt.RichText)
        self.setAlignment(Qt.AlignCenter)
        self.setStyleSheet(CHIP.format(border=STYLES[kind][0], bg=STYLES[kind][1]))
        self.setToolTip(tip or token)


def columns(text: str) -> int:
    """Columns a text takes in a fixed-width font: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def chip_kind(token: str, special: bool, unknown: bool) -> str:
    if unknown:
        return "unknown"
    if special:
        return "special"
    if len(token) == 6 and token.startswith("<0x") and token.endswith(">"):
        return "byte"
    return "normal"


class FlowBox(QWidget):
    """A widget of wrapping chips that asks its parent layout for the height its chips need at its width (a grid
    or box layout does not ask a FlowLayout for height-for-width by itself)."""

    def __init__(self, spacing: int = 4, parent=None):
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing=spacing)
        self.flow.setContentsMargins(0, 0, 0, 0)

    def refit(self) -> None:
        height = self.flow.heightForWidth(max(1, self.width()))
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.refit()


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()


# ---------------------------------------------------------------------------------------------- compare tab


class ComparePanel(QWidget):
    COLUMNS = (QT_TRANSLATE_NOOP("tokenizers", "Tokenizer"), "[UNK]", QT_TRANSLATE_NOOP("tokenizers", "Length"),
               QT_TRANSLATE_NOOP("tokenizers", "Chars / piece"), QT_TRANSLATE_NOOP("tokenizers", "Tokens"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runner = Runner(self, "tokenizers")
        self.runner.busy_changed.connect(self._busy)
        self.tokenizers: dict[str, object] = {}     # key -> engine Tokenizer, built once in a worker
        self.errors: dict[str, str] = {}
        self.rows: list[dict] = []
        self.chips: dict[str, list[TokenChip]] = {}
        self.unk_labels: dict[str, QLabel] = {}
        self.shown_text: str | None = None
        self.job = None
        self.state_words = ("", ())   # what the status line says: (template, values), set again on a switch

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.RichText)
        self.note.setStyleSheet("background: #f6f8fb; border: 1px solid #dde3ea; border-radius: 4px; padding: 6px;")
        self.edit = mark_data(QLineEdit())   # the user's text
        self.edit.setStyleSheet("font-size: 13pt; padding: 4px;")
        self.edit.textChanged.connect(self._text_edited)
        self.edit.returnPressed.connect(self.run)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(300)
        self.debounce.timeout.connect(self.run)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(110)
        self.busy.setMaximumHeight(14)
        self.busy.hide()
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")

        examples = QHBoxLayout()
        self.examples_label = QLabel()
        examples.addWidget(self.examples_label)
        self.example_buttons = []
        for _label, text in EXAMPLES:
            button = QPushButton()
            button.setProperty("example", text)   # the text it types (data)
            button.clicked.connect(self._example_clicked)
            examples.addWidget(button)
            self.example_buttons.append(button)
        examples.addSpacing(16)
        self.extra_boxes: dict[str, QCheckBox] = {}
        self.main = main_choices()
        extras = extra_choices()
        self.also_label = QLabel()
        if extras:
            examples.addWidget(self.also_label)
        for choice in extras:
            box = QCheckBox(choice.label)   # a checkpoint's name
            box.toggled.connect(self._extra_toggled)
            examples.addWidget(box)
            self.extra_boxes[choice.key] = box
        examples.addStretch(1)
        examples.addWidget(self.busy)

        self.grid_box = QWidget()
        self.grid_box.setStyleSheet("background: white;")
        self.grid = QGridLayout(self.grid_box)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(4, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_box)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #444;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.edit)
        layout.addLayout(examples)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.status)
        self.retranslate()

    def retranslate(self) -> None:
        self.note.setText(translate("tokenizers", NOTE))
        self.edit.setPlaceholderText(translate("tokenizers", "Type any text: English, 中文, emoji…"))
        self.examples_label.setText(translate("tokenizers", "Examples:"))
        for button, (label, _text) in zip(self.example_buttons, EXAMPLES):
            button.setText(translate("tokenizers", label))
        self.also_label.setText(translate("tokenizers", "Also:"))
        known = {c.key: c for c in extra_choices()}
        for key, box in self.extra_boxes.items():
            box.setToolTip(algorithm_words(known[key].algorithm) if key in known else "")
        self.legend.setText(
            "<span style='background:#fde3e3;border:1px solid #d04040'>&nbsp;[UNK] ⚠ "
            + translate("tokenizers", "unknown: lost") + "&nbsp;</span> "
            "<span style='background:#ece4f7;border:1px solid #8e6cc0'>&nbsp;"
            + translate("tokenizers", "special token") + "&nbsp;</span> "
            "<span style='background:#e0f4f1;border:1px solid #2a9d8f'>&nbsp;"
            + translate("tokenizers", "byte fallback") + "&nbsp;</span> · "
            + translate("tokenizers", "small print: id, and for byte-level tokens the text (or leftover bytes, hex) "
                                      "they stand for · Length counts special tokens, Chars / piece does not"))
        self._say_status()
        if self.rows:
            self._fill(self.rows)

    def changeEvent(self, event) -> None:   # noqa: N802 - Qt's name; the translator changed: say it again
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange:
            self.retranslate()

    # --- running
    def _example_clicked(self, _checked: bool = False) -> None:
        button = self.sender()
        if button is not None:
            self.set_text(button.property("example"))

    def _extra_toggled(self, _on: bool) -> None:
        self.run()

    def _text_edited(self, _text: str) -> None:
        self.debounce.start()

    def keys(self) -> list[str]:
        return [c.key for c in self.main] + [k for k, box in self.extra_boxes.items() if box.isChecked()]

    def set_text(self, text: str) -> None:
        self.edit.blockSignals(True)
        self.edit.setText(text)
        self.edit.blockSignals(False)
        self.run()

    def text(self) -> str:
        return self.edit.text()

    def run(self) -> None:
        self.debounce.stop()
        text, keys = self.text(), self.keys()
        ready = dict(self.tokenizers)
        errors = dict(self.errors)
        labels = {key: translate("tokenizers", c.label) for key, c in choices().items()}
        building = translate("tokenizers", "building the {name} tokenizer (first time only)…")
        self.runner.cancel_all()    # the latest text wins; an older result is discarded

        def work(job):
            built = {}
            for key in keys:
                job.check()
                if key in ready or key in errors:
                    continue
                job.progress(building.format(name=labels.get(key, key)))
                try:
                    built[key] = load(key)
                except Exception as error:   # noqa: BLE001 - a missing package is one row's message, not a crash
                    errors[key] = f"{type(error).__name__}: {error}" if not isinstance(error, ValueError) \
                        else str(error)
            every = {**ready, **built}
            tokenizers = {k: every.get(k) for k in keys}
            return text, built, errors, compare_rows(text, tokenizers, errors)

        self._say_status("tokenizing")
        self.job = self.runner.start(work, self._show, self._failed, self._progress)

    def _progress(self, message: str) -> None:
        self._say_status("progress", message)

    def _say_status(self, what: str | None = None, *values) -> None:
        """The status line: tokenizing, a worker's progress, a failure or the text's counts (kept, so that a language
        switch says it again)."""
        if what is not None:
            self.state_words = (what, values)
        what, values = self.state_words
        if what == "tokenizing":
            self.status.setText(translate("tokenizers", "Tokenizing…"))
        elif what == "progress":
            self.status.setText(html.escape(values[0]))
        elif what == "failed":
            self.status.setText(f"<span style='color:#b00020'>{html.escape(values[0])}</span>")
        elif what == "shown":
            text, rows = values
            unk = ", ".join(f"{translate('tokenizers', r['label'])} {r['n_unknown']}" for r in rows
                            if not r.get("error"))
            self.status.setText(html.escape(translate("tokenizers", "{chars} characters, {bytes} UTF-8 bytes · [UNK]: "
                                                                    "{unknown}").format(
                chars=len(text), bytes=len(text.encode("utf-8")), unknown=unk)))
        else:
            self.status.setText("")

    def _busy(self, busy: int) -> None:
        self.busy.setVisible(bool(busy))

    def _failed(self, message: str, _user: bool) -> None:
        self._say_status("failed", message)

    def _show(self, result) -> None:
        if result is None:
            return
        text, built, errors, rows = result
        self.tokenizers.update(built)
        self.errors.update(errors)
        self.rows, self.shown_text = rows, text
        self._fill(rows)
        self._say_status("shown", text, rows)

    # --- drawing
    def _fill(self, rows: list[dict]) -> None:
        _clear(self.grid)
        self.chips, self.unk_labels = {}, {}
        for col, title in enumerate(self.COLUMNS):
            head = QLabel(f"<b>{html.escape(translate('tokenizers', title))}</b>")
            head.setStyleSheet("color: #333; border-bottom: 1px solid #bbb; padding-bottom: 2px;")
            self.grid.addWidget(head, 0, col, Qt.AlignLeft | Qt.AlignBottom)
        for r, row in enumerate(rows, start=1):
            name = QLabel(f"<b>{html.escape(translate('tokenizers', row['label']))}</b><br><span style='color:#555'>"
                          f"{html.escape(algorithm_words(row['algorithm']))}</span>"
                          + (f"<br><span style='color:#888;font-size:8pt'>{html.escape(vocab_words(row['vocab']))}"
                             "</span>" if not row.get("error") else ""))
            name.setTextFormat(Qt.RichText)
            name.setMinimumWidth(190)
            self.grid.addWidget(name, r, 0, Qt.AlignTop)
            if row.get("error"):
                words = translate("tokenizers", NOT_AVAILABLE) if row["error"] == NOT_AVAILABLE else \
                    translate("tokenizers", "not available: {reason}").format(reason=row["error"])
                msg = QLabel(f"<span style='color:#b00020'>{html.escape(words)}</span>")
                msg.setWordWrap(True)
                self.grid.addWidget(msg, r, 1, 1, 4, Qt.AlignTop)
                continue
            n_unk = row["n_unknown"]
            unk = QLabel(str(n_unk))
            unk.setAlignment(Qt.AlignCenter)
            unk.setMinimumWidth(44)
            unk.setStyleSheet("font-size: 15pt; font-weight: bold; border-radius: 5px; padding: 2px 6px; " +
                              ("color: #c62828; background: #fde3e3;" if n_unk else "color: #2e7d32; background: "
                               "#e8f5e9;"))
            unk.setToolTip(translate("tokenizers", "{unknown} of {count} pieces are unknown").format(
                unknown=n_unk, count=row["n_tokens"]) if n_unk else translate("tokenizers", "nothing lost"))
            self.unk_labels[row["key"]] = unk
            self.grid.addWidget(unk, r, 1, Qt.AlignTop)
            special = translate("tokenizers", "{count} + {special} special").format(
                count=row["n_tokens"], special=row["seq_len"] - row["n_tokens"])
            length = QLabel(f"<span style='font-size:13pt'><b>{row['seq_len']}</b></span><br>"
                            f"<span style='color:#777;font-size:8pt'>{html.escape(special)}</span>")
            length.setTextFormat(Qt.RichText)
            length.setAlignment(Qt.AlignCenter)
            self.grid.addWidget(length, r, 2, Qt.AlignTop)
            cpt = QLabel(f"<span style='font-size:13pt'>{row['chars_per_token']:.2f}</span>")
            cpt.setAlignment(Qt.AlignCenter)
            cpt.setToolTip(translate("tokenizers", "characters of the text per piece (special tokens not counted)"))
            self.grid.addWidget(cpt, r, 3, Qt.AlignTop)
            box = mark_data(FlowBox(spacing=4))   # the tokens
            flow = box.flow
            chips = []
            byte_level = row["kind"] == "byte-bpe"
            stands_for = translate("tokenizers", "stands for: {text}")
            lost = translate("tokenizers", "unknown: this text is lost")
            special_token = translate("tokenizers", "special token")
            for token, tid, special, unknown in zip(row["full_tokens"], row["full_ids"], row["special"],
                                                    row["unknown"]):
                kind = chip_kind(token, special, unknown)
                meaning = byte_level_meaning(token) if byte_level and kind == "normal" else ""
                sub = f"{meaning} · {tid}" if meaning and meaning != token else str(tid)
                unk_spelling = self.tokenizers[row["key"]].id_to_token(tid) if unknown else token
                if unknown and unk_spelling != token:   # Unigram shows the lost text; the model gets <unk>
                    sub = f"→ {unk_spelling} · {tid}"
                tip = f"{token!r}  id {tid}" + ("\n" + stands_for.format(text=meaning) if meaning else "") + \
                    ("\n" + lost if unknown else "\n" + special_token if special else "")
                chip = TokenChip(token, kind, sub, tip)
                flow.addWidget(chip)
                chips.append(chip)
            box.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
            self.chips[row["key"]] = chips
            self.grid.addWidget(box, r, 4)
            box.refit()
        self.grid.setRowStretch(len(rows) + 1, 1)


# ---------------------------------------------------------------------------------------------- BPE merges tab

CLASSIC = ("low low low low low lower lower newest newest newest newest newest newest widest widest widest "
           "the cat sat on the mat the other cats")


def gpt1_words(text: str) -> list[str]:
    """Lower-case and split into words the way GPT-1 (and engine.bpe_merge_trace) does."""
    from tokenizers import normalizers, pre_tokenizers

    normalized = normalizers.BertNormalizer(lowercase=True).normalize_str(text)
    return [w for w, _ in pre_tokenizers.BertPreTokenizer().pre_tokenize_str(normalized)]


def initial_symbols(word: str, end_of_word: str = "</w>") -> list[str]:
    symbols = list(word)
    if symbols:
        symbols[-1] += end_of_word
    return symbols




@dataclass
class Timeline:
    """The segmentation of some words after each merge. Applying learned merges in rank order, every occurrence at
    each step, gives BPE's own encoding: a pair that contains a symbol made at rank k was learned after k."""
    words: list[str]
    merges: list[tuple[str, str, str]]
    changes: list[tuple[int, list[list[str]]]] = field(default_factory=list)   # (rank, segmentation) when changed

    def __post_init__(self):
        seg = [initial_symbols(w) for w in self.words]
        self.changes = [(0, seg)]
        for rank, (left, right, merged) in enumerate(self.merges, start=1):
            new = [merge_pair(s, (left, right), merged) if len(s) > 1 else s for s in seg]
            if new != seg:
                self.changes.append((rank, new))
                seg = new

    def at(self, position: int) -> list[list[str]]:
        """Segmentation after the first `position` merges."""
        seg = self.changes[0][1]
        for rank, s in self.changes:
            if rank > position:
                break
            seg = s
        return seg

    def change_ranks(self) -> list[int]:
        return [rank for rank, _ in self.changes[1:]]


MERGES_INTRO = QT_TRANSLATE_NOOP(
    "tokenizers",
    "<b>BPE learns merges in order.</b> Every word starts as its characters (the last one carries "
    "<code>&lt;/w&gt;</code>, the end of a word, as in GPT-1). Training counts neighbouring pairs and merges "
    "the most frequent one, again and again; encoding replays the merges in the same order. Step through "
    "them and watch your word grow from characters into pieces, e.g. <code>t</code> + <code>h</code> → "
    "<code>th</code>.")


class MergePlayer(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.runner = Runner(self, "bpe-merges")
        self.runner.busy_changed.connect(self._busy)
        self.merges: list[tuple[str, str, str]] = []
        self.timeline: Timeline | None = None
        self.position = 0
        self.job = None

        self.intro = intro = QLabel()
        self.learned_from = None   # where the merges came from ("corpus" / "text"), for the info line
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.RichText)
        intro.setStyleSheet("background: #f6f8fb; border: 1px solid #dde3ea; border-radius: 4px; padding: 6px;")

        self.source = QComboBox()
        self.source.addItem("", "corpus")
        self.source.addItem("", "text")
        self.source.currentIndexChanged.connect(self._source_changed)
        self.corpus_text = mark_data(QPlainTextEdit(CLASSIC))   # a corpus: data
        self.corpus_text.setMaximumHeight(54)
        self.corpus_text.setVisible(False)
        self.n_merges = QSpinBox()
        self.n_merges.setRange(1, 5000)
        self.n_merges.setValue(60)
        self.n_merges.setEnabled(False)
        self.learn_button = QPushButton()
        self.learn_button.clicked.connect(self.learn)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(100)
        self.busy.setMaximumHeight(14)
        self.busy.hide()

        self.word_edit = mark_data(QLineEdit("together"))   # the user's word
        self.word_edit.setStyleSheet("font-size: 13pt; padding: 3px;")
        self.word_edit.textChanged.connect(self._word_changed)

        self.reset_button = QPushButton()
        self.back_button = QPushButton()
        self.step_button = QPushButton()
        self.next_change_button = QPushButton()
        self.play_button = QPushButton()
        self.play_button.setCheckable(True)
        self.only_changes = QCheckBox()
        self.only_changes.setChecked(True)
        self.reset_button.clicked.connect(self.reset)
        self.back_button.clicked.connect(self.back)
        self.step_button.clicked.connect(self.step)
        self.next_change_button.clicked.connect(self.next_change)
        self.play_button.toggled.connect(self.play)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setMinimum(0)
        self.slider.valueChanged.connect(self.set_position)
        self.timer = QTimer(self)
        self.timer.setInterval(700)
        self.timer.timeout.connect(self._tick)

        self.merge_label = QLabel()
        self.merge_label.setTextFormat(Qt.RichText)
        self.merge_label.setStyleSheet("font-size: 15pt; padding: 4px;")
        self.segment_box = mark_data(FlowBox(spacing=6))   # the word's pieces
        self.segment_flow = self.segment_box.flow
        self.segment_box.setMinimumHeight(60)
        self.segment_box.setStyleSheet("background: white;")
        self.segment_label = QLabel()
        self.segment_label.setTextFormat(Qt.RichText)
        self.segment_label.setStyleSheet("color: #555;")
        mono = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        mono.setPointSize(10)
        self.history = mark_data(QListWidget())   # merges and pieces
        self.history.setFont(mono)
        self.history.setSelectionMode(QAbstractItemView.SingleSelection)
        self.history.itemClicked.connect(self._item_clicked)
        self.merge_list = mark_data(QListWidget())
        self.merge_list.setUniformItemSizes(True)
        self.merge_list.setFont(mono)
        self.merge_list.itemClicked.connect(self._item_clicked)
        self.info = QLabel()
        self.info.setStyleSheet("color: #555;")

        source_row = QHBoxLayout()
        self.source_label = QLabel()
        source_row.addWidget(self.source_label)
        source_row.addWidget(self.source)
        source_row.addWidget(self.n_merges)
        source_row.addWidget(self.learn_button)
        source_row.addWidget(self.busy)
        source_row.addStretch(1)
        word_row = QHBoxLayout()
        self.word_label = QLabel()
        word_row.addWidget(self.word_label)
        word_row.addWidget(self.word_edit, 1)
        controls = QHBoxLayout()
        for w in (self.reset_button, self.back_button, self.step_button, self.next_change_button, self.play_button):
            controls.addWidget(w)
        controls.addWidget(self.only_changes)
        controls.addWidget(self.slider, 1)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.merge_label)
        ll.addWidget(self.segment_box)
        ll.addWidget(self.segment_label)
        self.history_label = QLabel()
        ll.addWidget(self.history_label)
        ll.addWidget(self.history, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.merges_label = QLabel()
        rl.addWidget(self.merges_label)
        rl.addWidget(self.merge_list, 1)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 300])
        split.setStretchFactor(0, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(source_row)
        layout.addWidget(self.corpus_text)
        layout.addLayout(word_row)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        layout.addWidget(self.info)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(translate("tokenizers", MERGES_INTRO))
        self.source.setItemText(0, translate("tokenizers", "Shipped corpus: the GPT-1 tokenizer's merges"))
        self.source.setItemText(1, translate("tokenizers", "Learn from the text below"))
        self.n_merges.setPrefix(translate("tokenizers", "learn "))
        self.n_merges.setSuffix(translate("tokenizers", " merges"))
        self.learn_button.setText(translate("tokenizers", "Learn"))
        self.word_edit.setPlaceholderText(translate("tokenizers", "a word (or a few) to watch"))
        self.reset_button.setText(translate("tokenizers", "|◀ Start"))
        self.back_button.setText(translate("tokenizers", "◀ Back"))
        self.step_button.setText(translate("tokenizers", "Step ▶"))
        self.next_change_button.setText(translate("tokenizers", "Next change ▶|"))
        self.play_button.setText(translate("tokenizers", "Pause") if self.play_button.isChecked() else
                                 translate("tokenizers", "Play"))
        self.only_changes.setText(translate("tokenizers", "play only merges that change the word"))
        self.source_label.setText(translate("tokenizers", "Merges from"))
        self.word_label.setText(translate("tokenizers", "Word to watch"))
        self.history_label.setText(translate("tokenizers", "<b>How the word changed</b> (click a line to go there)"))
        self.merges_label.setText(translate("tokenizers", "<b>Merges in the order learned</b> (bold: touches the "
                                                          "word)"))
        self._say_learned()
        if self.timeline is not None:
            self._rebuild_timeline()

    def changeEvent(self, event) -> None:   # noqa: N802 - Qt's name; the translator changed: say it again
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange:
            self.retranslate()

    # --- learning (worker)
    def _source_changed(self, _index: int) -> None:
        text_mode = self.source.currentData() == "text"
        self.corpus_text.setVisible(text_mode)
        self.n_merges.setEnabled(text_mode)
        if text_mode and self.word_edit.text() == "together":
            self.word_edit.setText("lowest")
        elif not text_mode and self.word_edit.text() == "lowest":
            self.word_edit.setText("together")
        self.learn()

    def learn(self) -> None:
        mode = self.source.currentData()
        text, n = self.corpus_text.toPlainText(), self.n_merges.value()
        self.timer.stop()
        self.play_button.setChecked(False)
        self.runner.cancel_all()

        loading = translate("tokenizers", "loading the GPT-1 tokenizer's merges (first time: training it)…")
        learning = translate("tokenizers", "learning {count} merges…").format(count=n)

        def work(job):
            from engine.tokenization import bpe_merge_trace

            if mode == "corpus":
                job.progress(loading)
                return mode, bpe_merge_trace(None, 10 ** 6)
            job.progress(learning)
            return mode, bpe_merge_trace(text, n)

        self.learned_from = None
        self.info.setText(translate("tokenizers", "Learning merges…"))
        self.job = self.runner.start(work, self._learned, self._failed, self.info.setText)

    def _failed(self, message: str, _user: bool) -> None:
        self.info.setText(message)

    def _busy(self, busy: int) -> None:
        self.busy.setVisible(bool(busy))

    def _word_changed(self, _text: str) -> None:
        self._rebuild_timeline()

    def _item_clicked(self, item) -> None:
        self.set_position(item.data(Qt.UserRole))

    def reset(self) -> None:
        self.set_position(0)

    def _learned(self, result) -> None:
        if result is None:
            return
        mode, merges = result
        self.merges = list(merges)
        self.merge_list.clear()
        for rank, (left, right, merged) in enumerate(self.merges, start=1):
            item = QListWidgetItem(f"#{rank:<5} {left} + {right} → {merged}")
            item.setData(Qt.UserRole, rank)
            self.merge_list.addItem(item)
        self.learned_from = mode
        self._say_learned()
        self._rebuild_timeline(position=0)

    def _say_learned(self) -> None:
        if self.learned_from == "corpus":
            self.info.setText(translate("tokenizers", "{count} merges learned from the shipped corpus (the GPT-1 "
                                                      "tokenizer's own merges).").format(count=f"{len(self.merges):,}"))
        elif self.learned_from == "text":
            self.info.setText(translate("tokenizers", "{count} merges learned from your text.").format(
                count=f"{len(self.merges):,}"))

    # --- the word
    def words(self) -> list[str]:
        return gpt1_words(self.word_edit.text())[:12]

    def _rebuild_timeline(self, position: int | None = None) -> None:
        self.timeline = Timeline(self.words(), self.merges)
        touched = set(self.timeline.change_ranks())
        plain = self.merge_list.font()
        bold = QFont(plain)
        bold.setBold(True)
        for i in range(self.merge_list.count()):
            item = self.merge_list.item(i)
            item.setFont(bold if i + 1 in touched else plain)
            item.setForeground(Qt.black if i + 1 in touched else Qt.darkGray)
        self.history.clear()
        whats = [translate("tokenizers", "characters") if rank == 0 else "{} + {} → {}".format(*self.merges[rank - 1])
                 for rank, _ in self.timeline.changes]
        width = max(map(columns, whats), default=10)
        for (rank, seg), what in zip(self.timeline.changes, whats):
            padded = what + " " * (width - columns(what))
            item = QListWidgetItem(f"#{rank:<5} {padded}   " + "   |   ".join(" ".join(s) for s in seg))
            item.setData(Qt.UserRole, rank)
            self.history.addItem(item)
        self.slider.blockSignals(True)
        self.slider.setMaximum(len(self.merges))
        self.slider.blockSignals(False)
        self.set_position(self.position if position is None else position, force=True)

    # --- playing
    def set_position(self, position: int, force: bool = False) -> None:
        position = max(0, min(len(self.merges), int(position)))
        if position == self.position and not force:
            return
        self.position = position
        self.slider.blockSignals(True)
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self._draw()

    def step(self) -> None:
        self.set_position(self.position + 1)

    def back(self) -> None:
        self.set_position(self.position - 1)

    def next_change(self) -> bool:
        later = [r for r in (self.timeline.change_ranks() if self.timeline else []) if r > self.position]
        if later:
            self.set_position(later[0])
            return True
        self.set_position(len(self.merges))
        return False

    def play(self, on: bool) -> None:
        self.play_button.setText(translate("tokenizers", "Pause") if on else translate("tokenizers", "Play"))
        if on and self.position >= len(self.merges):
            self.set_position(0)
        self.timer.start() if on else self.timer.stop()

    def _tick(self) -> None:
        if self.position >= len(self.merges):
            self.play_button.setChecked(False)
            return
        if self.only_changes.isChecked():
            if not self.next_change():
                self.play_button.setChecked(False)
        else:
            self.step()

    def segmentation(self) -> list[list[str]]:
        return self.timeline.at(self.position) if self.timeline else []

    def _draw(self) -> None:
        p, n = self.position, len(self.merges)
        seg = self.segmentation()
        if p == 0:
            self.merge_label.setText(translate("tokenizers", "<span style='color:#666'>merge 0 of {count}:</span> the "
                                                             "word as characters").format(count=f"{n:,}"))
            merged = None
        else:
            left, right, merged = self.merges[p - 1]
            touches = p in set(self.timeline.change_ranks())
            self.merge_label.setText(
                translate("tokenizers", "<span style='color:#666'>merge rank</span> <b>#{rank}</b> "
                                        "<span style='color:#666'>of {count}:</span>").format(rank=f"{p:,}",
                                                                                              count=f"{n:,}")
                + f"&nbsp; <code><span style='background:#eef4fb'>{shown(left)}</span></code> + "
                f"<code><span style='background:#eef4fb'>{shown(right)}</span></code> → "
                f"<code><span style='background:#fff2c2'><b>{shown(merged)}</b></span></code>"
                + ("" if touches else " <span style='color:#999;font-size:10pt'>"
                   + translate("tokenizers", "(not in this word)") + "</span>"))
        _clear(self.segment_flow)
        for w, symbols in enumerate(seg):
            if w:
                gap = QLabel("  ")
                self.segment_flow.addWidget(gap)
            for s in symbols:
                kind = "new" if merged is not None and s == merged else "normal"
                chip = TokenChip(s, kind)
                chip.setStyleSheet(chip.styleSheet().replace("padding: 2px 5px", "padding: 6px 10px")
                                   + "QLabel { font-size: 16pt; }")
                self.segment_flow.addWidget(chip)
        self.segment_box.refit()
        pieces = sum(len(s) for s in seg)
        before = self.timeline.at(p - 1) if self.timeline and p else seg
        was = ""
        if before != seg:
            pieces_before = "  |  ".join(" ".join(s) for s in before)
            was = translate("tokenizers", "before this merge: {pieces}").format(
                pieces=f"<code>{html.escape(pieces_before)}</code>") + "  ·  "
        changing = len(self.timeline.change_ranks()) if self.timeline else 0
        count = (translate("tokenizers", "1 piece") if pieces == 1 else
                 translate("tokenizers", "{count} pieces").format(count=pieces))
        self.segment_label.setText(was + count + " · " + translate(
            "tokenizers", "{count} of the merges change this word").format(count=changing))
        # keep the lists in step
        row = next((i for i, (rank, _) in enumerate(self.timeline.changes) if rank > p), None) if self.timeline \
            else None
        hist_row = (len(self.timeline.changes) if row is None else row) - 1 if self.timeline else -1
        self.history.setCurrentRow(hist_row)
        if p:
            self.merge_list.setCurrentRow(p - 1)
            self.merge_list.scrollToItem(self.merge_list.item(p - 1), QAbstractItemView.PositionAtCenter)
        else:
            self.merge_list.clearSelection()


# ---------------------------------------------------------------------------------------------- the dialog


class TokenizersDialog(QDialog):
    """Tools > Compare tokenizers (Ctrl+T): non-modal, never blocks the main window."""

    def __init__(self, parent=None, text: str | None = None):
        super().__init__(parent)
        self.setModal(False)
        self.resize(1280, 820)
        self.compare = ComparePanel()
        self.merges = MergePlayer()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compare, "")
        self.tabs.addTab(self.merges, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.retranslate()
        self.compare.set_text(text or EXAMPLES[0][1])
        self.merges.learn()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("tokenizers", "PLM Explorer — Compare tokenizers"))
        self.tabs.setTabText(0, translate("tokenizers", "Compare tokenizers"))
        self.tabs.setTabText(1, translate("tokenizers", "BPE merges, step by step"))

    def changeEvent(self, event) -> None:   # noqa: N802 - Qt's name; the translator changed: say it again
        super().changeEvent(event)
        if event.type() == QEvent.LanguageChange:
            self.retranslate()

    @property
    def runners(self) -> list[Runner]:
        return [self.compare.runner, self.merges.runner]

    def busy(self) -> bool:
        return any(r.jobs for r in self.runners)

    def shutdown(self) -> None:
        self.compare.debounce.stop()
        self.merges.timer.stop()
        for runner in self.runners:
            runner.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def done(self, result: int) -> None:   # Esc also lands here, without a closeEvent
        self.shutdown()
        super().done(result)
