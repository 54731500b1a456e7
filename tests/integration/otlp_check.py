#!/usr/bin/env python3
"""otlp_check.py RECEIVED [options] — check what otlp_receiver.py got
against the OTLP protobuf-JSON mapping and renacer-c's span tree
(tests/integration/test_otlp.c). Prints one line per problem and exits 1,
or prints "ok spans=N processes=P syscalls=S" and exits 0.

  --json TRACE.json     same number of syscall spans as calls, of process
                        spans as processes
  --traceparent TID SID the root span is SID's child in trace TID
  --service NAME        resource service.name
  --resource K=V        a resource attribute
  --header K=V          a request header (name lower case)
  --path P              the request path (default /v1/traces)
  --gzip                every request was gzip-encoded
  --only-failed         every syscall span failed (-e status=failed)
  --fork                a process span is the child of a fork/clone span
"""
import json, re, sys

args = sys.argv[1:]
received = args.pop(0)
opt = {"path": "/v1/traces", "headers": [], "resource": []}
while args:
    a = args.pop(0)
    if a == "--json": opt["json"] = args.pop(0)
    elif a == "--traceparent": opt["tp"] = (args.pop(0), args.pop(0))
    elif a == "--service": opt["service"] = args.pop(0)
    elif a == "--resource": opt["resource"].append(args.pop(0))
    elif a == "--header": opt["headers"].append(args.pop(0))
    elif a == "--path": opt["path"] = args.pop(0)
    elif a == "--gzip": opt["gzip"] = True
    elif a == "--only-failed": opt["only_failed"] = True
    elif a == "--fork": opt["fork"] = True
    else: sys.exit("unknown option " + a)

errors = []
def err(msg):
    if len(errors) < 20: errors.append(msg)

HEX32 = re.compile(r"^[0-9a-f]{32}$"); HEX16 = re.compile(r"^[0-9a-f]{16}$"); NUM = re.compile(r"^[0-9]+$")

def attrs(obj):
    out = {}
    for kv in obj.get("attributes", []):
        v = kv["value"]
        if "stringValue" in v: out[kv["key"]] = v["stringValue"]
        elif "intValue" in v:
            if not isinstance(v["intValue"], str) or not re.match(r"^-?[0-9]+$", v["intValue"]):
                err("intValue not a decimal string: %r" % (kv,))
            out[kv["key"]] = int(v["intValue"])
        else: err("unexpected attribute value %r" % (kv,))
    return out

spans = []
reqs = [json.loads(l) for l in open(received)]
if not reqs: err("no request received")
for r in reqs:
    if r["path"] != opt["path"]: err("path %s, expected %s" % (r["path"], opt["path"]))
    h = r["headers"]
    if h.get("content-type") != "application/json": err("content-type %r" % h.get("content-type"))
    if opt.get("gzip") and h.get("content-encoding") != "gzip": err("request not gzip-encoded")
    for kv in opt["headers"]:
        k, v = kv.split("=", 1)
        if h.get(k) != v: err("header %s: %r, expected %r" % (k, h.get(k), v))
    for rs in r["body"]["resourceSpans"]:
        ra = attrs(rs["resource"])
        for k in ("service.name", "host.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version"):
            if not ra.get(k): err("resource lacks " + k)
        if "service" in opt and ra.get("service.name") != opt["service"]:
            err("service.name %r, expected %r" % (ra.get("service.name"), opt["service"]))
        for kv in opt["resource"]:
            k, v = kv.split("=", 1)
            if ra.get(k) != v: err("resource %s: %r, expected %r" % (k, ra.get(k), v))
        for ss in rs["scopeSpans"]:
            if ss["scope"].get("name") != "renacer-c": err("scope %r" % ss["scope"])
            spans.extend(ss["spans"])

ids = {}
trace_ids = set()
for s in spans:
    trace_ids.add(s["traceId"])
    if not HEX32.match(s["traceId"]) or s["traceId"] == "0" * 32: err("bad traceId %r" % s["traceId"])
    if not HEX16.match(s["spanId"]) or s["spanId"] == "0" * 16: err("bad spanId %r" % s["spanId"])
    if "parentSpanId" in s and (not HEX16.match(s["parentSpanId"]) or s["parentSpanId"] == "0" * 16):
        err("bad parentSpanId %r" % s["parentSpanId"])
    if s["spanId"] in ids: err("duplicate spanId " + s["spanId"])
    ids[s["spanId"]] = s
    if s.get("kind") != 1: err("kind %r (an integer enum expected)" % s.get("kind"))
    st, en = s.get("startTimeUnixNano"), s.get("endTimeUnixNano")
    if not isinstance(st, str) or not isinstance(en, str) or not NUM.match(st) or not NUM.match(en):
        err("times not decimal strings: %r %r" % (st, en))
    elif int(en) < int(st): err("span %s ends before it starts" % s["name"])
    elif int(st) < 10**18: err("startTimeUnixNano %s is not a Unix time in ns" % st)
    s["_a"] = attrs(s)
    for ev in s.get("events", []):
        if not NUM.match(ev.get("timeUnixNano", "")): err("event time %r" % ev.get("timeUnixNano"))
        attrs(ev)
    if "status" in s and not isinstance(s["status"].get("code"), int): err("status code not an integer")
if len(trace_ids) > 1: err("several trace ids: %r" % trace_ids)

tp = opt.get("tp")
roots = [s for s in spans if "parentSpanId" not in s or (tp and s["parentSpanId"] == tp[1])]
if len(roots) != 1: err("%d root spans" % len(roots))
if tp:
    if trace_ids != {tp[0]}: err("traceId %r, expected %s" % (trace_ids, tp[0]))
root = roots[0] if roots else None
procs = [s for s in spans if s is not root and "syscall.name" not in s["_a"]]
calls = [s for s in spans if "syscall.name" in s["_a"]]
proc_by_pid = {}
for p in procs:
    pid = p["_a"].get("process.pid")
    if pid is None: err("process span without process.pid")
    if pid in proc_by_pid: err("two process spans for pid %s" % pid)
    proc_by_pid[pid] = p
    par = ids.get(p.get("parentSpanId"))
    if par is None: err("process %s: parent %r not received" % (pid, p.get("parentSpanId")))
    elif par is not root:
        pa = par["_a"]
        if "syscall.name" not in pa and pa.get("process.pid") == p["_a"].get("process.parent_pid"):
            pass  # the fork call was filtered out: under the parent process
        elif pa.get("syscall.name") not in ("clone", "clone3", "fork", "vfork"):
            err("process %s: parent span is %s" % (pid, par["name"]))
        elif pa.get("syscall.return_value") != pid:
            err("process %s: parent %s returned %s" % (pid, par["name"], pa.get("syscall.return_value")))
if opt.get("fork") and not any(ids.get(p.get("parentSpanId")) is not root for p in procs):
    err("no process span under a fork/clone span")
for c in calls:
    a = c["_a"]
    for k in ("process.pid", "thread.id", "syscall.duration_ns"):
        if k not in a: err("%s span lacks %s" % (c["name"], k))
    if c["name"] != a.get("syscall.name"): err("span name %s vs syscall.name %s" % (c["name"], a.get("syscall.name")))
    p = proc_by_pid.get(a.get("process.pid"))
    if p is None or c.get("parentSpanId") != p["spanId"]:
        err("%s span of pid %s is not under its process span" % (c["name"], a.get("process.pid")))
    failed = "error.type" in a
    code = c.get("status", {}).get("code", 0)
    if failed != (code == 2): err("%s: error.type %r but status %r" % (c["name"], a.get("error.type"), code))
    if failed and (not a["error.type"].startswith("E") or a.get("syscall.return_value", 0) >= 0):
        err("%s: error.type %r, return %r" % (c["name"], a["error.type"], a.get("syscall.return_value")))
    if opt.get("only_failed") and not failed: err("%s span succeeded despite status=failed" % c["name"])

if "json" in opt:
    t = json.load(open(opt["json"]))
    n = sum((r.get("rle") or {}).get("count", 1) for r in t["syscalls"])
    nrec = len(t["syscalls"])
    if len(calls) != nrec: err("%d syscall spans, the JSON trace has %d records (%d calls)" % (len(calls), nrec, n))
    if len(procs) != len(t.get("processes", [])):
        err("%d process spans, the JSON trace has %d processes" % (len(procs), len(t.get("processes", []))))

if errors:
    print("\n".join(errors)); sys.exit(1)
print("ok spans=%d processes=%d syscalls=%d" % (len(spans), len(procs), len(calls)))
