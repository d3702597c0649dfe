"""Bahasa Indonesia first with English available; errors answer in HTML or JSON."""

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from planner.store import make_engine, migrate
from web.settings import load_secret_key

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "web" / "translations" / "id" / "LC_MESSAGES"


def test_login_page_speaks_indonesian_by_default(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Masuk" in page and "Kata sandi" in page


def test_english_can_be_chosen_and_is_remembered(client: FlaskClient) -> None:
    client.get("/bahasa/en")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Password" in page
    client.get("/bahasa/id")
    assert "Kata sandi" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.get("/bahasa/xx")
    assert "Kata sandi" in client.get("/login").get_data(as_text=True)


def test_every_ui_text_has_an_indonesian_translation() -> None:
    method_map = [("web/**.py", "python"), ("web/templates/**.html", "jinja2")]
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    extracted = {
        message if isinstance(message, str) else message[0]
        for _f, _l, message, _c, _ctx in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=keywords
        )
    }
    with (CATALOG / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    assert sorted(extracted - translated) == []


def test_compiled_catalog_matches_the_po_file() -> None:
    with (CATALOG / "messages.po").open("rb") as po_file:
        source = {m.id: m.string for m in read_po(po_file) if m.id}
    with (CATALOG / "messages.mo").open("rb") as mo_file:
        compiled = {m.id: m.string for m in read_mo(mo_file) if m.id}
    assert compiled == source, "run `make babel` to recompile the catalog"


def test_missing_page_is_explained_in_indonesian(client: FlaskClient) -> None:
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman yang Anda cari tidak ada." in response.get_data(as_text=True)


def test_api_clients_get_json_errors(client: FlaskClient) -> None:
    response = client.get("/tidak-ada", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {
        "error": {"status": 404, "message": "Halaman yang Anda cari tidak ada."}
    }


def test_forbidden_page_in_json_for_api_clients(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    auth.login("sopir")
    response = client.get("/desa/", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.json["error"]["message"] == "Anda tidak memiliki akses ke halaman ini."


@pytest.mark.parametrize("placeholder", ["changeme", "dev", "short-key"])
def test_placeholder_secret_key_is_refused(placeholder: str, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_secret_key(placeholder, str(tmp_path))


def test_generated_secret_key_is_kept_between_starts(tmp_path: Path) -> None:
    first = load_secret_key(None, str(tmp_path))
    assert len(first) >= 32
    assert load_secret_key(None, str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_app_refuses_to_start_with_a_placeholder_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from web import create_app

    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(RuntimeError):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_app_config_layers_environment_over_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from web import create_app

    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app: Flask = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'env.db'}"
    # The default kept under the environment layer; pages use the region's zone (below).
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "UTC"
    app.extensions["keliling.engine"].dispose()


def test_times_and_the_footer_follow_the_regions_zone(app: Flask, client: FlaskClient) -> None:
    from flask_babel import format_time

    from planner.store import Region
    from web.db import get_session

    assert "Waktu dalam WIB (Asia/Jakarta)" in client.get("/login").get_data(as_text=True)
    client.get("/bahasa/en")
    assert "Times in WIB (Asia/Jakarta)" in client.get("/login").get_data(as_text=True)
    noon_utc = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC)
    with app.test_request_context():
        assert format_time(noon_utc, "HH:mm") == "11:00"
        session = get_session()
        region = session.exec(select(Region)).one()
        region.timezone = "Asia/Makassar"
        session.commit()
    with app.test_request_context():
        assert format_time(noon_utc, "HH:mm") == "12:00"
    assert "Times in WITA (Asia/Makassar)" in client.get("/login").get_data(as_text=True)


def test_before_a_region_is_installed_times_are_in_the_configured_zone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from web import create_app

    monkeypatch.setenv("KELILING_INSTANCE_PATH", str(tmp_path))
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(engine)
    engine.dispose()
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "SECRET_KEY": "x" * 32})
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "Waktu dalam UTC+00:00 (UTC)" in page
    app.extensions["keliling.engine"].dispose()
