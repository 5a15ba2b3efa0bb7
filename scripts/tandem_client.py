"""A small client of a running Tandem server, shared by the benchmark scripts (bench-load.py,
soak.py): plain GETs, the JSON API with a token, signing in for the pages, and the server's
memory from /proc."""
import json
import re
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
