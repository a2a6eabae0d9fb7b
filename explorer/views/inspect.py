"""The Look inside page (Ctrl+6): the model of the last Run, read with interpretability tools, and the chapter's
claims as live numbers.

    Logit lens       each layer's hidden state through the model's own head: the top token per layer and position,
                     coloured by its probability (decoders: every position; MLM heads: the [MASK]s)
    Heads            every head summarised (entropy, mean attended distance, share on special tokens, on the first
                     token, on itself), sortable; a click opens that head in the step-through
    Rollout          attention rollout through the layers (Abnar & Zuidema 2020)
    Ablate           click heads off in a layers x heads grid (zero or mean), click cells of the pattern to block
                     them, replace a token; Run compares before, after and their difference
    Demonstrations   the chapter's claims as live numbers (explorer.views.inspect_demos)

Everything computed runs in this page's workers (engine.lens, engine.rollout, engine.interventions, engine.demos do
the work, Qt-free); the page reads the state and moves it (a head opened in the step-through) through its methods,
and tells the window through `step_opened`. `ready` follows every result shown (tests and screenshots wait on it).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from explorer.i18n import ComposedTexts, mark_data, translate
from explorer.views.inspect_demos import DemosPanel
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.inspect_parts import (HeadGrid, TokenTable, engine_text, quoted, readable, readable_tokens,
                                            site_label, token_and_number)
from explorer.workers import Runner

WEIGHTS = {"random": QT_TRANSLATE_NOOP("inspect", "random weights"),
           "real": QT_TRANSLATE_NOOP("inspect", "real weights"),
           "trained": QT_TRANSLATE_NOOP("inspect", "trained weights")}
# the kinds of attention a model has, by their sites' pattern ("{stack}.{}.{kind}"), as the Ablate page names them
KINDS = {"blocks.{}.attn": QT_TRANSLATE_NOOP("inspect", "self-attention"),
         "encoder.blocks.{}.attn": QT_TRANSLATE_NOOP("inspect", "encoder"),
         "decoder.blocks.{}.attn": QT_TRANSLATE_NOOP("inspect", "decoder"),
         "decoder.blocks.{}.cross_attn": QT_TRANSLATE_NOOP("inspect", "decoder cross-attention")}
STACKS = {"blocks": QT_TRANSLATE_NOOP("inspect", "layers"), "encoder.blocks": QT_TRANSLATE_NOOP("inspect", "encoder"),
          "decoder.blocks": QT_TRANSLATE_NOOP("inspect", "decoder")}
PARTS = (QT_TRANSLATE_NOOP("inspect", "Logit lens"), QT_TRANSLATE_NOOP("inspect", "Heads"),
         QT_TRANSLATE_NOOP("inspect", "Rollout"), QT_TRANSLATE_NOOP("inspect", "Ablate"),
         QT_TRANSLATE_NOOP("inspect", "Demonstrations"))
MODES = (("zero", QT_TRANSLATE_NOOP("inspect", "zero: the head's output is 0")),
         ("mean", QT_TRANSLATE_NOOP("inspect", "mean: its mean over the positions")))


def _label(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


class NumberItem(QTableWidgetItem):
    """A table cell that sorts by its number, not its text."""

    def __init__(self, value: float, text: str | None = None):
        super().__init__(text if text is not None else f"{value:.3f}")
        self.value = value
        self.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def __lt__(self, other):
        return self.value < getattr(other, "value", 0.0)


def kind_label(key: str) -> str:
    """A kind of attention ("decoder.blocks.{}.cross_attn") as the Ablate page names it ("decoder cross-attention")."""
    return translate("inspect", KINDS[key]) if key in KINDS else key.replace(".{}", "")


def stack_label(stack: str) -> str:
    return translate("inspect", STACKS[stack]) if stack in STACKS else stack


def layer_label(index: int) -> str:
    """A logit-lens row: 0 the embeddings (the first block's input), l the output of layer l."""
    return translate("inspect", "embeddings") if index == 0 else \
        translate("inspect", "layer {layer}").format(layer=index)


def describe(intervention) -> str:
    """engine.interventions.Intervention.describe, in the interface's language."""
    parts = []
    if intervention.heads:
        heads = translate("inspect", ", ").join(
            translate("inspect", "{site} head {head}").format(site=site_label(s), head=h + 1)
            for s, hs in intervention.heads.items() for h in hs)
        parts.append((translate("inspect", "zeroed: {heads}") if intervention.mode == "zero" else
                      translate("inspect", "mean-ablated: {heads}")).format(heads=heads))
    if intervention.blocked:
        parts.append(translate("inspect", "blocked {count} mask cell(s)").format(count=len(intervention.blocked)))
    if intervention.replace:
        parts.append(translate("inspect", "replaced {count} token(s)").format(count=len(intervention.replace)))
    return translate("inspect", "; ").join(parts) or translate("inspect", "no change")


# ----------------------------------------------------------------------------------------------- the analysis
def analyse(loaded, trace, text: str, pair: str | None, all_positions: bool, check=None) -> dict:
    """Worker thread: the lens, the head summaries and the rollout of one trace (run again, recording every step,
    when the trace shown was recorded with attention only)."""
    from engine.errors import InputError
    from engine.lens import logit_lens
    from engine.rollout import head_summaries, rollout, stack_patterns, stacks

    out: dict = {"model": loaded.name, "tokens": list(trace.tokens)}
    needs = [f"{s}.0.hook_resid_pre" for s in ("blocks", "decoder.blocks")]
    if not any(n in trace.cache for n in needs) and text:
        trace = loaded.trace(text=text, text_pair=pair)
    try:
        lens = logit_lens(loaded, trace, top=5, all_positions=all_positions, check=check)
        tokenizer = loaded.tokenizer
        out["lens"] = lens
        out["lens_words"] = [[[readable(tokenizer, int(i)) for i in cell] for cell in row] for row in lens.top_ids]
    except InputError as error:
        out["lens_error"] = str(error)
    out["summaries"] = head_summaries(trace, loaded.tokenizer)
    out["rollout"] = {}
    for stack in stacks(trace.cache):
        if check is not None:
            check()
        out["rollout"][stack] = rollout(stack_patterns(trace.cache, stack)).numpy()
    return out


# ----------------------------------------------------------------------------------------------- the page
class InspectView(QWidget):
    title = "Look inside"
    name = "inspect"
    step_opened = Signal()
    ready = Signal()

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.runner = Runner(self, "inspect")
        self.ablate_runner = Runner(self, "ablate")
        self.analysis: dict | None = None
        self.comparison = None
        self.blocked: list[tuple[int, int]] = []
        self.head_choice: dict[str, set] = {}
        self._generation = -1
        self.texts = ComposedTexts()   # labels composed from results, composed again on a language change
        self._lens_cell_shown: tuple[int, int] | None = None
        self._build()
        self.retranslate()
        state.events.trace.connect(self._trace_changed)
        state.events.settings.connect(self._settings_changed)

    def _settings_changed(self, change) -> None:
        if change[0] == "lang":
            self.retranslate()

    def retranslate(self) -> None:
        """Every text of the page in the interface's language (the results shown are composed again)."""
        for index, title in enumerate(PARTS):
            self.parts.setTabText(index, translate("inspect", title))
        self.lens_all.setText(translate("inspect", "every position (MLM heads)"))
        self.lens_all.setToolTip(translate("inspect", "an MLM head predicts the token at its position: by default "
                                                      "only the [MASK]s are read"))
        self.heads_note.setText(translate("inspect", "One row per head. Click a column to sort (a low entropy: a head "
                                                     "that looks at few keys; a high share on special tokens: a head "
                                                     "parked on [CLS]/[SEP]). Double-click a row to open that head in "
                                                     "the step-through."))
        self.rollout_note.setText(translate("inspect", "Attention rollout (Abnar & Zuidema 2020): each layer's heads "
                                                       "averaged, half the weight kept on the token itself for the "
                                                       "residual path, rows renormalised, multiplied through the "
                                                       "layers. Row q: how much of each input token reaches position "
                                                       "q."))
        self.rollout_layer.setPrefix(translate("inspect", "after layer "))
        self.heads_off_label.setText(translate("inspect", "Heads to switch off (click; red = off):"))
        for index, (_mode, text) in enumerate(MODES):
            self.ablate_mode.setItemText(index, translate("inspect", text))
        self.replace_position.setPrefix(translate("inspect", "token "))
        self.replace_word.setPlaceholderText(translate("inspect", "replace it by… (a word; empty: keep)"))
        self.clear_button.setText(translate("inspect", "Clear all"))
        self.ablate_button.setText(translate("inspect", "Run with these changes"))
        self.pattern_label.setText(translate("inspect", "Pattern of"))
        self.ablate_head.setPrefix(translate("inspect", "head "))
        for index in range(self.rollout_stack.count()):
            self.rollout_stack.setItemText(index, stack_label(self.rollout_stack.itemData(index)))
        for index in range(self.ablate_kind.count()):
            self.ablate_kind.setItemText(index, kind_label(self.ablate_kind.itemData(index)[0]))
        for index in range(self.ablate_site.count()):
            self.ablate_site.setItemText(index, site_label(self.ablate_site.itemData(index)))
        self.head_grid.retranslate()
        self.texts.recompose()
        self._update_blocked()
        if self.analysis is not None and self.state.trace is not None and self.state.loaded is not None:
            self._show_lens()
            self._retranslate_heads()
            self._show_rollout()
            self._show_comparison()
            self._show_predictions()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        # the status line: what is read (interface), the user's text (data, quoted), a note on random weights
        self.status, self.status_text, self.status_note = _label(wrap=False), mark_data(_label(wrap=False)), _label()
        for label in (self.status, self.status_text, self.status_note):
            label.setStyleSheet("color:#555")
        self._show_status(self._idle_text)
        self.parts = QTabWidget()
        for page in (self._build_lens(), self._build_heads(), self._build_rollout(), self._build_ablate()):
            self.parts.addTab(page, "")
        self.demos = DemosPanel(self.state)
        self.demos.ready.connect(self.ready)
        self.parts.addTab(self.demos, "")
        layout = QVBoxLayout(self)
        status = QHBoxLayout()
        status.addWidget(self.status)
        status.addWidget(self.status_text)
        status.addWidget(self.status_note, 1)
        layout.addLayout(status)
        layout.addWidget(self.parts, 1)

    def _build_lens(self) -> QWidget:
        page = QWidget()
        self.lens_caption = _label()
        self.lens_all = QCheckBox()
        self.lens_all.toggled.connect(lambda _on: self.refresh(force=True))
        self.lens_table = mark_data(TokenTable())   # its cells and columns are tokens; its rows are named in _show_lens
        self.lens_table.cell_chosen.connect(self._lens_cell)
        # a clicked cell: where (interface), its top five tokens (data), the final answer's probability (interface)
        self.lens_detail, self.lens_detail_tokens, self.lens_detail_final = \
            _label(wrap=False), mark_data(_label(wrap=False)), _label()
        self._show_lens_cell(None)
        top = QHBoxLayout()
        top.addWidget(self.lens_caption, 1)
        top.addWidget(self.lens_all)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.lens_table, 1)
        detail = QHBoxLayout()
        detail.addWidget(self.lens_detail)
        detail.addWidget(self.lens_detail_tokens)
        detail.addWidget(self.lens_detail_final, 1)
        layout.addLayout(detail)
        return page

    def _build_heads(self) -> QWidget:
        page = QWidget()
        self.heads_table = QTableWidget()
        self.heads_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.heads_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.heads_table.setSortingEnabled(True)
        self.heads_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.heads_table.cellDoubleClicked.connect(self._head_opened)
        self.heads_note = _label()
        layout = QVBoxLayout(page)
        layout.addWidget(self.heads_note)
        layout.addWidget(self.heads_table, 1)
        return page

    def _build_rollout(self) -> QWidget:
        page = QWidget()
        self.rollout_stack = QComboBox()
        self.rollout_layer = QSpinBox()
        self.rollout_layer.setMinimum(1)
        for widget in (self.rollout_stack, self.rollout_layer):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            signal.connect(lambda _v: self._show_rollout())
        self.rollout_map = Heatmap()
        self.rollout_note = _label()
        row = QHBoxLayout()
        row.addWidget(self.rollout_note, 1)
        row.addWidget(self.rollout_stack)
        row.addWidget(self.rollout_layer)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.rollout_map, 1)
        return page

    def _build_ablate(self) -> QWidget:
        page = QWidget()
        self.ablate_kind = QComboBox()
        self.ablate_kind.currentIndexChanged.connect(self._ablate_kind_changed)
        self.head_grid = HeadGrid()
        self.head_grid.changed.connect(self._grid_changed)
        self.ablate_mode = QComboBox()
        for mode, text in MODES:
            self.ablate_mode.addItem(text, mode)
        self.replace_position = QSpinBox()
        self.replace_position.setMinimum(1)
        self.replace_word = QLineEdit()
        self.blocked_label = _label()
        self.clear_button = clear = QPushButton()
        clear.clicked.connect(self.clear_interventions)
        self.ablate_button = QPushButton()
        self.ablate_button.clicked.connect(self.run_ablation)
        self.ablate_site = QComboBox()
        self.ablate_site.currentIndexChanged.connect(lambda _i: self._show_comparison())
        self.ablate_head = QSpinBox()
        self.ablate_head.setMinimum(1)
        self.ablate_head.valueChanged.connect(lambda _v: self._show_comparison())
        self.before_map, self.after_map, self.diff_map = Heatmap(), Heatmap(), Heatmap()
        self.before_map.cell_clicked.connect(self._toggle_blocked)
        self.predictions = mark_data(QTableWidget())   # predicted tokens; its interface words are set in translate
        self.predictions.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.predictions.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.predictions.verticalHeader().hide()
        self.ablate_summary = _label()
        self.heads_off_label = _label()

        controls = QVBoxLayout()
        controls.addWidget(self.heads_off_label)
        controls.addWidget(self.ablate_kind)
        controls.addWidget(self.head_grid)
        controls.addWidget(self.ablate_mode)
        replace = QHBoxLayout()
        replace.addWidget(self.replace_position)
        replace.addWidget(self.replace_word, 1)
        controls.addLayout(replace)
        controls.addWidget(self.blocked_label)
        buttons = QHBoxLayout()
        buttons.addWidget(clear)
        buttons.addWidget(self.ablate_button, 1)
        controls.addLayout(buttons)
        controls.addWidget(self.ablate_summary)
        controls.addStretch(1)
        left = QWidget()
        left.setLayout(controls)
        left.setMaximumWidth(420)

        pick = QHBoxLayout()
        self.pattern_label = QLabel()
        pick.addWidget(self.pattern_label)
        pick.addWidget(self.ablate_site, 1)
        pick.addWidget(self.ablate_head)
        maps = QSplitter(Qt.Horizontal)
        for heatmap in (self.before_map, self.after_map, self.diff_map):
            maps.addWidget(heatmap)
        right = QSplitter(Qt.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(pick)
        top_layout.addWidget(maps, 1)
        right.addWidget(top)
        right.addWidget(self.predictions)
        right.setSizes([520, 260])
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(split)
        return page

    # ------------------------------------------------------------------ following the state
    def _trace_changed(self, _trace=None) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:   # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Analyse the state's trace (in a worker) unless that was done already."""
        state = self.state
        if state.trace is None or state.loaded is None:
            self._show_status(self._idle_text)
            return
        if state.generation == self._generation and not force:
            return
        self._generation = state.generation
        loaded, trace, text, pair = state.loaded, state.trace, state.text, state.pair
        all_positions = self.lens_all.isChecked()
        self._show_status(lambda: translate("inspect", "{model}: reading the run of").format(model=loaded.name),
                          f"“{text[:80]}”…")
        self.runner.cancel_all()
        self.runner.start(lambda job: analyse(loaded, trace, text, pair, all_positions, job.check),
                          self._analysed, self._failed)
        self.demos.fill_choices()

    def busy(self) -> bool:
        return any(r.active for r in self.runners())

    def runners(self) -> list[Runner]:
        return [self.runner, self.ablate_runner, self.demos.runner]

    @staticmethod
    def _idle_text() -> str:
        return translate("inspect", "Run a model on the Step through page (Ctrl+1); this page reads that run.")

    def _show_status(self, compose, text: str = "", note=lambda: "") -> None:
        """The status line: compose() says what is read, then the user's text (data), then note()."""
        self.texts.say(self.status, compose)
        self.status_text.setText(text)
        self.status_text.setVisible(bool(text))
        self.texts.say(self.status_note, note)

    def _failed(self, message: str, _user: bool = True) -> None:
        self._show_status(lambda: engine_text(message))
        self.ready.emit()

    def _analysed(self, result: dict) -> None:
        self.analysis = result
        self._lens_cell_shown = None
        loaded, text = self.state.loaded, self.state.text

        def status() -> str:
            weights = ""
            if loaded is not None:
                weights = translate("inspect", WEIGHTS[loaded.weights]) if loaded.weights in WEIGHTS else \
                    translate("inspect", "{weights} weights").format(weights=loaded.weights)
            return translate("inspect", "{model} ({weights}) on").format(model=result["model"], weights=weights)

        def note() -> str:
            if loaded is not None and loaded.weights == "random":
                return translate("inspect", "  ·  random weights: the tools work, the answers mean nothing")
            return ""
        self._show_status(status, f"“{text[:80]}”" if text else "", note)
        self._show_lens_cell(None)
        self._show_lens()
        self._show_heads()
        self._fill_rollout()
        self._fill_ablate()
        self.demos.show_ffn()
        self.ready.emit()

    # ------------------------------------------------------------------ logit lens
    def _show_lens(self) -> None:
        result = self.analysis
        if "lens_error" in result:
            self.lens_caption.setText(engine_text(result["lens_error"]))
            self.lens_table.set_cells([], [], [], [])
            return
        lens = result["lens"]
        words = result["lens_words"]
        probs = lens.top_probs[:, :, 0].numpy()
        scale = 1.0 if probs.max() > 0.2 else float(probs.max())
        names = self._readable_tokens(decoder=lens.tokens != list(self.state.trace.tokens))
        columns = [f"{p + 1} {names[p] if p < len(names) else lens.tokens[p]}" for p in lens.positions]
        texts = [[words[l][p][0] for p in range(len(lens.positions))] for l in range(len(lens.layers))]
        tips = [[self._lens_tip(l, p) for p in range(len(lens.positions))] for l in range(len(lens.layers))]
        self.lens_table.set_cells([layer_label(i) for i in range(len(lens.layers))], columns, texts, probs, tips,
                                  scale)
        caption = (translate("inspect", "Each layer's hidden state through the model's own output head: its top "
                                        "prediction of the next token. Colour: that prediction's probability, white "
                                        "0 → blue {scale}. The last row is the model's own output. {note}")
                   if lens.kind == "lm" else
                   translate("inspect", "Each layer's hidden state through the model's own output head: its top "
                                        "prediction of the token at that position. Colour: that prediction's "
                                        "probability, white 0 → blue {scale}. The last row is the model's own "
                                        "output. {note}"))
        self.lens_caption.setText(caption.format(scale=f"{scale:.3g}", note=engine_text(lens.note) if lens.note
                                                 else "").rstrip())
        if self._lens_cell_shown is not None:
            self._show_lens_cell(self._lens_cell_shown)

    def _lens_tip(self, layer: int, column: int) -> str:
        lens, words = self.analysis["lens"], self.analysis["lens_words"]
        tops = translate("inspect", ", ").join(token_and_number(w, f"{float(p):.3g}")
                                               for w, p in zip(words[layer][column], lens.top_probs[layer, column]))
        return translate("inspect", "{layer}, position {position}: {tops}\nprobability of the model's final answer "
                                    "here: {probability}").format(
            layer=layer_label(layer), position=lens.positions[column] + 1, tops=tops,
            probability=f"{float(lens.final_prob[layer, column]):.3g}")

    def _lens_cell(self, row: int, col: int) -> None:
        if self.analysis and "lens" in self.analysis:
            self._show_lens_cell((row, col))

    def _show_lens_cell(self, cell: tuple[int, int] | None) -> None:
        lens = (self.analysis or {}).get("lens")
        if cell is not None and (lens is None or not (0 <= cell[0] < len(lens.layers)
                                                      and 0 <= cell[1] < len(lens.positions))):
            cell = None
        self._lens_cell_shown = cell
        if cell is None:
            self.texts.say(self.lens_detail, lambda: translate("inspect", "click a cell for its top five tokens"))
            self.lens_detail_tokens.setText("")
            self.texts.say(self.lens_detail_final, lambda: "")
            return
        layer, column = cell
        lens, words = self.analysis["lens"], self.analysis["lens_words"]
        self.texts.say(self.lens_detail, lambda: translate("inspect", "{layer}, position {position}:")
                  .format(layer=layer_label(layer), position=lens.positions[column] + 1))
        tops = zip(words[layer][column], lens.top_probs[layer, column])
        self.lens_detail_tokens.setText(translate("inspect", ", ").join(token_and_number(w, f"{float(p):.3g}")
                                                                        for w, p in tops))
        self.texts.say(self.lens_detail_final, lambda: "  ·  " + translate(
            "inspect", "probability of the model's final answer here: {probability}")
                  .format(probability=f"{float(lens.final_prob[layer, column]):.3g}"))

    # ------------------------------------------------------------------ heads
    COLUMNS = (QT_TRANSLATE_NOOP("inspect", "where"), QT_TRANSLATE_NOOP("inspect", "head"),
               QT_TRANSLATE_NOOP("inspect", "entropy (bits)"), QT_TRANSLATE_NOOP("inspect", "mean distance"),
               QT_TRANSLATE_NOOP("inspect", "on special tokens"), QT_TRANSLATE_NOOP("inspect", "on the first token"),
               QT_TRANSLATE_NOOP("inspect", "on itself"))   # (the CSV keeps the English names)

    def _show_heads(self) -> None:
        table = self.heads_table
        summaries = self.analysis["summaries"]
        table.setSortingEnabled(False)
        table.clear()
        table.setColumnCount(len(self.COLUMNS))
        table.setHorizontalHeaderLabels([translate("inspect", c) for c in self.COLUMNS])
        table.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            where = QTableWidgetItem(site_label(s.site))
            where.setData(Qt.UserRole, (s.step, s.head))
            where.setData(Qt.UserRole + 1, s.site)
            table.setItem(row, 0, where)
            table.setItem(row, 1, NumberItem(s.head + 1, str(s.head + 1)))
            for col, value in enumerate((s.entropy, s.distance, s.special, s.first, s.self_share), start=2):
                table.setItem(row, col, NumberItem(value))
        table.setSortingEnabled(True)

    def _retranslate_heads(self) -> None:
        """The column names and the layers' names in the new language, the rows kept as sorted."""
        table = self.heads_table
        if table.columnCount() == len(self.COLUMNS):
            table.setHorizontalHeaderLabels([translate("inspect", c) for c in self.COLUMNS])
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if item is not None and item.data(Qt.UserRole + 1):
                item.setText(site_label(item.data(Qt.UserRole + 1)))

    def _head_opened(self, row: int, _col: int = 0) -> None:
        step, head = self.heads_table.item(row, 0).data(Qt.UserRole)
        self.open_head(step, head)

    def open_head(self, step: str, head: int) -> None:
        """Go to a head's pattern in the step-through (through the state) and tell the window."""
        if self.state.go_to(step):
            self.state.set_head(head)
            self.step_opened.emit()

    # ------------------------------------------------------------------ rollout
    def _fill_rollout(self) -> None:
        stacks = list(self.analysis["rollout"])
        self.rollout_stack.blockSignals(True)
        self.rollout_stack.clear()
        for stack in stacks:
            self.rollout_stack.addItem(stack_label(stack), stack)
        self.rollout_stack.blockSignals(False)
        self._show_rollout(last=True)

    def _show_rollout(self, last: bool = False) -> None:
        if not self.analysis or self.rollout_stack.currentData() is None:
            return
        stack = self.rollout_stack.currentData()
        flow = self.analysis["rollout"][stack]
        self.rollout_layer.blockSignals(True)
        self.rollout_layer.setMaximum(flow.shape[0])
        if last:
            self.rollout_layer.setValue(flow.shape[0])
        self.rollout_layer.blockSignals(False)
        layer = self.rollout_layer.value() - 1
        tokens = self._readable_tokens(decoder=stack.startswith("decoder"))
        self.rollout_map.set_matrix(flow[layer], tokens, tokens, mode="prob",
                                    row_name=translate("inspect", "position"),
                                    col_name=translate("inspect", "input token"),
                                    title=translate("inspect", "rollout after layer {layer}").format(layer=layer + 1))

    # ------------------------------------------------------------------ ablate
    def _kinds(self) -> list[tuple[str, str, int, int]]:
        """(label, site pattern "{stack}.{}.{kind}", layers, heads) of each kind of attention in the trace."""
        from collections import OrderedDict

        groups: OrderedDict = OrderedDict()
        for s in self.analysis["summaries"]:
            stack, _layer, kind = s.site.rsplit(".", 2)
            key = f"{stack}.{{}}.{kind}"
            layers, heads = groups.get(key, (0, 0))
            groups[key] = (max(layers, s.layer + 1), max(heads, s.head + 1))
        return [(kind_label(key), key, layers, heads) for key, (layers, heads) in groups.items()]

    def _fill_ablate(self) -> None:
        self.comparison = None
        self.blocked = []
        self.head_choice = {}
        self.ablate_kind.blockSignals(True)
        self.ablate_kind.clear()
        for label, key, layers, heads in self._kinds():
            self.ablate_kind.addItem(label, (key, layers, heads))
        self.ablate_kind.blockSignals(False)
        self._ablate_kind_changed()
        self.replace_position.setMaximum(max(1, len(self.state.trace.tokens)))
        self.ablate_site.blockSignals(True)
        self.ablate_site.clear()
        for s in dict.fromkeys(s.site for s in self.analysis["summaries"]):
            self.ablate_site.addItem(site_label(s), s)
        self.ablate_site.blockSignals(False)
        self._update_blocked()
        self._show_comparison()

    def _ablate_kind_changed(self, _index: int = -1) -> None:
        data = self.ablate_kind.currentData()
        if data is None:
            return
        key, layers, heads = data
        self.head_grid.set_shape(layers, heads)
        self.head_grid.set_chosen(self.head_choice.get(key, set()))

    def _grid_changed(self) -> None:
        data = self.ablate_kind.currentData()
        if data is not None:
            self.head_choice[data[0]] = {(l, h) for l, hs in self.head_grid.chosen().items() for h in hs}

    def choose_heads(self, cells, kind: int = 0) -> None:
        """Switch heads off as a click would: cells (layer, head), 0-based, in the kind of attention `kind`."""
        self.ablate_kind.setCurrentIndex(kind)
        self.head_grid.set_chosen(set(cells))

    def _toggle_blocked(self, row: int, col: int) -> None:
        cell = (row, col)
        self.blocked.remove(cell) if cell in self.blocked else self.blocked.append(cell)
        self._update_blocked()

    def _update_blocked(self) -> None:
        cells = ", ".join(f"({q + 1}, {k + 1})" for q, k in self.blocked) or translate("inspect", "none")
        self.blocked_label.setText(translate("inspect", "Blocked mask cells (query, key): {cells}  — click cells of "
                                                        "the Before pattern to block them in every self-attention "
                                                        "layer").format(cells=cells))

    def clear_interventions(self, _checked: bool = False) -> None:
        self.head_choice = {}
        self.blocked = []
        self.replace_word.clear()
        self._ablate_kind_changed()
        self._update_blocked()

    def intervention(self):
        """The changes chosen on the page, as an engine Intervention (InputError when a word cannot be used)."""
        from engine.errors import InputError
        from engine.interventions import Intervention

        heads = {}
        for key, cells in self.head_choice.items():
            for layer, head in cells:
                heads.setdefault(key.format(layer), []).append(head)
        replace = {}
        word = self.replace_word.text().strip()
        if word:
            tokenizer = self.state.loaded.tokenizer
            ids = tokenizer.encode(word, add_special_tokens=False).ids if tokenizer is not None else []
            if not ids:
                error = InputError(self._no_token(word))
                error.word = word
                raise error
            replace[self.replace_position.value() - 1] = ids[0]
        return Intervention(heads={k: sorted(v) for k, v in heads.items()},
                            mode=self.ablate_mode.currentData(), blocked=list(self.blocked), replace=replace)

    @staticmethod
    def _no_token(word: str) -> str:
        return translate("inspect", "{word} gives no token for this model").format(word=repr(word))

    def run_ablation(self, _checked: bool = False) -> None:
        from engine.errors import InputError
        from engine.interventions import compare

        state = self.state
        if state.trace is None or not state.text:
            self.texts.say(self.ablate_summary,
                           lambda: translate("inspect", "Run a text first (the step-through's Run)."))
            return
        try:
            intervention = self.intervention()
        except InputError as error:
            word, message = getattr(error, "word", None), str(error)
            self.texts.say(self.ablate_summary, (lambda: self._no_token(word)) if word is not None else
                      (lambda: engine_text(message)))
            return
        if intervention.empty:
            self.texts.say(self.ablate_summary, lambda: translate(
                "inspect", "Nothing to change: click heads off, block mask cells or replace a token."))
            return
        loaded, trace, text, pair = state.loaded, state.trace, state.text, state.pair
        self.texts.say(self.ablate_summary, lambda: translate("inspect", "running: {changes}…")
                  .format(changes=describe(intervention)))
        self.ablate_runner.cancel_all()
        self.ablate_runner.start(lambda job: compare(loaded, intervention, text=text, text_pair=pair, before=trace),
                                 self._compared, self._ablate_failed)

    def _ablate_failed(self, message: str, _user: bool = True) -> None:
        self.texts.say(self.ablate_summary, lambda: engine_text(message))
        self.ready.emit()

    def _compared(self, result) -> None:
        self.comparison = result

        def summary() -> str:
            tops = ""
            if result.kind:
                tops = translate("inspect", "  ·  largest change of any logit {change}; KL per position up to {kl} "
                                            "nats").format(change=f"{result.logit_change:.3g}",
                                                           kl=f"{max(result.kl, default=0):.3g}")
            return describe(result.intervention) + tops
        self.texts.say(self.ablate_summary, summary)
        chosen = next((s for s in result.intervention.heads), None)
        if chosen is not None and self.ablate_site.findData(chosen) >= 0:
            self.ablate_site.setCurrentIndex(self.ablate_site.findData(chosen))
            self.ablate_head.setValue(result.intervention.heads[chosen][0] + 1)
        self._show_comparison()
        self._show_predictions()
        self.ready.emit()

    def _show_comparison(self) -> None:
        site = self.ablate_site.currentData()
        if site is None or self.state.trace is None or f"{site}.hook_pattern" not in self.state.trace.cache:
            return
        before = self.state.trace.cache[f"{site}.hook_pattern"][0]
        self.ablate_head.setMaximum(before.shape[0])
        head = min(self.ablate_head.value() - 1, before.shape[0] - 1)
        rows = self._side_tokens(site, "q", before.shape[1])
        cols = self._side_tokens(site, "k", before.shape[2])
        query, key = translate("inspect", "query"), translate("inspect", "key")
        self.before_map.set_matrix(before[head].numpy(), rows, cols, mode="prob", row_name=query, col_name=key,
                                   title=translate("inspect", "before"))
        for q, k in self.blocked:
            if q < before.shape[1] and k < before.shape[2]:
                self.before_map.select(q, k)
        result = self.comparison
        if result is None or f"{site}.hook_pattern" not in result.after.cache:
            self.after_map.set_matrix(np.zeros_like(before[head].numpy()), rows, cols, mode="prob",
                                      row_name=query, col_name=key, title=translate("inspect", "after (run to see)"))
            self.diff_map.set_matrix(np.zeros_like(before[head].numpy()), rows, cols, mode="signed",
                                     row_name=query, col_name=key, title=translate("inspect", "after − before"))
            return
        self.after_map.set_matrix(result.pattern(site, "after")[head].numpy(), rows, cols, mode="prob",
                                  row_name=query, col_name=key, title=translate("inspect", "after"))
        self.diff_map.set_matrix(result.pattern(site, "diff")[head].numpy(), rows, cols, mode="signed",
                                 row_name=query, col_name=key, title=translate("inspect", "after − before"))

    def _side_tokens(self, site: str, side: str, n: int) -> list[str]:
        """Readable labels of a pattern's query ("q") or key ("k") axis: T5's decoder tokens on the decoder side."""
        decoder = site.startswith("decoder") and not (side == "k" and site.endswith("cross_attn"))
        tokens = self._readable_tokens(decoder)
        return tokens if len(tokens) == n else [str(i + 1) for i in range(n)]

    def _readable_tokens(self, decoder: bool = False) -> list[str]:
        return readable_tokens(self.state.trace, self.state.loaded, decoder)

    def _show_predictions(self) -> None:
        result = self.comparison
        table = self.predictions
        table.clear()
        if result is None or not result.kind:
            table.setRowCount(0)
            table.setColumnCount(1)
            table.setHorizontalHeaderLabels([translate("inspect", "this model has no token head: only the "
                                                                  "patterns compare")])
            return
        tokenizer = self.state.loaded.tokenizer
        names = self._readable_tokens(decoder=result.tokens != list(result.before.tokens))
        names += [str(i + 1) for i in range(len(names), len(result.tokens))]
        headers = [translate("inspect", "position"), translate("inspect", "before: top 3"),
                   translate("inspect", "after: top 3"), translate("inspect", "KL (nats)")]
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(result.positions) + len(result.changes))
        comma = translate("inspect", ", ")
        for row, position in enumerate(result.positions):
            top = [comma.join(token_and_number(readable(tokenizer, i), f"{p:.3g}") for i, _t, p in side[row][:3])
                   for side in (result.top_before, result.top_after)]
            table.setItem(row, 0, QTableWidgetItem(translate("inspect", "{position} {token}")
                                                   .format(position=position + 1, token=quoted(names[position]))))
            table.setItem(row, 1, QTableWidgetItem(top[0]))
            table.setItem(row, 2, QTableWidgetItem(top[1]))
            table.setItem(row, 3, NumberItem(result.kl[row], f"{result.kl[row]:.3g}"))
        start = len(result.positions)
        for offset, change in enumerate(result.changes):
            row = start + offset
            table.setItem(row, 0, QTableWidgetItem(translate("inspect", "largest change: position {position}")
                                                   .format(position=change.position + 1)))
            table.setItem(row, 1, QTableWidgetItem(token_and_number(readable(tokenizer, change.id),
                                                                    f"{change.before:.3g}")))
            table.setItem(row, 2, QTableWidgetItem(token_and_number(readable(tokenizer, change.id),
                                                                    f"{change.after:.3g}")))
            table.setItem(row, 3, QTableWidgetItem(f"{change.delta:+.3g}"))

    # ------------------------------------------------------------------ export
    def export_png(self, path: str | Path) -> Path:
        from explorer.views.base import export_png
        return export_png(self.parts.currentWidget(), path)

    def export_svg(self, path: str | Path) -> Path:
        from explorer.views.base import export_svg
        return export_svg(self.parts.currentWidget(), path, "PLM Explorer: Look inside")

    def csv(self) -> str | None:
        """The current part's numbers: the lens's top tokens, the head summaries, or the rollout matrix."""
        part = self.parts.currentIndex()
        if part == 0 and self.analysis and "lens" in self.analysis:
            lens = self.analysis["lens"]
            words = self.analysis["lens_words"]
            lines = ["layer," + ",".join(f"position {p + 1}" for p in lens.positions)]
            for l, layer in enumerate(lens.layers):
                lines.append(layer + "," + ",".join(f'"{words[l][i][0]} {float(lens.top_probs[l, i, 0]):.4g}"'
                                                    for i in range(len(lens.positions))))
            return "\n".join(lines) + "\n"
        if part == 1 and self.analysis:
            lines = [",".join(self.COLUMNS)]
            for s in self.analysis["summaries"]:
                lines.append(f"{s.site},{s.head + 1},{s.entropy:.6g},{s.distance:.6g},{s.special:.6g},"
                             f"{s.first:.6g},{s.self_share:.6g}")
            return "\n".join(lines) + "\n"
        if part == 2:
            return self.rollout_map.to_csv()
        return None
