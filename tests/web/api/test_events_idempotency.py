"""POST /api/v1/events with an Idempotency-Key: a retry answers the stored event."""

from tests.web.api.helpers import Call, event_body

KEY = "retry-0123456789"


def test_a_retry_with_the_same_key_stores_nothing_new(call: Call) -> None:
    headers = {"Idempotency-Key": KEY}
    first = call("/events", role="staf", method="POST", json=event_body(), headers=headers)
    again = call("/events", role="staf", method="POST", json=event_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert call("/events").json["total"] == 1


def test_a_key_sent_with_another_event_is_a_conflict(call: Call) -> None:
    headers = {"Idempotency-Key": KEY}
    assert call("/events", method="POST", json=event_body(), headers=headers).status_code == 201
    other = call("/events", method="POST", json=event_body(books_lent=99), headers=headers)
    assert other.status_code == 409
    assert "sudah dipakai" in other.json["error"]["message"]
    assert call("/events").json["total"] == 1


def test_a_malformed_key_is_refused(call: Call) -> None:
    response = call("/events", method="POST", json=event_body(), headers={"Idempotency-Key": "a b"})
    assert response.status_code == 400
    assert call("/events").json["total"] == 0
