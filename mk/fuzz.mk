# mk/fuzz.mk — libFuzzer targets (fuzz/fuzz_*.c). Included by the
# top-level Makefile after its own variables (BUILD, STD, WARN,
# ALL_CPPFLAGS, LIB_SRC, PKG_LIBS, GEN_TABLE) are defined.
#
#   make fuzz          build every fuzz/fuzz_*.c target and run each one for
#                      FUZZ_SECONDS (default 60) on a scratch copy of its
#                      checked-in corpus fuzz/corpus/<target>/; any crash,
#                      leak, UB report, timeout (> FUZZ_TIMEOUT s for one
#                      input) or RSS above FUZZ_RSS_MB fails the run, and the
#                      input is left in $(BUILD)/fuzz/artifacts/<target>/
#   make fuzz-smoke    the same with FUZZ_SECONDS=10 (CI)
#   make fuzz-build    build only; every fuzz target first runs
#                      `scripts/install-deps.sh fuzz` (clang and libFuzzer's
#                      runtime: installed as root, else named if missing)
#   make fuzz-regress  run each target once over fuzz/regressions/<target>/*
#                      (inputs that once failed); fuzz and fuzz-smoke do this
#                      first for each target (one that fails is not fuzzed)
#   make fuzz-clean    remove $(BUILD)/fuzz
#   FUZZ_TARGETS=...   a subset, e.g. FUZZ_TARGETS="fuzz_toml fuzz_filter"
#   FUZZ_EXTRA=...     extra flags for the fuzz/*.c harnesses, e.g.
#                      -DFUZZ_LENIENT (see fuzz/fuzz_common.h); needs a
#                      fuzz-clean first
#
# The library sources (LIB_SRC: no CLI code) are compiled again with clang
# and the sanitizers into $(BUILD)/fuzz/ (never the gcc-built
# librenacer.a): ASan+UBSan with -fno-sanitize-recover, so that any UB
# aborts, and libFuzzer's coverage.

CLANG        ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB  ?= 2048
FUZZ_EXTRA   ?=
FUZZ_BUILD    = $(BUILD)/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(STD) $(WARN) -O1 -g $(FUZZ_SAN)
FUZZ_LIB_OBJ  = $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC)) \
	$(FUZZ_BUILD)/obj/gen/syscall_table_gen.o
FUZZ_LIB      = $(FUZZ_BUILD)/librenacer-fuzz.a
FUZZ_ALL      = $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS     = $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))

DEP_FILES += $(patsubst %.o,%.d,$(FUZZ_LIB_OBJ)) $(addsuffix .d,$(addprefix $(FUZZ_BUILD)/,$(FUZZ_ALL)))

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-regress fuzz-clean deps-fuzz

# clang and libFuzzer's runtime, checked (as root: installed) before any
# fuzz object is compiled.
deps-fuzz:
	@CLANG='$(CLANG)' sh scripts/install-deps.sh fuzz

$(FUZZ_LIB_OBJ) $(addprefix $(FUZZ_BUILD)/,$(FUZZ_ALL)): | deps-fuzz

$(FUZZ_BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/obj/%.o: src/%.c | $(GEN_TABLE)
	@mkdir -p $(dir $@)
	$(CLANG) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# Only the objects a target needs are pulled out of the archive.
$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_EXTRA) -fsanitize=fuzzer $(LDFLAGS) -MMD -MP \
	  -o $@ $< $(FUZZ_LIB) $(PKG_LIBS) -lm $(LDLIBS)

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
