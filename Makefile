# Strategieraum — build, run and test.
#   make run    builds the UI and starts the server on SQLite with demo data
#   make test   go vet, all Go tests with -race, frontend unit and browser tests;
#               every stage runs even when an earlier one fails, and a summary
#               at the end names the failed ones

GO        ?= go
NPM       ?= npm
BIN       := bin/strategieraum
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
# Fuzzing budgets are counts of executions, about ten seconds each on two
# cores. A budget in seconds races the fuzz coordinator's own deadline in
# Go 1.26 (go.dev/issue/75804): on a loaded machine a run then fails with
# "context deadline exceeded" and no failing input. A count has no deadline.
FUZZ_OT_TRANSFORM ?= 300000x
FUZZ_OT_PARSE     ?= 600000x
FUZZ_FRAME        ?= 30000x
# Minimising a new input may take up to a minute by default, which stalls
# the short run; one second keeps it fuzzing.
FUZZMIN   ?= 1s
# The stages of `make test`, in order; each is also a target of its own.
STAGES    := vet test-go test-fuzz test-ui test-e2e
# `make test` builds the UI once up front; the stages then skip rebuilding it.
UI        := $(if $(UI_BUILT),,ui)

.PHONY: run build ui test test-go test-fuzz test-ui test-e2e vet bench clean deps

run: build
	STRATEGIERAUM_DATABASE_URL=$${STRATEGIERAUM_DATABASE_URL:-data/strategieraum.db} ./$(BIN) serve --demo

build: ui
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/strategieraum

deps: frontend/node_modules/.package-lock.json backend/ot/difftest/node_modules/.package-lock.json

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund

backend/ot/difftest/node_modules/.package-lock.json: backend/ot/difftest/package-lock.json
	cd backend/ot/difftest && $(NPM) ci --no-audit --no-fund

ui: frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) run build

test:
	@failed=""; \
	echo "==> build (deps ui)"; \
	$(MAKE) --no-print-directory deps ui || failed="build"; \
	for stage in $(STAGES); do \
		echo "==> $$stage"; \
		$(MAKE) --no-print-directory $$stage UI_BUILT=1 || failed="$$failed $$stage"; \
	done; \
	echo; echo "==> summary of make test"; \
	for stage in build $(STAGES); do \
		case " $$failed " in *" $$stage "*) echo "  FAILED  $$stage";; *) echo "  ok      $$stage";; esac; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: failed:$$failed"; exit 1; fi

vet: $(UI)
	@unformatted=$$(gofmt -l backend cmd frontend/embed.go); if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi
	$(GO) vet ./...

test-go: deps $(UI)
	$(GO) test -race -count=1 -timeout 20m ./...

test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzTransformConvergence$$' -fuzztime $(FUZZ_OT_TRANSFORM) -fuzzminimizetime $(FUZZMIN) ./backend/ot/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZ_OT_PARSE) -fuzzminimizetime $(FUZZMIN) ./backend/ot/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeFrame$$' -fuzztime $(FUZZ_FRAME) -fuzzminimizetime $(FUZZMIN) ./backend/realtime/

test-ui: frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) test

test-e2e: $(UI)
	cd frontend && $(NPM) run test:e2e

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./backend/...

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html test-output
