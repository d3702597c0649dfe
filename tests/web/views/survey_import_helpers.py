"""Uploading a survey export and following its import job as a koordinator's browser does."""

import io
import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from planner.store import SurveyResponse
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv

JOB_WAIT_S = 60
FREE_TEXT = "kebutuhan_informasi"


def responses(app: Flask) -> int:
    """How many respondents are stored."""
    with Session(app.extensions["keliling.engine"]) as session:
        return session.exec(select(func.count()).select_from(SurveyResponse)).one()


def upload(client: FlaskClient, data: bytes, name: str = "survei.csv", **fields: str) -> Any:
    """POST the file to the survey page (as the upload form does)."""
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post("/survei/", data=form, content_type="multipart/form-data")


def wait(client: FlaskClient, job_url: str) -> dict[str, Any]:
    """Poll the job's JSON (as the page's script does) until the import has ended."""
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        status = client.get(job_url + ".json").json
        assert status is not None
        if status["status"] not in ("queued", "running"):
            return dict(status)
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


def import_file(client: FlaskClient, data: bytes, **fields: str) -> tuple[str, str]:
    """Upload, follow the job to its end; the job page's URL and its final HTML."""
    response = upload(client, data, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    job_url = response.headers["Location"]
    assert "/survei/impor/" in job_url
    wait(client, job_url)
    return job_url, client.get(job_url).get_data(as_text=True)


def with_free_text(texts: list[str]) -> bytes:
    """The factory export with a free-text answer on each row (rows repeat as needed)."""
    rows = [(*SURVEY_ROWS[i % len(SURVEY_ROWS)], text) for i, text in enumerate(texts)]
    return survey_csv(rows, (*SURVEY_HEADER, FREE_TEXT)).encode()
