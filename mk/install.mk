# mk/install.mk — `make install` / `make uninstall`. Included by the
# top-level Makefile after BUILD and BIN are defined.
#
#   make install   [PREFIX=/usr/local] [DESTDIR=]
#     $(DESTDIR)$(PREFIX)/bin/renacer-c
#     $(DESTDIR)$(PREFIX)/share/man/man1/renacer-c.1
#     $(DESTDIR)$(PREFIX)/share/bash-completion/completions/renacer-c
#     $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_renacer-c
#     $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/renacer-c.fish
#   make uninstall  removes those files (directories are left alone,
#                   even when empty: they may be shared with other packages)
#
# The installed completion is completion/renacer-c.bash with the syscall
# names of src/decode/syscalls.tsv filled in (scripts/gen_completion.sh).

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install
BINDIR       = $(PREFIX)/bin
MAN1DIR      = $(PREFIX)/share/man/man1
BASHCOMPDIR  = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR   = $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR  = $(PREFIX)/share/fish/vendor_completions.d
COMPLETION   = $(BUILD)/completion/renacer-c

.PHONY: install uninstall

$(COMPLETION): completion/renacer-c.bash src/decode/syscalls.tsv scripts/gen_completion.sh
	@mkdir -p $(dir $@)
	sh scripts/gen_completion.sh src/decode/syscalls.tsv completion/renacer-c.bash > $@.tmp
	mv $@.tmp $@

install: $(BIN) $(COMPLETION)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR) \
	  $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/renacer-c
	$(INSTALL) -m 0644 man/renacer-c.1 $(DESTDIR)$(MAN1DIR)/renacer-c.1
	$(INSTALL) -m 0644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/renacer-c
	$(INSTALL) -m 0644 completion/_renacer-c $(DESTDIR)$(ZSHCOMPDIR)/_renacer-c
	$(INSTALL) -m 0644 completion/renacer-c.fish $(DESTDIR)$(FISHCOMPDIR)/renacer-c.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/renacer-c $(DESTDIR)$(MAN1DIR)/renacer-c.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/renacer-c $(DESTDIR)$(ZSHCOMPDIR)/_renacer-c \
	  $(DESTDIR)$(FISHCOMPDIR)/renacer-c.fish
