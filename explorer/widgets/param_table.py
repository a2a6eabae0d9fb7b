"""A read-only table of an explorer.params_model.Table: exact counts with thousands separators (the human size and
the share in the tooltip), totals in bold, cells where a source differs marked in red, long text cut to a column
width with the whole text in the tooltip."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QAbstractScrollArea, QHeaderView, QSizePolicy, QTableWidget,
                               QTableWidgetItem)

from explorer.i18n import translate
from explorer.params_model import Table, human

MAX_COLUMN = 300
MARKED = QColor("#fdecea")          # where a source differs (the notes' slips)
MARKED_TEXT = QColor("#b00020")
NOTED = QColor("#e8f0fb")           # a remark on a cell (a tied weight)
NOTED_TEXT = QColor("#1a4f8b")
TOTAL = QColor("#eef3fb")


class ParamTable(QTableWidget):
    """fit_height: as tall as its rows (up to the space there is), so a short table leaves no blank box."""

    def __init__(self, parent=None, fit_height: bool = False):
        super().__init__(parent)
        if fit_height:
            self.setSizeAdjustPolicy(QAbstractScrollArea.AdjustToContents)
            self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Maximum)
        self.table: Table | None = None
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.ContiguousSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)
        self.setMinimumWidth(200)

    def set_table(self, table: Table | None) -> None:
        self.table = table
        self.clear()
        if table is None:
            self.setRowCount(0)
            self.setColumnCount(0)
            return
        self.setColumnCount(len(table.columns))
        self.setRowCount(len(table.rows))
        self.setHorizontalHeaderLabels(table.columns)
        self.setVerticalHeaderLabels([r.label for r in table.rows])
        bold = QFont()
        bold.setBold(True)
        totals = {}
        total_row = table.row("total_with_heads")
        if total_row is not None:
            totals = {i: v for i, v in enumerate(total_row.values) if isinstance(v, int) and v}
        for r, row in enumerate(table.rows):
            header = self.verticalHeaderItem(r)
            if header is not None and row.kind == "total":
                header.setFont(bold)
            for c in range(len(table.columns)):
                value = row.values[c] if c < len(row.values) else None
                item = QTableWidgetItem(table.text(row, c) if c < len(row.values) else "")
                numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                item.setTextAlignment((Qt.AlignRight if numeric else Qt.AlignLeft) | Qt.AlignVCenter)
                tips = []
                if c < len(row.tooltips) and row.tooltips[c]:
                    tips.append(str(row.tooltips[c]))
                if numeric and table.format_of(row, c) == "count" and value >= 1000:
                    if c in totals and row.kind == "component":
                        tips.insert(0, translate("param_table", "{count} ≈ {human}, {share} of the total").format(
                            count=f"{value:,}", human=human(value), share=f"{value / totals[c]:.1%}"))
                    else:
                        tips.insert(0, f"{value:,} ≈ {human(value)}")
                if isinstance(value, str) and len(value) > 40:
                    tips.insert(0, value)
                if c in row.marks:
                    slip = row.kind == "notes"
                    item.setForeground(QBrush(MARKED_TEXT if slip else NOTED_TEXT))
                    item.setBackground(QBrush(MARKED if slip else NOTED))
                    tips.append(row.marks[c])
                elif row.kind == "total":
                    item.setFont(bold)
                    item.setBackground(QBrush(TOTAL))
                elif row.kind == "notes":
                    item.setForeground(QBrush(QColor("#555555")))
                if tips:
                    item.setToolTip("\n".join(tips))
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
        for c in range(self.columnCount()):
            if self.columnWidth(c) > MAX_COLUMN:
                self.setColumnWidth(c, MAX_COLUMN)

    def cell(self, row_key: str, column: int) -> str:
        """The text shown in a row (by key) and column (tests read the window through this)."""
        if self.table is None:
            return ""
        for r, row in enumerate(self.table.rows):
            if row.key == row_key:
                item = self.item(r, column)
                return item.text() if item is not None else ""
        return ""
