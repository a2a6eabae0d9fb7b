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

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar,
                               QPushButton, QScrollArea, QSizePolicy, QSlider, QSpinBox, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from engine.tokenization.merges import merge_pair
from explorer.widgets.flow import FlowLayout
from explorer.workers import Runner

# ---------------------------------------------------------------------------------------------- what is compared


@dataclass(frozen=True)
class Choice:
    key: str          # recipe name, or "minilm" for the real checkpoint tokenizer
    label: str
    algorithm: str


MINILM = Choice("minilm", "MiniLM (real vocab)", "WordPiece · real bert-base-uncased")
KIND_NAMES = {"wordpiece": "WordPiece", "char-bpe": "character-level BPE", "byte-bpe": "byte-level BPE",
              "unigram": "Unigram (SentencePiece)"}


def algorithm(recipe) -> str:
    """An engine tokenization Recipe's algorithm, in words."""
    name = KIND_NAMES.get(recipe.kind, recipe.kind)
    if recipe.byte_fallback:
        name = "BPE + byte fallback" if "bpe" in recipe.kind else f"{name} + byte fallback"
    return name


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


EXAMPLES = (
    ("你好，世界 😂", "你好，世界 😂"),
    ("Emoji", "So funny 😂😂, see you soon 😊 ❤"),
    ("English", "Tokenization splits unbelievably long words into pieces."),
    ("中文", "预训练语言模型先在大量文本上学习，再针对下游任务微调。"),
)

NOTE = {
    "en": "<b>The chapter's table, on your text.</b> Character-level BPE and WordPiece start from the characters seen "
          "in training: anything else (an emoji, a rare Chinese character) becomes <span style='color:#c62828'>"
          "[UNK]</span> and is lost. Byte-level BPE (RoBERTa, GPT-2) starts from the 256 bytes, so it encodes "
          "every string and never needs [UNK]; LLaMA's BPE falls back to bytes (&lt;0xF0&gt;…) for unseen "
          "characters. Rows marked “trained here” are real algorithms with a small vocabulary trained on the "
          "shipped corpus; MiniLM is the real 30,522-piece bert-base-uncased vocabulary.",
    "zh": "<b>笔记中的对比表，用你的文本验证。</b>基于字符的 BPE 和 WordPiece 只认识训练时见过的字符：其他字符"
          "（表情😂、生僻汉字）会变成 <span style='color:#c62828'>[UNK]</span>，信息丢失。基于字节的 BPE"
          "（RoBERTa、GPT-2）从 256 个字节出发，任何字符串都能编码，永不产生 [UNK]；LLaMA 的 BPE 遇到未见过的"
          "字符时退回字节（&lt;0xF0&gt;…）。“trained here” 表示真实算法、在随附语料上训练的小词表；MiniLM 使用真实的 "
          "bert-base-uncased 词表（30,522 个词片）。",
}


def load(key: str):
    """The engine tokenizer for a choice (worker thread: may train the first time)."""
    from engine.tokenization import tokenizer_for

    return tokenizer_for(key)


def real_vocab(key: str, tokenizer) -> str:
    from engine.tokenization import RECIPES

    recipe = RECIPES.get(key)
    if recipe is None:
        return f"{tokenizer.vocab_size:,}"
    return f"{tokenizer.vocab_size:,} here · {recipe.real_vocab:,} real"


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
                         "error": (errors or {}).get(key, "not available")})
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
    COLUMNS = ("Tokenizer", "[UNK]", "Length", "Chars / piece", "Tokens")

    def __init__(self, lang: str = "en", parent=None):
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

        self.note = QLabel(NOTE.get(lang, NOTE["en"]))
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.RichText)
        self.note.setStyleSheet("background: #f6f8fb; border: 1px solid #dde3ea; border-radius: 4px; padding: 6px;")
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type any text: English, 中文, emoji…")
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
        examples.addWidget(QLabel("Examples:"))
        self.example_buttons = []
        for label, text in EXAMPLES:
            button = QPushButton(label)
            button.setToolTip(text)
            button.clicked.connect(self._example_clicked)
            examples.addWidget(button)
            self.example_buttons.append(button)
        examples.addSpacing(16)
        self.extra_boxes: dict[str, QCheckBox] = {}
        self.main = main_choices()
        extras = extra_choices()
        if extras:
            examples.addWidget(QLabel("Also:"))
        for choice in extras:
            box = QCheckBox(choice.label)
            box.setToolTip(choice.algorithm)
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
        self.legend = QLabel(
            "<span style='background:#fde3e3;border:1px solid #d04040'>&nbsp;[UNK] ⚠ unknown: lost&nbsp;</span> "
            "<span style='background:#ece4f7;border:1px solid #8e6cc0'>&nbsp;special token&nbsp;</span> "
            "<span style='background:#e0f4f1;border:1px solid #2a9d8f'>&nbsp;byte fallback&nbsp;</span> · "
            "small print: id, and for byte-level tokens the text (or leftover bytes, hex) they stand for · "
            "Length counts special tokens, Chars / piece does not")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #444;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.edit)
        layout.addLayout(examples)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.status)

    # --- running
    def _example_clicked(self, _checked: bool = False) -> None:
        button = self.sender()
        if button is not None:
            self.set_text(button.toolTip())   # an example button's tooltip is its text

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
        labels = {key: c.label for key, c in choices().items()}
        self.runner.cancel_all()    # the latest text wins; an older result is discarded

        def work(job):
            built = {}
            for key in keys:
                job.check()
                if key in ready or key in errors:
                    continue
                job.progress(f"building the {labels.get(key, key)} tokenizer (first time only)…")
                try:
                    built[key] = load(key)
                except Exception as error:   # noqa: BLE001 - a missing package is one row's message, not a crash
                    errors[key] = f"{type(error).__name__}: {error}" if not isinstance(error, ValueError) \
                        else str(error)
            every = {**ready, **built}
            tokenizers = {k: every.get(k) for k in keys}
            return text, built, errors, compare_rows(text, tokenizers, errors)

        self.status.setText("Tokenizing…")
        self.job = self.runner.start(work, self._show, self._failed, self.status.setText)

    def _busy(self, busy: int) -> None:
        self.busy.setVisible(bool(busy))

    def _failed(self, message: str, _user: bool) -> None:
        self.status.setText(f"<span style='color:#b00020'>{html.escape(message)}</span>")

    def _show(self, result) -> None:
        if result is None:
            return
        text, built, errors, rows = result
        self.tokenizers.update(built)
        self.errors.update(errors)
        self.rows, self.shown_text = rows, text
        self._fill(rows)
        unk = ", ".join(f"{r['label']} {r['n_unknown']}" for r in rows if not r.get("error"))
        self.status.setText(f"{len(text)} characters, {len(text.encode('utf-8'))} UTF-8 bytes · [UNK]: {unk}")

    # --- drawing
    def _fill(self, rows: list[dict]) -> None:
        _clear(self.grid)
        self.chips, self.unk_labels = {}, {}
        for col, title in enumerate(self.COLUMNS):
            head = QLabel(f"<b>{title}</b>")
            head.setStyleSheet("color: #333; border-bottom: 1px solid #bbb; padding-bottom: 2px;")
            self.grid.addWidget(head, 0, col, Qt.AlignLeft | Qt.AlignBottom)
        for r, row in enumerate(rows, start=1):
            name = QLabel(f"<b>{html.escape(row['label'])}</b><br><span style='color:#555'>"
                          f"{html.escape(row['algorithm'])}</span>"
                          + (f"<br><span style='color:#888;font-size:8pt'>vocab {row['vocab']}</span>"
                             if not row.get("error") else ""))
            name.setTextFormat(Qt.RichText)
            name.setMinimumWidth(190)
            self.grid.addWidget(name, r, 0, Qt.AlignTop)
            if row.get("error"):
                msg = QLabel(f"<span style='color:#b00020'>not available: {html.escape(row['error'])}</span>")
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
            unk.setToolTip(f"{n_unk} of {row['n_tokens']} pieces are unknown" if n_unk else "nothing lost")
            self.unk_labels[row["key"]] = unk
            self.grid.addWidget(unk, r, 1, Qt.AlignTop)
            length = QLabel(f"<span style='font-size:13pt'><b>{row['seq_len']}</b></span><br>"
                            f"<span style='color:#777;font-size:8pt'>{row['n_tokens']} + "
                            f"{row['seq_len'] - row['n_tokens']} special</span>")
            length.setTextFormat(Qt.RichText)
            length.setAlignment(Qt.AlignCenter)
            self.grid.addWidget(length, r, 2, Qt.AlignTop)
            cpt = QLabel(f"<span style='font-size:13pt'>{row['chars_per_token']:.2f}</span>")
            cpt.setAlignment(Qt.AlignCenter)
            cpt.setToolTip("characters of the text per piece (special tokens not counted)")
            self.grid.addWidget(cpt, r, 3, Qt.AlignTop)
            box = FlowBox(spacing=4)
            flow = box.flow
            chips = []
            byte_level = row["kind"] == "byte-bpe"
            for token, tid, special, unknown in zip(row["full_tokens"], row["full_ids"], row["special"],
                                                    row["unknown"]):
                kind = chip_kind(token, special, unknown)
                meaning = byte_level_meaning(token) if byte_level and kind == "normal" else ""
                sub = f"{meaning} · {tid}" if meaning and meaning != token else str(tid)
                unk_spelling = self.tokenizers[row["key"]].id_to_token(tid) if unknown else token
                if unknown and unk_spelling != token:   # Unigram shows the lost text; the model gets <unk>
                    sub = f"→ {unk_spelling} · {tid}"
                tip = f"{token!r}  id {tid}" + (f"\nstands for: {meaning}" if meaning else "") + \
                    ("\nunknown: this text is lost" if unknown else "\nspecial token" if special else "")
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


class MergePlayer(QWidget):
    def __init__(self, lang: str = "en", parent=None):
        super().__init__(parent)
        self.runner = Runner(self, "bpe-merges")
        self.runner.busy_changed.connect(self._busy)
        self.merges: list[tuple[str, str, str]] = []
        self.timeline: Timeline | None = None
        self.position = 0
        self.job = None

        intro = QLabel(
            "<b>BPE learns merges in order.</b> Every word starts as its characters (the last one carries "
            "<code>&lt;/w&gt;</code>, the end of a word, as in GPT-1). Training counts neighbouring pairs and merges "
            "the most frequent one, again and again; encoding replays the merges in the same order. Step through "
            "them and watch your word grow from characters into pieces, e.g. <code>t</code> + <code>h</code> → "
            "<code>th</code>." if lang != "zh" else
            "<b>BPE 按顺序学习合并规则。</b>每个词先拆成字符（最后一个带 <code>&lt;/w&gt;</code> 词尾标记，与 GPT-1 "
            "相同）。训练时统计相邻字符对，把最频繁的一对合并，如此反复；分词时按同样的顺序重放这些合并。逐步播放，看你的"
            "词如何从字符合并成词片，例如 <code>t</code> + <code>h</code> → <code>th</code>。")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.RichText)
        intro.setStyleSheet("background: #f6f8fb; border: 1px solid #dde3ea; border-radius: 4px; padding: 6px;")

        self.source = QComboBox()
        self.source.addItem("Shipped corpus: the GPT-1 tokenizer's merges", "corpus")
        self.source.addItem("Learn from the text below", "text")
        self.source.currentIndexChanged.connect(self._source_changed)
        self.corpus_text = QPlainTextEdit(CLASSIC)
        self.corpus_text.setMaximumHeight(54)
        self.corpus_text.setVisible(False)
        self.n_merges = QSpinBox()
        self.n_merges.setRange(1, 5000)
        self.n_merges.setValue(60)
        self.n_merges.setPrefix("learn ")
        self.n_merges.setSuffix(" merges")
        self.n_merges.setEnabled(False)
        self.learn_button = QPushButton("Learn")
        self.learn_button.clicked.connect(self.learn)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(100)
        self.busy.setMaximumHeight(14)
        self.busy.hide()

        self.word_edit = QLineEdit("together")
        self.word_edit.setPlaceholderText("a word (or a few) to watch")
        self.word_edit.setStyleSheet("font-size: 13pt; padding: 3px;")
        self.word_edit.textChanged.connect(self._word_changed)

        self.reset_button = QPushButton("|◀ Start")
        self.back_button = QPushButton("◀ Back")
        self.step_button = QPushButton("Step ▶")
        self.next_change_button = QPushButton("Next change ▶|")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.only_changes = QCheckBox("play only merges that change the word")
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
        self.segment_box = FlowBox(spacing=6)
        self.segment_flow = self.segment_box.flow
        self.segment_box.setMinimumHeight(60)
        self.segment_box.setStyleSheet("background: white;")
        self.segment_label = QLabel()
        self.segment_label.setTextFormat(Qt.PlainText)
        self.segment_label.setStyleSheet("color: #555;")
        mono = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        mono.setPointSize(10)
        self.history = QListWidget()
        self.history.setFont(mono)
        self.history.setSelectionMode(QAbstractItemView.SingleSelection)
        self.history.itemClicked.connect(self._item_clicked)
        self.merge_list = QListWidget()
        self.merge_list.setUniformItemSizes(True)
        self.merge_list.setFont(mono)
        self.merge_list.itemClicked.connect(self._item_clicked)
        self.info = QLabel()
        self.info.setStyleSheet("color: #555;")

        source_row = QHBoxLayout()
        source_row.addWidget(QLabel("Merges from"))
        source_row.addWidget(self.source)
        source_row.addWidget(self.n_merges)
        source_row.addWidget(self.learn_button)
        source_row.addWidget(self.busy)
        source_row.addStretch(1)
        word_row = QHBoxLayout()
        word_row.addWidget(QLabel("Word to watch"))
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
        ll.addWidget(QLabel("<b>How the word changed</b> (click a line to go there)"))
        ll.addWidget(self.history, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("<b>Merges in the order learned</b> (bold: touches the word)"))
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

        def work(job):
            from engine.tokenization import bpe_merge_trace

            if mode == "corpus":
                job.progress("loading the GPT-1 tokenizer's merges (first time: training it)…")
                return mode, bpe_merge_trace(None, 10 ** 6)
            job.progress(f"learning {n} merges…")
            return mode, bpe_merge_trace(text, n)

        self.info.setText("Learning merges…")
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
        where = "the shipped corpus (the GPT-1 tokenizer's own merges)" if mode == "corpus" else "your text"
        self.info.setText(f"{len(self.merges):,} merges learned from {where}.")
        self._rebuild_timeline(position=0)

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
        whats = ["characters" if rank == 0 else "{} + {} → {}".format(*self.merges[rank - 1])
                 for rank, _ in self.timeline.changes]
        width = max(map(len, whats), default=10)
        for (rank, seg), what in zip(self.timeline.changes, whats):
            item = QListWidgetItem(f"#{rank:<5} {what:<{width}}   " + "   |   ".join(" ".join(s) for s in seg))
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
        self.play_button.setText("Pause" if on else "Play")
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
            self.merge_label.setText(f"<span style='color:#666'>merge 0 of {n:,}:</span> the word as characters")
            merged = None
        else:
            left, right, merged = self.merges[p - 1]
            touches = p in set(self.timeline.change_ranks())
            self.merge_label.setText(
                f"<span style='color:#666'>merge rank</span> <b>#{p:,}</b> <span style='color:#666'>of {n:,}:"
                f"</span>&nbsp; <code style='background:#eef4fb'>{shown(left)}</code> + "
                f"<code style='background:#eef4fb'>{shown(right)}</code> → "
                f"<code style='background:#fff2c2'><b>{shown(merged)}</b></code>"
                + ("" if touches else " <span style='color:#999;font-size:10pt'>(not in this word)</span>"))
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
        was = ("before this merge: " + "  |  ".join(" ".join(s) for s in before) + "  ·  ") if before != seg else ""
        self.segment_label.setText(f"{was}{pieces} piece{'s' if pieces != 1 else ''} · "
                                   f"{len(self.timeline.change_ranks()) if self.timeline else 0} of the merges "
                                   "change this word")
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

    def __init__(self, parent=None, text: str | None = None, lang: str = "en"):
        super().__init__(parent)
        self.setWindowTitle("PLM Explorer — Compare tokenizers")
        self.setModal(False)
        self.resize(1280, 820)
        self.compare = ComparePanel(lang)
        self.merges = MergePlayer(lang)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compare, "Compare tokenizers")
        self.tabs.addTab(self.merges, "BPE merges, step by step")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.compare.set_text(text or EXAMPLES[0][1])
        self.merges.learn()

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
