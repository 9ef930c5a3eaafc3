# The walker host. `make run` serves the sample app; `make test` runs the
# whole suite (what CI runs); `make bench` prints the performance figures.
SHELL     := /bin/bash
GO        ?= go
VERSION   ?= 0.1.0-dev
LDFLAGS   := -X main.Version=$(VERSION)
GUESTS    := todo hello hostile shared_notes kvdemo
FUZZTIME  ?= 4s
export WALKERHOST_CACHE ?= $(HOME)/.cache/walkerhost

.PHONY: all build jac-deploy jac-runtime guests run deps assets test test-quick test-go test-sdk fuzz fuzz-api bench check clean jac-oracle

all: build jac-deploy guests

# A static jac: jac start --scale --build puts this very binary in the image.
# It embeds the Jac runtime, built first (docs/JAC.md). The first build
# compiles every dependency and takes minutes: each step says so first.
build: assets jac-runtime
	@echo "make: building bin/jac (a first build compiles the host's dependencies: a few minutes)"
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o bin/jac ./cmd/jac

# jac-deploy, the deploy tool jac start --scale, jac status, jac scale and
# jac destroy run (docs/DEPLOY.md, "Two binaries"); it links the Kubernetes
# client, which jac does not.
jac-deploy:
	@echo "make: building bin/jac-deploy (a first build compiles the Kubernetes client: a few minutes)"
	CGO_ENABLED=0 $(GO) build -o bin/jac-deploy ./cmd/jac-deploy

# The Jac runtime guest (lang/guest) as wasm, embedded by cmd/jac.
jac-runtime:
	@echo "make: building the Jac runtime (lang/guest) as wasm for cmd/jac to embed"
	cd lang/guest && GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 $(GO) build -buildmode=c-shared -trimpath -o ../../cmd/jac/runtime/jac-runtime.wasm .

guests: build
	@for g in $(GUESTS); do ./bin/jac build guests/$$g >/dev/null || exit 1; done

# Build the sample walker module and serve it on the embedded store.
run: build
	@echo "make: serving guests/todo (jac start builds the guest first)"
	./bin/jac start guests/todo

# Debian packages (chromium for the docs page tests, redis-server) and the
# Go-built tools (FerretDB) the tests run against; installs only what is
# missing.
deps:
	@./scripts/deps.sh

test: deps check test-go test-sdk fuzz fuzz-api

# The day-to-day loop: everything but the packages that need a Kubernetes
# control plane (deploy/kubernetes, internal/scaletest) and schemathesis,
# with one second per fuzz target.
QUICK_PKGS = $$($(GO) list ./... | grep -v -e /deploy/kubernetes -e /internal/scaletest -e /internal/tck)
test-quick: assets jac-runtime check
	@./scripts/deps.sh --no-k8s
	$(GO) test -race -count=1 -timeout 10m $(QUICK_PKGS)
	cd abi && $(GO) test -race -count=1 ./...
	cd lang && $(GO) test -race -count=1 ./...
	$(MAKE) --no-print-directory test-sdk TCK_FLAGS=
	@./scripts/fuzz.sh 1s

# ReDoc's bundle for /redoc, from the pinned npm package, embedded by
# internal/apidocs (docs/OPENAPI.md). Every target that builds or tests the host
# runs it; a plain `go build` without it serves /redoc with instructions.
assets:
	@echo "make: ReDoc's bundle for /redoc (fetched once with npm, then cached)"
	@$(GO) generate ./internal/apidocs

# internal/tck runs in test-sdk (conformance).
test-go: deps assets jac-runtime
	$(GO) test -race -count=1 -timeout 45m $$($(GO) list ./... | grep -v /internal/tck)
	cd abi && $(GO) test -race -count=1 ./...
	cd lang && $(GO) test -race -count=1 ./...

test-sdk:
	cd sdk && $(GO) test -race -count=1 ./... && GOOS=wasip1 GOARCH=wasm $(GO) vet ./conformance
	cd lang/guest && $(GO) test -race -count=1 ./... && GOOS=wasip1 GOARCH=wasm $(GO) vet ./...
	@for g in $(GUESTS); do (cd guests/$$g && GOOS=wasip1 GOARCH=wasm $(GO) vet ./...) || exit 1; done
	$(MAKE) --no-print-directory conformance

# The guest conformance kit (docs/CONFORMANCE.md): the ABI's behaviours on
# the real host, through the Go SDK's conformance guest (sdk/conformance),
# or through another SDK's: make conformance TCK_GUEST=guest.wasm.
TCK_GUEST ?=
TCK_FLAGS ?= -race
conformance:
	WALKERHOST_TCK_GUEST=$(abspath $(TCK_GUEST)) $(GO) test $(TCK_FLAGS) -count=1 -timeout 20m ./internal/tck

# schemathesis against /openapi.json of the sample apps: no 5xx, every answer
# as documented (scripts/fuzz-api.sh).
fuzz-api: build
	@./scripts/fuzz-api.sh todo hello

# Every fuzz target, briefly; `make fuzz FUZZTIME=5m` for a real session.
fuzz:
	@./scripts/fuzz.sh $(FUZZTIME)

# Records testdata/jac/NAME.out, what jaclang (pinned, installed by deps)
# prints for each program of the corpus; internal/jacdiff compares both
# jaclang and our `jac run` with them.
jac-oracle:
	@./scripts/deps.sh --no-k8s
	$(GO) test -count=1 ./internal/jacdiff -run TestOracle -update-oracle

bench: deps build
	$(GO) run ./internal/cmd/benchreport

check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	cd abi && $(GO) vet ./...
	cd sdk && $(GO) vet ./...
	cd lang && $(GO) vet ./...

clean:
	rm -rf bin guests/*/*.wasm
