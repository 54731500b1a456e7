# fuzz/fuzz.mk — libFuzzer targets (issue 8, SPEC §11). Included by the
# top-level Makefile after its own variables (BUILD, PKG_CFLAGS, PKG_LIBS,
# GEN_TABLE) are defined.
#
#   make fuzz          build every fuzz/fuzz_*.c target and run each one for
#                      FUZZ_SECONDS (default 60) on a scratch copy of its
#                      checked-in corpus fuzz/corpus/<target>/; any crash,
#                      leak, UB report, timeout (> FUZZ_TIMEOUT s for one
#                      input) or RSS above FUZZ_RSS_MB fails the run, and the
#                      input is left in $(BUILD)/fuzz/artifacts/<target>/
#   make fuzz-smoke    the same with FUZZ_SECONDS=10 (CI)
#   make fuzz-build    build only
#   make fuzz-regress  run each target once over fuzz/regressions/<target>/*
#                      (inputs that once failed); fuzz and fuzz-smoke do this
#                      first for each target (one that fails is not fuzzed)
#   make fuzz-clean    remove $(BUILD)/fuzz
#   FUZZ_TARGETS=...   a subset, e.g. FUZZ_TARGETS="fuzz_toml fuzz_filter"
#   FUZZ_EXTRA=...     extra flags for the fuzz/*.c harnesses, e.g.
#                      -DFUZZ_LENIENT (see fuzz/fuzz_common.h); needs a
#                      fuzz-clean first
#
# The library sources are compiled again with clang and the sanitizers into
# $(BUILD)/fuzz/ (never the gcc-built librenacer.a): ASan+UBSan with
# -fno-sanitize-recover, so that any UB aborts, and libFuzzer's coverage.

CLANG        ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB  ?= 2048
FUZZ_BUILD    = $(BUILD)/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -D_GNU_SOURCE $(SRC_INCLUDES) -I$(BUILD)/gen $(PKG_CFLAGS) \
	-O1 -g $(FUZZ_SAN)
FUZZ_LIB_SRC  = $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
FUZZ_LIB_OBJ  = $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_LIB_SRC)) \
	$(FUZZ_BUILD)/obj/gen/syscall_table_gen.o
FUZZ_LIB      = $(FUZZ_BUILD)/librenacer-fuzz.a
FUZZ_ALL      = $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS     = $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-regress fuzz-clean

$(FUZZ_BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/obj/%.o: src/%.c | $(GEN_TABLE)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Only the objects a target needs are pulled out of the archive.
$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_EXTRA) -fsanitize=fuzzer -MMD -MP -o $@ $< $(FUZZ_LIB) $(PKG_LIBS) -lm

fuzz-build: $(FUZZ_BINS)

fuzz-regress: fuzz-build
	sh fuzz/run.sh regress $(FUZZ_BUILD) $(FUZZ_TARGETS)

FUZZ_RUN = FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) FUZZ_RSS_MB=$(FUZZ_RSS_MB) \
	sh fuzz/run.sh run $(FUZZ_BUILD) $(FUZZ_TARGETS)

# Every target is replayed and fuzzed even when an earlier one fails; the
# run fails at the end if any did.
fuzz: fuzz-build
	$(FUZZ_RUN)

fuzz-smoke: FUZZ_SECONDS = 10
fuzz-smoke: fuzz-build
	$(FUZZ_RUN)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)
