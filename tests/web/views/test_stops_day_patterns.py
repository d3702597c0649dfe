"""A stop's days that no plan could meet are refused on the form, with the reason, in the page's
language; days that only a longer rotation can meet are saved with a note."""

import re

import pytest
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.web.views.stops_helpers import _form

CLOSED = {f"windows-{day}": "" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
MONDAYS_ONLY = {**CLOSED, "windows-mon": "07:30-12:00"}


def _problem(client: FlaskClient, field: str, **changes: object) -> str:
    response = client.post("/titik/baru", data=_form(**changes))
    assert response.status_code == 400
    shown = re.search(
        rf'<p class="field-error" id="{field}-error">([^<]*)</p>', response.get_data(as_text=True)
    )
    assert shown is not None
    return shown[1]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # Mon+Thu gives two visits a week: three per rotation fit no rotation length.
        ({"visits_override": "3", "day_patterns": "senin+kamis"}, "visits_override",
         "3 kunjungan per rotasi tidak bisa mengikuti pola hari pada rotasi 1-4 minggu mana pun"),
        # Open on Mondays only: at most one visit a week, four in the longest rotation.
        ({**MONDAYS_ONLY, "visits_override": "5", "day_patterns": ""}, "visits_override",
         "titik ini hanya buka pada Senin, yang memberi paling banyak 4 kunjungan"),
        ({**CLOSED, "windows-sun": "08:00-12:00", "day_patterns": ""}, "windows",
         "Titik ini hanya buka pada Minggu, saat perpustakaan keliling tidak bertugas"),
        ({"windows-sun": "08:00-12:00", "day_patterns": "senin+minggu"}, "day_patterns",
         "Pola Senin, Minggu memakai hari Minggu, padahal perpustakaan keliling tidak bertugas"),
    ],
)  # fmt: skip
def test_impossible_days_are_refused_with_the_reason(
    client: FlaskClient, auth: AuthActions, changes: dict[str, object], field: str, message: str
) -> None:
    auth.login("koordinator")
    assert message in _problem(client, field, **changes)
    assert "SDN 1 Balokang" not in client.get("/titik/").get_data(as_text=True)


def test_days_only_a_longer_rotation_meets_are_saved_with_a_note(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    response = client.post(
        "/titik/baru", data=_form(**MONDAYS_ONLY, visits_override="3", day_patterns=""),
        follow_redirects=True,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "disimpan" in page
    assert "3 kunjungan hanya muat dalam rotasi 3 minggu atau lebih" in page


def test_the_reason_reads_in_english_in_english_mode(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("koordinator")
    client.get("/bahasa/en")
    message = _problem(client, "visits_override", visits_override="3", day_patterns="senin+kamis")
    assert message.startswith("3 visits per rotation cannot follow the day patterns")
