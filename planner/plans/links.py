"""Signed, expiring links that let a driver open one route-day without an account."""

import datetime as dt

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "keliling-sopir-rute"
VALID_DAYS_AFTER_ROUTE = 2  # the link still works for late check-ins two days after the route


class InvalidDriverLink(Exception):  # noqa: N818 - reads better at the call site
    """The link was not made by this app (tampered or mistyped)."""


class ExpiredDriverLink(Exception):  # noqa: N818
    """The link's route-day is long over."""


def driver_token(route_id: int, service_date: dt.date, secret_key: str) -> str:
    """A token naming the route and when the link stops working."""
    expires = service_date + dt.timedelta(days=VALID_DAYS_AFTER_ROUTE)
    return URLSafeSerializer(secret_key, salt=SALT).dumps({"r": route_id, "e": expires.isoformat()})


def read_driver_token(token: str, secret_key: str, today: dt.date) -> int:
    """The route id of a valid token; InvalidDriverLink or ExpiredDriverLink otherwise."""
    try:
        data = URLSafeSerializer(secret_key, salt=SALT).loads(token)
        route_id, expires = int(data["r"]), dt.date.fromisoformat(data["e"])
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidDriverLink(str(error)) from None
    if today > expires:
        raise ExpiredDriverLink(expires.isoformat())
    return route_id


def driver_url(base_url: str, token: str) -> str:
    """The full link to send the driver (WhatsApp, QR code)."""
    return f"{base_url.rstrip('/')}/sopir/{token}"
