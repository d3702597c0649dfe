"""Plumbing for bench/load.py: a cookie-keeping HTTP client per simulated user, page scraping
and per-page-type statistics (count, errors, p50/p95/p99). Standard library only."""

import http.client
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import urlencode, urlsplit

TIMEOUT_S = 60.0
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')
OPTION = re.compile(r'<option value="([^"]+)"')


@dataclass
class Answer:
    """One response as the harness needs it."""

    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_s: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Stats:
    """Timings and unexpected answers per page type, shared by every user thread."""

    times: dict[str, list[float]] = field(default_factory=dict)
    server_errors: dict[str, int] = field(default_factory=dict)
    unexpected: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, kind: str, answer: Answer | None, expected: tuple[int, ...], what: str
    ) -> None:
        """Count one request; a 5xx, a transport error or another status than expected is an
        error (the first few are kept as samples)."""
        with self.lock:
            if answer is not None:
                self.times.setdefault(kind, []).append(answer.elapsed_s)
            status = answer.status if answer is not None else 0
            if status >= 500 or status == 0:
                self.server_errors[kind] = self.server_errors.get(kind, 0) + 1
            elif status not in expected:
                self.unexpected[kind] = self.unexpected.get(kind, 0) + 1
            else:
                return
            if len(self.samples) < 30:
                snippet = answer.text[:160].replace("\n", " ") if answer is not None else ""
                self.samples.append(f"{kind} {what} -> {status or 'no answer'} {snippet}")

    def table(self) -> str:
        """A markdown table: one row per page type, then the total."""
        lines = [
            "| page type | requests | ≥500 or none | unexpected 4xx/3xx "
            "| p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        every: list[float] = []
        for kind in sorted(self.times):
            times = sorted(self.times[kind])
            every += times
            lines.append(self._row(kind, times, self.server_errors, self.unexpected))
        lines.append(
            self._row(
                "**all**",
                sorted(every),
                {"**all**": sum(self.server_errors.values())},
                {"**all**": sum(self.unexpected.values())},
            )
        )
        return "\n".join(lines)

    @staticmethod
    def _row(kind: str, times: list[float], errors: dict[str, int], odd: dict[str, int]) -> str:
        cells = [f"{percentile(times, q) * 1000:.0f}" for q in (0.50, 0.95, 0.99)]
        return f"| {kind} | {len(times)} | {errors.get(kind, 0)} | {odd.get(kind, 0)} | " + (
            " | ".join(cells) + " |"
        )


def percentile(sorted_values: list[float], q: float) -> float:
    """The nearest-rank percentile of already sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


class Client:
    """One simulated browser: its own connection and cookies; never follows redirects."""

    def __init__(self, base_url: str, stats: Stats, cookies: bool = True) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.stats = stats
        self.keep_cookies = cookies
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        expected: tuple[int, ...] = (200,),
        form: dict[str, str] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: tuple[bytes, str] | None = None,
    ) -> Answer | None:
        """Send one request and record it under `kind`; None when no answer came."""
        sent = dict(headers or {})
        data: bytes | None = None
        if form is not None:
            data = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        elif raw is not None:  # (body, content type), e.g. a multipart upload
            data, sent["Content-Type"] = raw
        if self.cookies and self.keep_cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        path = path if path.startswith("/") else urlsplit(path).path
        answer = self._send(method, self.prefix + path, data, sent)
        self.stats.record(kind, answer, expected, f"{method} {path}")
        return answer

    def _send(
        self, method: str, path: str, data: bytes | None, headers: dict[str, str]
    ) -> Answer | None:
        started = time.perf_counter()
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(
                        self.host, self.port, timeout=TIMEOUT_S
                    )
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    return None
            except OSError:
                self.close()
                return None
        elapsed = time.perf_counter() - started
        found = {k.lower(): v for k, v in response.getheaders()}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, _rest = value.partition(";")
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        if response.will_close:
            self.close()
        return Answer(response.status, found, payload, elapsed)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def hidden_inputs(html: str, start_marker: str = "") -> dict[str, str]:
    """name -> value of every <input> with a name after `start_marker` (text inputs too)."""
    fields: dict[str, str] = {}
    at = html.find(start_marker) if start_marker else 0
    for tag in INPUT.findall(html[max(at, 0) :]):
        attrs = {k.lower(): unescape(v) for k, v in ATTR.findall(tag)}
        if "name" in attrs and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            fields.setdefault(attrs["name"], attrs.get("value", ""))
    return fields


def csrf_token(html: str) -> str:
    """The first CSRF token on a page (every logged-in page has one in its logout form)."""
    return hidden_inputs(html).get("csrf_token", "")


def select_options(html: str, name: str) -> list[str]:
    """The non-empty option values of the <select name=...>."""
    start = html.find(f'name="{name}"')
    end = html.find("</select>", start)
    return OPTION.findall(html[start:end]) if start >= 0 else []
