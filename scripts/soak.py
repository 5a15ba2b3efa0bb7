#!/usr/bin/env python3
"""Soak test of a running Tandem server: wrk runs CONNECTIONS connections for MINUTES minutes over
a mix of requests (after a 30 s baseline of the same reads without writes, in the same run) —
the API's lists and a person's interactions, the dashboard, organization and
person pages, the health check, and WRITE_PERCENT percent new interactions posted through the API
(each write moves the workspace's revision, so caches are refilled and the assessment updated
all along). Every 15 s it samples the server's resident memory. Prints the figures and fails
(exit 1) on any error (a 4xx or 5xx answer, a connection error or a timeout; the first answers
other than 2xx are printed), or when memory keeps growing: the last third of the run
must not sit more than 10% above the middle third.

Usage: soak.py BASE EMAIL PASSWORD TOKEN SERVER_PID [MINUTES] [CONNECTIONS] [WRITE_PERCENT]"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

from tandem_client import Client, memory

BASE, EMAIL, PASSWORD, TOKEN, PID = sys.argv[1:6]
MINUTES = float(sys.argv[6]) if len(sys.argv) > 6 else 10
CONNECTIONS = int(sys.argv[7]) if len(sys.argv) > 7 else 32
WRITES = int(sys.argv[8]) if len(sys.argv) > 8 else 5
client = Client(BASE, TOKEN)
get, api = client.get, client.api


def rss():
    return memory(PID)[0]


cookie = client.sign_in(EMAIL, PASSWORD)
get("/", {"Cookie": cookie})  # the assessment, computed once before the clock starts
organizations = [o["key"] for o in api("/api/v1/organizations?limit=100&kind=distributor")["items"]]
people = [p["key"] for p in api("/api/v1/people?limit=200")["items"]]
reads = ([("GET", "/api/v1/organizations?limit=50", "bearer"), ("GET", "/api/v1/people?limit=50", "bearer"),
          ("GET", "/api/v1/interactions?limit=50", "bearer"), ("GET", "/health/ready", "none"), ("GET", "/", "cookie")]
         + [("GET", "/api/v1/interactions?limit=50&person=" + k, "bearer") for k in people[:20]]
         + [("GET", "/organizations/" + k, "cookie") for k in organizations[:20]]
         + [("GET", "/people/" + k, "cookie") for k in people[:20]])
for method, path, auth in reads:  # a bad URL fails here, loudly
    get(path, {"bearer": {"Authorization": "Bearer " + TOKEN}, "cookie": {"Cookie": cookie}, "none": {}}[auth])

lua = """
local reads = %s
local people = %s
local token, cookie, writes = %s, %s, WRITES
-- Each wrk thread has its own Lua state: setup gives each its number (a global), so keys never repeat.
local counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
init = function(args)
  math.randomseed(id)
end
request = function()
  counter = counter + 1
  if math.random(100) <= writes then
    local a = people[math.random(#people)]
    local b = people[math.random(#people)]
    local body = string.format('{"key":"soak-%%d-%%d-%%d","date":"2026-%%02d-%%02d","kind":"call","initiator_key":"%%s","participant_keys":["%%s"],"summary":"soak"}',
      id, os.time(), counter, math.random(1, 10), math.random(1, 28), a, b)
    return wrk.format("POST", "/api/v1/interactions", {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
  end
  local r = reads[math.random(#reads)]
  local headers = {}
  if r[2] == "bearer" then headers["Authorization"] = "Bearer " .. token end
  if r[2] == "cookie" then headers["Cookie"] = cookie end
  return wrk.format("GET", r[1], headers)
end
local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and (statuses[status] <= 3) then io.write("unexpected " .. status .. ": " .. string.sub(body, 1, 200) .. "\\n") end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%f %%f %%f %%f %%d %%d %%d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests))
end
""" % ("{" + ", ".join("{%s, %s}" % (json.dumps(p), json.dumps(a)) for _, p, a in reads) + "}",
       "{" + ", ".join(json.dumps(p) for p in people[:100]) + "}", json.dumps(TOKEN), json.dumps(cookie))


def wrk(seconds, writes):
    """wrk over the mix for `seconds` with `writes` percent writes: its RESULT figures and output."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(lua.replace("WRITES", str(writes)))
    script.close()
    try:
        run = subprocess.run(["wrk", "-t2", "-c%d" % CONNECTIONS, "-d%ds" % seconds, "--timeout", "30s", "-s", script.name, BASE],
                             capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    figures = next(l for l in run.stdout.splitlines() if l.startswith("RESULT")).split()[1:]
    return [float(x) for x in figures[:4]] + [int(x) for x in figures[4:]], run.stdout


# The baseline, in the same run: the same reads without writes, so every cache stays filled.
(base_rps, base_p50, base_p99, _, base_errors, base_socket, _), _ = wrk(30, 0)
print("baseline, reads only for 30 s: %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors" % (base_rps, base_p50, base_p99, base_errors + base_socket))

seconds = int(MINUTES * 60)
samples = []
start = time.time()
stop = threading.Event()


def sample():
    while not stop.is_set():
        samples.append((time.time() - start, rss()))
        stop.wait(15)


sampler = threading.Thread(target=sample)
sampler.start()
print("soak: %d connections, %d s, %d%% writes; server pid %s, %.0f MiB resident before" % (CONNECTIONS, seconds, WRITES, PID, rss()))
try:
    (rps, p50, p99, worst, status_errors, socket_errors, requests), output = wrk(seconds, WRITES)
finally:
    stop.set()
    sampler.join()
samples.append((time.time() - start, rss()))
for line in output.splitlines():
    if line.startswith("unexpected"):
        print(line)
interactions = api("/api/v1/interactions?limit=1")  # the server still answers

third = len(samples) // 3
middle = [m for _, m in samples[third:2 * third]] or [samples[0][1]]
last = [m for _, m in samples[2 * third:]]
growth = (max(last) / max(middle) - 1) * 100
print("| figure | value |")
print("|---|---|")
print("| requests | %d |" % requests)
print("| requests/s | %.0f (%.2f x the reads-only baseline's %.0f) |" % (rps, rps / base_rps, base_rps))
print("| p50 / p99 / max latency, ms | %.1f / %.1f / %.0f |" % (p50, p99, worst))
print("| non-2xx answers / socket errors | %d / %d |" % (status_errors, socket_errors))
print("| resident memory, MiB: first sample / middle third's peak / last third's peak / end | %.0f / %.0f / %.0f / %.0f |"
      % (samples[0][1], max(middle), max(last), samples[-1][1]))
print("| last third's peak above the middle third's | %+.1f%% |" % growth)
print("memory over time (s: MiB): " + ", ".join("%d: %.0f" % (t, m) for t, m in samples))
failures = []
if status_errors or socket_errors or base_errors or base_socket:
    failures.append("%d errors" % (status_errors + socket_errors + base_errors + base_socket))
if growth > 10:
    failures.append("memory grew %.1f%% in the last third" % growth)
print("soak: " + ("FAILED: " + ", ".join(failures) if failures else "passed: no errors, memory flat"))
sys.exit(1 if failures else 0)
