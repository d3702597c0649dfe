"""The event list a page of 50 at a time, newest first: the links keep the filters, the totals
and the exports cover every matching event."""

import csv
import datetime as dt
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from planner.store import OutreachEvent, Stop, Village
from tests.conftest import AuthActions

START = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


def _many_events(app: Flask, count: int) -> list[int]:
    """`count` events an hour apart, every third one a 'lomba'; their ids, newest first."""
    with Session(app.extensions["keliling.engine"]) as session:
        stop = session.exec(select(Stop).order_by(col(Stop.id))).first()
        assert stop is not None and stop.id is not None
        events = [
            OutreachEvent(
                stop_id=stop.id,
                starts_at=START + dt.timedelta(hours=n),
                event_type="lomba" if n % 3 == 0 else "dongeng",
                librarians=["Staf"],
                attendance={"anak": {"L": 2, "P": 1}},
                books_lent=1,
                new_members=0,
                satisfaction={},
                notes=f"acara {n}",
            )
            for n in range(count)
        ]
        session.add_all(events)
        session.commit()
        return [e.id for e in reversed(events) if e.id is not None]


def _shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="event-(\d+)"', page)]


def _totals(page: str) -> str:
    return page[page.index('id="events-total"') :].split("</tr>")[0]


def test_the_list_shows_fifty_events_a_page_with_totals_over_all(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    newest_first = _many_events(app, 120)
    auth.login("staf")
    first = client.get("/kegiatan/").get_data(as_text=True)
    assert _shown(first) == newest_first[:50]
    assert "Kegiatan 1–50 dari 120, terbaru dulu" in first
    assert "Halaman 1 dari 3" in first and 'rel="prev"' not in first
    assert "Total (120 kegiatan)" in _totals(first)  # the totals are over every event
    assert re.findall(r'<td class="num"><strong>(\d+)', _totals(first)) == ["360"]
    assert 'rel="next" href="/kegiatan/?halaman=2"' in first
    second = client.get("/kegiatan/?halaman=2").get_data(as_text=True)
    assert _shown(second) == newest_first[50:100]  # the older ones
    assert "Kegiatan 51–100 dari 120, terbaru dulu" in second
    assert 'rel="prev" href="/kegiatan/?halaman=1"' in second
    last = client.get("/kegiatan/?halaman=99").get_data(as_text=True)
    assert _shown(last) == newest_first[100:] and "Halaman 3 dari 3" in last
    assert 'rel="next"' not in last
    for odd in ("0", "-4", "dua"):
        assert _shown(client.get(f"/kegiatan/?halaman={odd}").get_data(as_text=True)) == _shown(
            first
        )


def test_page_links_keep_the_filters_and_exports_take_every_match(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    newest_first = _many_events(app, 200)
    with Session(app.extensions["keliling.engine"]) as session:
        lomba = [
            e.id
            for e in session.exec(select(OutreachEvent).where(OutreachEvent.event_type == "lomba"))
        ]
        code = session.exec(select(Village.code).join(Stop).order_by(col(Stop.id))).first()
    lomba_newest_first = [i for i in newest_first if i in lomba]
    assert len(lomba_newest_first) == 67
    auth.login("staf")
    query = f"dari=2026-10-01&sampai=2026-12-31&desa={code}&jenis=lomba"
    first = client.get(f"/kegiatan/?{query}").get_data(as_text=True)
    assert _shown(first) == lomba_newest_first[:50]
    link = re.search(r'rel="next" href="([^"]+)"', first)
    assert link is not None
    target = link.group(1).replace("&amp;", "&")
    for kept in ("dari=2026-10-01", "sampai=2026-12-31", f"desa={code}", "jenis=lomba"):
        assert kept in target
    second = client.get(target).get_data(as_text=True)
    assert _shown(second) == lomba_newest_first[50:]
    assert "Kegiatan 51–67 dari 67, terbaru dulu" in second
    assert 'name="jenis"' in second and 'value="lomba" selected' in second
    client.get("/bahasa/en")
    english = client.get(target).get_data(as_text=True)
    assert "Events 51–67 of 67, newest first" in english and "Page 2 of 2" in english
    exported = client.get(f"/kegiatan/ekspor.csv?{query}").data.decode("utf-8-sig")
    ids = [int(row["id"]) for row in csv.DictReader(io.StringIO(exported))]
    assert ids == lomba_newest_first  # all 67, not a page
