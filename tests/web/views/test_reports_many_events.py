"""A month with many events: the report lists the first 100 and points to the paged events list;
the downloads keep every event."""

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.web.views.test_events_paging import _many_events


def test_the_report_lists_the_first_hundred_events_and_links_to_all(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    oldest_first = list(reversed(_many_events(app, 150)))  # all in October 2026
    auth.login("koordinator")
    page = client.get("/laporan/?bulan=2026-10").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'<tr data-event-id="(\d+)"', page)]
    assert shown == oldest_first[:100]
    assert "100 kegiatan pertama dari 150" in page
    assert 'href="/kegiatan/?dari=2026-10-01&amp;sampai=2026-10-31"' in page
    assert re.search(r'data-total="events">150<', page)  # the totals count every event
    body = client.get("/laporan/ekspor.csv?bulan=2026-10&bagian=kegiatan").data.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(body)))) == 150
    few = client.get("/laporan/?bulan=2026-11").get_data(as_text=True)
    assert 'id="events-shown"' not in few
