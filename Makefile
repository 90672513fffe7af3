# 年报库 — set-up, build, serve and test. `make serve` and `make test` are the whole set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
REPORTS ?= reports
# Each archive has its own generated pages and caches, so building one never disturbs another's:
# the sample (reports/) in docs/reports and .cache/, any other folder in
# .archives/<its name>-<digest of its path>/ (docs/ there links to the site's own pages).
ifeq ($(abspath $(REPORTS)),$(abspath reports))
ARCHIVE ?= .
DOCS ?= docs
else
ARCHIVE ?= .archives/$(notdir $(abspath $(REPORTS)))-$(shell printf %s "$(abspath $(REPORTS))" | sha256sum | cut -c1-8)
DOCS ?= $(ARCHIVE)/docs
endif
OUT ?= $(DOCS)/reports
CACHE ?= $(ARCHIVE)/.cache/nianbao
# mkdocs.yml reads it; only set for another archive (tests and the sample build use docs/).
ifneq ($(abspath $(DOCS)),$(abspath docs))
export NIANBAO_DOCS_DIR := $(abspath $(DOCS))
endif
SITE ?= site
HOST ?= 127.0.0.1
PORT ?= 8000
CONVERT_FLAGS ?=

.PHONY: venv docs-dir convert build update serve test lint format bench clean clean-cache

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# axe-core (npm), which the browser tests inject into pages to check them: only the tests need
# npm, so `make serve` works on a machine without it.
AXE := tests/browser/node_modules/.installed
$(AXE): tests/browser/package-lock.json
	cd tests/browser && npm ci --omit-lockfile-registry-resolved --no-audit --no-fund --silent
	touch $@

# The converter's exit code decides: 0 (all converted) and 1 (some files named and skipped, the
# rest converted) go on to build; 2 (usage, no reports, catalog problem), 3 (a bug) or any other
# code (killed, interpreter failure) stop here, so the site is never rebuilt from old pages.
convert: venv docs-dir
	@status=0; $(BIN)/python scripts/convert.py $(CONVERT_FLAGS) $(REPORTS) $(OUT) --cache $(CACHE) || status=$$?; \
	if [ $$status -gt 1 ]; then \
	  echo "错误：转换未完成（退出码 $$status），网站未构建：请先处理上面的错误" >&2; exit $$status; \
	fi

# Another archive's docs folder: its own reports/ beside links to the site's pages and assets.
docs-dir:
	@if [ "$(abspath $(DOCS))" != "$(abspath docs)" ]; then \
	  mkdir -p $(DOCS) && for entry in docs/*; do \
	    [ "$$entry" = docs/reports ] || ln -sfn "$(CURDIR)/$$entry" "$(DOCS)/"; \
	  done; \
	fi

# Builds into a fresh folder and publishes it as $(SITE) only when it succeeded (scripts/build.py:
# one run at a time; a failed or killed run leaves the last good site).
build: convert
	$(BIN)/python scripts/build.py build --converted --reports $(REPORTS) --out $(OUT) --site $(SITE) --cache $(CACHE)

# After reports were added, changed or removed: re-converts and re-renders only what changed
# (parsing, pages, search analysis and links of unchanged reports come from .cache/nianbao),
# in a copy of the published site, published the same way.
update: convert
	$(BIN)/python scripts/build.py update --converted --reports $(REPORTS) --out $(OUT) --site $(SITE) --cache $(CACHE)

# The port is checked before building (a busy port is one Chinese line, not a build and a
# traceback); scripts/serve.py answers a missing address with the site's own 404 page.
serve: venv
	@$(BIN)/python scripts/serve.py --check $(HOST) $(PORT)
	$(MAKE) build
	$(BIN)/python scripts/serve.py $(HOST) $(PORT) $(SITE)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint $(AXE)
	$(BIN)/python -m pytest

clean:
	rm -rf $(SITE) $(OUT) .cache .archives
	rm -rf $(dir $(SITE)).$(notdir $(SITE)).builds $(dir $(SITE)).$(notdir $(SITE)).lock

# A damaged cache is repaired entry by entry as it is read; this drops it whole (costs time only).
clean-cache:
	rm -rf $(CACHE)
