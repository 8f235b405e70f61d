# llamaterm: `make run` sets everything up and starts the program; `make test` runs the suite.
# The vector flags for this CPU live in Package.swift, so every build here is fast by default.

SWIFT      ?= swift
BUILD_ARGS := -c release
# Tests run optimized (the real model is 10-100x slower in a debug build) with testable imports,
# in their own build folder so `make run` and `make test` do not rebuild each other's objects.
# One build of everything (tests included), then `swift test --skip-build`: letting `swift test`
# build again recompiled the whole package with different flags. The socket tests (RemoteTests)
# run on their own afterwards: their timeouts are real seconds, and beside the model tests (which
# keep both cores and the concurrency pool busy) they waited out their bounds.
TEST_ARGS  := -c release -Xswiftc -enable-testing --scratch-path .build-test
# The suite's chats save KV states: into a folder of the build, never the user's cache.
TEST_ENV   := XDG_CACHE_HOME=$(CURDIR)/.build-test/xdg-cache
BIN        := .build/release/llamaterm
ARGS       ?=

.PHONY: all deps model build run test bench clean

all: build

deps:
	@scripts/install-deps

model:
	@scripts/fetch-model >/dev/null

build: deps
	$(SWIFT) build $(BUILD_ARGS) --product llamaterm

run: build model
	$(BIN) $(ARGS)

test: deps model
	@scripts/test-deps
	$(SWIFT) build --build-tests $(TEST_ARGS)
	rm -rf .build-test/xdg-cache
	$(TEST_ENV) LLAMATERM_BIN=$(CURDIR)/.build-test/release/llamaterm $(SWIFT) test --skip-build $(TEST_ARGS) --skip RemoteTests
	$(TEST_ENV) LLAMATERM_BIN=$(CURDIR)/.build-test/release/llamaterm $(SWIFT) test --skip-build $(TEST_ARGS) --filter RemoteTests

bench: build model
	@scripts/bench

clean:
	rm -rf .build .build-test
