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

.PHONY: venv convert build update serve test lint format bench clean clean-cache

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

# Builds into a fresh folder and publishes it as $(SITE) only when it succeeded (scripts/build.py:
# one run at a time; a failed or killed run leaves the last good site).
build: convert
	$(BIN)/python scripts/build.py build --converted --reports $(REPORTS) --out $(OUT) --site $(SITE)

# After reports were added, changed or removed: re-converts and re-renders only what changed
# (parsing, pages, search analysis and links of unchanged reports come from .cache/nianbao),
# in a copy of the published site, published the same way.
update: convert
	$(BIN)/python scripts/build.py update --converted --reports $(REPORTS) --out $(OUT) --site $(SITE)

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
	rm -rf $(dir $(SITE)).$(notdir $(SITE)).builds $(dir $(SITE)).$(notdir $(SITE)).lock

# A damaged cache is repaired entry by entry as it is read; this drops it whole (costs time only).
clean-cache:
	rm -rf .cache/nianbao
