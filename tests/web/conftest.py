"""Fixtures shared by the web tests that need a real Redis queue."""

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue

from tests.conftest import unavailable
from web.jobs import QUEUE_NAME, RedisRunner, bind_worker

REDIS_URL = os.environ.get("KELILING_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_app(app: Flask) -> Iterator[Flask]:
    """The app with REDIS_URL set: jobs go to an emptied RQ queue, as with `keliling worker`."""
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError as error:
        unavailable(f"Redis not reachable at {REDIS_URL}: {error}")
    Queue(QUEUE_NAME, connection=connection).empty()
    app.config["REDIS_URL"] = REDIS_URL
    app.extensions["keliling.jobs"] = RedisRunner(REDIS_URL)
    bind_worker(app)  # what `keliling worker` does with its own configuration
    yield app
    Queue(QUEUE_NAME, connection=connection).empty()
    connection.close()
