# Livinglab: `make run` serves the app with demo content, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Two workers: the suite is independent per test (own tables, own index folder, own browser page).
PYTEST_ARGS ?= -n 2
FLASK := $(BIN)/flask --app wsgi
CATALOG := livinglab/translations

.PHONY: run test lint install translations extract-messages update-messages setup-db clean bench-search bench-search-worst bench-rebuild eval-search bench-commitments bench-evaluations bench-web profile-page

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d $(CATALOG) --statistics 2>&1 | grep -v '^compiling' || true

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* __pycache__" --no-location \
		--sort-output --width 120 --project Livinglab --copyright-holder "Livinglab developers" -o $(CATALOG)/messages.pot livinglab

update-messages: extract-messages
	$(BIN)/pybabel update -i $(CATALOG)/messages.pot -d $(CATALOG) --no-fuzzy-matching --ignore-obsolete --width 120

setup-db: install
	FLASK_DEBUG=1 $(FLASK) db upgrade
	FLASK_DEBUG=1 $(FLASK) content load
	FLASK_DEBUG=1 $(FLASK) demo load
	FLASK_DEBUG=1 $(FLASK) search sync

run: setup-db
	@FLASK_DEBUG=1 $(FLASK) demo logins
	FLASK_DEBUG=1 DEMO_MODE=1 $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Lint rules in ruff.toml; the package layers in .importlinter (see docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache

bench-search: install
	$(BIN)/python bench/search_bench.py --sizes $${SIZES:-10000,100000}

# Search quality on the judged queries (recall@3, MRR per category), on a temporary SQLite copy of the demo.
eval-search: install
	$(BIN)/python bench/eval_search.py

# A full `search rebuild` from the database, end to end, at each size and number of indexing processes.
bench-rebuild: install
	$(BIN)/python bench/rebuild_bench.py --sizes $${SIZES:-10000,100000} --procs $${PROCS:-1,2}

bench-search-worst: install
	$(BIN)/python bench/search_worst_bench.py --sizes $${SIZES:-10000}

bench-commitments: install
	$(BIN)/python bench/commitments_bench.py --sizes $${SIZES:-1000,10000} --rounds $${ROUNDS:-7}

bench-evaluations: install
	$(BIN)/python bench/evaluations_bench.py --rounds $${ROUNDS:-5}

# Pages under gunicorn (2 sync workers) loaded by wrk, against a Flask hello-world in the same run (bench/web_bench.py).
profile-page: install
	$(BIN)/python bench/profile_page.py --page "$${PAGE:?set PAGE, e.g. PAGE=/notifications}" --as "$${AS:-}" \
		--set $${SET:-demo} --requests $${REQUESTS:-200}

bench-web: install
	@command -v wrk >/dev/null || apt-get install -y -q wrk || (apt-get update -q && apt-get install -y -q wrk)
	$(BIN)/python bench/web_bench.py --sets $${SETS:-demo,scaled} --duration $${DURATION:-10} --pages "$${PAGES:-}" $${ENCODING:+--accept-encoding "$$ENCODING"}
