# mk/tests.mk — the unit and integration tests (Criterion), the fixtures
# the integration tests trace, `make test` and `make asan`. Included by the
# top-level Makefile, which defines the flags, LIB, BIN and CLI_OBJ; uses
# SIMD_PROGRAMS (mk/simd.mk) and SOURCE_FIXTURES (mk/source_fixtures.mk).
#
#   make unit          build/tests/unit_tests
#   make integration   build/tests/integration_tests (runs the real binary)
#   make test          deps-test, then all, unit, integration
#   make asan          the same again under ASan + UBSan, in build-asan/
#   CRITERION_OPTS=... options of both test binaries (default --jobs 2)

UNIT_SRC  := $(wildcard tests/unit/*.c)
INT_SRC   := $(wildcard tests/integration/*.c)
UNIT_OBJ  := $(patsubst tests/%.c,$(BUILD)/obj/tests/%.o,$(UNIT_SRC))
INT_OBJ   := $(patsubst tests/%.c,$(BUILD)/obj/tests/%.o,$(INT_SRC))
UNIT_BIN  := $(BUILD)/tests/unit_tests
INT_BIN   := $(BUILD)/tests/integration_tests
FIX_SRC   := $(wildcard tests/fixtures/*.c)
FIXTURES  := $(patsubst tests/fixtures/%.c,$(BUILD)/fixtures/%,$(FIX_SRC))

# The unit tests exercise the command line too (options_parse in
# tests/unit/test_rle.c): they link the CLI objects, which the library
# does not hold. The integration tests need only the library.
UNIT_LINK := $(UNIT_OBJ) $(CLI_OBJ) $(LIB)
INT_LINK  := $(INT_OBJ) $(LIB)

DEP_FILES += $(patsubst %.o,%.d,$(UNIT_OBJ) $(INT_OBJ))

.PHONY: test unit integration asan fixtures

# Fixtures are small C programs the integration tests trace.
$(BUILD)/fixtures/%: tests/fixtures/%.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O1 -g $(WARN_BASE) -pthread -o $@ $<

fixtures: $(FIXTURES)

$(BUILD)/obj/tests/%.o: tests/%.c | $(GEN_TABLE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(CRIT_CFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -MMD -MP -c $< -o $@

$(UNIT_BIN): $(UNIT_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CRIT_LIBS) $(ALL_LDLIBS)

$(INT_BIN): $(INT_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CRIT_LIBS) $(ALL_LDLIBS)

# The test binaries find what they run through these variables.
TEST_ENV = RENACER_C=$(abspath $(BIN)) OPTGEN=$(abspath $(OPTGEN)) FIXTURES_DIR=$(abspath $(BUILD)/fixtures) \
	EXAMPLES_DIR=$(abspath $(BUILD)/examples/simd) \
	SOURCE_FIXTURES_DIR=$(abspath $(BUILD)/source_fixtures) SOURCE_SRC_DIR=$(abspath tests/source_fixtures)
CRITERION_OPTS ?= --jobs 2

unit: $(UNIT_BIN) $(SOURCE_FIXTURES)
	$(TEST_ENV) $(UNIT_BIN) $(CRITERION_OPTS)

integration: $(BIN) $(OPTGEN) $(INT_BIN) $(FIXTURES) $(SIMD_PROGRAMS) $(SOURCE_FIXTURES)
	$(TEST_ENV) $(INT_BIN) $(CRITERION_OPTS)

# deps-test first (it may install packages), then each step in order.
test: deps-test
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
# disable_coredump=0: ASan would otherwise zero RLIMIT_CORE in the tracer,
# and the tracee inherits it (the core-dump test would see a changed limit).
asan: deps-test
	ASAN_OPTIONS=disable_coredump=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all unit integration
