#!/usr/bin/env bash
# gate.sh — the golden-trace CI gate (docs/design.md, 'Golden traces'; `make gate`, `.ci/run`,
# `make demo`).
#
# For every SIMD example: trace it under the performance assertions
# (renacer-c -f --assert CONFIG --format json -o NEW.json), then compare
# the new trace with its committed golden trace (renacer-c diff
# golden_traces/<name>.json NEW.json). The per-example report goes to
# stderr; the exit status is 0 when every assertion passed (warnings are
# allowed) and every trace is equivalent to its golden trace, else 1.
#
# Environment:
#   GATE_CONFIG      assertions file (default assertions/renacer.toml)
#   GATE_GOLDEN_DIR  golden traces (default golden_traces)
#   GATE_TOLERANCE   diff tolerance (default: renacer-c diff's, 0.05)
#   GATE_NO_BUILD=1  do not run `make all examples` first
#   GATE_KEEP=DIR    keep the new traces and reports in DIR
#   BUILD            the build directory (default build; `make gate` passes it)
#   GATE_EXAMPLES_DIR the example programs (default $BUILD/examples/simd)
#   RENACER          the tracer (default $BUILD/renacer-c)
#
# The programs run exactly as scripts/capture_golden_traces.sh ran them:
# same fixed environment and arguments, stdout to /dev/null.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CONFIG=${GATE_CONFIG:-assertions/renacer.toml}
GOLDEN=${GATE_GOLDEN_DIR:-golden_traces}
BUILD_DIR=${BUILD:-build}
RENACER=${RENACER:-$BUILD_DIR/renacer-c}
EXDIR=${GATE_EXAMPLES_DIR:-$BUILD_DIR/examples/simd}
EXAMPLES=(backend_detection matrix_operations activation_functions performance_demo ml_similarity backend_equivalence)

say() { printf '%s\n' "$*" >&2; }
indent() { sed 's/^/    /' >&2; }

if [ "${GATE_NO_BUILD:-0}" != 1 ]; then
	say "gate: building (make all examples)"
	if ! make -s all examples >&2; then
		say "gate: FAIL: the build failed"
		exit 1
	fi
fi
[ -x "$RENACER" ] || { say "gate: FAIL: $RENACER is not built"; exit 1; }
[ -r "$CONFIG" ] || { say "gate: FAIL: cannot read the assertions file $CONFIG"; exit 1; }

if [ -n "${GATE_KEEP:-}" ]; then
	WORK=$GATE_KEEP
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/renacer-gate.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
fi

diff_opts=()
[ -n "${GATE_TOLERANCE:-}" ] && diff_opts+=(--tolerance "$GATE_TOLERANCE")

# The capture script's environment; plus detect_leaks=0 for examples built
# with ASan (`make asan`): LeakSanitizer cannot run under ptrace.
run_fixed() {
	env -i PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C TZ=UTC HOME=/nonexistent \
		ASAN_OPTIONS=detect_leaks=0 "$@"
}

say "gate: assertions $CONFIG, golden traces $GOLDEN/"
N=${#EXAMPLES[@]}
k=0
failed=()
for n in "${EXAMPLES[@]}"; do
	k=$((k + 1))
	say ""
	say "[$k/$N] $n"
	verdict=PASS
	if [ ! -x "$EXDIR/$n" ]; then
		say "  FAIL  $EXDIR/$n is not built"
		failed+=("$n")
		continue
	fi

	# 1. trace under the assertions (report on the tracer's stderr)
	set +e
	run_fixed "$RENACER" -f --assert "$CONFIG" --format json -o "$WORK/$n.json" -- "$EXDIR/$n" \
		</dev/null >/dev/null 2>"$WORK/$n.assert.txt"
	arc=$?
	set -e
	case $arc in
	0) say "  PASS  assertions" ;;
	1) say "  FAIL  assertions: a gating assertion failed"; verdict=FAIL ;;
	4) say "  FAIL  assertions: the program could not run, crashed or exited with an unexpected status (exit 4)"; verdict=FAIL ;;
	5) say "  FAIL  assertions: configuration error in $CONFIG (exit 5)"; verdict=FAIL ;;
	*) say "  FAIL  assertions: renacer-c exited $arc"; verdict=FAIL ;;
	esac
	indent <"$WORK/$n.assert.txt"

	# 2. compare with the golden trace
	if [ ! -r "$GOLDEN/$n.json" ]; then
		say "  FAIL  golden trace: $GOLDEN/$n.json is missing (scripts/capture_golden_traces.sh writes it)"
		verdict=FAIL
	elif [ ! -s "$WORK/$n.json" ]; then
		say "  FAIL  golden trace: no new trace was written"
		verdict=FAIL
	else
		set +e
		"$RENACER" diff "${diff_opts[@]}" "$GOLDEN/$n.json" "$WORK/$n.json" >"$WORK/$n.diff.txt" 2>&1
		drc=$?
		set -e
		sim=$(sed -n 's/^similarity: *\(.*\) (LCS.*/\1/p' "$WORK/$n.diff.txt" | head -n1)
		case $drc in
		0) say "  PASS  golden trace: equivalent (similarity $sim)" ;;
		1)
			say "  FAIL  golden trace: NOT equivalent (similarity $sim)"
			verdict=FAIL
			indent <"$WORK/$n.diff.txt"
			;;
		*)
			say "  FAIL  golden trace: renacer-c diff exited $drc"
			verdict=FAIL
			indent <"$WORK/$n.diff.txt"
			;;
		esac
	fi
	[ "$verdict" = PASS ] || failed+=("$n")
done

say ""
if [ ${#failed[@]} -eq 0 ]; then
	say "gate: PASS ($N examples: assertions hold, traces equivalent to $GOLDEN/)"
	exit 0
fi
say "gate: FAIL (${#failed[@]} of $N examples: ${failed[*]})"
exit 1
