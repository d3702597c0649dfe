"""Many staff at once on SQLite: every event posted is stored once, none meets a locked
database (writing requests take the write lock up front)."""

import threading

from flask import Flask

from planner.store import create_token
from tests.web.api.helpers import event_body
from web.db import get_session

THREADS = 8
EVENTS_PER_THREAD = 4


def test_events_posted_at_once_are_all_stored_once(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        secret = create_token(session, "staf", "beban").secret
        session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    statuses: list[int] = []
    start = threading.Barrier(THREADS)

    def post_events(index: int) -> None:
        client = app.test_client()
        start.wait()
        for number in range(EVENTS_PER_THREAD):
            body = event_body(books_lent=index * EVENTS_PER_THREAD + number)
            key = {"Idempotency-Key": f"beban-{index}-{number}-0123456789"}
            response = client.post("/api/v1/events", json=body, headers=headers | key)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post_events, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * (THREADS * EVENTS_PER_THREAD)
    listed = app.test_client().get("/api/v1/events?per_page=100", headers=headers).json
    assert listed is not None
    lent = sorted(event["books_lent"] for event in listed["items"])
    assert lent == list(range(THREADS * EVENTS_PER_THREAD))
