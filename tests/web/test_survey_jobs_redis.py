"""With REDIS_URL set, survey imports go to the solve queue and `keliling worker` runs them."""

import pytest
from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker

from tests.conftest import DEMO_PASSWORD
from tests.factories import survey_csv
from tests.web.conftest import REDIS_URL
from tests.web.views.survey_import_helpers import responses, upload, wait
from web.jobs import QUEUE_NAME, RedisRunner


@pytest.fixture
def survey_redis_app(redis_app: Flask) -> Flask:
    redis_app.config["SURVEY_INLINE_MAX_BYTES"] = 0  # every upload becomes a queued job
    return redis_app


def test_an_import_is_queued_then_run_by_the_worker(survey_redis_app: Flask) -> None:
    client = survey_redis_app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    job_url = upload(client, survey_csv().encode()).headers["Location"]
    assert client.get(job_url + ".json").json["status"] == "queued"  # type: ignore[index]
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(QUEUE_NAME, connection=connection)
    assert queue.count == 1
    assert queue.jobs[0].args == (int(job_url.rsplit("/", 1)[1]),)  # only the id travels
    queue.empty()  # Redis lost it: reading the page puts it back
    assert client.get(job_url + ".json").json["status"] == "queued"  # type: ignore[index]
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    connection.close()
    status = wait(client, job_url)
    assert status["status"] == "done" and responses(survey_redis_app) == 3
    assert "Impor berhasil: 3 responden baru disimpan" in client.get(job_url).get_data(as_text=True)


def test_an_import_with_redis_down_fails_at_once(app: Flask) -> None:
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", SURVEY_INLINE_MAX_BYTES=0)
    app.extensions["keliling.jobs"] = RedisRunner("redis://127.0.0.1:1/0")
    client = app.test_client()
    client.post("/login", data={"username": "koordinator", "password": DEMO_PASSWORD})
    job_url = upload(client, survey_csv().encode()).headers["Location"]
    status = client.get(job_url + ".json").json
    assert status is not None and status["status"] == "failed"
    assert "Redis tidak dapat dihubungi" in status["message"]
