"""The PySide6 GUI of PLM Explorer. Everything computed comes from the Qt-free engine."""
