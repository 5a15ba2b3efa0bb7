#!/usr/bin/env python3
"""Reads while others write (issue [I]), against baselines measured in the same run:

1. cold start: a new `tandem serve` on the database, the seconds until it listens and then until
   it answers the dashboard, fully assessed (target: within 3 s of listening);
2. the health check's requests/s (the baseline of the load figures);
3. the read mix (API lists, a person's interactions, dashboard, organization and person pages,
   the health check) with nobody writing;
4. the same mix with WRITES percent new interactions posted through the API, on one server
   (target: at least 0.3 x the health check, p99 under 100 ms, no errors);
5. two servers on the database: reads on the first while the second takes a steady stream of
   writes (target: p99 under 100 ms, no errors), then how long a write through the second takes
   to show in the first's relationships (target: 2 s);
6. the first server's resident memory at the end and at its peak.

The reads are a manager's (an admin here); the writes a salesperson's (WRITER, a token), as in a
channel team: salespeople log dealings while managers read. A user's own writes show in their next
read at once; other users' within `tandem serve --staleness` (1 s by default).

Usage: bench-mixed.py TANDEM DB EMAIL PASSWORD TOKEN WRITER [SECONDS] [CONNECTIONS] [WRITES]"""
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tandem_client import Client, memory, read_mix, wrk_health, wrk_mix

TANDEM, DB, EMAIL, PASSWORD, TOKEN, WRITER = sys.argv[1:7]
SECONDS = int(sys.argv[7]) if len(sys.argv) > 7 else 20
CONNECTIONS = int(sys.argv[8]) if len(sys.argv) > 8 else 32
WRITES = int(sys.argv[9]) if len(sys.argv) > 9 else 5
servers = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(log):
    """Starts `tandem serve` on DB; returns (process, base URL, seconds until it listened)."""
    port = free_port()
    started = time.time()
    process = subprocess.Popen([TANDEM, "serve", "--db", DB, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    servers.append(process)
    base = "http://127.0.0.1:%d" % port
    while True:
        if process.poll() is not None:
            sys.exit("tandem serve ended with status %d" % process.returncode)
        try:
            urllib.request.urlopen(base + "/health/live", timeout=5).read()
            return process, base, time.time() - started
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)


def post_interaction(base, key, home, counterpart):
    body = json.dumps({"key": key, "date": time.strftime("%Y-%m-%d", time.gmtime()), "kind": "visit",
                       "initiator_key": home, "participant_keys": [counterpart], "summary": "freshness"}).encode()
    request = urllib.request.Request(base + "/api/v1/interactions", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + WRITER, "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=60).read()


def dealings(client, home, counterpart):
    for relationship in client.api("/api/v1/relationships?person=%s&limit=5000" % counterpart):
        if relationship["home_person"] == home:
            return relationship["dealings"]
    return 0


def row(name, figures, baseline):
    (rps, p50, p99, worst, status, sockets, requests) = figures
    print("| %s | %.0f | %.1f | %.1f | %.0f | %d | %.2f |" % (name, rps, p50, p99, worst, status + sockets, rps / baseline))


log = open("/dev/null", "w")
try:
    first, base, listened = serve(log)
    client = Client(base, TOKEN)
    cookie = client.sign_in(EMAIL, PASSWORD)
    clock = time.time()
    client.get("/", {"Cookie": cookie})
    dashboard = time.time() - clock
    print("cold start: listening after %.2f s (baseline), the assessed dashboard %.2f s after that (%.1f x)"
          % (listened, dashboard, dashboard / listened))

    reads, people = read_mix(client, TOKEN, cookie)
    health, health_p50, health_p99 = wrk_health(base, SECONDS, CONNECTIONS)
    print("wrk: %d connections, 2 threads, %d s a phase; health check %.0f requests/s, p50 %.1f ms, p99 %.1f ms"
          % (CONNECTIONS, SECONDS, health, health_p50, health_p99))
    print("| phase | requests/s | p50 ms | p99 ms | max ms | errors | / health |")
    print("|---|---|---|---|---|---|---|")
    row("read mix, nobody writing", wrk_mix(base, reads, people, TOKEN, cookie, 0, SECONDS, CONNECTIONS)[0], health)
    figures, output = wrk_mix(base, reads, people, TOKEN, cookie, WRITES, SECONDS, CONNECTIONS, tag="mixed", writer=WRITER)
    row("read mix, %d%% writes, one server" % WRITES, figures, health)

    second, second_base, _ = serve(log)
    results = {}

    def writer():
        results["writes"] = wrk_mix(second_base, reads, people, TOKEN, cookie, 100, SECONDS, 2, tag="other", writer=WRITER)[0]

    thread = threading.Thread(target=writer)
    thread.start()
    results["reads"] = wrk_mix(base, reads, people, TOKEN, cookie, 0, SECONDS, CONNECTIONS)[0]
    thread.join()
    row("reads on one server, the other writing", results["reads"], health)
    print("the other server took %.0f writes/s (%d errors)" % (results["writes"][0], results["writes"][4] + results["writes"][5]))

    relationships = client.api("/api/v1/relationships?limit=20")
    lags = []
    for index, relationship in enumerate(relationships[:5]):
        home, counterpart = relationship["home_person"], relationship["counterpart_person"]
        before = dealings(client, home, counterpart)
        post_interaction(second_base, "fresh-%d-%d" % (time.time(), index), home, counterpart)
        posted = time.time()
        while dealings(client, home, counterpart) == before and time.time() - posted < 120:
            time.sleep(0.05)
        lags.append(time.time() - posted)
    print("a write through the other server in this one's relationships after: " + ", ".join("%.2f s" % lag for lag in lags))
    rss, peak = memory(first.pid)
    print("memory of the first server: %.0f MiB resident at the end, %.0f MiB at its peak" % (rss, peak))
finally:
    for process in servers:
        process.terminate()
        process.wait()
