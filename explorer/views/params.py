"""The Parameters view: compare the families' sizes, counted exactly on the meta device (engine.params).

    Components       pick presets (several at once, any size): a breakdown by component as stacked bars and a
                     table, whole model or one layer of each stack, linear or log; tied weights marked, counted once
    Memory & compute weights at fp32/fp16/bf16/int8 and whether they fit this machine; the KV cache per token and at
                     full context beside MHA and MQA; forward FLOPs per token
    ALBERT           "share layers" and "factorise embeddings" switches and E, live, beside BERT of the same shape;
                     the embedding saving of every ALBERT size beside the notes' "about 80%"; parameters shrink,
                     FLOPs per token do not
    Scaling          GPT-1 → 2 → 3 (all eight GPT-3 sizes), LLaMA 1 → 2 → 3, T5: parameters, layers, width, heads,
                     context, vocabulary and training tokens, each with its source; the notes' slips marked
    Config editor    start from any preset, change any structural field (config.json names), numbers at once,
                     impossible combinations explained inline; "Run this model" opens it in the step-through

The numbers come from explorer.params_model; accounting runs in each panel's Runner, so the window never waits.
Texts are Qt translations (explorer.i18n), set again by each panel's retranslate() and redraw() when the language
changes; tables are built on the GUI thread, from numbers the workers computed. Panels talk to the view only through
signals (no reference back to it), and the view to the window through `run_requested` (an edited Preset to run) and
`ready` (numbers drawn).
"""
from __future__ import annotations

import argparse
import html
import re
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QScrollArea, QSizePolicy, QSlider, QSpinBox, QSplitter,
                               QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from explorer import params_model as pm
from explorer.i18n import mark_data, translate
from explorer.views.base import save_and_say
from explorer.widgets.bars import BarChart, Series, binary_steps
from explorer.widgets.param_table import ParamTable
from explorer.workers import Runner

TABS = ("compare", "memory", "albert", "scaling", "editor")
TAB_TITLES = {"compare": QT_TRANSLATE_NOOP("params", "Components"),
              "memory": QT_TRANSLATE_NOOP("params", "Memory && compute"),
              "albert": QT_TRANSLATE_NOOP("params", "ALBERT's savings"),
              "scaling": QT_TRANSLATE_NOOP("params", "Scaling"),
              "editor": QT_TRANSLATE_NOOP("params", "Config editor")}
DEFAULT_COMPARE = ("albert-base-v2", "bert-base-uncased", "gpt2", "t5-small", "llama-2-7b")
QUICK_PICKS = [
    # English (shown translated), presets
    (QT_TRANSLATE_NOOP("params", "ALBERT vs BERT"), ("albert-base-v2", "albert-large-v2", "albert-xlarge-v2",
                                          "albert-xxlarge-v2", "bert-base-uncased", "bert-large-uncased")),
    ("GPT-1/2/3", ("openai-gpt", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "gpt3-125m",
                                "gpt3-350m", "gpt3-760m", "gpt3-1.3b", "gpt3-2.7b", "gpt3-6.7b", "gpt3-13b",
                                "gpt3-175b")),
    ("LLaMA", ("llama-1-7b", "llama-2-7b", "llama-2-70b", "llama-3-8b", "llama-3-70b", "llama-3.1-405b")),
    (QT_TRANSLATE_NOOP("params", "one of each"), ("bert-base-uncased", "roberta-base", "albert-base-v2", "t5-base",
                                                  "gpt2", "llama-2-7b", "glm-10b", "chatglm2-6b")),
]


def shown(text: str) -> str:
    """A text of this page (a literal, or one declared with QT_TRANSLATE_NOOP("params", ...)), translated."""
    return translate("params", text)


def _note_label(style: str = "color:#444") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
    label.setStyleSheet(style)
    return label


def _chart_over_table(panel: QWidget, bar: QHBoxLayout, sizes: tuple[int, int]) -> None:
    """A panel's controls, then its chart over its table, then its notes: panel.chart, .table, .notes."""
    panel.chart, panel.table, panel.notes = BarChart(), ParamTable(), _notes_box()
    split = QSplitter(Qt.Vertical)
    split.addWidget(panel.chart)
    split.addWidget(panel.table)
    split.setSizes(list(sizes))
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addLayout(bar)
    layout.addWidget(split, 1)
    layout.addWidget(panel.notes)


def _notes_box(lines: int = 4) -> QTextBrowser:
    """Sources and remarks under a chart: a few lines high, scrolls when there are more."""
    box = QTextBrowser()
    box.setOpenLinks(False)
    box.setFrameShape(QFrame.NoFrame)
    box.setStyleSheet("color:#444; background:transparent")
    box.setMaximumHeight(box.fontMetrics().lineSpacing() * lines + 10)
    box.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
    return box


def _quotes(text: str, value) -> bool:
    """Whether a message quotes a number a field was set to ("5" in "... into 5 heads")."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return any(re.search(rf"(?<![\d.,]){re.escape(form)}(?!\d|,\d)", text) for form in {str(value), f"{value:,}"})


def _notes_html(lines: list[str]) -> str:
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _preset_names() -> dict[str, list]:
    """Family title -> presets, in the registry's order."""
    from engine.models import FAMILIES
    from engine.presets import all_presets

    groups: dict[str, list] = {}
    for family in FAMILIES.values():
        groups[(family.title, family.group)] = [p for p in all_presets().values() if p.family == family.name]
    return {k: v for k, v in groups.items() if v}


def _group_title(group: tuple[str, str]) -> str:
    """A family's heading in the pickers: "BERT (Encoder-only)", its group in the interface's language."""
    title, kind = group
    return translate("params", "{family} ({group})").format(family=title, group=pm.engine_text(kind))


def _field_value_text(value) -> str:
    """A config field's preset value in a tool tip: None is the family's default, a switch reads yes or no."""
    if value is None:
        return translate("params", "auto")
    if isinstance(value, bool):
        return translate("params", "yes") if value else translate("params", "no")
    return str(value)


def _preset_tip(p) -> str:
    tip = f"{pm.source_text(p.source)}\n{pm.preset_note_text(p.notes)}".strip()
    if p.runnable:
        return tip
    return tip + "\n" + translate("params", "(too large to run here: counted on the meta device)")


# ---------------------------------------------------------------------------------------------- the preset picker
class PresetPicker(QWidget):
    """Presets grouped by family, each with a check box; a filter; quick picks. `changed` after each change."""
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumWidth(180)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.groups: list[tuple[QTreeWidgetItem, tuple[str, str]]] = []
        for group, presets in _preset_names().items():
            top = QTreeWidgetItem(self.tree)
            top.setFlags(top.flags() & ~Qt.ItemIsUserCheckable)
            self.groups.append((top, group))
            for p in presets:
                item = QTreeWidgetItem(top)
                item.setData(0, Qt.UserRole, p.name)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(0, Qt.Unchecked)
                self.items[p.name] = item
        self.tree.expandAll()
        self.tree.itemChanged.connect(self._item_changed)
        self.quick = []
        buttons = QVBoxLayout()
        row = QHBoxLayout()
        for i, (_en, names) in enumerate(QUICK_PICKS):
            button = QPushButton()
            button.setProperty("names", list(names))
            button.clicked.connect(self._quick)
            self.quick.append(button)
            row.addWidget(button)
            if i % 2 == 1:
                buttons.addLayout(row)
                row = QHBoxLayout()
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.clear_button)
        buttons.addLayout(row)
        self.caption = _note_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._silent = False
        self.order: list[str] = []
        self.retranslate()

    def retranslate(self) -> None:
        from engine.presets import all_presets

        self.filter.setPlaceholderText(translate("params", "filter presets…"))
        self.caption.setText(translate("params", "<b>Presets to compare</b> (any size: large ones are counted on the "
                                                 "meta device, never allocated)"))
        for button, (en, _names) in zip(self.quick, QUICK_PICKS):
            button.setText(shown(en))
        self.clear_button.setText(translate("params", "Clear"))
        self.tree.blockSignals(True)   # text, not check state: no `changed`
        for top, group in self.groups:
            top.setText(0, _group_title(group))
        presets = all_presets()
        for name, item in self.items.items():
            p = presets[name]
            stated = pm.stated_text(p.extra.get("stated"))
            item.setText(0, name + (f"  · {stated}" if stated else ""))
            item.setToolTip(0, _preset_tip(p))
        self.tree.blockSignals(False)
        self._filter(self.filter.text())

    def checked(self) -> list[str]:
        """The checked presets, in the order they were picked."""
        on = {name for name, item in self.items.items() if item.checkState(0) == Qt.Checked}
        self.order = [n for n in self.order if n in on] + [n for n in self.items if n in on and n not in self.order]
        return list(self.order)

    def set_checked(self, names) -> list[str]:
        """Check exactly `names`, in that order (unknown ones are returned, not checked)."""
        names = list(dict.fromkeys(names))
        self._silent = True
        for name, item in self.items.items():
            item.setCheckState(0, Qt.Checked if name in names else Qt.Unchecked)
        self._silent = False
        self.order = [n for n in names if n in self.items]
        self.changed.emit()
        return [n for n in names if n not in self.items]

    def clear(self) -> None:
        self.set_checked([])

    def _quick(self) -> None:
        button = self.sender()
        if button is not None:
            self.set_checked(button.property("names") or [])

    def _item_changed(self, item, _column) -> None:
        if not self._silent and item.data(0, Qt.UserRole):
            self.changed.emit()

    def _filter(self, text: str) -> None:
        text = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                child = top.child(j)
                hide = bool(text) and text not in child.text(0).lower() and text not in top.text(0).lower()
                child.setHidden(hide)
                shown += not hide
            top.setHidden(shown == 0)


# ---------------------------------------------------------------------------------------------- panels
class Panel(QWidget):
    """A sub-tab: a chart, a table, notes. `drawn` once its numbers are shown; `failed` with a message."""
    drawn = Signal()
    failed = Signal(str)
    key = "panel"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runner = Runner(self, f"params-{self.key}")
        self.stale = True

    def activate(self) -> None:
        """Shown: compute if something changed since the last time."""
        if self.stale:
            self.stale = False
            self.compute()

    def compute(self) -> None:
        pass

    def language_changed(self) -> None:
        """The interface's language changed (the translator is already installed): every text again."""
        self.retranslate()
        self.redraw()

    def retranslate(self) -> None:
        pass

    def redraw(self, *_args) -> None:
        pass

    def current_table(self) -> pm.Table | None:
        return None

    def current_chart(self) -> BarChart | None:
        return None

    def busy(self) -> bool:
        """A job is running, or a change is waiting for one (a slider being dragged)."""
        timer = getattr(self, "timer", None)
        return self.runner.active or (timer is not None and timer.isActive())

    def _failed(self, message: str, user_error: bool = True) -> None:
        self.failed.emit(message if user_error else
                         translate("params", "Something went wrong: {message}").format(message=message))


class AccountsPanel(Panel):
    """Shows the accounts of the picked presets (the view computes them once for both panels)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.accounts: list = []
        self.free: dict = {}

    def set_accounts(self, accounts: list, free: dict) -> None:
        self.accounts, self.free = accounts, free
        self.redraw()
        self.drawn.emit()


class ComparePanel(AccountsPanel):
    key = "compare"
    AUTO_LOG = 30

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scope = QComboBox()
        self.scope.addItem("whole model", "whole")
        self.scope.addItem("one layer of each stack", "layer")
        self.scale = QComboBox()
        self.scale.addItem("auto", "auto")
        self.scale.addItem("linear", "linear")
        self.scale.addItem("log", "log")
        self.detail = QCheckBox()
        for w in (self.scope, self.scale):
            w.currentIndexChanged.connect(self.redraw)
        self.detail.toggled.connect(self.redraw)
        self.scope_label, self.scale_label = QLabel(), QLabel()
        bar = QHBoxLayout()
        for w in (self.scope_label, self.scope, self.scale_label, self.scale, self.detail):
            bar.addWidget(w)
        bar.addStretch(1)
        _chart_over_table(self, bar, (290, 370))
        self._table: pm.Table | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.scope_label.setText(translate("params", "Show"))
        self.scope.setItemText(0, translate("params", "whole model"))
        self.scope.setItemText(1, translate("params", "one layer of each stack"))
        self.scale_label.setText(translate("params", "scale"))
        self.scale.setItemText(0, translate("params", "auto (log when sizes differ over {times}×)").format(
            times=self.AUTO_LOG))
        self.scale.setItemText(1, translate("params", "linear"))
        self.scale.setItemText(2, translate("params", "log"))
        self.detail.setText(translate("params", "the engine's own breakdown keys"))

    def set_scale(self, scale: str) -> None:
        index = self.scale.findData(scale)
        if index >= 0:
            self.scale.setCurrentIndex(index)

    def uses_log(self, totals: list[int]) -> bool:
        scale = self.scale.currentData()
        if scale != "auto":
            return scale == "log"
        positive = [t for t in totals if t > 0]
        return bool(positive) and max(positive) > self.AUTO_LOG * min(positive)

    def redraw(self, *_args) -> None:
        per_layer = self.scope.currentData() == "layer"
        accounts = self.accounts
        if not accounts:
            self._table = None
            self.table.set_table(None)
            self.chart.set_data([], [])
            self.notes.setText(translate("params", "Tick presets on the left (or a quick pick) to compare them."))
            return
        self._table = table = pm.compare_table(accounts, per_layer, self.detail.isChecked())
        self.table.set_table(table)
        components = [r for r in table.rows if r.kind == "component"]
        series, shades = [], {}
        for row in components:
            key = pm.component_of(row.key) if self.detail.isChecked() else row.key
            shade = shades[key] = shades.get(key, -1) + 1   # the engine's keys: shades of their component's colour
            colour = QColor(pm.COMPONENT[key].colour).darker(100 + 22 * shade).name()
            series.append(Series(row.label, colour, [v or 0 for v in row.values]))
        tied = []
        if not per_layer:
            for a in accounts:
                tied.append(" · " + translate("params", "tied") if a.extra.get("tied_heads") else "")
        sums = [sum(r.values[i] or 0 for r in components) for i in range(len(table.columns))]
        totals = [pm.human(t) + (tied[i] if tied else "") for i, t in enumerate(sums)]
        log = self.uses_log(sums)
        title = (translate("params", "Parameters by component: whole model") if not per_layer else
                 translate("params", "Parameters by component: one layer of each stack"))
        self.chart.set_data(table.columns, series, stacked=True, log=log, title=title,
                            value_label=translate("params", "parameters"), fmt=pm.human, totals=totals)
        notes = list(table.notes)
        if log:
            notes.insert(0, translate("params", "Log scale: each bar's length is its total; a segment's length is not "
                                                "its share (read the table, or hover a segment)."))
        self.notes.setText(_notes_html(notes))

    def current_table(self) -> pm.Table | None:
        return self._table

    def current_chart(self) -> BarChart:
        return self.chart


class MemoryPanel(AccountsPanel):
    key = "memory"
    CHARTS = [("weights", QT_TRANSLATE_NOOP("params", "weights at fp32 / fp16 / int8")),
              ("kv", QT_TRANSLATE_NOOP("params", "KV cache at full context: MHA / this model / MQA")),
              ("flops", QT_TRANSLATE_NOOP("params", "forward FLOPs per token"))]

    def __init__(self, parent=None):
        super().__init__(parent)
        self.which = QComboBox()
        for key, en in self.CHARTS:
            self.which.addItem(en, key)
        self.which.currentIndexChanged.connect(self.redraw)
        self.scale = QComboBox()
        self.scale.addItem("log", "log")
        self.scale.addItem("linear", "linear")
        self.scale.currentIndexChanged.connect(self.redraw)
        self.chart_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.chart_label)
        bar.addWidget(self.which)
        bar.addWidget(self.scale)
        bar.addStretch(1)
        _chart_over_table(self, bar, (300, 300))
        self._table: pm.Table | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.chart_label.setText(translate("params", "Chart"))
        for i, (_key, en) in enumerate(self.CHARTS):
            self.which.setItemText(i, shown(en))
        self.scale.setItemText(0, translate("params", "log"))
        self.scale.setItemText(1, translate("params", "linear"))

    def redraw(self, *_args) -> None:
        accounts = self.accounts
        if not accounts:
            self._table = None
            self.table.set_table(None)
            self.chart.set_data([], [])
            self.notes.setText(translate("params", "Tick presets on the left to see their memory and compute."))
            return
        self._table = table = pm.memory_table(accounts, self.free)
        self.table.set_table(table)
        names = [a.name for a in accounts]
        which = self.which.currentData()
        log = self.scale.currentData() == "log"
        if which == "weights":
            series = [Series(dtype, colour, [a.memory_bytes[dtype] for a in accounts])
                      for dtype, colour in (("fp32", "#08519c"), ("fp16", "#4292c6"), ("int8", "#9ecae1"))]
            fmt, label = pm.human_bytes, translate("params", "bytes of weights")
        elif which == "kv":
            kvs = [a.kv_cache for a in accounts]

            def full(kv, key):
                return kv["compare"][key] * kv["n_ctx"] if kv["bytes_per_token"] is not None else 0

            series = [Series(translate("params", "MHA (one kv head per query head)"), "#a63603",
                             [full(kv, "MHA") for kv in kvs]),
                      Series(translate("params", "this model"), "#f16913", [full(kv, "this model") for kv in kvs]),
                      Series(translate("params", "MQA (one kv head)"), "#fdae6b", [full(kv, "MQA") for kv in kvs])]
            names = [a.name if kv["bytes_per_token"] is not None else
                     translate("params", "{name} (encoder: none)").format(name=a.name) for a, kv in zip(accounts, kvs)]
            fmt, label = pm.human_bytes, translate("params", "bytes of keys and values at full context (fp16)")
        else:
            series = [Series(translate("params", "forward FLOPs per token"), "#2ca02c",
                             [a.flops["flops_per_token"] for a in accounts])]
            fmt, label = pm.human_flops, "FLOPs"
        self.chart.set_data(names, series, stacked=False, log=log, value_label=label, fmt=fmt,
                            title=self.which.currentText(),
                            log_ticks=binary_steps if fmt is pm.human_bytes else None)
        self.notes.setText(_notes_html(table.notes))

    def current_table(self) -> pm.Table | None:
        return self._table

    def current_chart(self) -> BarChart:
        return self.chart


class AlbertPanel(Panel):
    key = "albert"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.size = QComboBox()
        for name in pm.ALBERT_SIZES:
            self.size.addItem(name, name)
        self.share = QCheckBox()
        self.share.setChecked(True)
        self.factorise = QCheckBox()
        self.factorise.setChecked(True)
        self.e_slider = QSlider(Qt.Horizontal)
        self.e_slider.setMinimumWidth(160)
        self.e_box = QSpinBox()
        self.e_label = QLabel("E")
        self.size_label = QLabel()
        self.size.currentIndexChanged.connect(self._size_changed)
        self.share.toggled.connect(self._switched)
        self.factorise.toggled.connect(self._switched)
        self.e_slider.valueChanged.connect(self._e_moved)
        self.e_box.valueChanged.connect(self._e_typed)
        controls = QHBoxLayout()
        for w in (self.size_label, self.size, self.share, self.factorise, self.e_label, self.e_slider, self.e_box):
            controls.addWidget(w)
        controls.addStretch(1)
        self.summary = _note_label("color:#222; background:#f4f6f8; padding:6px; border-radius:4px")
        self.table = ParamTable(fit_height=True)
        self.embedding = ParamTable(fit_height=True)
        self.params_chart = BarChart()
        self.flops_chart = BarChart()
        tables = QWidget()
        tl = QVBoxLayout(tables)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table)
        tl.addWidget(self.embedding)
        tl.addStretch(1)
        charts = QSplitter(Qt.Vertical)
        charts.addWidget(self.params_chart)
        charts.addWidget(self.flops_chart)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(tables)
        split.addWidget(charts)
        split.setSizes([520, 480])
        self.notes = _notes_box()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.notes)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(60)
        self.timer.timeout.connect(self.compute)
        self.result: pm.AlbertResult | None = None
        self._size_changed()
        self.retranslate()

    def retranslate(self) -> None:
        self.size_label.setText(translate("params", "ALBERT size"))
        self.share.setText(translate("params", "share layers"))
        self.share.setToolTip(translate("params", "num_hidden_groups = 1: one set of layer parameters used by every "
                                                  "layer; off: num_hidden_groups = num_hidden_layers (one set per "
                                                  "layer, as BERT)"))
        self.factorise.setText(translate("params", "factorise embeddings"))
        self.factorise.setToolTip(translate("params", "V × E + E × H instead of V × H; off: embedding_size = "
                                                      "hidden_size"))

    # ------------------------------------------------------------------ controls
    def set_size(self, name: str) -> bool:
        index = self.size.findData(name)
        if index >= 0:
            self.size.setCurrentIndex(index)
        return index >= 0

    def _size_changed(self, _index: int = 0) -> None:
        from engine.presets import get_preset

        c = get_preset(self.size.currentData()).config
        for w in (self.e_slider, self.e_box):
            w.blockSignals(True)
            w.setRange(1, c["hidden_size"])
            w.setValue(c["embedding_size"])
            w.blockSignals(False)
        self.e_slider.setPageStep(16)
        self.e_box.setSingleStep(16)
        self._switched()

    def _switched(self, _value=None) -> None:
        on = self.factorise.isChecked()
        self.e_slider.setEnabled(on)
        self.e_box.setEnabled(on)
        self.schedule()

    def _e_moved(self, value: int) -> None:
        self.e_box.blockSignals(True)
        self.e_box.setValue(value)
        self.e_box.blockSignals(False)
        self.schedule()

    def _e_typed(self, value: int) -> None:
        self.e_slider.blockSignals(True)
        self.e_slider.setValue(value)
        self.e_slider.blockSignals(False)
        self.schedule()

    def set_switches(self, share: bool | None = None, factorise: bool | None = None, e: int | None = None) -> None:
        if share is not None:
            self.share.setChecked(share)
        if factorise is not None:
            self.factorise.setChecked(factorise)
        if e is not None:
            self.e_box.setValue(e)
        self.schedule()

    def schedule(self) -> None:
        self.stale = True
        if self.isVisible():
            self.stale = False
            self.timer.start()

    # ------------------------------------------------------------------ numbers
    def compute(self) -> None:
        self.stale = False
        name, share, factorise, e = (self.size.currentData(), self.share.isChecked(), self.factorise.isChecked(),
                                     self.e_box.value())
        self.runner.cancel_all()

        def work(job):   # worker thread: no Qt objects
            return pm.albert_compute(name, share, factorise, e)

        self.runner.start(work, self._show, self._failed)

    def _show(self, result: pm.AlbertResult) -> None:
        self.result = result
        self.redraw()
        self.drawn.emit()

    def redraw(self, *_args) -> None:
        r = self.result
        if r is None:
            return
        table = pm.albert_table(r)
        self.table.set_table(table)
        self.embedding.set_table(pm.embedding_table(pm.embedding_rows(r.e if r.factorise else None, r.name)))
        labels, params, flops, colours = [], [], [], []
        for key, share, factorise, en in pm.VARIANTS:
            current = (share, factorise) == (r.share, r.factorise)
            labels.append(("▶ " if current else "") + pm.shown(en))
            params.append(r.variants[key].total_with_heads)
            flops.append(r.variants[key].flops["flops_per_token"])
            colours.append("#d94801" if current else "#fdae6b")
        labels.append(translate("params_model", "BERT, same shape"))
        params.append(r.bert.total_with_heads)
        flops.append(r.bert.flops["flops_per_token"])
        colours.append("#4292c6")
        e_text = f"E = {r.e}" if r.factorise else "E = H"
        parameters = translate("params", "parameters")
        self.params_chart.set_data(labels, [Series(parameters, "#d94801", params, colours)], stacked=True,
                                   title=translate("params", "Parameters ({e}): they shrink").format(e=e_text),
                                   fmt=pm.human, legend=False, value_label=parameters)
        self.flops_chart.set_data(labels, [Series("FLOPs", "#d94801", flops, colours)], stacked=True,
                                  title=translate("params", "Forward FLOPs per token: they do not"), fmt=pm.human,
                                  legend=False, value_label="FLOPs")
        self.summary.setText(self.summary_text(r))
        self.notes.setText(_notes_html(table.notes + [
            translate("params", "ALBERT with neither switch still has its E → H projection (H × H + H): that is what "
                                "separates it from BERT of the same shape.")]))

    def summary_text(self, r: pm.AlbertResult) -> str:
        cur, bert, both = r.current, r.bert, r.variants["both"]
        view = cur.per_layer["layers"]
        emb = pm.embedding_rows(r.e, r.name)[-1]
        if r.share:
            share = translate("params", "<b>Sharing on</b>: {depth} layers use {sets} set of {each}, saving {saved} "
                                        "parameters.").format(
                depth=view["depth"], sets=view["parameter_sets"], each=f"{view['each_total']:,}",
                saved=f"{r.variants['factorise'].total_with_heads - both.total_with_heads:,}")
        else:
            share = translate("params", "<b>Sharing off</b>: {sets} sets, one per layer.").format(
                sets=view["parameter_sets"])
        if r.factorise:
            fact = translate("params", "<b>Factorised</b>: V × E + E × H = {factorised} instead of V × H = {full}, "
                                       "{saving} smaller (the notes say about 80%).").format(
                factorised=f"{emb['VxE+ExH']:,}", full=f"{emb['VxH']:,}", saving=f"{emb['saving']:.1%}")
        else:
            fact = translate("params", "<b>Not factorised</b>: E = H, the embedding is V × H (plus an H × H "
                                       "projection).")
        ratio = cur.total_with_heads / bert.total_with_heads
        flops = cur.flops["flops_per_token"] / bert.flops["flops_per_token"]
        trade = translate("params", "<b>Trade-off</b>: {params} parameters = {ratio} of BERT's {bert}, but forward "
                                    "FLOPs per token {flops} = {flops_ratio} of BERT's: the shared layer still runs "
                                    "{depth} times.").format(
            params=f"{cur.total_with_heads:,}", ratio=f"{ratio:.1%}", bert=f"{bert.total_with_heads:,}",
            flops=pm.human_flops(cur.flops["flops_per_token"]), flops_ratio=f"{flops:.1%}", depth=view["depth"])
        return f"{share}  {fact}<br>{trade}"

    def current_table(self) -> pm.Table | None:
        return self.table.table

    def current_chart(self) -> BarChart:
        return self.params_chart


class ScalingPanel(Panel):
    key = "scaling"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.series = QComboBox()
        for key, (en, _g) in pm.SERIES.items():
            self.series.addItem(en, key)
        self.quantity = QComboBox()
        for key, en, _log in pm.QUANTITIES:
            self.quantity.addItem(en, key)
        self.log = QCheckBox()
        self.log.setChecked(True)
        self.series.currentIndexChanged.connect(self._series_changed)
        self.quantity.currentIndexChanged.connect(self._quantity_changed)
        self.log.toggled.connect(self.redraw)
        self.series_label, self.quantity_label = QLabel(), QLabel()
        bar = QHBoxLayout()
        for w in (self.series_label, self.series, self.quantity_label, self.quantity, self.log):
            bar.addWidget(w)
        bar.addStretch(1)
        self.chart = BarChart()
        self.table = ParamTable()
        self.slips = ParamTable()
        self.slips_note = _note_label("color:#7a1c1c; background:#fdecea; padding:6px; border-radius:4px")
        slips = QWidget()
        sl = QVBoxLayout(slips)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.slips_note)
        sl.addWidget(self.slips, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.addWidget(slips)
        split.setSizes([300, 260, 200])
        self.notes = _notes_box()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.notes)
        self.rows: list[dict] = []
        self.slips_table: pm.Table | None = None
        self._table: pm.Table | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.series_label.setText(translate("params", "Series"))
        for i, (_key, (en, _g)) in enumerate(pm.SERIES.items()):
            self.series.setItemText(i, pm.shown(en))
        self.quantity_label.setText(translate("params", "over"))
        for i, (_key, en, _log) in enumerate(pm.QUANTITIES):
            self.quantity.setItemText(i, pm.shown(en))
        self.log.setText(translate("params", "log scale"))

    def set_series(self, key: str) -> None:
        index = self.series.findData(key)
        if index >= 0:
            self.series.setCurrentIndex(index)

    def _series_changed(self, _index: int) -> None:
        self.stale = True
        if self.isVisible():
            self.activate()

    def _quantity_changed(self, _index: int) -> None:
        key = self.quantity.currentData()
        default_log = next(log for k, _en, log in pm.QUANTITIES if k == key)
        self.log.blockSignals(True)
        self.log.setChecked(default_log)
        self.log.blockSignals(False)
        self.redraw()

    def compute(self) -> None:
        series = self.series.currentData()
        self.runner.cancel_all()

        def work(job):   # worker thread: the numbers (the notes' GPT presets counted, so the table is quick to draw)
            rows = pm.scaling_rows(series)
            pm.notes_slips()
            return rows

        self.runner.start(work, self._show, self._failed)

    def _show(self, rows) -> None:
        self.rows = rows
        self.redraw()
        self.drawn.emit()

    def redraw(self, *_args) -> None:
        if not self.rows:
            return
        self._table = pm.scaling_table(self.rows)
        self.table.set_table(self._table)
        self.slips_table = pm.notes_slips()
        self.slips.set_table(self.slips_table)
        date = pm.LLAMA3_DATE
        self.slips_note.setText(translate("params", 
            "<b>Where the study notes differ.</b> Their GPT table swaps hidden size and FFN size (cells in red below). "
            "They date LLaMA-3 to {notes_date}; it was released in <b>{actual_date}</b> ({source}).").format(
            notes_date=html.escape(pm.shown(date["notes"]), quote=False), actual_date=pm.shown(date["actual"]),
            source=html.escape(pm.shown(date["source"]), quote=False)))
        key = self.quantity.currentData()
        en = next(e for k, e, _log in pm.QUANTITIES if k == key)
        values, totals = [], []
        for r in self.rows:
            value = r[key]
            if key == "layers" and r["encoder_layers"]:
                value = r["layers"] + r["encoder_layers"]
            values.append(value or 0)
            if key == "tokens":
                totals.append(pm.shown(r["tokens_text"]) if r["tokens"] else
                              translate("params", "no token count stated"))
            elif key == "params":
                totals.append(pm.human(value) + ("  " + translate("params", "(stated {figure})").format(
                    figure=pm.stated_text(r["stated"])) if r["stated"] else ""))
            elif key == "layers" and r["encoder_layers"]:
                totals.append(f"{r['encoder_layers']} + {r['layers']}")
            else:
                totals.append(f"{value:,}")
        labels = [f"{r['name']}" for r in self.rows]
        colours = [r["colour"] for r in self.rows]
        fmt = pm.human if key in ("params", "tokens") else (lambda v: f"{v:,.0f}")
        title = translate("params", "{series}: {quantity}").format(series=self.series.currentText(),
                                                                   quantity=pm.shown(en))
        self.chart.set_data(labels, [Series(pm.shown(en), "#4292c6", values, colours)], stacked=True,
                            log=self.log.isChecked(), title=title, fmt=fmt, totals=totals, legend=False)
        seen = []
        for r in self.rows:
            if (r["generation"], r["colour"]) not in seen:
                seen.append((r["generation"], r["colour"]))
        self.chart.set_legend([(f"{g} ({pm.shown(next(x['released'] for x in self.rows if x['generation'] == g))})", c)
                               for g, c in seen])
        notes = list(self._table.notes)
        sources = {}
        for r in self.rows:
            sources.setdefault(r["generation"], [])
            shown = pm.source_text(r["source"])
            if shown not in sources[r["generation"]]:
                sources[r["generation"]].append(shown)
        for generation, texts in sources.items():
            notes.append(f"{generation}: " + " | ".join(texts))
        if key == "tokens":
            sources = []
            for r in self.rows:
                if r["tokens"] and pm.shown(r["tokens_source"]) not in sources:
                    sources.append(pm.shown(r["tokens_source"]))
            notes.append(translate("params", "Training tokens: {sources}").format(sources="; ".join(sources)))
        self.notes.setText(_notes_html(notes))

    def current_table(self) -> pm.Table | None:
        return self._table

    def current_chart(self) -> BarChart:
        return self.chart


class EditorPanel(Panel):
    key = "editor"
    run_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.base = QComboBox()
        self.base.setMaxVisibleItems(30)
        self.base_groups: list[tuple[int, tuple[str, str]]] = []   # (item index, family heading)
        for group, presets in _preset_names().items():
            self.base_groups.append((self.base.count(), group))
            self.base.addItem("")
            self.base.model().item(self.base.count() - 1).setEnabled(False)
            for p in presets:
                self.base.addItem(f"  {p.name}", p.name)
        self.base.currentIndexChanged.connect(self._base_changed)
        self.base_label = QLabel()
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self._run)
        top = QHBoxLayout()
        top.addWidget(self.base_label)
        top.addWidget(self.base, 1)
        top.addWidget(self.reset_button)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setLabelAlignment(Qt.AlignRight)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        scroll.setMinimumWidth(300)
        self.problem = _note_label("color:#b00020; background:#fdecea; padding:6px; border-radius:4px")
        self.problem.hide()
        self.source = _note_label("color:#555")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(top)
        ll.addWidget(self.source)
        ll.addWidget(self.problem)
        ll.addWidget(scroll, 1)
        ll.addWidget(self.run_button)
        self.run_note = _note_label("color:#555")
        ll.addWidget(self.run_note)
        self.table = ParamTable()
        self.chart = BarChart()
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.table)
        right.addWidget(self.chart)
        right.setSizes([470, 280])
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(80)
        self.timer.timeout.connect(self.compute)
        self.preset = None          # the preset edited from
        self.edited = None          # the edited Preset, None while it cannot be built
        self.base_account = None
        self.edited_account = None
        self.free: dict = {}
        self.problems: list[str] = []
        self.extra_problem = ""     # a message beside the config's problems (the engine's refusal, an unknown field)
        self._table: pm.Table | None = None
        self.retranslate()
        self.set_base("gpt2")

    def retranslate(self) -> None:
        self.base_label.setText(translate("params", "Start from"))
        self.reset_button.setText(translate("params", "Reset"))
        self.run_button.setText(translate("params", "Run this model in the step-through (random weights)"))
        for index, group in self.base_groups:
            self.base.setItemText(index, f"── {_group_title(group)} ──")
        if self.preset is None:
            return
        fields = {f.name: f for f in pm.editor_fields(self.preset.family)}
        for name, label in self.labels.items():
            f = fields[name]
            label.setText(f"<b>{name}</b><br><span style='color:#666'>{html.escape(f.label, quote=False)}</span>")
            w = self.widgets[name]
            value = pm.field_value(self.preset, f.name)
            w.setToolTip(f.label + "\n" + translate("params", "config.json: {field} (preset: {value})").format(
                field=f.name, value=_field_value_text(value)))
            if isinstance(w, QSpinBox) and f.kind == "optional-int":
                w.setSpecialValueText(translate("params", "auto"))
        source = translate("params", "Source: {source}").format(source=pm.source_text(self.preset.source))
        self.source.setText(html.escape(source, quote=False))
        self.show_problems(self.extra_problem)

    # ------------------------------------------------------------------ fields
    def set_base(self, name: str) -> bool:
        index = self.base.findData(name)
        if index < 0:
            return False
        if index == self.base.currentIndex():
            self._base_changed(index)
        else:
            self.base.setCurrentIndex(index)
        return True

    def _base_changed(self, _index: int) -> None:
        from engine.presets import get_preset

        name = self.base.currentData()
        if not name:
            return
        self.preset = get_preset(name)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.widgets, self.labels = {}, {}
        for f in pm.editor_fields(self.preset.family):
            value = pm.field_value(self.preset, f.name)
            if f.kind == "bool":
                w = QCheckBox()
                w.setChecked(bool(value))
                w.toggled.connect(self._edited_slot)
            elif f.kind == "choice":
                w = mark_data(QComboBox())   # config.json values (pre, post, relu, gated-gelu): names, kept
                w.addItems(list(f.choices))
                if value not in f.choices:
                    w.addItem(str(value))
                w.setCurrentText(str(value))
                w.currentIndexChanged.connect(self._edited_slot)
            else:
                w = QSpinBox()
                w.setRange(0, 2 ** 31 - 1)
                w.setGroupSeparatorShown(True)
                w.setValue(int(value) if value is not None else 0)
                w.valueChanged.connect(self._edited_slot)
            label = QLabel()
            label.setTextFormat(Qt.RichText)
            self.widgets[f.name], self.labels[f.name] = w, label
            self.form.addRow(label, w)
        self.extra_problem = ""
        self.retranslate()
        self._edited_slot()

    def values(self) -> dict:
        out = {}
        fields = {f.name: f for f in pm.editor_fields(self.preset.family)}
        for name, w in self.widgets.items():
            f = fields[name]
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[name] = w.currentText()
            else:
                out[name] = None if f.kind == "optional-int" and w.value() == 0 else w.value()
        return out

    def set_values(self, settings: dict) -> list[str]:
        """Set fields by config.json name (the command line's --set); returns the names this family lacks."""
        unknown = []
        for name, value in settings.items():
            w = self.widgets.get(name)
            if w is None:
                unknown.append(name)
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                w.setCurrentText(str(value))
            else:
                w.setValue(0 if value is None else int(value))
        return unknown

    def changes(self) -> dict:
        return pm.changes_from(self.preset, self.values()) if self.preset is not None else {}

    def reset(self) -> None:
        if self.preset is not None:
            self.set_base(self.preset.name)

    def _edited_slot(self, _value=None) -> None:
        """A field changed: what is impossible is said at once (no build needed); the numbers follow."""
        changes = self.changes()
        self.problems = pm.edit_problems(self.preset, changes)
        self.show_problems()
        if self.problems:   # nothing to count: the edited column empties at once, Run is off
            self.runner.cancel_all()
            self.edited, self.edited_account = None, None
            self.redraw()
        self.stale = True
        if self.isVisible():
            self.stale = False
            self.timer.start()

    def show_problems(self, extra: str = "") -> None:
        """Say why the configuration cannot be built (the engine's words, translated by their shape), with
        `extra` (kept, and said again in a new language, until the base preset changes)."""
        self.extra_problem = extra
        lines = list(self.problems) + ([extra] if extra else [])
        if lines:
            self.problem.setText(translate("params", "<b>Cannot be built:</b> {problems}").format(
                problems="<br>".join(html.escape(pm.engine_text(p), quote=False) for p in lines)))
        self.problem.setVisible(bool(lines))
        changed = self.changes()
        text = " ".join(lines)
        for name, w in self.widgets.items():
            # named by the message, or changed to a value the message quotes ("5 heads"): red; changed: yellow
            bad = re.search(rf"\b{re.escape(name)}\b", text) is not None or (name in changed and
                                                                          _quotes(text, changed[name]))
            w.setStyleSheet("background:#fdecea" if bad else "background:#fff8dc" if name in changed else "")

    # ------------------------------------------------------------------ numbers
    def compute(self) -> None:
        self.stale = False
        if self.preset is None:
            return
        name, changes, problems = self.preset.name, self.changes(), list(self.problems)
        self.runner.cancel_all()

        def work(job):   # worker thread
            from engine.params import account

            base = account(name)
            edited_preset, message = (None, "") if problems else pm.try_edit(name, changes)
            edited = account(edited_preset) if edited_preset is not None and changes else \
                (base if edited_preset is not None else None)
            return base, edited_preset, edited, message, pm.free_memory()

        self.runner.start(work, self._show, self._failed_inline)

    def _failed_inline(self, message: str, user_error: bool = True) -> None:
        self.edited, self.edited_account = None, None
        self.show_problems(message if user_error else f"Something went wrong: {message}")   # translated when shown
        self.redraw()
        self.drawn.emit()

    def _show(self, result) -> None:
        self.base_account, self.edited, self.edited_account, message, self.free = result
        self.show_problems(message)
        self.redraw()
        self.drawn.emit()

    def redraw(self, *_args) -> None:
        if self.base_account is None:
            return
        edited = self.edited_account
        self._table = table = pm.editor_table(self.base_account, edited, self.free)
        self.table.set_table(table)
        accounts = [self.base_account] + ([edited] if edited is not None else [])
        labels = [self.base_account.name] + ([translate("params_model", "edited")] if edited is not None else [])
        series = []
        for c in pm.COMPONENTS:
            values = [pm.grouped(a.breakdown).get(c.key, 0) for a in accounts]
            if any(values):
                series.append(Series(c.label, c.colour, values))
        self.chart.set_data(labels, series, stacked=True, log=False, fmt=pm.human,
                            title=translate("params", "Preset and edited, by component"))
        self._update_run(edited)

    def _update_run(self, edited) -> None:
        from engine.params import RUNNABLE_LIMIT

        if edited is None or self.edited is None:
            self.run_button.setEnabled(False)
            self.run_note.setText(translate("params", "Fix the configuration first."))
            return
        need = edited.memory_bytes["fp32"]
        ok = pm.fits(need, self.free.get("cpu"))
        if self.edited.extra.get("analytic"):
            ok = False
        self.run_button.setEnabled(ok is not False)
        if ok is False:
            self.run_note.setText(translate("params", "Too large to random-initialise here: {need} of fp32 weights, "
                                                      "{free} free.").format(
                need=pm.human_bytes(need), free=pm.human_bytes(self.free.get("cpu"))))
        elif edited.total_with_heads > RUNNABLE_LIMIT:
            self.run_note.setText(translate("params", "It fits ({need} at fp32), but random-initialising {count} "
                                                      "parameters takes a while (in the background; Cancel discards "
                                                      "it).").format(
                need=pm.human_bytes(need), count=pm.human(edited.total_with_heads)))
        else:
            self.run_note.setText(translate("params", "Opens {name} in the step-through with seeded random weights "
                                                      "({need} at fp32).").format(
                name=self.edited.name, need=pm.human_bytes(need)))

    def _run(self) -> None:
        if self.edited is not None:
            self.run_requested.emit(self.edited)

    def current_table(self) -> pm.Table | None:
        return self._table

    def current_chart(self) -> BarChart:
        return self.chart


# ---------------------------------------------------------------------------------------------- the view
class ParamsView(QWidget):
    """The Parameters page of the window. `ready` each time a panel has drawn its numbers; `run_requested` with
    an edited Preset for the step-through."""
    name = "params"
    title = "Parameters"
    ready = Signal()
    run_requested = Signal(object)

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.picker = PresetPicker()
        self.picker.changed.connect(self._picked)
        self.compare = ComparePanel()
        self.memory = MemoryPanel()
        self.albert = AlbertPanel()
        self.scaling = ScalingPanel()
        self.editor = EditorPanel()
        self.panels = {p.key: p for p in (self.compare, self.memory, self.albert, self.scaling, self.editor)}
        self.tabs = QTabWidget()
        for key in TABS:
            self.tabs.addTab(self.panels[key], TAB_TITLES[key])
            self.panels[key].drawn.connect(self._drawn)
            self.panels[key].failed.connect(self.show_message)
        self.editor.run_requested.connect(self.run_requested)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.runner = Runner(self, "params-accounts")
        self.message = _note_label()
        self.message.hide()
        self.csv_button, self.png_button, self.svg_button = QPushButton(), QPushButton(), QPushButton()
        self.csv_button.clicked.connect(self._export_csv)
        self.png_button.clicked.connect(self._export_png)
        self.svg_button.clicked.connect(self._export_svg)
        exports = QHBoxLayout()
        exports.addWidget(self.message, 1)
        exports.addStretch(0)
        for b in (self.csv_button, self.png_button, self.svg_button):
            b.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
            exports.addWidget(b)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.tabs, 1)
        rl.addLayout(exports)
        self.split = QSplitter(Qt.Horizontal)
        self.split.addWidget(self.picker)
        self.split.addWidget(right)
        self.split.setSizes([260, 1100])
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.split)
        self.accounts_stale = True
        self.accounts: list = []
        self.free: dict = {}
        state.events.settings.connect(self._settings_changed)
        self.picker.set_checked(DEFAULT_COMPARE)
        self.retranslate()

    # ------------------------------------------------------------------ opening
    def open(self, tab: str | None = None, compare: list[str] | None = None) -> list[str]:
        """Show a panel (one of TABS) with `compare` picked; returns the names that are no preset."""
        unknown = []
        if compare:
            unknown = self.picker.set_checked(compare)
            albert = next((n for n in compare if n in pm.ALBERT_SIZES), None)
            if albert:
                self.albert.set_size(albert)
            if tab == "editor":
                self.editor.set_base(compare[0])
        if unknown:
            self.show_message(translate("params", "No preset called {names} (`python -m engine presets` lists them).")
                              .format(names=", ".join(unknown)))
        if tab in self.panels:
            self.tabs.setCurrentWidget(self.panels[tab])
        self._tab_changed()
        return unknown

    def current_panel(self) -> Panel:
        return self.tabs.currentWidget()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._tab_changed)

    def _tab_changed(self, _index: int = 0) -> None:
        panel = self.current_panel()
        self.picker.setVisible(panel.key in ("compare", "memory"))
        if not self.isVisible() and not self.isVisibleTo(self.window()):
            return
        if panel.key in ("compare", "memory"):
            if self.accounts_stale:
                self.compute_accounts()
        else:
            panel.activate()

    # ------------------------------------------------------------------ accounting the picked presets
    def _picked(self) -> None:
        self.accounts_stale = True
        if self.current_panel().key in ("compare", "memory") and self.isVisibleTo(self.window()):
            QTimer.singleShot(0, self._tab_changed)

    def compute_accounts(self) -> None:
        self.accounts_stale = False
        names = self.picker.checked()
        self.runner.cancel_all()

        def work(job):   # worker thread: meta-device builds, no Qt
            from engine.params import account

            accounts = []
            for name in names:
                job.check()
                accounts.append(account(name))
            return accounts, pm.free_memory()

        self.runner.start(work, self._accounts_ready, self._accounts_failed)

    def _accounts_ready(self, result) -> None:
        self.accounts, self.free = result
        self.compare.set_accounts(self.accounts, self.free)
        self.memory.set_accounts(self.accounts, self.free)

    def _accounts_failed(self, message: str, user_error: bool) -> None:
        self.show_message(message if user_error else
                          translate("params", "Something went wrong: {message}").format(message=message))
        self.ready.emit()

    def _drawn(self) -> None:
        self.ready.emit()

    # ------------------------------------------------------------------ language, messages
    def _settings_changed(self, change) -> None:
        name, _value = change
        if name == "lang":   # the translator is installed already
            for panel in self.panels.values():
                panel.language_changed()
            self.retranslate()
            self.show_message("")   # a message said in the other language: said, not kept

    def retranslate(self) -> None:
        self.picker.retranslate()
        for i, key in enumerate(TABS):
            self.tabs.setTabText(i, shown(TAB_TITLES[key]))
        self.csv_button.setText(translate("params", "Export table as CSV…"))
        self.png_button.setText(translate("params", "Chart as PNG…"))
        self.svg_button.setText(translate("params", "Chart as SVG…"))

    def show_message(self, text: str, error: bool = True) -> None:
        colour = "#b00020" if error else "#1a5e20"
        self.message.setStyleSheet(f"color:{colour}; background:{'#fdecea' if error else '#e8f5e9'}; padding:4px; "
                                   "border-radius:4px")
        self.message.setText(html.escape(text, quote=False))
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ export
    def _ask(self, caption: str, filt: str, suffix: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, f"plm-params-{self.current_panel().key}{suffix}", filt)
        return path or None

    def _export_csv(self) -> None:
        self.export_csv()

    def _export_png(self) -> None:
        self.export_chart("png")

    def _export_svg(self) -> None:
        self.export_chart("svg")

    def csv(self) -> str | None:
        table = self.current_panel().current_table()
        return table.to_csv() if table is not None else None

    def _chart(self) -> BarChart:
        from engine.errors import ExportError

        chart = self.current_panel().current_chart()
        if chart is None:
            raise ExportError(translate("params", "This panel has no chart."))
        return chart

    def export_png(self, path: str | Path) -> Path:
        """The current panel's chart with its legend as PNG, atomically (also the window's File > Export view);
        returns the path written, raises ExportError with the reason."""
        from explorer.views.base import export_png
        return export_png(self._chart(), path)

    def export_svg(self, path: str | Path) -> Path:
        from explorer.views.base import export_svg
        return export_svg(self._chart(), path, f"PLM Explorer: {self.title} · {self.current_panel().key}")

    def export_csv(self, path: str | None = None) -> Path | None:
        """Write the current panel's table (exact numbers) as CSV; a failure is said in the view."""
        text = self.csv()
        if text is None:
            self.show_message(translate("params", "Nothing to export yet."))
            return None
        path = path or self._ask(translate("params", "Export table as CSV"), "CSV (*.csv)", ".csv")
        if not path:
            return None
        return self._write(path, ".csv", lambda tmp: Path(tmp).write_text(text, encoding="utf-8") > 0)

    def export_chart(self, kind: str, path: str | None = None) -> Path | None:
        """The current panel's chart as PNG or SVG; the path written, or None with the reason shown."""
        caption = translate("params", "Export chart as {kind}").format(kind=kind.upper())
        path = path or self._ask(caption, f"{kind.upper()} (*.{kind})", f".{kind}")
        if not path:
            return None
        return self._saved(lambda: self.export_png(path) if kind == "png" else self.export_svg(path))

    def _write(self, path: str, suffix: str, write) -> Path | None:
        from engine.files import atomic_write
        return self._saved(lambda: atomic_write(path, write, suffix))

    def _saved(self, save) -> Path | None:
        """Run an export; say where it went, or why not (never a traceback)."""
        return save_and_say(save, self.show_message)

    # ------------------------------------------------------------------ workers
    def runners(self) -> list[Runner]:
        return self.findChildren(Runner)

    def busy(self) -> bool:
        return any(r.active for r in self.runners())


# ---------------------------------------------------------------------------------------------- command line
VIEW_NAMES = ("params",) + TABS   # --view params, or straight to a panel: --view scaling


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Parameters view (--view params, or --view " + "/".join(TABS) + ")")
    group.add_argument("--compare", default=None, help="presets to compare, comma-separated "
                       "(e.g. albert-base-v2,bert-base-uncased); opens the Parameters view")
    group.add_argument("--params-tab", choices=TABS, default=None, help="the Parameters panel to open")
    group.add_argument("--scale", choices=("auto", "linear", "log"), default=None,
                       help="the Components chart's scale (default auto: log when sizes differ over 30x)")
    group.add_argument("--series", choices=tuple(pm.SERIES), default=None, help="the Scaling panel's series")
    group.add_argument("--edit", default=None, help="config editor: the preset to start from")
    group.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                       help="config editor: a config.json field to change (repeatable), e.g. --set n_head=5")


def wanted(args: argparse.Namespace) -> bool:
    return (getattr(args, "view", None) in VIEW_NAMES or bool(getattr(args, "compare", None))
            or bool(getattr(args, "params_tab", None)) or bool(getattr(args, "edit", None)))


def open_from_args(view: ParamsView, args: argparse.Namespace) -> None:
    """Apply --view/--params-tab/--compare/--scale/--series/--edit/--set to the view."""
    from engine.errors import PLMError
    from engine.params import parse_setting

    tab = args.params_tab or (args.view if args.view in TABS else None)
    if tab is None:
        tab = "editor" if args.edit else ("albert" if args.view == "albert" else "compare")
    compare = [n.strip() for n in (args.compare or "").split(",") if n.strip()]
    if args.scale:
        view.compare.set_scale(args.scale)
    if args.series:
        view.scaling.set_series(args.series)
    if args.edit:
        if not view.editor.set_base(args.edit):
            view.show_message(translate("params", "No preset called {name} to edit.").format(name=repr(args.edit)))
        settings = {}
        for text in args.settings:
            try:
                key, value = parse_setting(text)
            except PLMError as error:
                view.show_message(pm.engine_text(str(error)))
                continue
            settings[key] = value
        unknown = view.editor.set_values(settings)
        if unknown:
            view.editor.show_problems(f"{view.editor.preset.name} has no field " + ", ".join(unknown))   # see pm
    view.open(tab, compare or None)
