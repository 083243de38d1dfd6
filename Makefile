# Strategieraum — build, run and test.
#   make run    builds the UI and starts the server on SQLite with demo data
#   make test   go vet, all Go tests with -race, frontend unit and browser tests

GO        ?= go
NPM       ?= npm
BIN       := bin/strategieraum
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
FUZZTIME  ?= 10s

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

test: vet test-go test-fuzz test-ui test-e2e

vet: ui
	@unformatted=$$(gofmt -l backend cmd frontend/embed.go); if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi
	$(GO) vet ./...

test-go: deps ui
	$(GO) test -race -count=1 -timeout 20m ./...

test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzTransformConvergence$$' -fuzztime $(FUZZTIME) ./backend/ot/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./backend/ot/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeFrame$$' -fuzztime $(FUZZTIME) ./backend/realtime/

test-ui: frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) test

test-e2e: ui
	cd frontend && $(NPM) run test:e2e

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./backend/...

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html test-output
