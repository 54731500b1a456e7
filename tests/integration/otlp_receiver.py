#!/usr/bin/env python3
"""otlp_receiver.py OUT PORTFILE — a minimal OTLP/HTTP receiver for the
otlp integration suite (tests/integration/test_otlp.c), loopback only, on a
port the OS picks (written to PORTFILE once listening).

Every POST is decoded (gunzip when Content-Encoding: gzip, then JSON) and
appended to OUT as one line {"path", "headers", "body"}. RECV_FAIL=N
answers 503 (Retry-After: 0) to the first N requests (counted in
OUT.rejected); RECV_STALL=1 never answers."""
import http.server, json, gzip, sys, os, time, socketserver
out = sys.argv[1]; portfile = sys.argv[2]
fail = int(os.environ.get("RECV_FAIL", "0")); stall = os.environ.get("RECV_STALL") == "1"
state = {"n": 0}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        state["n"] += 1
        if stall:
            time.sleep(3600)
        if state["n"] <= fail:
            self.send_response(503); self.send_header("Retry-After", "0"); self.send_header("Content-Length", "0"); self.end_headers()
            with open(out + ".rejected", "a") as f: f.write("503\n")
            return
        enc = self.headers.get("Content-Encoding", "")
        if enc == "gzip":
            body = gzip.decompress(body)
        rec = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": json.loads(body)}
        with open(out, "a") as f:
            f.write(json.dumps(rec) + "\n")
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
with open(portfile + ".tmp", "w") as f: f.write(str(s.server_address[1]))
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
