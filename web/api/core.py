"""Shared pieces of the JSON API: who is calling, role checks, parameters, JSON errors."""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, jsonify, request
from flask_login import current_user
from pydantic import BaseModel
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from planner.store import page_rows, verify_token
from web.auth import LoginUser, csrf
from web.db import get_session
from web.throttle import api_token_wait_s, count_failed_api_token, minutes

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Ids and offsets fit a PostgreSQL integer; larger numbers cannot name anything.
MAX_ID = 2**31 - 1
ID_RULE = f"int(min=1, max={MAX_ID})"
DIGITS = re.compile(r"[0-9]{1,10}")
# Dates far outside the service's life cannot be turned into local midnights safely.
FIRST_YEAR, LAST_YEAR = 1900, 2999
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MESSAGES = {
    400: "Permintaan tidak dapat dipahami.",
    401: "Perlu masuk: kirim token API di header 'Authorization: Bearer <token>'.",
    403: "Anda tidak memiliki akses ke data ini.",
    404: "Alamat atau data yang dicari tidak ada.",
    405: "Metode ini tidak diizinkan di alamat ini.",
    413: "Isi permintaan terlalu besar.",
    415: "Kirim data sebagai JSON (Content-Type: application/json).",
    422: "Data tidak valid; lihat 'fields' untuk rinciannya.",
    500: "Terjadi kesalahan di server kami. Silakan coba lagi.",
}
BEARER_CHALLENGE = 'Bearer realm="keliling"'


class ApiError(HTTPException):
    """An API failure with its status, Indonesian message and optional field errors."""

    def __init__(
        self, status: int, message: str | None = None, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message or MESSAGES.get(status, MESSAGES[400]))
        self.code = status
        self.fields = fields


def error_response(error: HTTPException) -> Response:
    """The JSON body {"error": {"status", "message"[, "fields"]}} with the right headers."""
    status = error.code or 500
    message = error.description if isinstance(error, ApiError) else None
    body: dict[str, Any] = {"status": status, "message": message or MESSAGES.get(status, "")}
    if isinstance(error, ApiError) and error.fields:
        body["fields"] = error.fields
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        suffix = ', error="invalid_token"' if g.get("api_bad_token") else ""
        response.headers["WWW-Authenticate"] = BEARER_CHALLENGE + suffix
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response


def _token_user() -> LoginUser:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    user = None
    wait_s = api_token_wait_s()
    if wait_s:
        msg = f"Terlalu banyak token API yang salah. Coba lagi dalam {minutes(wait_s)} menit."
        raise ApiError(429, msg)
    if scheme.lower() == "bearer" and secret.strip():
        user = verify_token(get_session(), secret.strip())
    if user is None:
        count_failed_api_token()
        g.api_bad_token = True
        raise ApiError(401, "Token API tidak dikenal, sudah dicabut, atau penggunanya tidak aktif.")
    get_session().commit()  # keep last_used_at
    return LoginUser(user)


def api_user() -> LoginUser:
    """The caller: the bearer token's user, else the logged-in session's user (401 if neither)."""
    if "api_user" in g:
        user: LoginUser = g.api_user
        return user
    if "Authorization" in request.headers:
        user = _token_user()
    elif current_user.is_authenticated:
        user = current_user._get_current_object()
        # Cookies ride along with cross-site requests: a session's writes need the CSRF token.
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
    else:
        raise ApiError(401)
    g.api_user = user
    return user


def allow(*roles: str) -> Callable[[F], F]:
    """Let only callers with one of `roles` use the view (401 anonymous, 403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if api_user().role not in roles:
                raise ApiError(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole-number query parameter within [low, high] (400 otherwise)."""
    text = request.args.get(name)
    if text is None:
        return default
    if not DIGITS.fullmatch(text) or not low <= int(text) <= high:
        msg = f"Parameter '{name}' harus bilangan bulat {low}–{high}."
        raise ApiError(400, msg)
    return int(text)


def date_arg(name: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter from 1900 to 2999 (400 otherwise)."""
    text = request.args.get(name)
    if text is None:
        return None
    try:
        if not ISO_DATE.fullmatch(text) or not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"Parameter '{name}' harus tanggal YYYY-MM-DD antara {FIRST_YEAR} dan {LAST_YEAR}."
        raise ApiError(400, msg) from None


def choice_arg(name: str, choices: Sequence[str]) -> str | None:
    """A query parameter that must be one of `choices` when given (400 otherwise)."""
    text = request.args.get(name)
    if text is None:
        return None
    if text not in choices:
        msg = f"Parameter '{name}' harus salah satu dari: {', '.join(choices)}."
        raise ApiError(400, msg)
    return text


def page_args() -> tuple[int, int]:
    """The requested `limit` (1–200, default 50) and `offset`."""
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0, MAX_ID)
    assert limit is not None and offset is not None
    return limit, offset


def page(items: Sequence[Any], total: int) -> dict[str, Any]:
    """The list envelope every list endpoint answers with."""
    return {"items": list(items), "total": total}


def page_of_list(items: Sequence[Any]) -> dict[str, Any]:
    """One page of an in-memory list."""
    limit, offset = page_args()
    return page(items[offset : offset + limit], len(items))


def page_of_query(session: Session, query: SelectOfScalar[Any]) -> tuple[list[Any], int]:
    """One page of a query's rows, and how many rows it has in all."""
    limit, offset = page_args()
    return page_rows(session, query, limit, offset)


def public(model: type[M], data: Any) -> dict[str, Any]:
    """Data passed through its public model, as JSON-ready values."""
    return model.model_validate(data, from_attributes=True).model_dump(mode="json")


def get_or_404(session: Session, table: type[Any], row_id: int, message: str) -> Any:
    """The row with this id, or a 404 with `message`."""
    row = session.get(table, row_id)
    if row is None:
        raise ApiError(404, message)
    return row
