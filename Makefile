# The two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv when missing and installs the project into it; the install is
# re-run only when pyproject.toml changes, so a second run installs nothing new.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := mesh authz subgraphs store linkage devtools telemetry bench tests

.PHONY: demo test unit lint typecheck pytest bench bench-families bench-seed bench-linkage \
	db-stop clean help wheelhouse deploy-check graphiql

help:
	@echo "make demo        start the store, seed a synthetic Greater Manchester, start the mesh (PORT=4000)"
	@echo "make test        lint, type-check and run every test against real PostgreSQL"
	@echo "make unit        the fast layer only: no PostgreSQL, no processes (seconds)"
	@echo "make bench       our gateway vs @apollo/gateway and Hive Gateway (SCALE=full for all GM)"
	@echo "make bench-families  early-help cohort and demand-table timings (SCALE=full: fam_ stores)"
	@echo "make bench-seed  seed all of Greater Manchester (2,867,800 people) and report people/s"
	@echo "make bench-linkage  link whole and by a 1 % delta, scored (SCALE=20k|200k|full)"
	@echo "make db-stop     stop the embedded PostgreSQL"
	@echo "make wheelhouse  every wheel the image installs, in build/wheelhouse (for docker build)"
	@echo "make deploy-check  build the image, run the Compose stack, query it, tear it down"
	@echo "make graphiql    rebuild the bundled GraphiQL from tools/graphiql (needs Node and npm)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(or $(EXTRAS),dev)]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mesh demo $(if $(PORT),--port $(PORT),)

lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

unit: $(STAMP)
	$(BIN)/pytest tests/unit

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m bench.run $(if $(SCALE),--scale $(SCALE),)
	$(BIN)/python -m bench.families $(if $(SCALE),--scale $(SCALE),)

bench-families: $(STAMP)
	$(BIN)/python -m bench.families $(if $(SCALE),--scale $(SCALE),)

bench-seed: $(STAMP)
	MESH_DB_PREFIX=gm_ $(BIN)/mesh seed --people 2867800 --reset

bench-linkage: $(STAMP)
	$(BIN)/python -m bench.linkage --scale $(or $(SCALE),20k)

db-stop: $(STAMP)
	$(BIN)/mesh db stop

wheelhouse: $(STAMP)
	rm -rf build/wheelhouse
	$(BIN)/python -m pip wheel --quiet --wheel-dir build/wheelhouse .

deploy-check: $(STAMP)
	bash docker/deploy-check.sh

graphiql:
	cd tools/graphiql && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
