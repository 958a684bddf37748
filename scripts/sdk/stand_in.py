"""`cfmtls stand-in` as a child process, and its admin API (`/__admin`), with the standard library
only: what a test harness in any language does."""

import json
import subprocess
import urllib.error
import urllib.request


class StandIn:
    """Starts `cfmtls stand-in --port 0 --stop-on-stdin-close --env` and reads the export lines."""

    def __init__(self, cfmtls):
        self.proc = subprocess.Popen(
            [cfmtls, "stand-in", "--port", "0", "--stop-on-stdin-close", "--env"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.env = {}
        for _ in range(5):
            line = self.proc.stdout.readline()
            if not line.startswith("export "):
                raise RuntimeError(f"cfmtls stand-in printed {line!r}, not an export line")
            name, _, value = line[len("export "):].strip().partition("=")
            self.env[name] = value
        wanted = {"CLOUDFLARE_BASE_URL", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID",
                  "CLOUDFLARE_ZONE_ID", "CFMTLS_ALLOW_HTTP"}
        if set(self.env) != wanted:
            raise RuntimeError(f"export lines: {sorted(self.env)}")
        self.base_url = self.env["CLOUDFLARE_BASE_URL"]
        self.token = self.env["CLOUDFLARE_API_TOKEN"]
        self.account = self.env["CLOUDFLARE_ACCOUNT_ID"]
        self.zone = self.env["CLOUDFLARE_ZONE_ID"]
        self.admin_url = self.base_url.removesuffix("/client/v4") + "/__admin"

    def stop(self):
        """Closes stdin: the stand-in must exit 0, promptly."""
        self.proc.stdin.close()
        code = self.proc.wait(timeout=10)
        if code != 0:
            raise RuntimeError(f"cfmtls stand-in exited {code} when stdin closed")

    def admin(self, method, route="", body=None, content_type="application/json"):
        """One admin API call: (status, JSON body)."""
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        req = urllib.request.Request(self.admin_url + route, data=data, method=method)
        req.add_header("content-type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def ok(self, method, route="", body=None, **kw):
        status, answer = self.admin(method, route, body, **kw)
        if status != 200:
            raise AssertionError(f"{method} /__admin{route}: {status} {answer}")
        return answer

    def fault(self, **fault):
        return self.ok("POST", "/faults", fault)

    def requests(self, query=""):
        return self.ok("GET", "/requests" + query)["requests"]

    def certificate(self, subject, ca=False):
        """A test certificate and its key, made by the stand-in."""
        made = self.ok("POST", "/certificates", {"subject": subject, "ca": ca})
        return made["certificate_pem"], made["private_key_pem"]

    def csr(self, subject):
        return self.ok("POST", "/csr", {"subject": subject})["csr"]
