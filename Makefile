# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    create .venv, install the app, open the window
#   make test   create .venv, install the app and its test tools, run the whole suite
PYTHON ?= python3
VENV ?= .venv
# Pinned so pip takes the local CPU wheel instead of a multi-GB CUDA build; override e.g. TORCH_SPEC="torch==2.5.1"
TORCH_SPEC ?= torch==2.13.0
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.app
	$(BIN)/pip install --quiet "$(TORCH_SPEC)" -e ".[test]"
	touch $@

run: $(VENV)/.app
	$(BIN)/python main.py $(ARGS)

test: $(VENV)/.test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
