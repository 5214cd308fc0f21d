# biomech: one target per job. `make test` on a fresh Debian 12 machine installs what it needs first.
SHELL := /bin/bash
SWIFT ?= swift
SWIFT_FLAGS ?=
CONFIG ?= release
BIN = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path 2>/dev/null)
MANIFESTS ?= manifests
DATA ?= data/raw
JOBS ?= 4

# Debian packages the project needs: C libraries, and tools the tests and benchmarks run.
APT_PACKAGES := libcurl4-openssl-dev libarchive-dev libavformat-dev libavcodec-dev libswscale-dev libavdevice-dev \
	libavutil-dev libsqlite3-dev libopenblas-dev libcairo2-dev pkg-config ffmpeg libarchive-tools curl \
	python3 zstd xz-utils bzip2 gzip ca-certificates sqlite3 \
	python3-venv unzip libegl1 libgles2 zlib1g-dev libxml2

CATALOG ?= catalog.sqlite
LANDMARKS ?= data/landmarks
SHARDS ?= shards
RUNS ?= runs
REPORTS ?= reports/catalog
SYNTH_COUNT ?= 1000
SYNTH_SEED ?= 42

.PHONY: all setup build test test-kernels bench fuzz demo demo-clean serve onnx onnx-int8 fetch catalog extract synth window train analyze clean help

all: build

help:
	@echo "make setup   install the Debian packages biomech needs, and MediaPipe into .mediapipe/ (idempotent)"
	@echo "make build   release build of every biomech-* tool"
	@echo "make test    setup, then the whole test suite"
	@echo "make bench   benchmarks against curl, bsdtar, ffprobe, NumPy, MediaPipe's Python loop, PyTorch and onnxruntime, then"
	@echo "             one summary table and bench-work/results.json; BENCH=name[,name] for some of: fetch synth catalog"
	@echo "             train extract window analyze serve onnx shards"
	@echo "make fuzz    libFuzzer on every parser of untrusted input, FUZZ_SECONDS (60) per target; not part of make test"
	@echo "make demo    the whole pipeline on two real clips shipped on PyPI, in about 10 minutes: fetch, catalog, extract,"
	@echo "             synth, window, train, analyze (outputs in data/demo, runs/demo, reports/demo; re-runs reuse finished steps)"
	@echo "make demo-clean  remove the demo's outputs"
	@echo "make serve   the analyzer as an HTTP service on the demo's model (make demo first): PORT (8080), WORKERS (2);"
	@echo "             curl -F video=@set.mp4 'http://127.0.0.1:8080/analyze-form?exercise=squat' (docs/SERVE.md)"
	@echo "make onnx    the demo's model (or ONNX_CKPT) as $(ONNX_OUT)/model.onnx for onnxruntime and TensorRT (docs/DEPLOY.md)"
	@echo "make onnx-int8  that model quantized to INT8 by onnxruntime, compared with float32 on ONNX_SPLITS: metrics, size, latency"
	@echo "make fetch   fetch the datasets in $(MANIFESTS)/ into $(DATA)/ (ONLY=name to pick one)"
	@echo "make catalog index $(DATA)/ into $(CATALOG) (probe, label, split) and write dataset cards to $(REPORTS)/"
	@echo "make extract landmark sequences of every video in $(CATALOG) into $(LANDMARKS)/ (ONLY=name for one dataset)"
	@echo "make window  labelled windows in .npy shards: $(SHARDS)/real from $(CATALOG)'s sequences, $(SHARDS)/synthetic from make synth"
	@echo "make train   pretrain on $(SHARDS)/synthetic (make synth, make window) into $(RUNS)/pretrain"
	@echo "make analyze VIDEO=set.mp4 [MODEL=runs/pretrain/best.ckpt] [EXERCISE=auto]: report, annotated video and summary into reports/analysis/"
	@echo "make synth   generate $(SYNTH_COUNT) synthetic sequences into $(DATA)/synthetic/files (+ preview.png)"
	@echo "make clean   remove build products and demo/bench output"

setup:
	@bash scripts/setup.sh $(APT_PACKAGES)
	@bash scripts/setup-mediapipe.sh
	@bash scripts/setup-onnx.sh

build: setup
	$(SWIFT) build -c $(CONFIG) $(SWIFT_FLAGS)

test: setup
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test $(SWIFT_FLAGS)

# The model tests and training throughput under every OpenBLAS core this CPU runs (not part of make test).
test-kernels: setup
	bash scripts/test-kernels.sh

# Every benchmark side by side with its reference, then one summary table and bench-work/results.json
# (scripts/bench.sh; docs/BENCHMARKS.md). BENCH=train (or train,onnx) runs only those.
BENCH ?= all
bench: build
	bash scripts/bench.sh $(BIN) $(BENCH)

FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) bash scripts/fuzz.sh

# Builds only the seven tools the demo runs, so that a first build stays short however many other
# products the package grows. Sizes: DEMO_SYNTH, DEMO_PRETRAIN_EPOCHS, DEMO_FINETUNE_EPOCHS (scripts/demo.sh).
DEMO_TOOLS := biomech-fetch biomech-catalog biomech-extract biomech-synth biomech-window biomech-train biomech-analyze
demo: setup
	@for tool in $(DEMO_TOOLS); do $(SWIFT) build -c $(CONFIG) $(SWIFT_FLAGS) --product $$tool || exit 1; done
	bash scripts/demo.sh "$(BIN)"

demo-clean:
	rm -rf data/demo runs/demo reports/demo

# The analyzer over HTTP on the demo's fine-tuned model (docs/SERVE.md); Ctrl-C or SIGTERM stops it gracefully.
SERVE_MODEL ?= runs/demo/finetune/best.ckpt
PORT ?= 8080
WORKERS ?= 2
serve: setup
	@if [ ! -f $(SERVE_MODEL) ]; then echo "make serve: no $(SERVE_MODEL): run make demo first, or give SERVE_MODEL=CKPT" >&2; exit 2; fi
	$(SWIFT) build -c $(CONFIG) $(SWIFT_FLAGS) --product biomech-serve
	BIOMECH_MEDIAPIPE_DIR=$${BIOMECH_MEDIAPIPE_DIR:-$(CURDIR)/.mediapipe} $(BIN)/biomech-serve --model $(SERVE_MODEL) --port $(PORT) --workers $(WORKERS) $(SERVE_FLAGS)

# ONNX export (docs/DEPLOY.md): the demo's fine-tuned model by default.
ONNX_CKPT ?= runs/demo/finetune/best.ckpt
ONNX_OUT ?= reports/onnx
ONNX_SPLITS ?= data/demo/shards/synthetic/test data/demo/shards/real/test
onnx: setup
	@if [ ! -f $(ONNX_CKPT) ]; then echo "make onnx: no $(ONNX_CKPT): run make demo first, or give ONNX_CKPT=CKPT" >&2; exit 2; fi
	$(SWIFT) build -c $(CONFIG) $(SWIFT_FLAGS) --product biomech-train
	@mkdir -p $(ONNX_OUT)
	$(BIN)/biomech-train export --format onnx --ckpt $(ONNX_CKPT) --out $(ONNX_OUT)/model.onnx $(ONNX_FLAGS)

onnx-int8: setup
	$(SWIFT) build -c $(CONFIG) $(SWIFT_FLAGS) --product biomech-train
	bash scripts/onnx-int8.sh $(BIN) $(ONNX_CKPT) $(ONNX_OUT) $(ONNX_SPLITS)

fetch: build
	$(BIN)/biomech-fetch --manifests $(MANIFESTS) --out $(DATA) --jobs $(JOBS) $(if $(ONLY),--only $(ONLY),)

catalog: build
	$(BIN)/biomech-catalog scan --db $(CATALOG) --data $(DATA) --manifests $(MANIFESTS) --jobs $(JOBS)
	$(BIN)/biomech-catalog stats --db $(CATALOG)
	$(BIN)/biomech-catalog report --db $(CATALOG) --out $(REPORTS)

extract: build
	$(BIN)/biomech-extract --db $(CATALOG) --data $(DATA) --out $(LANDMARKS) $(if $(ONLY),--dataset $(ONLY),)

synth: build
	$(BIN)/biomech-synth --out $(DATA)/synthetic/files --count $(SYNTH_COUNT) --seed $(SYNTH_SEED) --preview

# Real and synthetic windows in two shard folders; a trainer mixes them (70/30, issue 12).
window: build
	@if [ -f $(CATALOG) ]; then $(BIN)/biomech-window --db $(CATALOG) --landmarks $(LANDMARKS) --out $(SHARDS)/real; \
	else echo "make window: no $(CATALOG) (make catalog, make extract): real windows skipped"; fi
	@if [ -d $(DATA)/synthetic/files ]; then $(BIN)/biomech-window --sequences $(DATA)/synthetic/files --out $(SHARDS)/synthetic; \
	else echo "make window: no $(DATA)/synthetic/files (make synth): synthetic windows skipped"; fi

train: build
	$(BIN)/biomech-train fit --synthetic $(SHARDS)/synthetic --out $(RUNS)/pretrain --epochs 30 --cosine --warmup 500 --patience 10
	$(BIN)/biomech-train evaluate --ckpt $(RUNS)/pretrain/best.ckpt --shards $(SHARDS)/synthetic/test --json $(RUNS)/pretrain/test-metrics.json

MODEL ?= $(RUNS)/pretrain/best.ckpt
EXERCISE ?= auto
ANALYSIS ?= reports/analysis
analyze: build
	@if [ -z "$(VIDEO)" ]; then echo "make analyze: say which video, e.g. make analyze VIDEO=set.mp4" >&2; exit 2; fi
	@mkdir -p $(ANALYSIS)
	$(BIN)/biomech-analyze --model $(MODEL) --source $(VIDEO) --exercise $(EXERCISE) \
		--json $(ANALYSIS)/report.json --output $(ANALYSIS)/annotated.mp4 --summary $(ANALYSIS)/summary.png

clean:
	rm -rf .build Fuzz/.build Fuzz/.work bench-work data/demo runs/demo reports/demo
