"""The JSON API under /api/v1: token or session auth, JSON errors everywhere, its OpenAPI."""

from typing import Any

from flask import Blueprint, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from planner.core import KelilingError, NotFoundError
from web.api import data as api_data
from web.api import events as api_events
from web.api.core import ApiError, error_response
from web.api.openapi import openapi_document
from web.auth import csrf

PREFIX = "/api/v1"
HTML_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))
bp = Blueprint("api", __name__, url_prefix=PREFIX)
CHILDREN = (api_data.bp, api_events.bp)
for child in CHILDREN:
    # Tokens are not sent by browsers on their own: only session callers need CSRF (api_user).
    csrf.exempt(child)
    bp.register_blueprint(child)


def _under_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


@bp.before_app_request
def unmatched_api_url() -> Response | None:
    """An unknown /api/v1 address or method answers in JSON, not with the HTML error page."""
    error = request.routing_exception
    if error is None or isinstance(error, RequestRedirect) or not _under_api():
        return None
    assert isinstance(error, HTTPException)
    return error_response(error)


@bp.before_request
def refuse_nul() -> None:
    """NUL cannot be stored or looked up (PostgreSQL refuses it): refuse it in the address."""
    if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
        raise ApiError(400, "Alamat atau parameter berisi karakter NUL.")


@bp.after_request
def json_never_renders(response: Response) -> Response:
    """Escape <, > and & in JSON (they only occur inside strings) and forbid type sniffing."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.is_json and not response.is_streamed:
        data = response.get_data()
        for raw, escaped in HTML_ESCAPES:
            data = data.replace(raw, escaped)
        response.set_data(data)
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(_error: CSRFError) -> Response:
    """A session POST without a valid X-CSRFToken header."""
    message = "Token CSRF tidak ada atau tidak sah: kirim header X-CSRFToken, atau pakai token API."
    return error_response(ApiError(400, message))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Any HTTP error raised under /api/v1 (an unexpected failure too: a 500), as JSON."""
    return error_response(error)


@bp.errorhandler(NotFoundError)
def not_found(error: NotFoundError) -> Response:
    """A record named in the request does not exist."""
    return error_response(ApiError(404, str(error)))


@bp.errorhandler(KelilingError)
def domain_error(error: KelilingError) -> Response:
    """A domain rule refused the request."""
    return error_response(ApiError(400, str(error)))


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return openapi_document()
