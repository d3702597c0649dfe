"""Find every form the app renders: walk its pages by their links, read each <form>'s fields."""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

# Downloads and actions behind links are not pages with forms.
SKIPPED_SUFFIXES = (".csv", ".xlsx", ".gpx", ".ics", ".geojson", ".json", ".pdf", ".xml")
SKIPPED_ENDPOINTS = {"static", "vendor_leaflet.static", "i18n.set_language", "auth.logout"}


@dataclass
class FoundForm:
    """A <form> as a browser would submit it: its action, method and the fields' values."""

    page: str
    action: str
    method: str
    multipart: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)
    typed: set[str] = field(default_factory=set)  # text inputs and textareas

    def filled(self, samples: dict[str, str]) -> "FoundForm":
        """The form as a user completes it: empty fields with `samples`' values, empty selects
        with their first real option."""
        fields = []
        for name, value in self.fields:
            options = [o for o in self.selects.get(name, []) if o]
            if not value:
                value = samples.get(name) or (options[0] if options else "")
            fields.append((name, value))
        return replace(self, fields=fields)

    def names(self) -> list[str]:
        """The names a user fills in (not the CSRF token), each once, in page order."""
        seen = dict.fromkeys(name for name, _value in self.fields if name != "csrf_token")
        return list(seen)

    def data(self, name: str, value: str) -> list[tuple[str, str]]:
        """The submitted pairs with `value` in every field called `name`."""
        pairs = [(n, value if n == name else v) for n, v in self.fields]
        if name not in {n for n, _v in self.fields}:
            pairs.append((name, value))
        return pairs


class _Forms(HTMLParser):
    """The page's forms and its links."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[FoundForm] = []
        self.links: list[str] = []
        self._form: FoundForm | None = None
        self._select: str | None = None
        self._select_values: list[str] = []
        self._selected: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open forms, selects and textareas; keep inputs and links."""
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = FoundForm(
                page=self.page,
                action=urljoin(self.page, a.get("action") or self.page),
                method=(a.get("method") or "get").upper(),
                multipart="multipart" in a.get("enctype", ""),
            )
        elif self._form is not None and a.get("name") and "disabled" not in a:
            self._field(tag, a)
        elif tag == "option" and self._select is not None:
            self._option(a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form.files.append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
                else:
                    self._form.selects.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in {"submit", "button", "reset", "image"}:
                self._form.fields.append((name, a.get("value", "")))
                if kind != "hidden":
                    self._form.typed.add(name)
        elif tag == "select":
            self._select, self._select_values, self._selected = name, [], None
        elif tag == "textarea":
            self._textarea, self._text = name, ""
            self._form.typed.add(name)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append((name, a.get("value", "")))

    def _option(self, a: dict[str, str]) -> None:
        value = a.get("value", "")
        self._select_values.append(value)
        if "selected" in a:
            self._selected = value

    def handle_data(self, data: str) -> None:
        """Collect a textarea's text."""
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        """Close forms, selects and textareas."""
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._form is not None and self._select is not None:
            first = self._select_values[0] if self._select_values else ""
            chosen = self._selected if self._selected is not None else first
            self._form.fields.append((self._select, chosen))
            self._form.selects[self._select] = self._select_values
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea is not None:
            self._form.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def _endpoint(app: Flask, path: str) -> str | None:
    try:
        endpoint, _args = app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None
    return str(endpoint)


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "localhost"} or parts.scheme not in {"", "http"}:
        return None
    path = parts.path
    if path.endswith(SKIPPED_SUFFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def crawl(app: Flask, client: FlaskClient, seeds: Iterable[str]) -> Iterator[FoundForm]:
    """Every form on the pages reachable from `seeds`, one page per route and query keys."""
    queue = deque(seeds)
    seen: set[tuple[str, frozenset[str]]] = set()
    while queue:
        url = queue.popleft()
        local = _local(url)
        if local is None:
            continue
        path, _, query = local.partition("?")
        endpoint = _endpoint(app, path)
        key = (endpoint or path, frozenset(k for k, _v in parse_qsl(query)))
        if endpoint is None or endpoint in SKIPPED_ENDPOINTS or key in seen:
            continue
        seen.add(key)
        response = client.get(local)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _Forms(f"http://localhost{local}")
        parser.feed(response.get_data(as_text=True))
        yield from parser.forms
        queue.extend(parser.links)


def forms_of(html: str, url: str) -> list[FoundForm]:
    """The forms of one page (`url` is where the page was opened, e.g. '/kendaraan/1')."""
    parser = _Forms(f"http://localhost{url}")
    parser.feed(html)
    return parser.forms
