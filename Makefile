# onestop — `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the whole suite.
# Both create .venv on first use and reinstall only when a requirements file changes.
VENV   := .venv
PYTHON := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app onestop
PYBABEL := $(VENV)/bin/pybabel
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test bench install install-dev translations clean

run: install $(MO)
	$(PYTHON) -m onestop.secret_key   # first run: a random SECRET_KEY into instance/config.py, kept after
	$(FLASK) db upgrade
	$(FLASK) seed demo
	@echo
	@echo "onestop is serving on http://127.0.0.1:5000 — log in as clerk, officer, leader, admin"
	@echo "or partner with the password 'demo'. Ctrl+C stops it."
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install-dev $(MO) node_modules/axe-core/axe.min.js
	$(PYTHON) -m pytest -n 2 $(PYTEST_ARGS)

# The province benchmark (BENCHMARKS.md): SCALE dossiers on DB=sqlite|postgresql (a throwaway server,
# started as root like .ci/run does). Needs wrk and nginx. Prints the table and writes bench-results.json.
# Then the light pages on a throttled Chromium (onestop/bench/light.py): their rows with a target are
# added to bench-results.json, every figure goes to light-results.json. A missed target in the first
# step (exit 3) still lets the light step run; the exit status is the worse of the two.
SCALE ?= 1000000
DB    ?= sqlite
bench: install-dev
	status=0; $(PYTHON) -m onestop.bench --scale $(SCALE) --db $(DB) || status=$$?; \
	if [ $$status -ne 0 ] && [ $$status -ne 3 ]; then exit $$status; fi; \
	$(PYTHON) -m onestop.bench.light --out light-results.json --results bench-results.json || status=$$?; \
	exit $$status

install: $(VENV)/installed.stamp
install-dev: $(VENV)/installed-dev.stamp

$(PYTHON):
	python3 -m venv $(VENV)

$(VENV)/installed.stamp: requirements.txt | $(PYTHON)
	$(PYTHON) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/installed-dev.stamp: requirements-dev.txt $(VENV)/installed.stamp
	$(PYTHON) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# axe-core (npm) checks the kiosk screens for accessibility in the browser tests.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Compiled catalogs are not committed (*.mo is ignored): built from the .po files here.
%.mo: %.po | $(VENV)/installed.stamp
	$(PYBABEL) -q compile -i $< -o $@

# Refresh the catalogs after adding or changing _() strings, then translate the new msgids.
translations: install
	pot=$$(mktemp) && \
	$(PYBABEL) -q extract -F babel.cfg -k _l -k lazy_gettext --add-location=file --sort-by-file -o $$pot . && \
	$(PYBABEL) -q update -i $$pot -d translations --ignore-obsolete --no-fuzzy-matching && \
	rm -f $$pot
	$(PYBABEL) compile --statistics -d translations

clean:
	rm -rf instance/*.sqlite test-artifacts
