"""Tokens for every role and a caller of /api/v1, shared by the API tests."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from planner.store import create_token
from tests.conftest import ROLES
from tests.web.api.helpers import Call
from web.db import get_session


@pytest.fixture
def tokens(app: Flask) -> dict[str, str]:
    """A token for each demo user, by role."""
    with app.app_context():
        session = get_session()
        issued = {role: create_token(session, role, f"uji {role}").secret for role in ROLES}
        session.commit()
    return issued


@pytest.fixture
def call(client: FlaskClient, tokens: dict[str, str]) -> Call:
    """Call /api/v1 as `role` with its token (None: anonymous)."""

    def send(
        path: str, role: str | None = "admin", method: str = "GET", **kwargs: Any
    ) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if role:
            headers["Authorization"] = f"Bearer {tokens[role]}"
        return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    return send
