"""Browser fixtures: the app on a real port, and Debian's Chromium driven by Playwright."""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import unavailable

CHROMIUM = os.environ.get("KELILING_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Without these flags Chromium keeps trying to reach Google's hosts from a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served over HTTP on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (Playwright never downloads a browser of its own here)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class RequestLog:
    """Every request a page makes; requests off the app's host are aborted (no internet)."""

    def __init__(self, base_url: str) -> None:
        self.host = urlsplit(base_url).netloc
        self.requests: list[tuple[str, str]] = []

    def handle(self, route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        self.requests.append((request.resource_type, request.url))
        if urlsplit(request.url).netloc == self.host:
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    def outside(self, *resource_types: str) -> list[str]:
        return [
            url
            for kind, url in self.requests
            if kind in resource_types and urlsplit(url).netloc != self.host
        ]


class CspWatch:
    """Content Security Policy violations a page met: the DOM event and Chromium's console line."""

    # Runs before the page's own scripts (injected by the browser, so the CSP does not apply).
    INIT_SCRIPT = """
        document.addEventListener("securitypolicyviolation", (event) => {
            console.error(`CSP violation: ${event.violatedDirective} blocked ` +
                `${event.blockedURI || "inline code"} at ${event.sourceFile}:${event.lineNumber}`);
        });
    """

    def __init__(self) -> None:
        self.violations: list[str] = []

    def console(self, message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            self.violations.append(text)


@pytest.fixture
def new_page(browser: object, live_server: str) -> Iterator[object]:
    """A page factory: `new_page(viewport)` returns (page, request_log).

    Every page runs under the app's CSP; any violation fails the test at teardown.
    """
    contexts, watches = [], []

    def factory(width: int = 1280, height: int = 860) -> tuple[object, RequestLog]:
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height}, base_url=live_server
        )
        contexts.append(context)
        log = RequestLog(live_server)
        context.route("**/*", log.handle)
        watch = CspWatch()
        watches.append(watch)
        context.add_init_script(CspWatch.INIT_SCRIPT)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", watch.console)
        page.js_errors = errors
        page.csp_violations = watch.violations
        return page, log

    yield factory
    for context in contexts:
        context.close()
    violations = [text for watch in watches for text in watch.violations]
    if violations:
        pytest.fail("Content Security Policy violations:\n" + "\n".join(violations))


def screenshot(page: object, name: str) -> None:
    """Save a screenshot of the step under tests/e2e/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
