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
import sys
import threading
import time

from tandem_client import Client, memory, read_mix, wrk_mix

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
reads, people = read_mix(client, TOKEN, cookie)


def wrk(seconds, writes):
    """wrk over the mix for `seconds` with `writes` percent writes: its RESULT figures and output."""
    return wrk_mix(BASE, reads, people, TOKEN, cookie, writes, seconds, CONNECTIONS, tag="soak")


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
