"""Security headers with a per-request CSP nonce, the reverse proxy, and Secure cookies."""

import re
import secrets

from flask import Flask, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

# folium's OpenStreetMap layer (web/ui/maps.py) loads its tiles from here.
TILE_HOSTS = ("https://tile.openstreetmap.org",)
HSTS_MAX_AGE_S = 365 * 24 * 60 * 60
BARE_SCRIPT_TAG = re.compile(r"<script>", re.IGNORECASE)


def csp_nonce() -> str:
    """This request's CSP nonce: an inline <script> runs only with nonce="{{ csp_nonce() }}"."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


def with_nonce(html: str) -> Markup:
    """Trusted HTML (folium's map header) with this request's nonce on each inline <script>."""
    return Markup(BARE_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}">', html))  # noqa: S704


def content_security_policy(nonce: str) -> str:
    """The CSP: scripts only from this site or with the nonce, never framed, forms stay here."""
    directives = (
        ("default-src", "'self'"),
        ("script-src", f"'self' 'nonce-{nonce}'"),
        # Leaflet and folium write <style> blocks and style attributes; no script can hide there.
        ("style-src", "'self' 'unsafe-inline'"),
        ("img-src", " ".join(("'self'", "data:", *TILE_HOSTS))),
        ("connect-src", "'self'"),
        # The driver pages' service worker (/sopir/sw.js) keeps them for use without signal.
        ("worker-src", "'self'"),
        ("font-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'none'"),
    )
    return "; ".join(f"{name} {value}" for name, value in directives)


def set_security_headers(response: Response) -> Response:
    """Add the CSP and the other protective headers to every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE_S}")
    return response


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so, or when this request is https (after ProxyFix)."""
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    """Trust the configured proxies, mark cookies Secure over https, add the headers."""
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies > 0:
        # Only the client address and the scheme: a forwarded Host could forge driver links.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    if app.config.get("SECURE_COOKIES") or app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.session_interface = HttpsAwareSessionInterface()
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(set_security_headers)
