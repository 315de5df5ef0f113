# Common tasks. The README's two commands need only Go; this file is a convenience.
GO ?= go
PG ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: build test test-pg test-pg-serializable lint bench ci clean

build: ## build ./sceval
	$(GO) build -o sceval ./cmd/sceval

test: ## run the tests (PostgreSQL tests skip unless SCEVAL_TEST_POSTGRES is set)
	$(GO) test ./...

test-pg: ## run the tests against PostgreSQL too
	SCEVAL_TEST_POSTGRES='$(PG)' $(GO) test ./...

test-pg-serializable: ## the storage tests with every PostgreSQL transaction SERIALIZABLE (exercises the 40001 retries, as on distributed engines)
	SCEVAL_TEST_POSTGRES='$(PG)&options=-c%20default_transaction_isolation%3Dserializable' $(GO) test -count 1 ./platform/...

lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...

bench: ## run the benchmarks recorded in BENCHMARKS.md
	$(GO) test -run '^$$' -bench . -benchmem ./...

ci: ## what CI runs
	bash .ci/run

clean:
	rm -f sceval sceval.db sceval.db-shm sceval.db-wal
