"""PLM Explorer's PySide6 GUI (the engine never imports this package)."""
