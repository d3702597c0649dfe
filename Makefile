# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint babel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/keliling demo
	$(BIN)/keliling serve --port 5000

test: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-extract and compile the UI translations after changing user-visible text.
babel: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o web/translations/messages.pot .
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations
	$(BIN)/pybabel compile -d web/translations
	$(BIN)/pybabel extract -F babel-planner.cfg -k _ -k N_ -k ngettext:1,2 -o planner/translations/planner.pot planner
	$(BIN)/pybabel update -D planner -i planner/translations/planner.pot -d planner/translations
	$(BIN)/pybabel compile -D planner -d planner/translations

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
