"""Application entry point (the full explorer window grows from here)."""
from __future__ import annotations

import argparse

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle("PLM Explorer")
        self.setCentralWidget(QLabel("PLM Explorer"))
        self.resize(1280, 800)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="main.py")
    parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.show()
    return app.exec()
