#!/usr/bin/env python3
"""Times every kind of page of a running Tandem server, signed in: for each kind, distinct pages
of that kind (organizations, people, relationships, … picked from the pages themselves), each
fetched ROUNDS times one after another; prints p50, p95 and the ratio of the p95 to the p95 of
the stylesheet (the baseline: the same server, the same connection path, no work) measured in the
same run. Also the first dashboard with a cold cache (the workspace loaded and assessed), and the
first relationship page after logging an interaction through the form (the interaction applied to
the workspace in memory and the assessment recomputed, without reloading the workspace).

Usage: bench-pages.py BASE EMAIL PASSWORD [ROUNDS]"""
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

BASE, EMAIL, PASSWORD = sys.argv[1:4]
ROUNDS = int(sys.argv[4]) if len(sys.argv) > 4 else 20
jar = CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path):
    started = time.perf_counter()
    with opener.open(BASE + path, timeout=120) as response:
        body = response.read().decode("utf-8", "replace")
        status = response.status
    return (time.perf_counter() - started) * 1000, status, body


def sign_in():
    _, _, page = get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    # back to the stylesheet, not the dashboard, so that the first dashboard below finds the cache cold
    data = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf": csrf, "next": "/tandem.css"}).encode()
    opener.open(BASE + "/login", data=data, timeout=60).read()


def links(body, prefix, limit):
    found = []
    for link in re.findall(r'href="(%s[^"]*)"' % re.escape(prefix), body):
        link = link.replace("&amp;", "&")
        if link not in found:
            found.append(link)
    return found[:limit]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


sign_in()
cold, _, dashboard = get("/")  # computes the assessment when the cache is cold
organization_pages = links(dashboard, "/organizations/", 10)
_, _, organization = get(organization_pages[0])
people = links(organization, "/people/", 10)
relationships = links(organization, "/relationships/", 10)
partnerships = links(dashboard, "/partnerships/", 10)
_, _, tree = get("/territories")
territories = links(tree, "/territories/", 10)
kinds = [
    ("stylesheet (baseline)", ["/tandem.css"]),
    ("dashboard", ["/"]),
    ("organization", organization_pages),
    ("person", people),
    ("relationship", relationships),
    ("partnership", partnerships),
    ("territories", ["/territories"]),
    ("territory", territories),
    ("search", ["/search?q=an", "/search?q=elektro", "/search?q=m"]),
    ("log form", ["/interactions/new"]),
]
results = []
for name, paths in kinds:
    times = []
    for path in paths:
        get(path)  # once to warm the connection and any per-page work
        for _ in range(ROUNDS):
            elapsed, status, _ = get(path)
            if status != 200:
                sys.exit(f"{path} answered {status}")
            times.append(elapsed)
    results.append((name, len(paths), len(times), statistics.median(times), percentile(times, 0.95)))
baseline = results[0][4]
print(f"{'page':24} {'pages':>5} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline':>15}")
for name, pages, count, p50, p95 in results:
    print(f"{name:24} {pages:5} {count:8} {p50:8.1f} {p95:8.1f} {p95 / baseline:15.1f}")
print(f"first dashboard with a cold cache (assessment computed): {cold:.0f} ms")

# Log an interaction between the two people of a relationship, then time the page it returns to.
_, _, relationship_page = get(relationships[0])
people_there = re.findall(r'href="/people/([^"]+)"', relationship_page)[:2]
_, _, form = get("/interactions/new")
csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
today = time.strftime("%Y-%m-%d", time.gmtime())
data = urllib.parse.urlencode([("who[]", urllib.parse.unquote(people_there[0])), ("who[]", urllib.parse.unquote(people_there[1])),
                               ("kind", "call"), ("date", today), ("summary", "bench"), ("csrf", csrf)]).encode()
started = time.perf_counter()
with opener.open(BASE + "/interactions", data=data, timeout=120) as response:  # follows the redirect to the relationship
    after_log = response.read().decode("utf-8", "replace")
logged = (time.perf_counter() - started) * 1000
if "The interaction was logged." not in after_log:
    sys.exit("logging an interaction did not return to the relationship page")
print(f"logging an interaction and the relationship page after it (assessment recomputed in memory): {logged:.0f} ms "
      f"({logged / cold:.2f} of the cold dashboard)")
worst = max(result[4] for result in results[1:])
print(f"slowest p95 of a page: {worst:.1f} ms (target: under 150 ms)")
