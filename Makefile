# Common tasks. The README's two commands need only Go; this file is a convenience.
GO ?= go
PG ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
# staticcheck's version is pinned here and in .ci/run (keep them equal).
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK ?= $(shell $(GO) env GOPATH)/bin/staticcheck
FUZZTIME ?= 5m

.PHONY: build test test-pg test-pg-serializable s3-test lint staticcheck fuzz crash bench ci clean

build: ## build ./sceval
	$(GO) build -o sceval ./cmd/sceval

test: ## run the tests (PostgreSQL tests skip unless SCEVAL_TEST_POSTGRES is set)
	$(GO) test ./...

test-pg: ## run the tests against PostgreSQL too
	SCEVAL_TEST_POSTGRES='$(PG)' $(GO) test ./...

test-pg-serializable: ## the storage tests with every PostgreSQL transaction SERIALIZABLE (exercises the 40001 retries, as on distributed engines)
	SCEVAL_TEST_POSTGRES='$(PG)&options=-c%20default_transaction_isolation%3Dserializable' $(GO) test -count 1 ./platform/...

s3-test: ## the S3 store's tests against a real S3-compatible server: SeaweedFS's weed, built once into ~/.cache/sceval by scripts/weed.sh
	weed=$$(scripts/weed.sh) && SCEVAL_TEST_WEED="$$weed" SCEVAL_TEST_S3_REQUIRED=1 $(GO) test -count=1 -run S3 -v ./platform/blob/

lint: staticcheck ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: $$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

staticcheck: ## install the pinned staticcheck if absent
	@[ -x '$(STATICCHECK)' ] && '$(STATICCHECK)' -version | grep -qF '($(STATICCHECK_VERSION:v%=%))' || \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

fuzz: ## run every fuzz target for FUZZTIME each (default 5m; CI runs 10s each)
	scripts/fuzz.sh -t $(FUZZTIME)

crash: ## the crash-safety test with 50 SIGKILLs per database (CI runs 8; PostgreSQL with SCEVAL_TEST_POSTGRES)
	SCEVAL_CRASH_ROUNDS=50 $(GO) test -count=1 -run 'TestCrashSafety' ./cmd/sceval

bench: ## run the benchmarks recorded in BENCHMARKS.md
	$(GO) test -run '^$$' -bench . -benchmem ./...

ci: ## what CI runs
	bash .ci/run

clean:
	rm -f sceval sceval.db sceval.db-shm sceval.db-wal
