"""An id in a URL beyond what the database can hold is an unknown page, on every database."""

import pytest
from flask.testing import FlaskClient

from tests.conftest import AuthActions

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [f"/rencana/{HUGE}", f"/rencana/tugas/{HUGE}.json", f"/titik/{HUGE}", f"/pengguna/{HUGE}"],
)
def test_a_huge_id_is_not_found(client: FlaskClient, auth: AuthActions, url: str) -> None:
    auth.login("admin")
    assert client.get(url).status_code == 404
