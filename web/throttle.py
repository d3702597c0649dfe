"""Throttling of password guesses: failed logins per account and per address, bad API tokens.

Counts live in Flask-Limiter's storage: memory by default, Redis (REDIS_URL or
RATELIMIT_STORAGE_URI) so that several gunicorn workers share them.
"""

import math
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.wrappers import Response

from web.errors import wants_json

F = TypeVar("F", bound=Callable[..., Any])
MAX_KEYED_USERNAME = 150

# Fixed windows would let 2 × the limit through around a window's edge; a moving window counts
# exactly the attempts of the last minute.
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")


def _account_key() -> str:
    username = request.form.get("username", "").strip().casefold()[:MAX_KEYED_USERNAME]
    return f"login-account:{username}"


def _address_key() -> str:
    return f"login-address:{get_remote_address()}"


def _login_failed(_response: Response) -> bool:
    return bool(g.get("login_failed"))


def _config(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def throttle_login(view: F) -> F:
    """Refuse a login POST (429) once too many passwords failed for its account or address."""
    limited: Callable[..., Any] = view
    for setting, key in (
        ("LOGIN_LIMIT_PER_ACCOUNT", _account_key),
        ("LOGIN_LIMIT_PER_ADDRESS", _address_key),
    ):
        limited = limiter.limit(
            _config(setting), key_func=key, methods=["POST"], deduct_when=_login_failed
        )(limited)
    return cast(F, limited)


def count_failed_login() -> None:
    """Count this request's login as a failed password guess."""
    g.login_failed = True


def _api_token_limit_and_key() -> tuple[Any, str]:
    return parse(current_app.config["API_AUTH_LIMIT_PER_ADDRESS"]), get_remote_address()


def api_token_wait_s() -> int:
    """Seconds this address must wait before trying an API token again (0: go ahead)."""
    if not limiter.enabled:
        return 0
    item, address = _api_token_limit_and_key()
    if limiter.limiter.test(item, "api-token", address):
        return 0
    reset_at = limiter.limiter.get_window_stats(item, "api-token", address).reset_time
    return max(1, math.ceil(reset_at - time.time()))


def count_failed_api_token() -> None:
    """Count an unknown, revoked or disabled API token sent from this address."""
    if limiter.enabled:
        item, address = _api_token_limit_and_key()
        limiter.limiter.hit(item, "api-token", address)


def minutes(wait_s: float) -> int:
    """Whole minutes to tell a person to wait (at least 1).

    The limits library rounds a window's reset time up to a whole second, so a one-minute
    window can report 60.4 s: whole seconds first, or that would read "2 menit"."""
    return max(1, math.ceil(int(wait_s) / 60))


def breached_wait_s() -> float:
    """Seconds until the limit this request broke lets a request through again."""
    limit = limiter.current_limit
    return max(1.0, limit.reset_at - time.time()) if limit is not None else 60.0


def retry_after(wait_s: float) -> dict[str, str]:
    """The Retry-After header for a wait of `wait_s` seconds."""
    return {"Retry-After": str(max(1, math.ceil(wait_s)))}


def too_many(_error: RateLimitExceeded) -> ResponseReturnValue:
    """The 429 answer of a throttled page (the login page has its own, in web.auth)."""
    wait_s = breached_wait_s()
    message = _("Too many requests. Try again in %(minutes)s min.", minutes=minutes(wait_s))
    if wants_json():
        return {"error": {"status": 429, "message": message}}, 429, retry_after(wait_s)
    page = render_template("errors/error.html", status=429, message=message)
    return page, 429, retry_after(wait_s)


def init_app(app: Flask) -> None:
    """Set the limits' storage (REDIS_URL when set) and answer 429s in Bahasa Indonesia."""
    app.config["RATELIMIT_STORAGE_URI"] = (
        app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"
    )
    # Redis down: count in this process rather than refuse every login.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many)
