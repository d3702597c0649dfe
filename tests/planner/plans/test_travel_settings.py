"""The region's travel-time setting: choosing, checking an extract, and solving with it."""

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from planner.core import KelilingError
from planner.plans import (
    create_job,
    install_osm_extract,
    publish_plan,
    region_provider,
    run_job,
    travel_setting,
    use_estimate,
    use_osrm,
    use_stored_osm,
)
from planner.store import Plan, Region, SolveJob, session_scope
from planner.travel import CachedProvider, TravelError
from tests.planner.plans.osm_helpers import (
    as_pbf,
    far_away_extract,
    keep_few_stops,
    region_extract,
)

MONDAY = dt.date(2026, 11, 30)
OSM_LABEL = "Jaringan jalan OpenStreetMap (berkas kota_banjar.osm)"


def _install(engine: Engine, instance: Path, data: bytes, name: str = "banjar.osm") -> None:
    with session_scope(engine) as session:
        install_osm_extract(session, instance, io.BytesIO(data), name)


def _setting(engine: Engine) -> tuple[str, str | None, str | None]:
    with Session(engine) as session:
        setting = travel_setting(session)
    return setting.provider, setting.osrm_url, setting.osm_file


def _run(engine: Engine, instance: Path | None) -> SolveJob:
    with session_scope(engine) as session:
        job = create_job(session, MONDAY, 1, 1.0)
        job_id = job.id
    assert job_id is not None
    run_job(engine, job_id, instance)
    with Session(engine) as session:
        found = session.get(SolveJob, job_id)
        assert found is not None
        return found


@pytest.fixture
def extract(engine: Engine, region: Region, tmp_path: Path) -> bytes:
    keep_few_stops(engine)
    return region_extract(engine, tmp_path / "source.osm").read_bytes()


def test_the_estimate_is_the_default_and_builds_no_provider(
    engine: Engine, region: Region, tmp_path: Path
) -> None:
    assert _setting(engine) == ("estimate", None, None)
    with Session(engine) as session:
        assert region_provider(session, tmp_path) is None


def test_an_osrm_url_is_checked_and_stored(engine: Engine, region: Region, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        use_osrm(session, "  http://127.0.0.1:5000/ ")
    assert _setting(engine) == ("osrm", "http://127.0.0.1:5000", None)
    with Session(engine) as session:
        provider = region_provider(session, tmp_path)
    assert isinstance(provider, CachedProvider) and provider.name == "osrm"
    for bad in ("ftp://osrm.example", "127.0.0.1:5000", "http://"):
        with session_scope(engine) as session, pytest.raises(TravelError, match="tidak valid"):
            use_osrm(session, bad)
    assert _setting(engine) == ("osrm", "http://127.0.0.1:5000", None)


def test_an_extract_covering_the_stops_is_stored_in_the_instance_folder(
    engine: Engine, extract: bytes, tmp_path: Path
) -> None:
    instance = tmp_path / "instance"
    _install(engine, instance, extract, "Jawa Barat.OSM")
    assert _setting(engine) == ("osm", None, "osm/kota_banjar.osm")
    assert (instance / "osm" / "kota_banjar.osm").read_bytes() == extract
    assert [p.name for p in (instance / "osm").iterdir()] == ["kota_banjar.osm"]
    with Session(engine) as session:
        provider = region_provider(session, instance)
    assert provider is not None and provider.name == "osm"


def test_a_pbf_extract_replaces_the_xml_one(engine: Engine, extract: bytes, tmp_path: Path) -> None:
    _install(engine, tmp_path, extract)
    source = tmp_path / "source.osm"
    _install(engine, tmp_path, as_pbf(source).read_bytes(), "java-latest.osm.pbf")
    assert _setting(engine) == ("osm", None, "osm/kota_banjar.osm.pbf")
    assert [p.name for p in (tmp_path / "osm").iterdir()] == ["kota_banjar.osm.pbf"]
    job = _run(engine, tmp_path)
    assert job.status == "done", job.message
    with Session(engine) as session:
        plan = session.get(Plan, job.plan_id)
        assert plan is not None and plan.provider_label.endswith("(berkas kota_banjar.osm.pbf)")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<osm><node id='1' lat=", "rusak.osm", "bukan XML OpenStreetMap yang valid"),
        (b"", "kosong.osm", "bukan XML OpenStreetMap yang valid"),
        (b"not a pbf at all", "rusak.osm.pbf", "tidak dapat dibaca sebagai .osm.pbf"),
        (b"<osm/>", "peta.zip", "harus berakhiran .osm atau .osm.pbf"),
    ],
)
def test_a_broken_extract_is_refused_and_the_previous_one_kept(
    engine: Engine, extract: bytes, tmp_path: Path, data: bytes, name: str, message: str
) -> None:
    _install(engine, tmp_path, extract)
    with pytest.raises(KelilingError, match=message):
        _install(engine, tmp_path, data, name)
    assert _setting(engine) == ("osm", None, "osm/kota_banjar.osm")
    assert sorted(p.name for p in (tmp_path / "osm").iterdir()) == ["kota_banjar.osm"]
    assert (tmp_path / "osm" / "kota_banjar.osm").read_bytes() == extract


def test_an_extract_of_another_place_names_the_point_it_misses(
    engine: Engine, region: Region, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        use_osrm(session, "http://127.0.0.1:5000")
    data = far_away_extract(tmp_path / "papua.osm").read_bytes()
    with pytest.raises(TravelError, match=r"^Perpustakaan.*: Titik ke-1 .* km dari jalan"):
        _install(engine, tmp_path / "instance", data)
    assert _setting(engine) == ("osrm", "http://127.0.0.1:5000", None)


def test_switching_back_to_a_stored_extract_needs_one(
    engine: Engine, extract: bytes, tmp_path: Path
) -> None:
    with session_scope(engine) as session, pytest.raises(KelilingError, match="unggah ekstrak"):
        use_stored_osm(session, tmp_path)
    _install(engine, tmp_path, extract)
    with session_scope(engine) as session:
        use_estimate(session)
    assert _setting(engine) == ("estimate", None, "osm/kota_banjar.osm")
    with session_scope(engine) as session:
        use_stored_osm(session, tmp_path)
    assert _setting(engine)[0] == "osm"


def test_a_job_plans_with_the_extract_and_labels_the_plan(
    engine: Engine, extract: bytes, tmp_path: Path
) -> None:
    _install(engine, tmp_path, extract)
    job = _run(engine, tmp_path)
    assert job.status == "done", job.message
    with Session(engine) as session:
        plan = session.get(Plan, job.plan_id)
        assert plan is not None
        assert (plan.travel_provider, plan.provider_label) == ("osm", OSM_LABEL)
    assert any((tmp_path / "matrix-cache").glob("osm-*.json"))


def test_a_failing_source_fails_the_job_and_keeps_the_published_plan(
    engine: Engine, extract: bytes, tmp_path: Path
) -> None:
    published = _run(engine, tmp_path)  # the estimate
    with session_scope(engine) as session:
        assert published.plan_id is not None
        publish_plan(session, published.plan_id)
    _install(engine, tmp_path, extract)
    (tmp_path / "osm" / "kota_banjar.osm").write_bytes(b"<osm><way")  # damaged on disk later
    job = _run(engine, tmp_path)
    assert job.status == "failed" and job.plan_id is None
    assert job.message.startswith("Gagal menyusun rencana; rencana yang sudah ada tidak berubah:")
    assert "bukan XML OpenStreetMap yang valid" in job.message
    with session_scope(engine) as session:
        use_osrm(session, "http://127.0.0.1:9")  # nothing listens on the discard port
    job = _run(engine, tmp_path)
    assert job.status == "failed" and "OSRM" in job.message
    with Session(engine) as session:
        plans = session.exec(select(Plan)).all()
    assert [(p.id, p.status) for p in plans] == [(published.plan_id, "published")]


def test_a_job_without_the_instance_folder_cannot_find_the_extract(
    engine: Engine, extract: bytes, tmp_path: Path
) -> None:
    _install(engine, tmp_path, extract)
    job = _run(engine, None)
    assert job.status == "failed" and "berkas ekstrak OpenStreetMap" in job.message
