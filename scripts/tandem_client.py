"""A small client of a running Tandem server, shared by the benchmark scripts (bench-load.py,
soak.py, bench-mixed.py): plain GETs, the JSON API with a token, signing in for the pages, the
server's memory from /proc, and wrk over the read mix with a share of new interactions."""
import json
import os
import re
import subprocess
import tempfile
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar


class Client:
    def __init__(self, base, token):
        self.base, self.token = base, token
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path, headers=None):
        with self.opener.open(urllib.request.Request(self.base + path, headers=headers or {}), timeout=600) as response:
            return response.read().decode("utf-8", "replace")

    def api(self, path):
        return json.loads(self.get(path, {"Authorization": "Bearer " + self.token}))

    def sign_in(self, email, password):
        """Signs in through the form; returns the Cookie header of the session."""
        csrf = re.search(r'name="csrf" value="([^"]+)"', self.get("/login")).group(1)
        data = urllib.parse.urlencode({"email": email, "password": password, "csrf": csrf, "next": "/tandem.css"}).encode()
        self.opener.open(self.base + "/login", data=data, timeout=60).read()
        return "; ".join("%s=%s" % (cookie.name, cookie.value) for cookie in self.jar)


def memory(pid):
    """The process's resident and peak resident memory, in MiB."""
    fields = {}
    with open("/proc/%s/status" % pid) as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def read_mix(client, token, cookie):
    """The read mix of the load benchmarks: the API's lists and a person's interactions, the
    dashboard, organization and person pages, the health check; each URL is fetched once here,
    so a bad one fails loudly. Returns the reads (path, auth) and people keys to write with."""
    organizations = [o["key"] for o in client.api("/api/v1/organizations?limit=100&kind=distributor")["items"]]
    people = [p["key"] for p in client.api("/api/v1/people?limit=200")["items"]]
    reads = ([("/api/v1/organizations?limit=50", "bearer"), ("/api/v1/people?limit=50", "bearer"),
              ("/api/v1/interactions?limit=50", "bearer"), ("/health/ready", "none"), ("/", "cookie")]
             + [("/api/v1/interactions?limit=50&person=" + k, "bearer") for k in people[:20]]
             + [("/organizations/" + k, "cookie") for k in organizations[:20]]
             + [("/people/" + k, "cookie") for k in people[:20]])
    for path, auth in reads:
        client.get(path, {"bearer": {"Authorization": "Bearer " + token}, "cookie": {"Cookie": cookie}, "none": {}}[auth])
    return reads, people[:100]


MIX_LUA = """
local reads = READS
local people = PEOPLE
local token, writer, cookie, writes = TOKEN, WRITER, COOKIE, WRITES
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
    local body = string.format('{"key":"TAG-%d-%d-%d","date":"2026-%02d-%02d","kind":"call","initiator_key":"%s","participant_keys":["%s"],"summary":"TAG"}',
      id, os.time(), counter, math.random(1, 10), math.random(1, 28), a, b)
    return wrk.format("POST", "/api/v1/interactions", {["Authorization"] = "Bearer " .. writer, ["Content-Type"] = "application/json"}, body)
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
  io.write(string.format("RESULT %f %f %f %f %d %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests))
end
"""


def wrk_mix(base, reads, people, token, cookie, writes, seconds, connections, tag="bench", writer=None):
    """wrk over the read mix at `base` for `seconds`, `writes` percent of the requests new
    interactions (keys and summaries start with `tag`), posted with the `writer` token (`token`
    when none: then every read must show every write, its user's own). Returns (requests/s, p50 ms, p99 ms,
    max ms, non-2xx answers, socket errors, requests) and wrk's output."""
    script = (MIX_LUA.replace("READS", "{" + ", ".join("{%s, %s}" % (json.dumps(p), json.dumps(a)) for p, a in reads) + "}")
              .replace("PEOPLE", "{" + ", ".join(json.dumps(p) for p in people) + "}")
              .replace("WRITER", json.dumps(writer or token))
              .replace("TOKEN", json.dumps(token)).replace("COOKIE", json.dumps(cookie))
              .replace("WRITES", str(writes)).replace("TAG", tag))
    file = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    file.write(script)
    file.close()
    try:
        run = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--timeout", "30s", "-s", file.name, base],
                             capture_output=True, text=True, check=True)
    finally:
        os.unlink(file.name)
    figures = next(line for line in run.stdout.splitlines() if line.startswith("RESULT")).split()[1:]
    return [float(x) for x in figures[:4]] + [int(x) for x in figures[4:]], run.stdout


def wrk_health(base, seconds, connections):
    """wrk at the health check: requests/s, p50 and p99 in ms (the baseline of every figure)."""
    run = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency", base + "/health/live"],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", run).group(1))

    def ms(label):
        value, unit = re.search(r"\s%s%%\s+([0-9.]+)(us|ms|s)" % label, run).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rps, ms("50"), ms("99")
