"""Requests carrying control characters are refused with a 400 before any view reads them.

Nobody types a NUL or an escape character: it comes from a broken client or a probe, and
PostgreSQL cannot store or even compare a NUL. So the address, every query parameter, header,
form field, uploaded file's name and JSON string is checked first; tab, line feed and carriage
return stay allowed where a person can type them (form fields and JSON texts, a header's tab).
A NUL in a form field's value is left to the form, which names the field next to what the user
typed (planner.core.unstorable; a NUL that reaches the database is a 400 in web/errors.py),
except at the login, which never shows a typed password back.
"""

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

# C0 controls and DEL, and lone surrogates (they cannot be encoded as UTF-8 for the database).
IN_LINE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
IN_HEADER = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
IN_FORM_VALUE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NEXT_PARAMETER = "next"
# Forms that never show typed values back (a password): a NUL there is refused here too.
WHOLE_FORM_ENDPOINTS = frozenset({"auth.login"})
API_PREFIX = "/api/"
NAME_LENGTH = 40


def init_app(app: Flask) -> None:
    """Check every request before the app's other hooks (CSRF, login, rate limits) read it."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)


def _shown(name: str) -> str:
    return IN_LINE.sub("?", name)[:NAME_LENGTH]


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _place() -> str | None:
    """Where the request holds a control character (for the message), if anywhere."""
    if IN_LINE.search(request.path):
        return str(_("the address"))
    for name, value in request.args.items(multi=True):
        # A login target with a line break is dropped by web.auth and the login goes on; only
        # what no text column holds is refused there.
        checked = UNSTORABLE if name == NEXT_PARAMETER else IN_LINE
        if IN_LINE.search(name) or checked.search(value):
            return str(_("the parameter %(name)s", name=_shown(name)))
    for name, value in request.headers.items():
        if IN_HEADER.search(value):
            return str(_("the header %(name)s", name=_shown(name)))
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if request.is_json:
        body = request.get_json(silent=True)
        if any(IN_TEXT.search(text) for text in _json_strings(body)):
            return str(_("the JSON body"))
        return None
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        # Over the usual limit: a view that takes such uploads (a road extract) raises its own
        # limit before reading the body; reading it here would refuse it with a 413 first.
        return None
    in_value = IN_TEXT if request.endpoint in WHOLE_FORM_ENDPOINTS else IN_FORM_VALUE
    for name, value in request.form.items(multi=True):
        if IN_LINE.search(name) or in_value.search(value):
            return str(_("the field %(name)s", name=_shown(name)))
    for upload in request.files.values():
        if upload.filename and IN_LINE.search(upload.filename):
            return str(_("the uploaded file's name"))
    return None


def refuse_control_characters() -> Response | None:
    """A 400 with a message (JSON under /api/, else the page) for a control character."""
    place = _place()
    if place is None:
        return None
    message = _(
        "The request holds a control character (such as NUL) in %(place)s. Remove it and"
        " try again.",
        place=place,
    )
    if request.path.startswith(API_PREFIX):
        response = jsonify(error={"status": 400, "message": message})
        response.status_code = 400
        return response
    raise BadRequest(message)
