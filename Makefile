# Reproduce the shipped models and data from scratch (2-core CPU, about 10 minutes: KB 20 s, training ~4 min,
# validation and the per-disease check ~5 min). Needs the `train` extra
# (pip install -e '.[train]') and ../shared/data (development data).
PY ?= .venv/bin/python
SHARED ?= ../shared/data
KB ?= build/models-kb.sqlite

.PHONY: models library variants demo kb test lint

library:
	$(PY) models/build_case_library.py $(SHARED)/phenopackets-dev.tar.gz resources/case_library.tsv.gz

kb: library
	mkdir -p build
	$(PY) -m raretrace kb build --out $(KB)

variants: kb
	$(PY) models/build_published_variants.py $(SHARED)/phenopackets-dev.tar.gz resources/published_variants.tsv.gz --kb $(KB)

models: variants
	$(PY) models/train_ranker.py --kb $(KB) --out models/disease_ranker.onnx --metrics models/disease_ranker.metrics.json

demo:
	mkdir -p build && tar -xzf $(SHARED)/phenopackets-dev.tar.gz -C build phenopackets/KMT2D/PMID_25896430_Patient_7.json
	$(PY) models/make_demo.py build/phenopackets/KMT2D/PMID_25896430_Patient_7.json resources/demo

test:
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint:
	$(PY) -m ruff check app tests models
