"""Virtual users for the load test: each logs in and then browses follow-up pages, edits goals and
downloads documents, like a planner, over one keep-alive connection to 127.0.0.1 only.

Standard library only (http.client, threads): the load generator shares the two cores with the
server, so it has to be light, and it needs nothing installed.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

LOOPBACK = "127.0.0.1"  # the only host this test ever sends to


@dataclass
class Site:
    """What the users need to know about the demo programme (read from the database beforehand)."""

    port: int
    username: str
    password: str
    followup_version: int  # the adopted version, with ten years of measurements
    draft_version: int  # the version open for edits
    safety_goals: list[int]  # in the draft: these are edited
    indicators: list[int]
    documents: list[str]  # download paths


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    log: list[tuple[float, str, float, bool]] = field(default_factory=list)  # (finished, kind, s, ok)

    def add(self, kind: str, seconds: float, ok: bool, finished: float | None = None) -> None:
        with self.lock:
            # "page: followup" counts as itself and as one of all "page" requests.
            for key in {kind, kind.split(":")[0]}:
                self.samples.setdefault(key, []).append(seconds)
                if not ok:
                    self.errors[key] = self.errors.get(key, 0) + 1
            self.requests += 1
            self.log.append((time.monotonic() if finished is None else finished, kind, seconds, ok))

    def since(self, moment: float) -> Stats:
        """The requests that finished at or after ``moment`` (e.g. once every user has arrived)."""
        later = Stats()
        for finished, kind, seconds, ok in self.log:
            if finished >= moment:
                later.add(kind, seconds, ok, finished)
        return later


class _Forms(HTMLParser):
    """Every form with method=post, with its fields as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action", ""), self._fields))
        elif self._fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self._fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []
        elif tag == "select":
            self._select = a.get("name", "")
        elif tag == "option" and "selected" in a and self._select:
            self._fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._fields is not None:
            self._fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._fields = None

    def main_form(self) -> list[tuple[str, str]]:
        """The page's own form: not the logout button in the header."""
        return next((fields for action, fields in self.forms if "logga-ut" not in action), [])


class User(threading.Thread):
    def __init__(
        self,
        n: int,
        site: Site,
        stats: Stats,
        stop_at: float,
        budget: Any,
        think: tuple[float, float],
        start_at: float = 0.0,
    ):
        super().__init__(daemon=True, name=f"user-{n}")
        self.site, self.stats, self.stop_at, self.budget, self.think = site, stats, stop_at, budget, think
        self.start_at = start_at  # users arrive over a ramp-up, not all in the same instant
        self.random = random.Random(n)
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(LOOPBACK, site.port, timeout=60)

    # --- one request ---------------------------------------------------------------------------

    def request(
        self, kind: str, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> tuple[int, str]:
        headers = {
            # The TLS proxy's header: the server runs with production settings behind a proxy.
            "X-Forwarded-Proto": "https",
            "Host": f"{LOOPBACK}:{self.site.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{LOOPBACK}:{self.site.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.stats.add(kind, time.perf_counter() - start, False)
            self.conn.close()
            self.conn = http.client.HTTPConnection(LOOPBACK, self.site.port, timeout=60)
            return 0, ""
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.stats.add(kind, elapsed, response.status < 400)
        text = (
            data.decode("utf-8", "replace")
            if "text/html" in (response.getheader("Content-Type") or "")
            else ""
        )
        return response.status, text

    # --- what a planner does -----------------------------------------------------------------

    def login(self) -> bool:
        self.request("login", "GET", "/konto/logga-in/")
        fields = [("username", self.site.username), ("password", self.site.password), ("next", "")]
        fields.append(("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")))
        status, _ = self.request("login", "POST", "/konto/logga-in/", fields)
        for asset in (
            "lsoplan/site.css",
            "vendor/htmx.min.js",
            "vendor/vega.min.js",
            "vendor/vega-embed.min.js",
        ):
            # First visit: the browser caches static files (hashed names, one year) after this.
            self.request("static", "GET", f"/static/{asset}")
        return status == 302

    def browse(self) -> None:
        v, r = self.site.followup_version, self.random
        name, path = r.choice(
            [("followup", f"/version/{v}/uppfoljning/")] * 3
            + [("indicator", f"/indikator/{r.choice(self.site.indicators)}/")] * 2
            + [
                ("overview", f"/version/{v}/"),
                ("goal chain", f"/version/{v}/mal/"),
                ("conditions", f"/version/{v}/forutsattningar/"),
                ("smart", f"/version/{v}/smart/"),
            ]
        )
        self.request(f"page: {name}", "GET", path)

    def edit_goal(self) -> None:
        goal = self.random.choice(self.site.safety_goals)
        path = f"/mal/sakerhetsmal/{goal}/andra/"
        status, html = self.request("page: goal form", "GET", path)
        if status != 200:
            return
        parser = _Forms()
        parser.feed(html)
        fields = [(k, v) for k, v in parser.main_form() if k != "owner"]
        fields.append(("owner", f"Enhet {self.random.randint(1, 9)}"))
        self.request("edit", "POST", path, fields)

    def export(self) -> None:
        if self.site.documents:
            document = self.random.choice(self.site.documents)
            self.request("export", "GET", document)

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        if not self.login():
            return
        # Mostly reading, some editing; a document now and then (they cost seconds of CPU each).
        actions = [self.browse] * 40 + [self.edit_goal] * 9 + [self.export]
        while time.monotonic() < self.stop_at and self.budget.take():
            self.random.choice(actions)()
            if self.think[1] > 0:
                time.sleep(self.random.uniform(*self.think))
        self.conn.close()


class Budget:
    """At most this many actions in all, shared by the users."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.left -= 1
            return self.left >= 0


DOCUMENT_LINK = re.compile(r'href="(/version/\d+/dokument/[a-z-]+\.(?:docx|xlsx|pdf)[^"]*)"')
