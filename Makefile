# renacer-c — build, test and CI entry points. README.md ("Set up") says
# how to use them, docs/style.md how the code is written; `make help` lists
# the targets.
#
# The conventional variables are honoured: CC, CPPFLAGS (compile lines),
# CFLAGS (default $(OPT) -g, OPT default -O2), LDFLAGS (link lines, before
# the objects), LDLIBS (after them). BUILD=DIR puts every output under DIR
# (default build). EXTRA_CFLAGS / EXTRA_LDFLAGS are what `make asan` adds.
#
# This file holds what every part shares (tools, flags, source lists) and
# the product itself (build/renacer-c); the rest is in mk/:
#   mk/source_fixtures.mk  the programs of the source-correlation tests
#   mk/simd.mk             the SIMD examples (`make examples`, the gate's programs)
#   mk/tests.mk            unit and integration tests, their fixtures, asan
#   mk/bench.mk            `make bench`
#   mk/fuzz.mk             `make fuzz`, `make fuzz-smoke`, ...
#   mk/install.mk          `make install`, `make uninstall`

.DEFAULT_GOAL := all

# ---------------------------------------------------------------------
# Tools and user-settable flags

CC            ?= cc
AR            ?= ar
BUILD         ?= build
OPT           ?= -O2
CFLAGS        ?= $(OPT) -g
CPPFLAGS      ?=
LDFLAGS       ?=
LDLIBS        ?=
EXTRA_CFLAGS  ?=
EXTRA_LDFLAGS ?=
PKG_CONFIG    ?= pkg-config

# ---------------------------------------------------------------------
# Libraries, through pkg-config, queried on first use (a recipe that
# compiles or links), so that deps, clean and help work on a machine that
# does not have them yet. A missing one is an error that names it.

PKGS      := libdw libelf libunwind-generic libcjson libcurl zlib
DEPS_HINT  = run `make deps` (or sh scripts/install-deps.sh as root)

# $(call pkg_missing,PACKAGES): those pkg-config does not know
pkg_missing = $(strip $(foreach p,$(1),$(if $(shell $(PKG_CONFIG) --exists '$(p)' 2>/dev/null && echo y),,$(p))))
# $(call pkg_query,OPTION,PACKAGES): `pkg-config OPTION PACKAGES`, or $(error)
pkg_query = $(if $(shell command -v $(PKG_CONFIG) 2>/dev/null),,$(error $(PKG_CONFIG) is not installed: $(DEPS_HINT)))$(if \
	$(call pkg_missing,$(2)),$(error pkg-config cannot find $(call pkg_missing,$(2)): $(DEPS_HINT)))$(shell $(PKG_CONFIG) $(1) $(2))

# Each is computed once, the first time a recipe expands it.
PKG_CFLAGS  = $(eval PKG_CFLAGS := $(call pkg_query,--cflags,$(PKGS)))$(PKG_CFLAGS)
PKG_LIBS    = $(eval PKG_LIBS := $(call pkg_query,--libs,$(PKGS)))$(PKG_LIBS)
CRIT_CFLAGS = $(eval CRIT_CFLAGS := $(call pkg_query,--cflags,criterion))$(CRIT_CFLAGS)
CRIT_LIBS   = $(eval CRIT_LIBS := $(call pkg_query,--libs,criterion))$(CRIT_LIBS)

# ---------------------------------------------------------------------
# Flags shared by every fragment: the C dialect and the warnings. WARN is
# for the project's own code (src/, tests/, fuzz/, examples/); the small
# programs the tests and benchmarks run get WARN_BASE.

STD       := -std=gnu11
WARN_BASE := -Wall -Wextra -Werror
WARN      := $(WARN_BASE) -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# Every module directory is on the include path: headers live next to
# their code (src/<module>/x.h; private ones are *_int.h).
SRC_INCLUDES := $(patsubst %/,-I%,$(sort $(dir $(wildcard src/*/*.h))))

# Compile: $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c SRC
# Link:    $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o OUT OBJECTS $(ALL_LDLIBS)
ALL_CPPFLAGS = -D_GNU_SOURCE $(SRC_INCLUDES) -I$(BUILD)/gen $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(STD) $(WARN) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS  = $(LDFLAGS) $(EXTRA_LDFLAGS)
ALL_LDLIBS   = $(PKG_LIBS) -lm $(LDLIBS)

# ---------------------------------------------------------------------
# Sources. librenacer.a is every module but the command line (src/cli/);
# the binary is main.o + the CLI objects + the library.

GEN_TABLE := $(BUILD)/gen/syscall_table_gen.c
MAIN_SRC  := src/cli/main.c
CLI_SRC   := $(filter-out $(MAIN_SRC),$(wildcard src/cli/*.c))
LIB_SRC   := $(filter-out src/cli/%,$(wildcard src/*/*.c))

LIB_OBJ   := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/syscall_table_gen.o
CLI_OBJ   := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(CLI_SRC))
MAIN_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(MAIN_SRC))
BIN       := $(BUILD)/renacer-c
LIB       := $(BUILD)/librenacer.a

# Dependency files (-MMD -MP) of every object compiled here; each fragment
# adds its own. Included at the end.
DEP_FILES := $(patsubst %.o,%.d,$(LIB_OBJ) $(CLI_OBJ) $(MAIN_OBJ))

# ---------------------------------------------------------------------
# The product

.PHONY: all deps deps-build deps-test docs docs-check gate demo clean help

all: $(BIN)

$(GEN_TABLE): scripts/gen_syscall_table.sh src/decode/syscalls.tsv src/decode/syscall_table.h
	@mkdir -p $(dir $@)
	sh scripts/gen_syscall_table.sh "$(CC)" src/decode/syscalls.tsv > $@.tmp && mv $@.tmp $@

# The option table's documentation generator (man page regions and
# completions: `make docs` rewrites them, `make docs-check` compares).
OPTGEN := $(BUILD)/gen/optgen
$(OPTGEN): scripts/optgen.c src/cli/options.def
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O1 $(WARN_BASE) -Isrc/cli -o $@ scripts/optgen.c

docs: $(OPTGEN)
	sh scripts/gen_docs.sh $(OPTGEN)

docs-check: $(OPTGEN)
	sh scripts/gen_docs.sh $(OPTGEN) --check

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: src/%.c | $(GEN_TABLE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# ---------------------------------------------------------------------
# Dependencies: scripts/install-deps.sh checks the Debian packages a
# target needs and, as root, installs the missing ones (as another user it
# names them and fails). `make deps` is every group.

deps:
	@sh scripts/install-deps.sh all
deps-build:
	@sh scripts/install-deps.sh build
deps-test:
	@sh scripts/install-deps.sh test

# ---------------------------------------------------------------------
# Fragments

# (in this order: tests.mk and bench.mk use what the first two define)
include mk/source_fixtures.mk
include mk/simd.mk
include mk/tests.mk
include mk/bench.mk
include mk/fuzz.mk
include mk/install.mk

# ---------------------------------------------------------------------
# The golden-trace gate: every SIMD example traced under
# assertions/renacer.toml and diffed against golden_traces/.
gate: $(BIN) $(SIMD_PROGRAMS)
	BUILD=$(BUILD) bash scripts/gate.sh

# For a newcomer: build everything, then run the main job (the gate) and
# show its report.
demo: deps-build
	$(MAKE) all examples
	$(MAKE) gate

clean:
	rm -rf $(BUILD) build-asan

help:
	@echo 'make [all]       build $(BIN)'
	@echo 'make deps        install the missing Debian packages (as root)'
	@echo 'make test        check/install what the tests need, build, run unit + integration tests'
	@echo 'make unit        the unit tests only (make integration: the integration tests)'
	@echo 'make asan        every test again under ASan + UBSan (in build-asan)'
	@echo 'make examples    the SIMD examples;  make gate: the golden-trace gate;  make demo: both'
	@echo 'make bench       benchmarks (bench/run.sh)'
	@echo 'make fuzz        libFuzzer targets (fuzz-smoke, fuzz-build, fuzz-regress, fuzz-clean)'
	@echo 'make install     PREFIX=/usr/local DESTDIR= (make uninstall)'
	@echo 'make docs        regenerate the man page options and completions from src/cli/options.def (docs-check: compare)'
	@echo 'make clean       remove $(BUILD) and build-asan'
	@echo 'Variables: CC CPPFLAGS CFLAGS OPT LDFLAGS LDLIBS BUILD (see the Makefile header)'

-include $(DEP_FILES)
