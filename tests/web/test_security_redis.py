"""With Redis the login counts are shared by every worker; with Redis down, logins still work."""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.conftest import DEMO_PASSWORD, unavailable

REDIS_URL = os.environ.get("KELILING_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_url() -> Iterator[str]:
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError as error:
        unavailable(f"Redis not reachable at {REDIS_URL}: {error}")
    yield REDIS_URL
    connection.close()


def _worker(app: Flask, **config: Any) -> Flask:
    """Another app process's view of the same database (as a second gunicorn worker has)."""
    from web import create_app

    keys = ("TESTING", "DATABASE_URL", "SECRET_KEY", "WTF_CSRF_ENABLED")
    return create_app({**{key: app.config[key] for key in keys}, **config})


def _fail(app: Flask, username: str, times: int) -> list[int]:
    client = app.test_client()
    data = {"username": username, "password": "salah"}
    return [client.post("/login", data=data).status_code for _ in range(times)]


def test_a_second_worker_sees_the_first_ones_failed_logins(app: Flask, redis_url: str) -> None:
    username = f"uji-{uuid.uuid4().hex[:8]}"  # a fresh account key: Redis outlives the test
    first = _worker(app, REDIS_URL=redis_url)
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
    assert _fail(first, username, 10) == [200] * 10
    second = _worker(app, REDIS_URL=redis_url)
    assert _fail(second, username, 1) == [429]
    for worker in (first, second):
        worker.extensions["keliling.engine"].dispose()


def test_in_memory_each_new_process_starts_counting_afresh(app: Flask) -> None:
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert _fail(app, "koordinator", 10) == [200] * 10
    fresh = _worker(app)
    assert _fail(fresh, "koordinator", 1) == [200]
    fresh.extensions["keliling.engine"].dispose()


def test_logins_keep_working_and_counting_when_redis_is_down(app: Flask) -> None:
    down = _worker(app, RATELIMIT_STORAGE_URI=CLOSED_PORT_URL)
    statuses = _fail(down, "koordinator", 11)
    assert statuses == [200] * 10 + [429]
    client = down.test_client()
    data = {"username": "staf", "password": DEMO_PASSWORD}
    assert client.post("/login", data=data).status_code == 302
    down.extensions["keliling.engine"].dispose()
