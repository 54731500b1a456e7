#!/usr/bin/env bash
# capture_golden_traces.sh — (re)capture the golden traces of the SIMD
# examples (docs/design.md, 'Golden traces') into golden_traces/:
#
#   <name>.json          renacer-json-v1 trace        (--format json -f -o)
#   <name>_summary.txt   the -c table, nothing else   (-c -f -o)
#   <name>_source.json   trace with source locations  (-s --format json -f -o)
#   meta.json            tool version, kernel, libc, compiler, CPU flags, backend
#   ANALYSIS.md          numbers measured from the traces above, and a
#                        per-backend comparison (each example traced under
#                        every SIMD_BACKEND this CPU supports)
#
# Usage: scripts/capture_golden_traces.sh [--no-build] [--out DIR]
#   --no-build   use the binaries already built (default: make all examples)
#   --out DIR    write there instead of golden_traces/
# Environment: RENACER (default build/renacer-c), CC (for meta.json).
#
# Program output never meets tracer output: the programs' stdout goes to
# /dev/null, their stderr and the tracer's messages to a log that is shown
# when a step fails; the tracer writes only to its -o file. Every program
# runs with the same fixed environment (env -i, LC_ALL=C, fixed PATH) and
# fixed arguments, from the repository root. Any failure stops the script
# with a message and a non-zero exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

OUT=golden_traces
BUILD_FIRST=1
while [ $# -gt 0 ]; do
	case "$1" in
	--no-build) BUILD_FIRST=0 ;;
	--out)
		[ $# -ge 2 ] || { echo "capture: --out needs a directory" >&2; exit 2; }
		OUT=$2
		shift
		;;
	-h | --help)
		sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "capture: unknown argument '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

RENACER=${RENACER:-build/renacer-c}
EXDIR=build/examples/simd
EXAMPLES=(backend_detection matrix_operations activation_functions performance_demo ml_similarity backend_equivalence)
BACKENDS=(scalar sse2 avx2 avx512)
# Fixed arguments per example (none of them needs any today).
declare -A ARGS=(
	[backend_detection]=""
	[matrix_operations]=""
	[activation_functions]=""
	[performance_demo]=""
	[ml_similarity]=""
	[backend_equivalence]=""
)

die() {
	echo "capture: FAILED: $*" >&2
	exit 1
}
trap 'echo "capture: FAILED at line $LINENO (exit $?)" >&2' ERR

command -v python3 >/dev/null || die "python3 is needed to write meta.json and ANALYSIS.md"

if [ "$BUILD_FIRST" = 1 ]; then
	echo "capture: building (make all examples)" >&2
	make -s all examples >&2 || die "make all examples failed"
fi
[ -x "$RENACER" ] || die "$RENACER is not built (run make all)"
for n in "${EXAMPLES[@]}"; do
	[ -x "$EXDIR/$n" ] || die "$EXDIR/$n is not built (run make examples)"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/golden-capture.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# The fixed environment every traced program (and the tracer) runs in.
run_fixed() {
	env -i PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C TZ=UTC HOME=/nonexistent "$@"
}

# trace LOG -- tracer arguments...: run the tracer on an example with the
# program's stdout to /dev/null and all stderr to LOG; fail loudly.
trace() {
	local log=$1
	shift
	if ! run_fixed "$@" </dev/null >/dev/null 2>"$log"; then
		echo "capture: command failed: $*" >&2
		sed 's/^/  | /' "$log" >&2
		exit 1
	fi
}

# The backends this CPU runs: backend_detection's "Supported backends:" line.
detect_out=$TMP/detect.txt
run_fixed "$EXDIR/backend_detection" </dev/null >"$detect_out" 2>"$TMP/detect.err" ||
	die "backend_detection failed: $(cat "$TMP/detect.err")"
SELECTED=$(sed -n 's/^Backend: //p' "$detect_out" | head -n1)
SUPPORTED=$(sed -n 's/^Supported backends: //p' "$detect_out" | head -n1)
[ -n "$SELECTED" ] || die "backend_detection printed no 'Backend:' line"
[ -n "$SUPPORTED" ] || die "backend_detection printed no 'Supported backends:' line"
read -r -a SUPPORTED_LIST <<<"$SUPPORTED"

N=${#EXAMPLES[@]}
k=0
for n in "${EXAMPLES[@]}"; do
	k=$((k + 1))
	echo "[$k/$N] $n" >&2
	# shellcheck disable=SC2086 # ARGS are words on purpose
	set -- ${ARGS[$n]}
	trace "$TMP/$n.log" "$RENACER" --format json -f -o "$OUT/$n.json" -- "$EXDIR/$n" "$@"
	trace "$TMP/$n.c.log" "$RENACER" -c -f -o "$OUT/${n}_summary.txt" -- "$EXDIR/$n" "$@"
	trace "$TMP/$n.s.log" "$RENACER" -s --format json -f -o "$OUT/${n}_source.json" -- "$EXDIR/$n" "$@"
	# each file must read back as a trace; the summary must be the table only
	"$RENACER" summary "$OUT/$n.json" >/dev/null || die "$OUT/$n.json does not read back"
	"$RENACER" summary "$OUT/${n}_source.json" >/dev/null || die "$OUT/${n}_source.json does not read back"
	head -n1 "$OUT/${n}_summary.txt" | grep -q '^% time' || die "$OUT/${n}_summary.txt is not a -c table"
	# per-backend traces, for the comparison in ANALYSIS.md
	for b in "${SUPPORTED_LIST[@]}"; do
		trace "$TMP/$n.$b.log" env SIMD_BACKEND="$b" "$RENACER" --format json -f -o "$TMP/$n.$b.json" -- "$EXDIR/$n" "$@"
		set +e
		"$RENACER" diff --format json "$OUT/$n.json" "$TMP/$n.$b.json" >"$TMP/$n.$b.diff.json" 2>"$TMP/$n.$b.diff.err"
		rc=$?
		set -e
		[ "$rc" -le 1 ] || die "renacer-c diff failed on $n/$b: $(cat "$TMP/$n.$b.diff.err")"
	done
	set --
done

echo "capture: writing $OUT/meta.json and $OUT/ANALYSIS.md" >&2
TOOL_VERSION=$("$RENACER" --version | head -n1)
KERNEL="$(uname -s) $(uname -r) $(uname -m)"
LIBC=$(ldd --version 2>&1 | head -n1 || true)
COMPILER=$(${CC:-cc} --version 2>&1 | head -n1 || true)

export OUT TMP TOOL_VERSION KERNEL LIBC COMPILER SELECTED SUPPORTED
export EXAMPLES_LIST="${EXAMPLES[*]}" BACKENDS_LIST="${BACKENDS[*]}"
python3 - <<'PY'
import json, os, re, collections

out, tmp = os.environ["OUT"], os.environ["TMP"]
examples = os.environ["EXAMPLES_LIST"].split()
backends = os.environ["BACKENDS_LIST"].split()
supported = os.environ["SUPPORTED"].split()
selected = os.environ["SELECTED"]

# CPU flags that matter to the SIMD backends.
simd_flags = ["sse", "sse2", "sse3", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "avx2",
              "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "xsave", "osxsave"]
cpu_flags, model = set(), ""
with open("/proc/cpuinfo") as f:
    for line in f:
        key, _, val = line.partition(":")
        key = key.strip()
        if key == "flags" and not cpu_flags:
            cpu_flags = set(val.split())
        elif key == "model name" and not model:
            model = val.strip()
present = [fl for fl in simd_flags if fl in cpu_flags]

meta = {
    "tool": os.environ["TOOL_VERSION"],
    "kernel": os.environ["KERNEL"],
    "libc": os.environ["LIBC"],
    "compiler": os.environ["COMPILER"],
    "cpu_model": model,
    "cpu_simd_flags": present,
    "backend": selected,
    "supported_backends": supported,
    "examples": examples,
    "capture": {
        "command": "scripts/capture_golden_traces.sh",
        "environment": {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC",
                        "HOME": "/nonexistent"},
        "trace_flags": {"trace": "--format json -f", "summary": "-c -f", "source": "-s --format json -f"},
        "program_stdout": "/dev/null",
    },
}
with open(os.path.join(out, "meta.json"), "w") as f:
    json.dump(meta, f, indent=2)
    f.write("\n")

def load(path):
    with open(path) as f:
        return json.load(f)

rows, tops = [], {}
for n in examples:
    t = load(os.path.join(out, n + ".json"))
    calls = t["syscalls"]
    summ = t.get("summary", {})
    cnt = collections.Counter(c["name"] for c in calls)
    errs = collections.Counter(c["name"] for c in calls if c.get("errno"))
    loader = sum(1 for c in calls if re.match(r"ld-(linux.*|.*\.so.*)$", os.path.basename(c.get("module") or "")))
    with open(os.path.join(tmp, "%s.%s.diff.json" % (n, supported[-1]))) as f:
        observable = json.load(f)["golden"]["calls"]
    src = load(os.path.join(out, n + "_source.json"))["syscalls"]
    with_src = sum(1 for c in src if c.get("source"))
    rows.append((n, len(calls), summ.get("errors", sum(errs.values())), summ.get("wall_time_us", 0) / 1000.0,
                 summ.get("total_time_us", 0) / 1000.0, loader, observable, len(t.get("processes", [])),
                 with_src, len(src)))
    tops[n] = (cnt.most_common(6), errs)

L = []
L.append("# Golden traces: analysis")
L.append("")
L.append("Generated by `scripts/capture_golden_traces.sh`; every number below was measured")
L.append("from the traces in this directory on the capture machine (`meta.json`). Wall and")
L.append("syscall times are under ptrace and vary from run to run; the call sequences do not.")
L.append("")
L.append("| | |")
L.append("|---|---|")
L.append("| tool | %s |" % meta["tool"])
L.append("| kernel | %s |" % meta["kernel"])
L.append("| libc | %s |" % meta["libc"])
L.append("| compiler | %s |" % meta["compiler"])
L.append("| CPU | %s |" % (model or "unknown"))
L.append("| SIMD flags | %s |" % " ".join(present))
L.append("| backend (auto) | %s |" % selected)
L.append("| backends supported | %s |" % " ".join(supported))
L.append("")
L.append("## Per example")
L.append("")
L.append("`observable` is the length of the sequence `renacer-c diff` compares (loader prelude,")
L.append("memory management, signals and clock calls dropped; docs/design.md, 'Golden traces', src/analyze/golden.h).")
L.append("")
L.append("| example | syscalls | errors | wall (ms) | in syscalls (ms) | from ld.so | observable | processes | with source (-s) |")
L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    L.append("| %s | %d | %d | %.3f | %.3f | %d | %d | %d | %d of %d |" % r)
L.append("")
L.append("### Top syscalls")
L.append("")
for n in examples:
    common, errs = tops[n]
    parts = []
    for name, c in common:
        e = errs.get(name, 0)
        parts.append("%s %d%s" % (name, c, " (%d failed)" % e if e else ""))
    L.append("- **%s**: %s" % (n, ", ".join(parts)))
L.append("")
L.append("## Per backend")
L.append("")
L.append("Each example traced again with `SIMD_BACKEND` forced to every backend this CPU")
L.append("supports: total syscalls, and the similarity of the trace to the golden trace")
L.append("(`renacer-c diff`; equivalent at >= 0.95). Backends this CPU lacks are marked n/a.")
L.append("")
L.append("| example | " + " | ".join(backends) + " | equivalent |")
L.append("|---|" + "---:|" * len(backends) + "---|")
all_eq = True
for n in examples:
    cells, eq = [], True
    for b in backends:
        if b not in supported:
            cells.append("n/a")
            continue
        tr = load(os.path.join(tmp, "%s.%s.json" % (n, b)))
        d = load(os.path.join(tmp, "%s.%s.diff.json" % (n, b)))
        eq = eq and d["equivalent"]
        cells.append("%d (%.3f)" % (len(tr["syscalls"]), d["similarity"]))
    all_eq = all_eq and eq
    L.append("| %s | %s | %s |" % (n, " | ".join(cells), "yes" if eq else "**no**"))
L.append("")
L.append("Cells: syscalls (similarity to the golden trace). %s" %
         ("Every forced backend is equivalent to the golden trace." if all_eq else
          "**Some forced backends are NOT equivalent to the golden trace.**"))
L.append("")
L.append("## Files")
L.append("")
L.append("- `<name>.json`: `renacer-c --format json -f -o <name>.json -- build/examples/simd/<name>`")
L.append("- `<name>_summary.txt`: `renacer-c -c -f -o <name>_summary.txt -- ...` (the -c table only)")
L.append("- `<name>_source.json`: `renacer-c -s --format json -f -o <name>_source.json -- ...`")
L.append("- `meta.json`: the capture machine and environment")
L.append("")
L.append("Program output went to /dev/null; the environment was `env -i PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C TZ=UTC`.")
L.append("`make gate` traces every example again and diffs it against `<name>.json`.")
with open(os.path.join(out, "ANALYSIS.md"), "w") as f:
    f.write("\n".join(L) + "\n")
if not all_eq:
    raise SystemExit("capture: a forced backend is not equivalent to the golden trace (see ANALYSIS.md)")
PY

echo "capture: done: $N examples in $OUT/" >&2
