# Convenience wrapper around CMake.
#
#   make release    configure + build build/release (Release, -Werror)
#   make sanitize   configure + build build/sanitize (Debug -O0, ASan+UBSan; no benchmarks, and the
#                   `caudal` command and the public-header check only on request: no test there
#                   uses them)
#   make test       build both, run ctest in each (stops at first failure), then `make fuzz`
#   make fuzz       build the libFuzzer targets with clang into build/fuzz and run the SQL parser
#                   fuzzer for FUZZ_SECONDS (default 60) on a copy of its seed corpus
#   make install    install the release build into build/install
#   make examples   build examples/ against build/install into build/examples
#   make demo       build the examples, then run scripts/demo
#   make bench      build release, then run every build/release/bench/* binary
#   make format     clang-format the sources in place
#   make clean      remove build/
#
# Variables: GENERATOR (default Ninja, Unix Makefiles when ninja is absent),
# JOBS (default: number of cores), FUZZ_SECONDS (default 60).

# Evaluated lazily, i.e. after `deps` may have installed ninja.
GENERATOR ?= $(if $(shell command -v ninja 2>/dev/null),Ninja,Unix Makefiles)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

BUILD_DIR := build
RELEASE_DIR := $(BUILD_DIR)/release
SANITIZE_DIR := $(BUILD_DIR)/sanitize
INSTALL_DIR := $(BUILD_DIR)/install
EXAMPLES_DIR := $(BUILD_DIR)/examples
FUZZ_DIR := $(BUILD_DIR)/fuzz
FUZZ_SECONDS ?= 60

# The generator can only be chosen when a build directory is first configured.
generator_flag = $(if $(wildcard $(1)/CMakeCache.txt),,-G "$(GENERATOR)")

SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

FORMAT_DIRS := include src tests bench examples

.PHONY: all deps release sanitize test fuzz install examples demo bench format clean

all: release

deps:
	scripts/install-deps

release: deps
	cmake -S . -B $(RELEASE_DIR) $(call generator_flag,$(RELEASE_DIR)) \
	  -DCMAKE_BUILD_TYPE=Release \
	  -DCAUDAL_WERROR=ON
	cmake --build $(RELEASE_DIR) -j $(JOBS)

sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) $(call generator_flag,$(SANITIZE_DIR)) \
	  -DCMAKE_BUILD_TYPE=Debug \
	  "-DCMAKE_CXX_FLAGS_DEBUG=-g -O0" \
	  -DCAUDAL_SANITIZE=ON \
	  -DCAUDAL_WERROR=ON \
	  -DCAUDAL_BUILD_BENCH=OFF
	cmake --build $(SANITIZE_DIR) -j $(JOBS)

test: release sanitize
	ctest --test-dir $(RELEASE_DIR) --output-on-failure -j2
	$(SANITIZER_ENV) ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j2
	$(MAKE) fuzz FUZZ_SECONDS=60

# libFuzzer needs clang; the fuzz build is a separate build directory configured with it.
# The fuzzer works on a copy of the seed corpus, so what it adds stays in build/fuzz.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) $(call generator_flag,$(FUZZ_DIR)) \
	  -DCMAKE_BUILD_TYPE=Release \
	  "-DCMAKE_CXX_FLAGS=-g" \
	  -DCAUDAL_BUILD_TESTS=OFF \
	  -DCAUDAL_BUILD_BENCH=OFF \
	  -DCAUDAL_BUILD_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target caudal_sql_parser_fuzz
	rm -rf $(FUZZ_DIR)/corpus/sql_parser
	mkdir -p $(FUZZ_DIR)/corpus/sql_parser
	cp tests/fuzz/corpus/sql_parser/* $(FUZZ_DIR)/corpus/sql_parser/
	$(SANITIZER_ENV) $(FUZZ_DIR)/caudal_sql_parser_fuzz -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=4096 -dict=tests/fuzz/sql.dict -print_final_stats=1 $(FUZZ_DIR)/corpus/sql_parser

install: release
	cmake --install $(RELEASE_DIR) --prefix $(INSTALL_DIR)

examples: install
	cmake -S examples -B $(EXAMPLES_DIR) $(call generator_flag,$(EXAMPLES_DIR)) \
	  -DCMAKE_BUILD_TYPE=Release \
	  "-DCMAKE_PREFIX_PATH=$(CURDIR)/$(INSTALL_DIR)"
	cmake --build $(EXAMPLES_DIR) -j $(JOBS)

demo: examples
	scripts/demo

bench: release
	@set -e; \
	benches="$$(find $(RELEASE_DIR)/bench -maxdepth 1 -type f -perm -u+x 2>/dev/null | LC_ALL=C sort)"; \
	if [ -z "$$benches" ]; then echo "No benchmarks in $(RELEASE_DIR)/bench."; exit 0; fi; \
	for b in $$benches; do \
	  echo "==> $$b"; \
	  "$$b"; \
	  echo; \
	done

format:
	@command -v clang-format >/dev/null 2>&1 || \
	  { echo "clang-format not found (Debian package: clang-format)." >&2; exit 1; }
	@dirs="$(wildcard $(FORMAT_DIRS))"; \
	if [ -n "$$dirs" ]; then \
	  find $$dirs -type f \( -name '*.h' -o -name '*.cc' \) -print0 | xargs -0 -r clang-format -i; \
	fi

clean:
	rm -rf $(BUILD_DIR)
