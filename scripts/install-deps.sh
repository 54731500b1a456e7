#!/bin/sh
# install-deps.sh — check, and as root install, the Debian packages a make
# target needs.
#
#   sh scripts/install-deps.sh [GROUP...]     (default: all)
#
#   build  a C toolchain (cc, make, binutils), pkg-config, libdw, libelf,
#          libunwind-ptrace, libcjson, libcurl, zlib
#                                            `make deps-build`, `make demo`
#   test   build + criterion; optionally strace, python3 and groff (the
#          tests that use them are skipped without them)
#                                            `make test`, `make asan`
#   fuzz   build + clang ($CLANG, default clang) with libFuzzer's runtime
#                                            `make fuzz`, `make fuzz-smoke`, ...
#   all    every group                       `make deps`
#
# Everything present: exit 0 without touching anything, for any user.
# Something missing: as root, apt-get installs it (optional tools too);
# as another user, one line on stderr names the missing packages and the
# command to run, and the exit status is 1 (when only optional tools are
# missing: a one-line note, exit 0).
set -eu

# build is always checked: every other group needs it.
test=0 fuzz=0
[ $# -gt 0 ] || set -- all
for g in "$@"; do
	case $g in
	build) ;;
	test) test=1 ;;
	fuzz) fuzz=1 ;;
	all) test=1 fuzz=1 ;;
	*)
		echo "install-deps: unknown group '$g' (build, test, fuzz or all)" >&2
		exit 2
		;;
	esac
done
CLANG=${CLANG:-clang}

have() { command -v "$1" >/dev/null 2>&1; }
have_pc() { pkg-config --exists "$1" 2>/dev/null; }

# libFuzzer's runtime of $CLANG: where -print-file-name finds it, or in its
# per-target runtime directory (newer clang).
have_fuzzer_rt() {
	rt=$("$CLANG" -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
	[ -f "$rt" ] && return 0
	dir=$("$CLANG" -print-runtime-dir 2>/dev/null || true)
	[ -n "$dir" ] && [ -f "$dir/libclang_rt.fuzzer.a" ]
}

# need: missing required packages; want: missing optional ones.
check() {
	need="" want=""
	have cc || need="$need build-essential"
	have make || need="$need make"
	{ have ar && have objcopy && have strip; } || need="$need binutils"
	if have pkg-config; then
		have_pc libdw || need="$need libdw-dev"
		have_pc libelf || need="$need libelf-dev"
		have_pc libunwind-generic || need="$need libunwind-dev"
		have_pc libcjson || need="$need libcjson-dev"
		have_pc libcurl || need="$need libcurl4-openssl-dev"
		have_pc zlib || need="$need zlib1g-dev"
		if [ $test = 1 ]; then
			have_pc criterion || need="$need libcriterion-dev"
		fi
	else
		need="$need pkg-config libdw-dev libelf-dev libunwind-dev libcjson-dev libcurl4-openssl-dev zlib1g-dev"
		[ $test = 1 ] && need="$need libcriterion-dev"
	fi
	if [ $test = 1 ]; then
		# strace is the tests' oracle, python3 a second JSON/CSV/XML
		# parser, groff checks the man page.
		have strace || want="$want strace"
		have python3 || want="$want python3"
		have groff || want="$want groff"
		# libc6-dbg: the C library's symbols for the test that compares
		# the two unwinders on bash and python3 (skipped without it).
		[ -e /usr/share/doc/libc6-dbg ] || want="$want libc6-dbg"
	fi
	if [ $fuzz = 1 ]; then
		if ! have "$CLANG"; then
			need="$need $(basename "$CLANG")"
		elif ! have_fuzzer_rt; then
			v=$("$CLANG" -dumpversion 2>/dev/null | cut -d. -f1)
			need="$need libclang-rt-${v:-14}-dev"
		fi
	fi
	return 0
}

check
[ -z "$need$want" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	if [ -n "$need" ]; then
		echo "install-deps: missing:$need${want:+ (optional:$want)} — as root, run: apt-get install$need$want (or: make deps)" >&2
		exit 1
	fi
	echo "install-deps: note: optional$want not installed (the tests that use them are skipped); as root: apt-get install$want" >&2
	exit 0
fi

# Root: install, then check again (a freshly installed clang may still
# lack its libFuzzer runtime package, which depends on its version).
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
for _ in 1 2; do
	echo "install-deps: installing$need$want" >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need $want
	check
	[ -z "$need" ] && exit 0
done
echo "install-deps: still missing after apt-get install:$need" >&2
exit 1
