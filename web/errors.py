"""One error handler that answers HTML or JSON by the Accept header."""

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from planner.core import KelilingError, NotFoundError
from planner.store import is_busy
from web.db import get_session

# How long a client is asked to wait when the database cannot be reached or stays busy.
DATABASE_RETRY_AFTER_S = 15


def wants_json() -> bool:
    """Whether the client prefers JSON to HTML (API calls, fetch)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _upload_limit_mb() -> int:
    """This request's size limit in whole megabytes (MAX_CONTENT_LENGTH or the view's own)."""
    limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"] or 0
    return max(1, round(limit / (1024 * 1024)))


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("The page you are looking for does not exist."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large (at most %(size)s MB).", size=_upload_limit_mb()),
        503: _("The database cannot be reached right now. Please try again in a moment."),
        500: _("Something went wrong on our side. Please try again."),
    }


def _respond(
    status: int, message: str, headers: dict[str, str] | None = None, as_json: bool = False
) -> ResponseReturnValue:
    if as_json or wants_json():
        return {"error": {"status": status, "message": message}}, status, headers or {}
    page = render_template("errors/error.html", status=status, message=message)
    return page, status, headers or {}


def _visitor_unless_loaded() -> None:
    """Draw the page for a visitor when the user could not be loaded (the database is gone):
    the header reads current_user, which would try the database again and turn the 503 into a
    500. The session itself is kept, so the user is logged in again once the database is back."""
    if "_login_user" not in g:
        g._login_user = AnonymousUserMixin()  # flask_login's own visitor (auth.py sets no other)


def init_app(app: Flask) -> None:
    """Register the handlers for HTTP errors and domain errors."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        message = _messages().get(status) or error.description or ""
        if status == 400 and error.description:
            message = error.description
        return _respond(status, message)

    @app.errorhandler(NotFoundError)
    def handle_not_found(error: NotFoundError) -> ResponseReturnValue:
        return _respond(404, str(error))

    @app.errorhandler(KelilingError)
    def handle_domain(error: KelilingError) -> ResponseReturnValue:
        return _respond(400, str(error))

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def handle_unstorable(error: Exception) -> ResponseReturnValue:
        # The last guard behind the forms' own checks: a number beyond what the database or a
        # date can hold, or a text PostgreSQL refuses (NUL), is the sender's mistake, not ours.
        current_app.logger.warning(
            "refused an unstorable value: %s %s: %s", request.method, request.path, error
        )
        get_session().rollback()
        return _respond(
            400, _("A number is too large or a text holds a character that cannot be stored.")
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def handle_database_down(error: Exception) -> ResponseReturnValue:
        # The database stopped, refused the connection or stayed busy beyond the retry bound:
        # a 503 the client may retry (nothing was stored), not our own 500 page.
        current_app.logger.error(
            "database unavailable: %s %s: %s", request.method, request.path, error
        )
        try:
            get_session().rollback()
        except Exception:  # noqa: BLE001 - the connection may be gone; the page must still go out
            current_app.logger.debug("rollback after a database outage failed", exc_info=True)
        _visitor_unless_loaded()
        message = _messages()[503]
        if is_busy(error):
            message = _("The database is busy right now. Please try again in a moment.")
        retry = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}
        return _respond(503, message, retry, as_json=request.path.startswith("/api/"))
