#!/usr/bin/env python3
"""Load test of a running Tandem server with wrk (Debian): for each target (the health check,
the API's list endpoints, the main pages), wrk runs CONNECTIONS connections for SECONDS seconds,
rotating through distinct URLs of that kind (each requested once before); prints requests/s, p50 and p99 latency, the ratio
of the requests/s to the health check's in the same run, and the server's resident memory after
each target (and its peak). The targets of issue [G]: p99 under 50 ms and at least 0.3 x the
health check's requests/s, the server under 400 MB.

Usage: bench-load.py BASE EMAIL PASSWORD TOKEN SERVER_PID [SECONDS] [CONNECTIONS]"""
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

from tandem_client import Client, memory

BASE, EMAIL, PASSWORD, TOKEN, PID = sys.argv[1:6]
SECONDS = int(sys.argv[6]) if len(sys.argv) > 6 else 10
CONNECTIONS = int(sys.argv[7]) if len(sys.argv) > 7 else 64
client = Client(BASE, TOKEN)
get, api = client.get, client.api


def wrk(paths, headers):
    """wrk over `paths` in turn; returns requests/s, p50 and p99 in ms, and the error count."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write("local paths = {%s}\nlocal i = 0\n" % ", ".join(json.dumps(p) for p in paths))
    script.write("request = function()\n  i = i %% #paths + 1\n  return wrk.format(\"GET\", paths[i], %s)\nend\n"
                 % ("{" + ", ".join("[%s] = %s" % (json.dumps(k), json.dumps(v)) for k, v in headers.items()) + "}"))
    script.write("done = function(summary, latency, requests)\n"
                 "  io.write(string.format(\"RESULT %f %f %f %d %d\\n\", summary.requests / (summary.duration / 1e6),"
                 " latency:percentile(50) / 1000, latency:percentile(99) / 1000,"
                 " summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,"
                 " summary.requests))\nend\n")
    script.close()
    try:
        output = subprocess.run(["wrk", "-t2", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--timeout", "10s", "-s", script.name, BASE],
                                capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(l for l in output.splitlines() if l.startswith("RESULT"))
    rps, p50, p99, errors, requests = line.split()[1:]
    return float(rps), float(p50), float(p99), int(errors), int(requests)


cookie = client.sign_in(EMAIL, PASSWORD)
get("/")  # the assessment, computed once before the clock starts
page = {"Cookie": cookie}
bearer = {"Authorization": "Bearer " + TOKEN}


def pages(path, count):
    """`path` and the next `count - 1` pages after it, by their keyset cursors."""
    found, cursor = [path], api(path).get("next_cursor")
    while cursor and len(found) < count:
        found.append(path + "&cursor=" + urllib.parse.quote(cursor))
        cursor = api(found[-1]).get("next_cursor")
    return found


organizations = [o["key"] for o in api("/api/v1/organizations?limit=100&kind=distributor")["items"]]
people = [p["key"] for p in api("/api/v1/people?limit=100")["items"]]
relationship_pages = list(dict.fromkeys(re.findall(r'href="(/relationships/[^"]+)"', get("/organizations/" + organizations[-1], page))))[:20]
if not relationship_pages:
    for key in organizations:
        relationship_pages = list(dict.fromkeys(re.findall(r'href="(/relationships/[^"]+)"', get("/organizations/" + key, page))))[:20]
        if relationship_pages:
            break

targets = [
    ("health check (baseline)", ["/health"], {}),
    ("API organizations, 50 a page", pages("/api/v1/organizations?limit=50", 20), bearer),
    ("API people, 50 a page", pages("/api/v1/people?limit=50", 20), bearer),
    ("API interactions, 50 a page", pages("/api/v1/interactions?limit=50", 20), bearer),
    ("API a person's interactions", ["/api/v1/interactions?limit=50&person=" + k for k in people[:50]], bearer),
    ("dashboard", ["/"], page),
    ("organization pages", ["/organizations/" + k for k in organizations[:50]], page),
    ("person pages", ["/people/" + k for k in people[:50]], page),
    ("relationship pages", relationship_pages, page),
]
print("wrk: %d connections, 2 threads, %d s per target; server pid %s" % (CONNECTIONS, SECONDS, PID))
print("| target | URLs | requests/s | p50 ms | p99 ms | errors | requests/s / health | server RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
baseline = None
failures = []
for name, paths, headers in targets:
    # One pass over the URLs first: a bad URL fails here, loudly, rather than as wrk's error
    # count, and the figures are those of a server that has seen each URL once (its caches hold
    # them until the workspace changes; run with --list-cache-mib 0 --page-cache-mib 0 for none).
    for path in paths:
        get(path, headers)
    rps, p50, p99, errors, requests = wrk(paths, headers)
    baseline = baseline or rps
    rss, peak = memory(PID)
    print("| %s | %d | %.0f | %.1f | %.1f | %d | %.2f | %.0f |" % (name, len(paths), rps, p50, p99, errors, rps / baseline, rss))
    if name != "health check (baseline)" and (p99 >= 50 or rps / baseline < 0.3):
        failures.append(name)
    if errors:
        failures.append(name + " (errors)")
rss, peak = memory(PID)
print("server: %.0f MiB resident at the end, %.0f MiB at its peak" % (rss, peak))
print("below the targets (p99 < 50 ms, >= 0.3 x health): " + (", ".join(failures) if failures else "none"))
