# castmesh — run `make` for the list of targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
TOOLS     := $(CURDIR)/.tools/bin
BUF       := $(TOOLS)/buf
LINT      := $(TOOLS)/golangci-lint
# A count, not a duration: go1.26 time-based fuzzing can fail spuriously
# with "context deadline exceeded" (golang/go#75804).
FUZZTIME  ?= 20000x
TESTFLAGS ?=
export PATH := $(TOOLS):$(PATH)

# Pinned tool versions (DESIGN.md §8); installed through the Go module proxy.
BUF_VERSION        := v1.75.0
LINT_VERSION       := v2.15.0
PROTOC_GEN_GO      := v1.36.12
PROTOC_GEN_GO_GRPC := v1.6.2
ABIGEN_VERSION     := v1.17.8

# Contracts: solc-js pinned by payments/broker/solc/package-lock.json,
# installed under .tools/solc; abigen pinned above.
ABIGEN    := $(TOOLS)/abigen
SOLC_DIR  := $(CURDIR)/.tools/solc
SOLC      := $(SOLC_DIR)/node_modules/solc/package.json
BROKER    := payments/broker
BROKERGEN := SOLC_MODULES=$(SOLC_DIR)/node_modules ABIGEN=$(ABIGEN) $(BROKER)/solc/generate.sh

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: setup
setup: ## install system dependencies (ffmpeg, GStreamer) and Go modules
	bash .ci/setup

.PHONY: build
build: ## build bin/castmesh
	$(GO) build -o bin/castmesh ./cmd/castmesh

.PHONY: devnet
devnet: ## set up, build, then run the whole network on loopback (chain, gateway, orchestrators)
	CASTMESH_SETUP_GETH=0 bash .ci/setup
	$(GO) build -o bin/castmesh ./cmd/castmesh
	bin/castmesh devnet

.PHONY: test
test: ## run every test, end-to-end ones included, with -race
	$(GO) test -race -timeout 15m $(TESTFLAGS) $$($(GO) list ./... | grep -v '/test/')
	$(GO) test -race -p 1 -timeout 20m $(TESTFLAGS) ./test/...

.PHONY: test-e2e
test-e2e: ## run only the multi-process end-to-end tests
	$(GO) test -race -p 1 -timeout 20m -v $(TESTFLAGS) ./test/...

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME executions (default 20000x)
	@grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do \
	  dir=$$(dirname "$$f"); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' "$$f" | cut -d' ' -f2); do \
	    echo "fuzz $$dir $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) "./$$dir" || exit 1; \
	  done; \
	done

.PHONY: bench
bench: ## our pipeline against bare ffmpeg, payments, AI overhead, ESRGAN-slim, selection, discovery, gossip, routing and file jobs
	$(GO) test -run '^$$' -bench '^Benchmark(SegmentLatency|PublishToMaster)$$' -benchtime 1x -timeout 20m ./test/bench/
	$(GO) test -run '^$$' -bench '^Benchmark(TicketVerify|PaymentPerSegment)$$' -benchtime 3s -timeout 5m ./test/bench/
	$(GO) test -run '^$$' -bench '^BenchmarkAILatency$$' -benchtime 1x -timeout 10m ./test/bench/
	$(GO) test -run '^$$' -bench '^BenchmarkUpscale512$$' -benchtime 3x -timeout 5m ./ai/esrgan/
	$(GO) test -run '^$$' -bench '^BenchmarkSelect10000$$' -benchtime 200x -timeout 5m ./gateway/selection/
	$(GO) test -run '^$$' -bench '^BenchmarkConvergence50$$' -benchtime 1x -timeout 5m ./pkg/discovery/gossip/
	$(GO) test -run '^$$' -bench '^BenchmarkDiscoveryRefresh$$' -benchtime 20x -timeout 5m ./test/bench/
	$(GO) test -run '^$$' -bench '^BenchmarkRouteSegments$$' -benchtime 3x -timeout 10m ./test/bench/
	$(GO) test -run '^$$' -bench '^BenchmarkProbeTS$$' -benchmem -timeout 5m ./pkg/media/
	$(GO) test -run '^$$' -bench '^BenchmarkVODJob$$' -benchtime 1x -timeout 20m ./test/bench/

.PHONY: fmt
fmt: $(LINT) ## format the code (gofumpt, goimports)
	$(LINT) fmt ./...

.PHONY: lint
lint: $(LINT) ## run golangci-lint
	$(LINT) run ./...

.PHONY: proto
proto: $(BUF) ## regenerate the gRPC code from proto/
	cd proto && $(BUF) generate

.PHONY: contracts
contracts: $(SOLC) $(ABIGEN) ## compile the Solidity contracts; regenerate ABI, bytecode, Go bindings
	$(BROKERGEN) $(BROKER)

.PHONY: check
check: lint $(BUF) $(SOLC) $(ABIGEN) ## lint, generated-code drift, proto lint/breaking, import rules, go mod tidy
	cd proto && $(BUF) lint
	@if git cat-file -e HEAD:proto/buf.yaml 2>/dev/null; then \
	  cd proto && $(BUF) breaking --against '../.git#ref=HEAD,subdir=proto'; fi
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	  (cd proto && $(BUF) generate -o $$tmp); \
	  diff -r -x '*.proto' -x 'buf*.yaml' $$tmp/castmesh proto/castmesh \
	  || { echo "proto: generated code is stale; run make proto" >&2; exit 1; }
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	  $(BROKERGEN) $$tmp >/dev/null; \
	  for d in build bindings internal/testcontracts; do \
	    diff -r -x doc.go $$tmp/$$d $(BROKER)/$$d \
	    || { echo "contracts: generated code is stale; run make contracts" >&2; exit 1; }; done
	$(GO) mod tidy -diff
	$(GO) test -count=1 -run 'TestImportRules' ./test/layout/

$(BUF):
	GOBIN=$(TOOLS) $(GO) install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
	GOBIN=$(TOOLS) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO)
	GOBIN=$(TOOLS) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC)

$(LINT):
	GOBIN=$(TOOLS) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(LINT_VERSION)

$(ABIGEN):
	GOBIN=$(TOOLS) $(GO) install github.com/ethereum/go-ethereum/cmd/abigen@$(ABIGEN_VERSION)

$(SOLC): $(BROKER)/solc/package.json $(BROKER)/solc/package-lock.json
	mkdir -p $(SOLC_DIR)
	cp $^ $(SOLC_DIR)/
	npm ci --prefix $(SOLC_DIR) --ignore-scripts --no-audit --no-fund
	touch $@
