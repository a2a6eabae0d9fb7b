"""Finding English left in the Chinese window: every text a user can read on the visible widgets (labels, buttons,
tabs, combo items, menus, tree and table cells, tool tips, placeholders, graphics-scene text), less what is data or
names: widgets marked with explorer.i18n.mark_data, model and tensor names, code, tokens, units, and the acronyms
and technical names the chapter itself keeps in English."""
from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGraphicsSimpleTextItem,
                               QGraphicsTextItem, QGraphicsView, QGroupBox, QLabel, QLineEdit, QMenu, QPlainTextEdit,
                               QSpinBox, QTabBar, QTextEdit, QWidget)

from explorer.i18n import DATA_PROPERTY

# Names the chapter writes in English in Chinese text (see its own usage), keys, units and proper names.
KEPT = set("""
RoBERTa ALBERT LLaMA ChatGLM ChatGLM2 MiniLM TinyStories WordPiece SentencePiece Unigram RoPE LayerNorm RMSNorm
SwiGLU GeGLU GeLU GELU ReLU DeepNorm AdamW PyTorch Hugging Face Noto Sans SC TransformerLens Transformer Transformers
transformers Query Key Value Ctrl Shift Alt Enter Esc PageUp PageDown Home End Space Backspace Tab softmax Softmax
logits logit nats bits ms MB MiB GiB KB KiB GB TB GFLOP GFLOPs FLOPs FLOP MACs bytes Meta Google OpenAI Microsoft
Tsinghua Zhipu PyPI Vaswani Devlin Radford Raffel Touvron Su Du Lan Liu Brown Abnar Zuidema Olsson Elhage Xiong
Wettig Kaplan Hoffmann Zeng Zhang Wang Ding Tang Dong Qiu Shazeer Ainslie Press Zhao Lewis Megatron-LM Megatron et al sqrt exp log max min argmax top Linguist Qt PySide6 pyqtgraph networkx NumPy JSON PNG
SVG CSV UTF dtype float32 float16 bfloat16 int8 cpu cuda mps meta tanh viridis cividis magma GPU CPU RAM Adam SGD Kullback Leibler KL Pre-Norm
Post-Norm Pre-LN Post-LN NotNext IsNext PartA PartB Part zero-shot few-shot one-shot In-context
""".split())
UNITS = re.compile(r"^(?:[kMGT]?i?B|ms|s|us|µs|x|Hz|px|pt|dpi)$")


class TextSource:
    def __init__(self, where: str, text: str):
        self.where, self.text = where, text


def _path(widget: QWidget) -> str:
    names = []
    w = widget
    while w is not None and len(names) < 4:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(names))


def _is_data(widget: QWidget) -> bool:
    w = widget
    while w is not None:
        if w.property(DATA_PROPERTY):
            return True
        w = w.parentWidget()
    return False


def _menu_texts(menu: QMenu, where: str, out: list[TextSource]) -> None:
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        out.append(TextSource(f"{where} > menu", action.text()))
        if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
            out.append(TextSource(f"{where} > menu tooltip", action.toolTip()))
        if action.menu() is not None:
            _menu_texts(action.menu(), where + " > " + action.text(), out)


def _item_view_texts(view: QAbstractItemView, where: str, out: list[TextSource], rows: int = 200) -> None:
    model = view.model()
    if model is None:
        return
    def columns(parent=None) -> int:   # a list model (QListWidget's) refuses columnCount: it has one column
        try:
            return model.columnCount() if parent is None else model.columnCount(parent)
        except TypeError:
            return 1

    for orientation, count in ((Qt.Horizontal, columns()), (Qt.Vertical, min(model.rowCount(), rows))):
        for section in range(count):
            value = model.headerData(section, orientation, Qt.DisplayRole)
            if isinstance(value, str):
                out.append(TextSource(f"{where} header", value))

    def walk(parent, depth=0):
        for row in range(min(model.rowCount(parent), rows)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.DisplayRole, Qt.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        out.append(TextSource(f"{where} cell", value))
                if column == 0 and depth < 4 and model.rowCount(index) > 0:   # (a table model: never)
                    walk(index, depth + 1)
    from PySide6.QtCore import QModelIndex
    walk(QModelIndex())


def visible_texts(root: QWidget) -> list[TextSource]:
    """Every text a user can read on root's visible widgets (hidden pages and marked data left out)."""
    out: list[TextSource] = []
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisible() or _is_data(w):
            continue
        where = _path(w)
        if w.toolTip():
            out.append(TextSource(where + " tooltip", w.toolTip()))
        if isinstance(w, QLabel):
            out.append(TextSource(where, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append(TextSource(where, w.text()))
        elif isinstance(w, QGroupBox):
            out.append(TextSource(where, w.title()))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                out.append(TextSource(f"{where} tab", w.tabText(i)))
                if w.tabToolTip(i):
                    out.append(TextSource(f"{where} tab tooltip", w.tabToolTip(i)))
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                out.append(TextSource(f"{where} item", w.itemText(i)))
        elif isinstance(w, QLineEdit):
            out.append(TextSource(where + " placeholder", w.placeholderText()))
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            out.append(TextSource(where + " placeholder", w.placeholderText()))
            out.append(TextSource(where, w.toPlainText()))
        elif isinstance(w, QSpinBox):
            out.append(TextSource(where, w.prefix() + " " + w.suffix()))
        if isinstance(w, QAbstractItemView) and not isinstance(w, QComboBox):
            _item_view_texts(w, where, out)
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                if not item.isVisible():
                    continue
                if isinstance(item, QGraphicsTextItem):
                    out.append(TextSource(where + " scene", item.toPlainText()))
                elif isinstance(item, QGraphicsSimpleTextItem):
                    out.append(TextSource(where + " scene", item.text()))
    window = root.window()
    if root is window and hasattr(window, "menuBar"):
        for action in window.menuBar().actions():
            out.append(TextSource("menu bar", action.text()))
            if action.menu() is not None:
                _menu_texts(action.menu(), action.text(), out)
    if root is window and hasattr(window, "statusBar"):
        out.append(TextSource("status bar", window.statusBar().currentMessage()))
    return [s for s in out if s.text]


# code, tokens, quoted examples (“playing”) and the English original of a term glossed after it, as the chapter
# writes them (位置嵌入（Position Embedding）), inside Chinese sentences; then tags
_CODE = re.compile(r"<code>.*?</code>|<tt>.*?</tt>|`[^`]*`|\[[^\]\s]*\]|“[^”]*”|「[^」]*」|"
                   r"(?<=[\u3400-\u9fff])（[A-Za-z][A-Za-z &/-]*）|<[^>]+>", re.S)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.'/\\#Ġ▁-]*")


def english_words(text: str, names: set[str] = frozenset()) -> list[str]:
    """The English words of a text that are neither names, code, acronyms, units nor kept terms."""
    plain = html.unescape(_CODE.sub(" ", text.replace("&&", "")))
    plain = re.sub(r"</?[^<>\s]{1,16}>", " ", plain)   # tokens written as text: <unk>, <0xE7>, </w>, <extra_id_0>
    plain = re.sub(r"&(?=[A-Za-z])", "", plain)   # menu accelerators: "文件(&F)"
    found = []
    for word in _WORD.findall(plain):
        word = word.strip(".'-/")
        if len(word) < 2 or word in KEPT or word in names or word.lower() in names or UNITS.match(word):
            continue
        if re.search(r"[0-9_./\\#Ġ▁]", word):   # identifiers, sizes, paths, tokens: bert-base, gpt2, attn.q_proj
            continue
        parts = word.split("-")
        if all(p.isupper() or p in KEPT or p.lower() in names or len(p) < 2 for p in parts):   # BERT, MLM, T5-style
            continue
        if word[0].isupper() and sum(c.isupper() for c in word) >= 2 and "-" not in word:   # RoBERTa-like names
            continue
        found.append(word)
    return found


def model_names() -> set[str]:
    """The catalogue's model names and their parts (bert-tiny, minilm, gpt2-trained, ...), kept as they are."""
    from explorer import session

    names: set[str] = set()
    for entry in session.catalogue():
        names.add(entry.name)
        names.update(entry.name.replace("_", "-").split("-"))
    return {n.lower() for n in names if n}


def english_left(root: QWidget, names: set[str] | None = None) -> list[str]:
    """'where: word in "text"' for every English word left on root's visible widgets."""
    names = model_names() if names is None else names
    report = []
    for source in visible_texts(root):
        words = english_words(source.text, names)
        if words:
            report.append(f"{source.where}: {', '.join(sorted(set(words)))} in {source.text[:100]!r}")
    return report


_QUOTED = re.compile(r"'[^'\n]*'")   # a name quoted as written: model card "6.2B ('62亿')"
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def chinese_left(root: QWidget) -> list[str]:
    """'where: text' for every visible interface text holding Chinese (for the English window after a switch)."""
    return [f"{s.where}: {s.text[:100]!r}" for s in visible_texts(root) if _CJK.search(_QUOTED.sub(" ", _CODE.sub(" ", s.text)))]


CHINESE_TEXT = "我爱自然语言处理，[MASK]是一门科学。"


def open_chinese(open_window, qtbot, model: str = "bert-tiny", text: str = CHINESE_TEXT, run: bool = True):
    """A window switched to Chinese with Chinese input, run (so every view has something to show)."""
    from tests.explorer.helpers import run_and_wait

    window = open_window(model, text)
    window.state.set_setting("lang", "zh")
    if run:
        run_and_wait(qtbot, window)
    return window


def assert_no_english(root: QWidget) -> None:
    report = english_left(root)
    assert not report, f"{len(report)} texts with English left:\n" + "\n".join(report[:80])


def assert_no_chinese(root: QWidget) -> None:
    report = chinese_left(root)
    assert not report, f"{len(report)} texts with Chinese left in the English window:\n" + "\n".join(report[:80])
