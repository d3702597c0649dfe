"""The travel-time settings page: upload an extract, choose OSRM, and plan with the choice."""

import io
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from planner.plans import TRAVEL_PROVIDERS, travel_setting
from tests.conftest import AuthActions
from tests.planner.plans.osm_helpers import keep_few_stops, region_extract
from web.ui.travel import PROVIDER_LABELS

URL = "/pengaturan/waktu-tempuh"
JOB_WAIT_S = 60
OSM_LABEL = "Jaringan jalan OpenStreetMap (berkas kota_banjar.osm)"


def _engine(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["keliling.engine"]


def _setting(app: Flask) -> tuple[str, str | None, str | None]:
    with Session(_engine(app)) as session:
        setting = travel_setting(session)
    return setting.provider, setting.osrm_url, setting.osm_file


def _post(client: FlaskClient, **data: object) -> tuple[int, str]:
    with client.post(
        URL, data=data, content_type="multipart/form-data", follow_redirects=True
    ) as response:  # closing it closes the request body the test client spooled to disk
        return response.status_code, response.get_data(as_text=True)


def _upload(client: FlaskClient, body: bytes, name: str = "banjar.osm") -> tuple[int, str]:
    return _post(client, provider="osm", osm_file=(io.BytesIO(body), name), osrm_url="")


def _plan_week(client: FlaskClient) -> dict[str, object]:
    """Plan through the form, as a coordinator would, and wait for the job to end."""
    response = client.post(
        "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
    )
    assert response.status_code == 302
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        job = client.get(response.headers["Location"] + ".json").json
        assert job is not None
        if job["status"] not in ("queued", "running"):
            return dict(job)
        time.sleep(0.3)
    raise AssertionError("the solve did not finish")


@pytest.fixture
def planner(client: FlaskClient, auth: AuthActions) -> FlaskClient:
    auth.login("koordinator")
    return client


@pytest.fixture
def extract(app: Flask, tmp_path: Path) -> bytes:
    keep_few_stops(_engine(app))
    return region_extract(_engine(app), tmp_path / "source.osm").read_bytes()


def test_every_source_has_a_label() -> None:
    assert tuple(PROVIDER_LABELS) == TRAVEL_PROVIDERS


def test_the_page_shows_the_estimate_until_another_source_is_chosen(
    planner: FlaskClient,
) -> None:
    page = planner.get(URL).get_data(as_text=True)
    assert "memakai: <strong>Perkiraan: garis lurus" in page
    assert re.search(r'<input checked[^>]*value="estimate"', page)
    assert 'enctype="multipart/form-data"' in page and "paling besar 200 MB" in page
    assert f'href="{URL}"' in planner.get("/rencana/").get_data(as_text=True)


def test_an_uploaded_extract_is_used_by_the_next_web_plan(
    app: Flask, planner: FlaskClient, extract: bytes
) -> None:
    status, page = _upload(planner, extract, "jawa-barat.osm")
    assert status == 200, page
    assert "Ekstrak kota_banjar.osm menjangkau semua titik layanan" in page
    assert _setting(app) == ("osm", None, "osm/kota_banjar.osm")
    stored = Path(app.instance_path) / "osm" / "kota_banjar.osm"
    assert stored.read_bytes() == extract
    form = planner.get("/rencana/").get_data(as_text=True)
    assert "Jaringan jalan OpenStreetMap dari ekstrak yang Anda unggah (kota_banjar.osm)" in form
    job = _plan_week(planner)
    assert job["status"] == "done", job
    plan_page = planner.get(str(job["plan_url"])).get_data(as_text=True)
    assert f"Waktu tempuh: {OSM_LABEL}" in plan_page
    assert "perkiraan, bukan diukur di jalan" not in plan_page


def test_a_broken_extract_is_explained_and_the_previous_source_kept(
    app: Flask, planner: FlaskClient, extract: bytes
) -> None:
    status, _page = _post(planner, provider="osrm", osrm_url="http://127.0.0.1:5000")
    assert status == 200 and _setting(app)[0] == "osrm"
    status, page = _upload(planner, b"<osm><node id='1' lat=", "rusak.osm")
    assert status == 400
    assert "bukan XML OpenStreetMap yang valid" in page
    assert "Tidak ada yang diubah" in page
    assert _setting(app) == ("osrm", "http://127.0.0.1:5000", None)
    status, page = _upload(planner, extract, "peta.zip")
    assert status == 400 and "harus berakhiran .osm atau .osm.pbf" in page
    assert not (Path(app.instance_path) / "osm").exists() or not any(
        (Path(app.instance_path) / "osm").iterdir()
    )


def test_choosing_osm_without_any_extract_asks_for_one(app: Flask, planner: FlaskClient) -> None:
    status, page = _post(planner, provider="osm", osrm_url="")
    assert status == 400 and "unggah ekstrak .osm atau .osm.pbf" in page
    assert _setting(app)[0] == "estimate"


def test_osrm_needs_an_http_address_and_estimate_switches_back(
    app: Flask, planner: FlaskClient
) -> None:
    for bad in ("ftp://osrm.example", "osrm.local:5000", ""):
        status, page = _post(planner, provider="osrm", osrm_url=bad)
        assert status == 400 and "Alamat server OSRM tidak valid" in page
    assert _setting(app)[0] == "estimate"
    status, page = _post(planner, provider="osrm", osrm_url="https://osrm.kota.example/")
    assert status == 200 and "server OSRM" in page
    assert _setting(app) == ("osrm", "https://osrm.kota.example", None)
    status, page = _post(planner, provider="estimate", osrm_url="")
    assert status == 200 and "perkiraan waktu tempuh garis lurus" in page
    assert _setting(app) == ("estimate", "https://osrm.kota.example", None)


def test_a_failing_server_fails_the_web_plan_with_its_reason(
    app: Flask, planner: FlaskClient
) -> None:
    _post(planner, provider="osrm", osrm_url="http://127.0.0.1:9")  # nobody listens there
    job = _plan_week(planner)
    assert job["status"] == "failed"
    assert "rencana yang sudah ada tidak berubah" in str(job["message"])
    assert "OSRM" in str(job["message"])


def test_an_extract_may_exceed_the_usual_upload_limit(
    app: Flask, planner: FlaskClient, extract: bytes
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["OSM_UPLOAD_MAX_MB"] = 1
    padded = extract.replace(b"</osm>", b"<!--" + b" " * 200_000 + b"--></osm>")
    status, page = _upload(planner, padded)
    assert status == 200 and _setting(app)[0] == "osm"
    too_big = b" " * (1024 * 1024 + 1)
    status, page = _upload(planner, too_big)
    assert status == 413 and "paling besar 1 MB" in page
    with planner.post("/titik/csv", data={"file": (io.BytesIO(padded), "t.csv")}) as csv_upload:
        assert csv_upload.status_code == 413  # other uploads keep the usual limit


@pytest.mark.parametrize(("role", "status"), [("sopir", 403), ("staf", 403), ("admin", 200)])
def test_only_planners_change_the_source(
    app: Flask, client: FlaskClient, auth: AuthActions, role: str, status: int
) -> None:
    auth.login(role)
    assert client.get(URL).status_code == status
    response = client.post(URL, data={"provider": "osrm", "osrm_url": "http://127.0.0.1:5000"})
    assert response.status_code == (403 if status == 403 else 302)
    assert _setting(app)[0] == ("estimate" if status == 403 else "osrm")


def test_anonymous_visitors_are_sent_to_login(app: Flask, client: FlaskClient) -> None:
    response = client.post(URL, data={"provider": "osrm", "osrm_url": "http://127.0.0.1:5000"})
    assert response.status_code == 401 and 'name="password"' in response.get_data(as_text=True)
    assert _setting(app)[0] == "estimate"


def test_the_form_needs_its_csrf_token(app: Flask, planner: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    status, _page = _post(planner, provider="osrm", osrm_url="http://127.0.0.1:5000")
    assert status == 400
    assert _setting(app)[0] == "estimate"


def test_a_queued_plan_is_solved_by_the_worker_with_the_extract(
    app: Flask, planner: FlaskClient, extract: bytes
) -> None:
    """With Redis the worker builds the provider from the database and the instance folder."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import Queue, SimpleWorker

    from tests.conftest import unavailable
    from tests.web.test_jobs_redis import REDIS_URL
    from web.jobs import QUEUE_NAME, RedisRunner, bind_worker

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError as error:
        unavailable(f"Redis not reachable at {REDIS_URL}: {error}")
    queue = Queue(QUEUE_NAME, connection=connection)
    queue.empty()
    app.extensions["keliling.jobs"] = RedisRunner(REDIS_URL)
    bind_worker(app)
    try:
        assert _upload(planner, extract)[0] == 200
        response = planner.post(
            "/rencana/", data={"start": "2026-11-30", "weeks": "1", "time_limit": "1"}
        )
        assert queue.count == 1
        SimpleWorker([queue], connection=connection).work(burst=True)
        job = planner.get(response.headers["Location"] + ".json").json
        assert job is not None and job["status"] == "done", job
        page = planner.get(str(job["plan_url"])).get_data(as_text=True)
        assert f"Waktu tempuh: {OSM_LABEL}" in page
    finally:
        queue.empty()
        connection.close()
