"""Survey files imported as a background job: progress, summary, refusal, the overlap choice,
a job whose process stopped, and the same job on the RQ worker."""

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from planner.store import SurveyImportJob, session_scope, utcnow
from planner.survey import create_import_job, save_upload, upload_dir
from tests.conftest import AuthActions
from tests.factories import SURVEY_ROWS, survey_csv
from tests.web.views.survey_import_helpers import import_file, responses, upload, wait

EXTRA_ROW = ("Kel. Hegarsari", "anak", "L", "pelajar", "6", "30", "4", "2", "10", "ya", "5", "5",
             "rabu", "siang", "anak")  # fmt: skip


@pytest.fixture
def job_client(app: Flask, client: FlaskClient, auth: AuthActions) -> FlaskClient:
    """A koordinator whose every upload goes through the background job."""
    app.config["SURVEY_INLINE_MAX_BYTES"] = 0
    auth.login("koordinator")
    return client


def _uploads(app: Flask) -> list[Path]:
    return list(upload_dir(Path(app.instance_path)).iterdir())


def test_a_large_upload_runs_as_a_job_and_shows_its_summary(
    app: Flask, job_client: FlaskClient
) -> None:
    job_url, page = import_file(job_client, survey_csv().encode())
    assert "Impor berhasil: 3 responden baru disimpan" in page
    assert "3 dari 3 baris" in page
    assert responses(app) == 3
    assert _uploads(app) == []  # the uploaded file is deleted once the job is done
    assert "survei.csv" in job_client.get("/survei/").get_data(as_text=True)


def test_the_page_follows_the_job_with_a_progress_bar(app: Flask, job_client: FlaskClient) -> None:
    with session_scope(app.extensions["keliling.engine"]) as session:
        stored = save_upload(upload_dir(Path(app.instance_path)), survey_csv().encode())
        job = create_import_job(session, "besar.csv", stored, 10)
        job.status, job.started_at, job.rows_done, job.rows_total = "running", utcnow(), 40, 100
        session.add(job)
        session.flush()
        job_id = job.id
    page = job_client.get(f"/survei/impor/{job_id}").get_data(as_text=True)
    assert '<progress id="import-progress" max="1" value="0.4"' in page
    assert "40 dari 100 baris" in page and "besar.csv" in page
    status = job_client.get(f"/survei/impor/{job_id}.json").json
    assert status is not None and status["status"] == "running" and status["progress"] == 0.4


def test_a_refused_file_shows_every_problem_by_row_and_column(
    app: Flask, job_client: FlaskClient
) -> None:
    rows = [list(r) for r in SURVEY_ROWS]
    rows[0][0] = "<b>Desa Atlantis</b>"
    rows[2][4] = "sering"
    _url, page = import_file(job_client, survey_csv(rows).encode())
    assert "Impor ditolak: tidak ada yang disimpan" in page
    assert "<td>2</td><td>desa</td><td>&#39;&lt;b&gt;Desa Atlantis&lt;/b&gt;&#39;" in page
    assert "<td>4</td><td>fm</td>" in page
    assert responses(app) == 0 and _uploads(app) == []


def test_a_check_only_job_stores_nothing(app: Flask, job_client: FlaskClient) -> None:
    _url, page = import_file(job_client, survey_csv().encode(), dry_run="y")
    assert "Tidak ada yang disimpan" in page and "periksa saja" in page
    assert responses(app) == 0


@pytest.mark.parametrize(("choice", "stored"), [("add", 3 + 4), ("skip", 3 + 1)])
def test_overlapping_files_without_ids_ask_and_follow_the_choice(
    app: Flask, job_client: FlaskClient, choice: str, stored: int
) -> None:
    import_file(job_client, survey_csv().encode())
    second = survey_csv([*SURVEY_ROWS, EXTRA_ROW]).encode()
    job_url, page = import_file(job_client, second)
    assert 'id="overlap-choice"' in page and 'value="add"' in page and 'value="skip"' in page
    assert responses(app) == 3  # nothing stored while the question is open
    assert len(_uploads(app)) == 1  # the file waits for the answer
    response = job_client.post(job_url + "/pilihan", data={"choice": choice})
    assert response.status_code == 302 and response.headers["Location"] != job_url
    wait(job_client, response.headers["Location"])
    assert responses(app) == stored
    assert _uploads(app) == []
    again = job_client.post(job_url + "/pilihan", data={"choice": choice})  # a second click
    assert again.headers["Location"] == job_url and responses(app) == stored


def test_the_choice_needs_the_form_token(app: Flask, job_client: FlaskClient) -> None:
    import_file(job_client, survey_csv().encode())
    job_url, _page = import_file(job_client, survey_csv([*SURVEY_ROWS, EXTRA_ROW]).encode())
    app.config["WTF_CSRF_ENABLED"] = True
    response = job_client.post(job_url + "/pilihan", data={"choice": "add"})
    assert response.status_code == 400
    assert responses(app) == 3 and 'id="overlap-choice"' in job_client.get(job_url).get_data(
        as_text=True
    )
    assert 'name="csrf_token"' in job_client.get(job_url).get_data(as_text=True)


def test_a_job_whose_process_stopped_ends_failed_and_its_file_is_deleted(
    app: Flask, job_client: FlaskClient
) -> None:
    directory = upload_dir(Path(app.instance_path))
    long_ago = utcnow() - dt.timedelta(minutes=10)
    with session_scope(app.extensions["keliling.engine"]) as session:
        stored = save_upload(directory, survey_csv().encode())
        job = create_import_job(session, "survei.csv", stored, 10)
        job.status, job.started_at, job.heartbeat_at = "running", long_ago, long_ago
        session.add(job)
        session.flush()
        job_id = job.id
    status = wait(job_client, f"http://localhost/survei/impor/{job_id}")
    assert status["status"] == "failed"
    assert "Impor berhenti" in status["message"]
    assert not (directory / stored).exists() and responses(app) == 0


@pytest.mark.parametrize(("role", "status"), [("staf", 403), ("sopir", 403), ("admin", 200)])
def test_only_planners_follow_an_import(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str, status: int
) -> None:
    with session_scope(app.extensions["keliling.engine"]) as session:
        job = create_import_job(session, "survei.csv", "", 10)
        session.flush()
        job_id = job.id
    auth.login(role)
    assert client.get(f"/survei/impor/{job_id}").status_code == status
    assert client.get(f"/survei/impor/{job_id}.json").status_code == status


def test_an_unknown_import_is_not_found(job_client: FlaskClient) -> None:
    assert job_client.get("/survei/impor/999999").status_code == 404


def test_a_job_row_keeps_the_outcome(app: Flask, job_client: FlaskClient) -> None:
    job_url, _page = import_file(job_client, survey_csv().encode())
    with Session(app.extensions["keliling.engine"]) as session:
        job = session.get(SurveyImportJob, int(job_url.rsplit("/", 1)[1]))
        assert job is not None and job.status == "done" and job.new == 3
        assert job.batch_id is not None and job.stored_name == ""


def test_small_files_still_import_during_the_request(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    response = upload(client, survey_csv().encode())
    assert response.headers["Location"].endswith("/survei/")
    assert responses(app) == 3
