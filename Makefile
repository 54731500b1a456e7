# renacer-c — build, test and CI entry points. See README.md.
CC      ?= cc
BUILD   ?= build

PKGS        := libdw libelf libunwind-ptrace libcjson
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_CFLAGS := $(shell pkg-config --cflags criterion 2>/dev/null)
CRIT_LIBS   := $(shell pkg-config --libs criterion 2>/dev/null)

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
# Every module directory is on the include path: headers live next to
# their code (src/<module>/x.h; private ones are *_int.h).
SRC_INCLUDES := $(patsubst %/,-I%,$(sort $(dir $(wildcard src/*/*.h))))
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS = -std=gnu11 $(WARN) -D_GNU_SOURCE $(SRC_INCLUDES) -I$(BUILD)/gen $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS   = $(PKG_LIBS) -lm $(EXTRA_LDFLAGS)

GEN_TABLE := $(BUILD)/gen/syscall_table_gen.c
LIB_SRC   := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ   := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/syscall_table_gen.o
MAIN_OBJ  := $(BUILD)/obj/cli/main.o
BIN       := $(BUILD)/renacer-c
LIB       := $(BUILD)/librenacer.a

UNIT_SRC  := $(wildcard tests/unit/*.c)
INT_SRC   := $(wildcard tests/integration/*.c)
FIX_SRC   := $(wildcard tests/fixtures/*.c)
FIXTURES  := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(FIX_SRC))
UNIT_BIN  := $(BUILD)/tests/unit_tests
INT_BIN   := $(BUILD)/tests/integration_tests

include examples/simd/simd.mk
include tests/source_fixtures/source.mk

.PHONY: all deps docs docs-check test unit integration asan demo examples gate bench install uninstall clean fixtures

all: $(BIN)

deps:
	@sh scripts/install-deps.sh

$(GEN_TABLE): scripts/gen_syscall_table.sh src/decode/syscalls.tsv src/decode/syscall_table.h
	@mkdir -p $(dir $@)
	sh scripts/gen_syscall_table.sh "$(CC)" src/decode/syscalls.tsv > $@.tmp && mv $@.tmp $@

# The option table's documentation generator (man page regions and
# completions: `make docs` rewrites them, `make docs-check` compares).
OPTGEN := $(BUILD)/gen/optgen
$(OPTGEN): scripts/optgen.c src/cli/options.def
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -Wall -Wextra -Werror -Isrc/cli -o $@ scripts/optgen.c

docs: $(OPTGEN)
	sh scripts/gen_docs.sh $(OPTGEN)

docs-check: $(OPTGEN)
	sh scripts/gen_docs.sh $(OPTGEN) --check

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: src/%.c | $(GEN_TABLE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# Fixtures are small C programs the integration tests trace.
$(BUILD)/fixtures/%: tests/fixtures/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -pthread -o $@ $< $(FIXTURE_LIBS_$*)

fixtures: $(FIXTURES)

$(BUILD)/obj/tests/%.o: tests/%.c | $(GEN_TABLE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CRIT_CFLAGS) -Wno-missing-prototypes -MMD -MP -c $< -o $@

$(UNIT_BIN): $(patsubst tests/%.c,$(BUILD)/obj/tests/%.o,$(UNIT_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CRIT_LIBS) $(LDLIBS)

$(INT_BIN): $(patsubst tests/%.c,$(BUILD)/obj/tests/%.o,$(INT_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CRIT_LIBS) $(LDLIBS)

# The test binaries find what they run through these variables.
TEST_ENV = RENACER_C=$(abspath $(BIN)) OPTGEN=$(abspath $(OPTGEN)) FIXTURES_DIR=$(abspath $(BUILD)/fixtures) \
	EXAMPLES_DIR=$(abspath $(BUILD)/examples/simd) \
	SOURCE_FIXTURES_DIR=$(abspath $(BUILD)/source_fixtures) SOURCE_SRC_DIR=$(abspath tests/source_fixtures)
CRITERION_OPTS ?= --jobs 2

unit: $(UNIT_BIN) $(SOURCE_FIXTURES)
	$(TEST_ENV) $(UNIT_BIN) $(CRITERION_OPTS)

integration: $(BIN) $(OPTGEN) $(INT_BIN) $(FIXTURES) $(SIMD_PROGRAMS) $(SOURCE_FIXTURES)
	$(TEST_ENV) $(INT_BIN) $(CRITERION_OPTS)

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
# disable_coredump=0: ASan would otherwise zero RLIMIT_CORE in the tracer,
# and the tracee inherits it (the core-dump test would see a changed limit).
asan: deps
	ASAN_OPTIONS=disable_coredump=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all unit integration

examples: $(SIMD_PROGRAMS)

# The golden-trace gate: every SIMD example traced under
# assertions/renacer.toml and diffed against golden_traces/.
gate: $(BIN) $(SIMD_PROGRAMS)
	BUILD=$(BUILD) bash scripts/gate.sh

# For a newcomer: build everything, then run the main job (the gate) and
# show its report.
demo: deps
	$(MAKE) all examples
	$(MAKE) gate

BENCH_BIN := $(BUILD)/bench/ptrace_floor $(BUILD)/bench/getppid_loop
$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

include bench/bench.mk

# Timings live here, never in tests: bench/run.sh prints medians and ratios.
bench: $(BIN) $(BENCH_BIN)
	BUILD=$(BUILD) bash bench/run.sh

include mk/install.mk
include fuzz/fuzz.mk

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
