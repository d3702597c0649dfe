"""Reading the driver pages' tags and map links, shared by the driver tests."""

from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

XSS = "<script>alert(1)</script>"


class Tags(HTMLParser):
    """Every tag's attributes (entities decoded), and the text of elements by id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the tag and its attributes."""
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def hrefs(self, css_class: str) -> list[str]:
        """The targets of the links with `css_class`."""
        return [
            a["href"] for t, a in self.tags if t == "a" and css_class in a.get("class", "").split()
        ]

    def assets(self) -> list[str]:
        """The scripts and stylesheets the page loads."""
        scripts = [a["src"] for t, a in self.tags if t == "script" and a.get("src")]
        styles = [a["href"] for t, a in self.tags if t == "link" and a.get("rel") == "stylesheet"]
        return scripts + styles


def coords(point: dict[str, Any]) -> str:
    """`lat,lon` to six decimals, as the map links write a point."""
    return f"{point['lat']:.6f},{point['lon']:.6f}"


def query(url: str) -> dict[str, str]:
    """A URL's query parameters, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
