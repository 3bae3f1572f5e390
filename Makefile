# make demo: build the release bundle and serve the demo on http://127.0.0.1:8080, with the receiver on 8081
# make test: every check (fmt, clippy native + wasm32, native tests, browser tests, end-to-end tests, size budget)
# make bench: benchmarks that print figures and write docs/benchmarks.md
# Both install what is missing first (tools/setup.sh), and skip what is present.

WASM_TARGET := wasm32-unknown-unknown
WASM := target/$(WASM_TARGET)/release/consent_capture.wasm
# The verifier module's release build has other features: its own target dir keeps both wasm files cached (a
# cdylib's file name carries no feature hash). Checks and tests share the default one, and its dependencies.
VERIFIER_TARGET := target/verifier
SEND_TARGET := target/send
PKG := www/pkg
DIST := www/dist
# What a site serves: the element (module with its stylesheet in it, wasm, and the early script that holds
# presses in a form rendered ahead of time), the stylesheet on its own for forms drawn ahead of time
# (consent-capture render), the receipt verifier (module, wasm) and the destination module (module, wasm).
COMPONENT_FILES := $(addprefix $(DIST)/,consent-capture.js consent_capture_bg.wasm consent-capture.css \
  consent-capture-early.js consent-capture-verify.js consent_capture_verify_bg.wasm consent-capture-send.js \
  consent_capture_send_bg.wasm)
PACKAGE := target/package
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The features rustc's wasm32 target emits by default; wasm-opt must accept them and keep to them.
WASM_FEATURES := --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue
WASM_OPT := -O1 --strip-producers
DEMO_PORT ?= 8080
RECEIVER_PORT ?= 8081

.PHONY: receiver demo test bench dist package setup-build setup-test build bundle size lint test-native test-browser test-e2e sign-demo fuzz test-fuzz test-engines

# The demo on $(DEMO_PORT) and the receiver on $(RECEIVER_PORT), which the render-mode form sends to.
demo: setup-build bundle
	cargo build --profile server -p consent-capture-receiver
	cargo build -q --bin consent-capture
	node tools/demo.mjs $(DEMO_PORT) $(RECEIVER_PORT)

test: setup-test lint test-native test-fuzz test-browser bundle size package test-e2e test-engines

setup-build:
	tools/setup.sh build

# The controller's receiver (receiver/) on http://127.0.0.1:8081 with the demo notice, the demo controller key
# and an SQLite file under target/, accepting posts from the demo's origin.
receiver:
	cargo run --profile server -p consent-capture-receiver -- --notice www/demo/notice.json \
	  --key tools/demo-controller.jwk --database sqlite:target/receiver.sqlite \
	  --listen 127.0.0.1:$(RECEIVER_PORT) --allow-origin http://127.0.0.1:$(DEMO_PORT) \
	  --public-url http://127.0.0.1:$(RECEIVER_PORT) --demo

setup-test:
	tools/setup.sh test

build: setup-build bundle

# The element's module: its stylesheet in it as text, the wasm's SRI hash in it, and the verifier and destination
# modules kept external (dynamic imports of literal paths). $(1) and $(2) are their SRI hashes as JS strings,
# "" for the npm package, whose modules the app's bundler takes in; $(3) the output file.
define bundle_element
	node_modules/.bin/esbuild www/consent-capture.js --bundle --minify --format=esm --log-level=warning \
	  --loader:.css=text --external:./consent-capture-verify.js --external:./consent-capture-send.js \
	  --define:WASM_INTEGRITY=\"$$(node tools/integrity.mjs $(DIST)/consent_capture_bg.wasm)\" \
	  --define:VERIFY_INTEGRITY=$(1) --define:SEND_INTEGRITY=$(2) --outfile=$(3)
endef

# cargo -> wasm-bindgen (--target web) -> wasm-opt, three times: the element's wasm, the receipt verifier's, and
# the destination module's.
# wasm-opt -O1, not -Oz: -Oz's inlining makes the wasm 7 KB smaller raw but 2.2 KB larger brotli (measured),
# and brotli is what every visitor downloads.
# esbuild bundles each with its helpers and glue into one minified ES module beside the wasm it loads
# (www/dist/: consent-capture.js for every page, consent-capture-verify.js for pages that verify receipts),
# then the size report.
bundle:
	cargo build --release --target $(WASM_TARGET) --no-default-features --features bundle --lib
	wasm-bindgen --target web --no-typescript --out-dir $(PKG) $(WASM)
	cargo build --release --target $(WASM_TARGET) --no-default-features --features browser-verifier,bundle --lib \
	  --target-dir $(VERIFIER_TARGET)
	cp $(VERIFIER_TARGET)/$(WASM_TARGET)/release/consent_capture.wasm $(VERIFIER_TARGET)/consent_capture_verify.wasm
	wasm-bindgen --target web --no-typescript --out-dir $(PKG) $(VERIFIER_TARGET)/consent_capture_verify.wasm
	cargo build --release --target $(WASM_TARGET) --no-default-features --features browser-destinations,bundle --lib \
	  --target-dir $(SEND_TARGET)
	cp $(SEND_TARGET)/$(WASM_TARGET)/release/consent_capture.wasm $(SEND_TARGET)/consent_capture_send.wasm
	wasm-bindgen --target web --no-typescript --out-dir $(PKG) $(SEND_TARGET)/consent_capture_send.wasm
	mkdir -p $(DIST)
	node_modules/.bin/wasm-opt $(WASM_OPT) $(WASM_FEATURES) $(PKG)/consent_capture_bg.wasm -o $(DIST)/consent_capture_bg.wasm
	node_modules/.bin/wasm-opt $(WASM_OPT) $(WASM_FEATURES) $(PKG)/consent_capture_verify_bg.wasm -o $(DIST)/consent_capture_verify_bg.wasm
	node_modules/.bin/wasm-opt $(WASM_OPT) $(WASM_FEATURES) $(PKG)/consent_capture_send_bg.wasm -o $(DIST)/consent_capture_send_bg.wasm
	node_modules/.bin/esbuild www/consent-capture.css --minify --log-level=warning --outfile=$(DIST)/consent-capture.css
	node_modules/.bin/esbuild www/verifier.js --bundle --minify --format=esm --log-level=warning \
	  --define:VERIFY_WASM_INTEGRITY=\"$$(node tools/integrity.mjs $(DIST)/consent_capture_verify_bg.wasm)\" \
	  --outfile=$(DIST)/consent-capture-verify.js
	node_modules/.bin/esbuild www/send.js --bundle --minify --format=esm --log-level=warning \
	  --define:SEND_WASM_INTEGRITY=\"$$(node tools/integrity.mjs $(DIST)/consent_capture_send_bg.wasm)\" \
	  --outfile=$(DIST)/consent-capture-send.js
	$(call bundle_element,\"$$(node tools/integrity.mjs $(DIST)/consent-capture-verify.js)\",\"$$(node tools/integrity.mjs $(DIST)/consent-capture-send.js)\",$(DIST)/consent-capture.js)
	node_modules/.bin/esbuild www/early.js --minify --format=iife --log-level=warning --outfile=$(DIST)/consent-capture-early.js
	node_modules/.bin/esbuild www/testing.js --minify --format=esm --log-level=warning --outfile=$(DIST)/testing.js
	node tools/size.mjs

size:
	node tools/size.mjs --check

lint:
	cargo fmt --all --check
	# No file imports another that imports it back, and none runs up the map in lib.rs (issue 29).
	node tools/imports.mjs --check src src/cli receiver/src
	# Every relative link of the README and docs/ leads somewhere.
	node tools/doclinks.mjs
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p consent-capture-receiver --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --no-default-features --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --no-default-features --features browser-verifier --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --no-default-features --features browser-destinations --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --no-default-features --features bundle --lib -- -D warnings

test-native:
	cargo test
	cargo test -p consent-capture-receiver

# Fuzzing with cargo-fuzz (libFuzzer; RUSTC_BOOTSTRAP=1 lets it pass its nightly flags on this stable
# toolchain), from corpora tools/fuzz-seeds.mjs seeds: every target in fuzz/fuzz_targets for FUZZ_RUNS inputs or
# FUZZ_SECONDS, whichever comes first; inputs up to 1 MB; an input slower than 5 s is a finding. What a fuzzer
# finds lands in fuzz/artifacts/; keep it under fuzz/regressions/<target>/ (tests/fuzz_regressions.rs replays
# them). make test runs each for a few seconds, so that they keep building and running.
FUZZ_TARGETS := json notice receipt jws transform adapter destination
FUZZ_RUNS ?= 10000000
FUZZ_SECONDS ?= 3600
FUZZ_RUN = cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --debug-assertions

fuzz: setup-test
	node tools/fuzz-seeds.mjs
	for target in $(FUZZ_TARGETS); do \
	  ($(FUZZ_RUN) $$target corpus/$$target -- -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=1048576 -timeout=5 -print_final_stats=1) || exit 1; \
	done

test-fuzz:
	node tools/fuzz-seeds.mjs
	for target in $(FUZZ_TARGETS); do \
	  ($(FUZZ_RUN) $$target corpus/$$target -- -max_total_time=4 -max_len=1048576 -timeout=5) || exit 1; \
	done

# wasm-bindgen-test in headless Debian Chromium and Firefox ESR (geckodriver, which tools/setup.sh builds;
# browser options in webdriver.json).
test-browser:
	for driver in CHROMEDRIVER=$$(command -v chromedriver) GECKODRIVER=$$(command -v geckodriver); do \
	  env $$driver cargo test --target $(WASM_TARGET) --no-default-features --test web || exit 1; \
	  env $$driver cargo test --target $(WASM_TARGET) --no-default-features --features browser-verifier \
	    --test web_verifier || exit 1; \
	  env $$driver cargo test --target $(WASM_TARGET) --no-default-features --features browser-destinations \
	    --test web_destinations || exit 1; \
	done

# The end-to-end tests also check receipts with the native verifier, and send to the receiver.
test-e2e:
	cargo build --bin consent-capture
	cargo build -p consent-capture-receiver
	node --test --test-concurrency=1 tests/e2e/

# The flows every engine must pass (tests/engines/): Chromium (playwright-core), Firefox ESR (puppeteer-core
# over WebDriver BiDi) and WebKitGTK (selenium-webdriver and WebKitWebDriver, which needs a display: xvfb-run).
# Uses the bundle and the CLI that test-e2e builds. Xvfb runs with -noreset: by default it resets whenever its
# last client leaves (each test's MiniBrowser), and a MiniBrowser connecting during that reset cannot open the
# display (4 of 8 runs here hung so). Each test has at most two minutes: a hang fails, never stalls.
test-engines:
	cargo build --bin consent-capture
	xvfb-run -a -s '-screen 0 1280x1024x24 -noreset' node --test --test-concurrency=1 --test-timeout=120000 tests/engines/

# dist/: the self-contained folder a site serves (the module, its wasm and CSS, the early script), and what to
# paste with SRI values (tools/embed.mjs): the recommended embed, with the form drawn ahead of time from
# NOTICE (in LANG_TAG, else the notice's first language), and the plain one.
NOTICE ?= www/demo/notice.json
LANG_TAG ?=
dist: setup-build bundle
	cargo build -q --bin consent-capture
	rm -rf dist && mkdir -p dist
	cp $(COMPONENT_FILES) dist/
	@echo "dist/ is ready."
	@node tools/embed.mjs dist https://YOUR-CDN/ /privacy/notice.json $(NOTICE) target/debug/consent-capture $(LANG_TAG)

# The npm package (npm pack tarball in target/package/): the element, a Node verification entry, types.
package: bundle
	rm -rf $(PACKAGE) && mkdir -p $(PACKAGE)
	cp $(COMPONENT_FILES) $(PACKAGE)/
	$(call bundle_element,'""','""',$(PACKAGE)/consent-capture.js)
	cp packaging/consent-capture-node.js packaging/verify.js $(PACKAGE)/
	node_modules/.bin/esbuild www/verify-node.js --bundle --minify --format=esm --platform=node --log-level=warning --outfile=$(PACKAGE)/verify-node.js
	cp $(DIST)/testing.js packaging/testing.d.ts $(PACKAGE)/
	cp packaging/consent-capture.d.ts packaging/verify.d.ts packaging/react.d.ts packaging/vue.d.ts notice.schema.json destination.schema.json README.md $(PACKAGE)/
	mkdir -p $(PACKAGE)/texts && cp texts/*.json $(PACKAGE)/texts/
	mkdir -p $(PACKAGE)/destinations && cp destinations/*.json $(PACKAGE)/destinations/
	sed 's/"VERSION"/"$(VERSION)"/' packaging/package.json > $(PACKAGE)/package.json
	cd $(PACKAGE) && npm pack --silent --pack-destination . > /dev/null
	@cd $(PACKAGE) && tar tzvf consent-capture-$(VERSION).tgz | awk '{ print $$3, $$6 }'

# Benchmarks print figures (they are not tests): consent-capture next to the consent managers people use
# (pinned, installed into target/bench/peers), its micro-benchmarks, the receiver under load, its read side
# on a log of a million records and its relay, then docs/benchmarks.md
# and benchmarks.svg.
bench: setup-test bundle
	cargo build --bin consent-capture
	node tools/bench/install-peers.mjs
	node tools/bench/micro.mjs
	node tools/bench/peers.mjs
	cargo run -q --profile server -p consent-capture-receiver --example load
	cargo run -q --profile server -p consent-capture-receiver --example records
	cargo run -q --profile server -p consent-capture-receiver --example relay
	cargo run -q --profile server -p consent-capture-receiver --example witnessed
	cargo run -q --profile server -p consent-capture-receiver --example attacks
	node tools/bench/lighthouse.mjs
	node tools/bench/report.mjs

# Re-sign the demo notice after editing it (the key is a demo key, committed on purpose; never use it for real).
sign-demo:
	cargo run -q --bin consent-capture -- sign-notice www/demo/notice.json --key tools/demo-controller.jwk > www/demo/notice.jws
