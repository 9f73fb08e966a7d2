# The developer loop. `make test-fast` is the inner loop (unit tests, slow ones deselected, in
# parallel); `make test` is what CI runs (every test, with Neo4j, Chromium and the seeds when
# present); `bash .ci/run` is CI itself.
PY ?= python

.PHONY: install test-fast test test-lowest lint bench

install:
	$(PY) -m pip install -e ".[dev]"

test-fast:
	$(PY) -m pytest tests/unit -m "not slow and not seconds and not neo4j and not browser" -n auto -q

test:
	$(PY) -m pytest

test-lowest:
	bash .ci/lowest

lint:
	ruff check aieco tests benchmarks
	ruff format --check aieco tests benchmarks
	mypy

bench:
	$(PY) benchmarks/bench_load.py --nodes 100000
	$(PY) benchmarks/bench_centrality.py --sizes 1000,10000,100000
	$(PY) benchmarks/bench_openalex_snapshot.py --sizes 20000,1000000 --level Country
