# 年报库 — set-up, build, serve and test. `make serve` and `make test` are the whole set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
REPORTS ?= reports
OUT ?= docs/reports
SITE ?= site
HOST ?= 127.0.0.1
PORT ?= 8000
CONVERT_FLAGS ?=

.PHONY: venv convert build update serve test lint format bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# The converter's exit code decides: 0 (all converted) and 1 (some files named and skipped, the
# rest converted) go on to build; 2 (usage, no reports, catalog problem), 3 (a bug) or any other
# code (killed, interpreter failure) stop here, so the site is never rebuilt from old pages.
convert: venv
	@status=0; $(BIN)/python scripts/convert.py $(CONVERT_FLAGS) $(REPORTS) $(OUT) || status=$$?; \
	if [ $$status -gt 1 ]; then \
	  echo "错误：转换未完成（退出码 $$status），网站未构建：请先处理上面的错误" >&2; exit $$status; \
	fi

build: convert
	$(BIN)/mkdocs build --strict --site-dir $(SITE)

# After reports were added, changed or removed: re-converts and re-renders only what changed
# (parsing, pages, search analysis and links of unchanged reports come from .cache/nianbao).
update: convert
	$(BIN)/mkdocs build --strict --dirty --site-dir $(SITE)

serve: build
	@echo "年报库: http://$(HOST):$(PORT)/"
	$(BIN)/python -m http.server $(PORT) --bind $(HOST) --directory $(SITE)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(SITE) $(OUT) .cache
