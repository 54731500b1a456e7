#!/bin/sh
# Install the build and test dependencies that are missing, from Debian
# packages. Idempotent: does nothing when pkg-config finds everything.
set -eu

need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v cc >/dev/null 2>&1 || need="$need build-essential"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
if command -v pkg-config >/dev/null 2>&1; then
	have_pc libdw || need="$need libdw-dev"
	have_pc libelf || need="$need libelf-dev"
	have_pc libunwind-generic || need="$need libunwind-dev"
	have_pc libcjson || need="$need libcjson-dev"
	have_pc criterion || need="$need libcriterion-dev"
else
	need="$need libdw-dev libelf-dev libunwind-dev libcjson-dev libcriterion-dev"
fi
# The tests use strace as an oracle and python3 to validate JSON.
command -v strace >/dev/null 2>&1 || need="$need strace"
command -v python3 >/dev/null 2>&1 || need="$need python3"
# make fuzz: clang with libFuzzer's runtime; the tests also use groff
# (man page warnings) and objcopy/strip (debug-link fixtures).
command -v clang >/dev/null 2>&1 || need="$need clang"
if command -v clang >/dev/null 2>&1; then
	rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
	if [ ! -f "$rt" ]; then
		v=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
		need="$need libclang-rt-${v:-14}-dev"
	fi
fi
command -v groff >/dev/null 2>&1 || need="$need groff"
command -v objcopy >/dev/null 2>&1 || need="$need binutils"

# Optional: libc6-dbg gives the C library's full symbol table to the test
# that compares the two unwinders on bash and python3 (tests/unit/
# test_source.c, source_agree); without it that test is skipped, and a
# failed install is not an error.
optional=""
[ -e /usr/share/doc/libc6-dbg ] || optional="libc6-dbg"

[ -z "$need" ] && [ -z "$optional" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	if [ -n "$need" ]; then
		echo "install-deps: missing:$need — run as root or install them" >&2
		exit 1
	fi
	echo "install-deps: optional $optional is not installed (one test is skipped)" >&2
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ -n "$need" ]; then
	echo "install-deps: installing$need" >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need
fi
if [ -n "$optional" ]; then
	echo "install-deps: installing $optional (optional)" >&2
	apt-get install -y -qq --no-install-recommends "$optional" ||
		echo "install-deps: $optional could not be installed (one test is skipped)" >&2
fi
