# mk/source_fixtures.mk — the programs of the source-correlation tests
# (tests/unit/test_source.c, tests/integration/test_source_cli.c), built
# from tests/source_fixtures/. Included by the top Makefile; expects BUILD,
# CC, STD and WARN_BASE. Tests find the binaries through
# SOURCE_FIXTURES_DIR and the sources (for the @site markers) through
# SOURCE_SRC_DIR. Their flags are fixed (no CFLAGS): the tests depend on them.
SRCFIX_SRC     := tests/source_fixtures
SRCFIX_OUT     := $(BUILD)/source_fixtures
SRCFIX_CFLAGS  := $(STD) $(WARN_BASE)
SRCFIX_MK      := mk/source_fixtures.mk
SRCFIX_CHAIN   := $(addprefix $(SRCFIX_SRC)/,chain_main.c chain_a.c chain_b.c chain_io.c)
SRCFIX_DEPS    := $(SRCFIX_CHAIN) $(SRCFIX_SRC)/chain.h $(SRCFIX_MK)
OBJCOPY        ?= objcopy
STRIP          ?= strip

SOURCE_FIXTURES := $(addprefix $(SRCFIX_OUT)/,chain_O0 chain_O2 chain_nopie chain_static \
	chain_stripped chain_debuglink chain_debuglink.debug chain_nog libchain_dl.so \
	threads forkexec exec_target fallback)

.PHONY: source_fixtures
source_fixtures: $(SOURCE_FIXTURES)

# The chain at -O0 -g (PIE), -O2 -g, -O2 -g non-PIE, -static -O2 -g (no dlopen) and -O2 without -g.
$(SRCFIX_OUT)/chain_O0: $(SRCFIX_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O0 -g -o $@ $(SRCFIX_CHAIN) -ldl

$(SRCFIX_OUT)/chain_O2: $(SRCFIX_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O2 -g -o $@ $(SRCFIX_CHAIN) -ldl

$(SRCFIX_OUT)/chain_nopie: $(SRCFIX_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O2 -g -fno-pie -no-pie -o $@ $(SRCFIX_CHAIN) -ldl

$(SRCFIX_OUT)/chain_static: $(SRCFIX_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O2 -g -static -DNO_DLOPEN -o $@ $(SRCFIX_CHAIN)

$(SRCFIX_OUT)/chain_nog: $(SRCFIX_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O2 -o $@ $(SRCFIX_CHAIN) -ldl

# -O2 -g stripped of everything (no debug link), and stripped with its
# debug info in chain_debuglink.debug next to it (.gnu_debuglink).
$(SRCFIX_OUT)/chain_stripped: $(SRCFIX_OUT)/chain_O2
	$(STRIP) --strip-all -o $@ $<

$(SRCFIX_OUT)/chain_debuglink.debug: $(SRCFIX_OUT)/chain_O2
	$(OBJCOPY) --only-keep-debug $< $@

$(SRCFIX_OUT)/chain_debuglink: $(SRCFIX_OUT)/chain_O2 $(SRCFIX_OUT)/chain_debuglink.debug
	cd $(SRCFIX_OUT) && $(OBJCOPY) --strip-all --add-gnu-debuglink=chain_debuglink.debug chain_O2 chain_debuglink

$(SRCFIX_OUT)/libchain_dl.so: $(SRCFIX_SRC)/chain_dl.c $(SRCFIX_MK)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O0 -g -fPIC -shared -o $@ $<

$(SRCFIX_OUT)/threads: $(SRCFIX_SRC)/threads.c $(SRCFIX_MK)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O0 -g -pthread -o $@ $<

$(SRCFIX_OUT)/forkexec $(SRCFIX_OUT)/exec_target: $(SRCFIX_OUT)/%: $(SRCFIX_SRC)/%.c $(SRCFIX_MK)
	@mkdir -p $(dir $@)
	$(CC) $(SRCFIX_CFLAGS) -O0 -g -o $@ $<

# The unwinder fallback: main (-O0 -g, frame pointers) over two assembly
# functions whose only CFI is in .debug_frame, assembled without -g (no
# line info: they are never a user frame). See fallback.c.
$(SRCFIX_OUT)/fallback_asm.o: $(SRCFIX_SRC)/fallback_asm.S $(SRCFIX_MK)
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ $<

$(SRCFIX_OUT)/fallback: $(SRCFIX_SRC)/fallback.c $(SRCFIX_OUT)/fallback_asm.o $(SRCFIX_MK)
	$(CC) $(SRCFIX_CFLAGS) -O0 -g -fno-omit-frame-pointer -o $@ $(filter %.c %.o,$^)
