"""Full links for outside the site (driver links, QR codes, calendar feeds): from the configured
BASE_URL (KELILING_BASE_URL) when set, else from the request's own address."""

from typing import Any

from flask import current_app, request, url_for


def base_url() -> str:
    """The site's root ending in "/": BASE_URL when configured, never a client's Host header."""
    configured = (current_app.config.get("BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    return request.url_root


def external_url(endpoint: str, **values: Any) -> str:
    """url_for(endpoint) as a full link under base_url()."""
    return base_url() + url_for(endpoint, **values).lstrip("/")
