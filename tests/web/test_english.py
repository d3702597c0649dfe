"""English mode is English: the main pages show no Indonesian words outside user data."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.factories import TODAY, publish_demo_plan, route_data

# Common words of the Indonesian UI; none is part of the demo's place or vehicle names.
INDONESIAN = (
    "Kunjungan", "kunjungan", "Rencana", "rencana", "Desa", "Titik", "Hari", "hari", "dtk",
    "Simpan", "Kendaraan", "tidak", "Tidak", "belum", "Belum", "sudah", "menit", "Minggu",
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "terlayani", "Permintaan", "Jadwal",
)  # fmt: skip
# Indonesian on purpose: a named prayer time, and the weekday syntax the form reads.
TERMS = ("Jumat prayer", '"senin-kamis, sabtu"')
WORD = re.compile(r"\b(" + "|".join(INDONESIAN) + r")\b")


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})  # fmt: skip


class ShownText(HTMLParser):
    """The page's text and the attribute texts a reader meets; not scripts, nor text the page
    marks as Indonesian on purpose (lang="id", e.g. the official IPLM terms)."""

    SKIPPED = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._open: list[bool] = []  # per open element: is its text skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in VOID:
            return
        self._open.append(tag in self.SKIPPED or values.get("lang") == "id")
        if not any(self._open):
            self.parts += [v for k, v in attrs if k in {"title", "aria-label", "alt"} and v]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not any(self._open):
            self.parts.append(data)


@pytest.fixture(scope="module")
def app_database_template(
    app_database_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("english") / "planned.db"
    shutil.copyfile(app_database_template, path)
    publish_demo_plan(path, TODAY)
    return path


def indonesian_words(html: str, user_texts: list[str]) -> list[str]:
    """Indonesian UI words on the page, once the names users typed are taken out."""
    parser = ShownText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for name in sorted([*user_texts, *TERMS], key=len, reverse=True):
        text = text.replace(name, "")
    return sorted(set(WORD.findall(text)))


def user_texts(app: Flask) -> list[str]:
    """Every name and note a user typed (or a region pack brought), as pages show them."""
    from sqlmodel import select

    from planner.store import Depot, Stop, User, Vehicle, Village
    from web.db import get_session

    with app.app_context():
        session = get_session()
        texts = [s.name for s in session.exec(select(Stop))]
        texts += [s.notes for s in session.exec(select(Stop)) if s.notes]
        for village in session.exec(select(Village)):
            texts += [village.name, village.kecamatan]
        for vehicle in session.exec(select(Vehicle)):
            texts += [vehicle.name, *(b["name"] for b in vehicle.breaks)]
        texts += [d.name for d in session.exec(select(Depot))]
        texts += [u.full_name for u in session.exec(select(User)) if u.full_name]
        return texts


PAGES = (
    "/dasbor/", "/rencana/", "/rencana/{plan}", "/rencana/{plan}/rute/{route}/lembar",
    "/titik/", "/titik/{stop}", "/titik/baru", "/desa/", "/kendaraan/", "/kendaraan/{vehicle}",
    "/permintaan/", "/kegiatan/", "/kegiatan/baru", "/kegiatan/hari-ini", "/laporan/",
    "/pengguna/", "/hari-libur/", "/survei/", "/pengaturan/waktu-tempuh", "/jadwal/",
    "/jadwal/desa/{village}", "{driver}", "/permintaan/{village}", "/jadwal/titik/{stop}",
)  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_english_pages_show_no_indonesian(
    app: Flask, client: FlaskClient, auth: AuthActions, page: str
) -> None:
    from tests.factories import link

    route = route_data(app)
    visit = route["visits"][0]
    url = page.format(
        plan=_plan_id(app),
        route=route["route_id"],
        stop=visit["stop_id"],
        vehicle=route["vehicle_id"],
        village=visit["village_code"],
        driver=link(app, route),
    )
    auth.login("admin")
    client.get("/bahasa/en")
    response = client.get(url)
    assert response.status_code == 200
    assert indonesian_words(response.get_data(as_text=True), user_texts(app)) == []


def _plan_id(app: Flask) -> int:
    from planner.store import published_plan
    from web.db import get_session

    with app.app_context():
        plan = published_plan(get_session())
        assert plan is not None and plan.id is not None
        return plan.id


CROWDED = {
    "code": "crowded_out",
    "reason": "tidak muat: shift kendaraan pada Senin 30/11 (Motor 1) sudah terisi kunjungan "
    "berprioritas lebih tinggi",
    "params": {"full": [{"date": "2026-11-30", "vehicles": ["Motor 1"]}]},
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", CROWDED["reason"]),
        (
            "en",
            "does not fit: the vehicles' shifts on Monday 30/11 (Motor 1) are already full of "
            "visits with a higher priority",
        ),
    ],
)
def test_a_planner_reason_reads_in_the_page_language(app: Flask, lang: str, expected: str) -> None:
    from flask import session

    from web.ui.messages import diagnostic_message, unserved_reason

    with app.test_request_context():
        session["lang"] = lang
        assert unserved_reason(CROWDED) == expected
        # A row stored before reasons carried their values shows as it was stored.
        assert unserved_reason({**CROWDED, "params": None}) == CROWDED["reason"]
        too_many = {"code": "too_many_visits", "message": "x", "params": {"visits": 3, "days": 2}}
        assert (
            diagnostic_message(too_many)
            == {
                "id": "butuh 3 kunjungan tetapi hanya 2 hari yang memungkinkan",
                "en": "needs 3 visits but only 2 days are possible",
            }[lang]
        )
