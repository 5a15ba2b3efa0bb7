#!/usr/bin/env python3
"""Reads and writes while a large import runs through the server's import page (a benchmark,
not a test). For 10 s before the import (the baseline, in the same run), during it and for 5 s
after it, a read of the API every 0.1 s and a write (a new person) every 0.5 s, each on a thread
of its own. Prints the import's time, the reads' median and worst latency before and during the
import with their ratio, and the writes by answer. Fails (exit 1) on any answer other than 2xx,
or 503 for a write (a write that waited longer than the pool's patience for the import).

Usage: bench-import-load.py BASE EMAIL PASSWORD TOKEN UPLOAD_DIR"""
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from tandem_client import Client

BASE, EMAIL, PASSWORD, TOKEN, UPLOAD = sys.argv[1:6]
client = Client(BASE, TOKEN)
cookie = client.sign_in(EMAIL, PASSWORD)
log, lock, stop = [], threading.Lock(), threading.Event()
phase = ["before"]


def call(kind, method, path, body=None):
    request = urllib.request.Request(BASE + path, data=json.dumps(body).encode() if body else None, method=method,
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    started, current = time.time(), phase[0]
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    with lock:
        log.append((current, kind, status, time.time() - started))


def every(period, kind, method, path, body=None):
    threads = []
    while not stop.is_set():
        thread = threading.Thread(target=call, args=(kind, method, path, body() if body else None))
        thread.start()
        threads.append(thread)
        time.sleep(period)
    for thread in threads:
        thread.join()


def upload():
    """Posts every CSV of UPLOAD to /import as the browser's form does; returns the page's verdict."""
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/import", {"Cookie": cookie})).group(1)
    boundary = uuid.uuid4().hex
    parts = [("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, name, value)).encode()
             for name, value in (("csrf", csrf), ("format", "bundle"))]
    for name in sorted(os.listdir(UPLOAD)):
        with open(os.path.join(UPLOAD, name), "rb") as file:
            parts.append(("--%s\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"%s\"\r\nContent-Type: text/csv\r\n\r\n"
                          % (boundary, name)).encode() + file.read() + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    request = urllib.request.Request(BASE + "/import", data=b"".join(parts), method="POST",
                                     headers={"Cookie": cookie, "Content-Type": "multipart/form-data; boundary=" + boundary})
    with urllib.request.urlopen(request, timeout=3600) as response:
        page = re.sub(r"<[^>]+>", " ", response.read().decode())
    verdict = re.search(r"(Imported [^.]*|Nothing was imported[^.]*)", page)
    return verdict.group(1) if verdict else "no verdict on the page"


loops = [threading.Thread(target=every, args=(0.1, "read", "GET", "/api/v1/people?limit=5")),
         threading.Thread(target=every, args=(0.5, "write", "POST", "/api/v1/people",
                                              lambda: {"key": "load-" + uuid.uuid4().hex[:12], "name": "Load Test"}))]
for loop in loops:
    loop.start()
time.sleep(10)
phase[0] = "during"
started = time.time()
verdict = upload()
took = time.time() - started
phase[0] = "after"
time.sleep(5)
stop.set()
for loop in loops:
    loop.join()

print("import through the page: %.1f s: %s" % (took, verdict))
reads = {name: sorted(latency for p, kind, status, latency in log if kind == "read" and p == name) for name in ("before", "during")}
for name, latencies in reads.items():
    print("reads %-6s: %4d, median %6.3f s, worst %6.3f s" % (name, len(latencies), statistics.median(latencies), latencies[-1]))
print("reads during / before: median %.1f×, worst %.1f×" % (statistics.median(reads["during"]) / statistics.median(reads["before"]),
                                                             reads["during"][-1] / reads["before"][-1]))
writes = {}
for p, kind, status, latency in log:
    if kind == "write":
        writes.setdefault(status, []).append(latency)
for status, latencies in sorted(writes.items()):
    print("writes answered %d: %d, worst %.1f s" % (status, len(latencies), max(latencies)))
bad = [(p, kind, status) for p, kind, status, latency in log if not (200 <= status < 300 or (kind == "write" and status == 503))]
if bad or not verdict.startswith("Imported"):
    print("FAILED: %d answers that were neither 2xx nor a write's 503 (first: %s)" % (len(bad), bad[:5]))
    sys.exit(1)
