# Developer commands. Each target runs with the project's virtualenv (created by run/test).
PYTHON := .venv/bin/python
# manage.py has no default settings: developer commands use the development ones unless told otherwise.
export DJANGO_SETTINGS_MODULE ?= codev_network.settings.development

.PHONY: run worker test ci lint format messages bench bench-load bench-cluster bench-surveys

# Set up everything, load the demo data and serve http://127.0.0.1:8000 (README, first command).
run:
	./scripts/run.sh

# Only the background worker (emails, PDF), when the site runs elsewhere (run starts one itself).
worker:
	$(PYTHON) manage.py db_worker

# Set up everything and run the whole test suite (README, second command). Extra: ARGS="-x tests/members".
test:
	./scripts/test.sh $(ARGS)

# What CI runs: lint, checks, tests on PostgreSQL then SQLite.
ci:
	bash .ci/run

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# Refresh the English catalogue from the French sources, then compile it (commit both files).
messages:
	$(PYTHON) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=.venv-bench --ignore=static/vendor --ignore=var --ignore=bench-results --ignore=staticfiles
	$(PYTHON) manage.py compilemessages -l en --ignore=.venv --ignore=.venv-bench

# Benchmark the key pages under gunicorn + PostgreSQL (docs/performance.md).
# Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--requests 500 --concurrency 4 --fresh".
bench:
	$(PYTHON) scripts/bench.py $(BENCH_ARGS)

# Load test only: 200 locust users for 2 minutes, with a burst (locust lives in .venv-bench/, made on first use).
# Pages, actions and load in one go, from an empty database: make bench BENCH_ARGS="--fresh --load".
bench-load:
	$(PYTHON) scripts/bench.py --load-only $(BENCH_ARGS)

# Two-server rehearsal on loopback: HAProxy, two gunicorn, Redis, moto's S3, one task worker, a fresh
# codev_cluster database; a load test with writes through HAProxy kills one server midway, then checks
# writes, sessions, files and tasks (scripts/bench_cluster.py, docs/performance.md, docs/deployment.md).
bench-cluster:
	$(PYTHON) scripts/bench_cluster.py $(BENCH_ARGS)

# Surveys: 200 members answer one campaign at once through HTTP (log in, each part, send), then the count
# of responses is checked (scripts/bench_surveys.py, docs/performance.md).
bench-surveys:
	$(PYTHON) scripts/bench_surveys.py $(BENCH_ARGS)
