"""What each simulated user of bench/load.py does: koordinator pages, staf events (form and API),
drivers' check-ins with the driver page's own payloads, anonymous timetables and .ics.

Every write the server acknowledged goes into the Ledger, which load.py checks against the
database afterwards (each stored exactly once)."""

import datetime as dt
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from loadkit import Answer, Client, csrf_token, hidden_inputs, select_options

EVENT_ID = re.compile(r"#event-(\d+)$")
EDIT_ID = re.compile(r"/kegiatan/(\d+)$")
VISIT_ID = re.compile(r'name="visit_id" value="(\d+)"')
COUNT_FIELDS = [
    f"{group}_{sex}" for group in ("anak", "remaja", "dewasa", "lansia") for sex in "LP"
]
EVENT_TYPES = ["layanan baca", "dongeng", "bedah buku", "literasi digital", "lomba", "lainnya"]


@dataclass(frozen=True)
class DriverLink:
    route_id: int
    date: dt.date
    url: str
    usable: bool  # a tap now falls on the route's day or the day after


@dataclass
class Site:
    """What the harness found on the running server before the run."""

    base_url: str
    password: str
    zone: ZoneInfo
    run_id: str
    plan_id: int
    village_codes: list[str]
    stop_ids: list[int]
    links: list[DriverLink]


@dataclass
class Ledger:
    """Writes the server said it stored: events by id and marker, check-ins by (visit, status)."""

    events: dict[str, int] = field(default_factory=dict)  # notes marker -> event id
    event_keys: dict[str, str] = field(default_factory=dict)  # marker -> idempotency key
    checkins: set[tuple[int, str]] = field(default_factory=set)
    replay_mismatches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def event(self, marker: str, event_id: int, key: str) -> None:
        with self.lock:
            self.events[marker] = event_id
            self.event_keys[marker] = key

    def checkin(self, visit_id: int, status: str) -> None:
        with self.lock:
            self.checkins.add((visit_id, status))

    def mismatch(self, text: str) -> None:
        with self.lock:
            self.replay_mismatches.append(text)


@dataclass
class User:
    """One simulated person: a client, a random source, the shared site and ledger."""

    name: str
    client: Client
    site: Site
    ledger: Ledger
    rng: random.Random
    think_s: float
    counter: int = 0

    def pause(self) -> None:
        time.sleep(self.think_s * self.rng.uniform(0.5, 1.5))

    def marker(self) -> str:
        self.counter += 1
        return f"bench-{self.site.run_id}-{self.name}-{self.counter}"

    def login(self, username: str) -> str:
        page = self.client.request("login", "GET", "/login")
        token = csrf_token(page.text) if page else ""
        form = {"csrf_token": token, "username": username, "password": self.site.password}
        answer = self.client.request("login", "POST", "/login", (302,), form=form)
        landing = self.client.request("login", "GET", "/kegiatan/", (200, 403))
        return csrf_token(landing.text) if answer and landing else ""


def koordinator(user: User, until: float) -> None:
    """Dashboard, plans, the published plan, demand, stops and reports, at random."""
    user.login("koordinator")
    site = user.site
    while time.monotonic() < until:
        code = user.rng.choice(site.village_codes)
        kind, path = user.rng.choice(
            [
                ("koordinator: dashboard", "/dasbor/"),
                ("koordinator: plans", "/rencana/"),
                ("koordinator: plan page", f"/rencana/{site.plan_id}"),
                ("koordinator: demand", "/permintaan/"),
                ("koordinator: demand village", f"/permintaan/{code}"),
                ("koordinator: stops", "/titik/"),
                ("koordinator: reports", "/laporan/"),
            ]
        )
        user.client.request(kind, "GET", path)
        user.pause()


def staf(user: User, until: float) -> None:
    """Events through the real form (a double tap now and then) and the API (a retry with the
    same Idempotency-Key now and then), the event list, today's visits and demand."""
    csrf = user.login("staf")
    actions: list[tuple[float, Callable[[], None]]] = [
        (0.35, lambda: _event_by_form(user)),
        (0.25, lambda: _event_by_api(user, csrf)),
        (0.15, lambda: _get(user, "staf: events list", "/kegiatan/")),
        (0.10, lambda: _get(user, "staf: today's visits", "/kegiatan/hari-ini")),
        (0.15, lambda: _get(user, "staf: demand", "/permintaan/")),
    ]
    weights = [w for w, _ in actions]
    while time.monotonic() < until:
        user.rng.choices([a for _, a in actions], weights)[0]()
        user.pause()


def _get(user: User, kind: str, path: str) -> None:
    user.client.request(kind, "GET", path)


def _counts(rng: random.Random) -> tuple[dict[str, int], int]:
    counts = {name: rng.randint(0, 12) for name in COUNT_FIELDS}
    return counts, sum(counts.values())


def _event_by_form(user: User) -> None:
    page = user.client.request("staf: event form", "GET", "/kegiatan/baru")
    if page is None or page.status != 200:
        return
    fields = hidden_inputs(page.text, 'id="event-form"')
    counts, people = _counts(user.rng)
    marker = user.marker()
    fields |= {k: str(v) for k, v in counts.items()}
    fields |= {
        "stop": user.rng.choice(select_options(page.text, "stop")),
        "event_type": user.rng.choice(select_options(page.text, "event_type")),
        "books_lent": str(user.rng.randint(0, 40)),
        "new_members": str(user.rng.randint(0, 5)),
        "satisfaction_5": str(min(people, user.rng.randint(0, 10))),
        "notes": marker,
    }
    answer = user.client.request("staf: event form post", "POST", "/kegiatan/baru", (302,), fields)
    found = EVENT_ID.search(answer.location) if answer else None
    if found is None:
        return
    event_id = int(found.group(1))
    user.ledger.event(marker, event_id, fields["key"])
    if user.rng.random() < 0.2:  # Back then Save / a double tap: the same form again
        again = user.client.request(
            "staf: event form resend", "POST", "/kegiatan/baru", (302,), fields
        )
        resent = EDIT_ID.search(again.location) if again else None
        if again is not None and (resent is None or int(resent.group(1)) != event_id):
            user.ledger.mismatch(f"form resend of #{event_id} -> {again.status} {again.location}")


def _event_by_api(user: User, csrf: str) -> None:
    counts, people = _counts(user.rng)
    marker = user.marker()
    attendance: dict[str, dict[str, int]] = {}
    for name, value in counts.items():
        group, sex = name.split("_")
        attendance.setdefault(group, {})[sex] = value
    body = {
        "stop_id": user.rng.choice(user.site.stop_ids),
        "starts_at": dt.datetime.now(user.site.zone).replace(microsecond=0).isoformat(),
        "event_type": user.rng.choice(EVENT_TYPES),
        "librarians": ["Staf Bench"],
        "attendance": attendance,
        "books_lent": user.rng.randint(0, 40),
        "satisfaction": {"4": min(people, user.rng.randint(0, 10))},
        "notes": marker,
    }
    key = secrets.token_urlsafe(18)
    headers = {"X-CSRFToken": csrf, "Idempotency-Key": key, "Accept": "application/json"}
    answer = user.client.request(
        "staf: api event", "POST", "/api/v1/events", (201,), body=body, headers=headers
    )
    if answer is None or answer.status != 201:
        return
    event_id = int(answer.json()["id"])
    user.ledger.event(marker, event_id, key)
    if user.rng.random() < 0.2:  # the answer was lost on the way: the client sends it again
        again = user.client.request(
            "staf: api event retry", "POST", "/api/v1/events", (200,), body=body, headers=headers
        )
        if again is not None and (again.json() or {}).get("id") != event_id:
            user.ledger.mismatch(f"api retry of #{event_id} -> {again.status}")


def driver(user: User, until: float) -> None:
    """Open a route link, tap tiba/selesai/dilewati as driver.js does; taps made 'offline'
    wait in a queue and are sent later with their tap time, sent ones are sometimes replayed."""
    queue: list[dict[str, object]] = []
    while time.monotonic() < until:
        usable = [link for link in user.site.links if link.usable]
        link = user.rng.choice(usable if usable and user.rng.random() < 0.8 else user.site.links)
        page = user.client.request("driver: route page", "GET", link.url)
        visits = (
            [int(v) for v in VISIT_ID.findall(page.text)] if page and page.status == 200 else []
        )
        roll = user.rng.random()
        if roll < 0.1:
            user.client.request("driver: gpx", "GET", link.url + "/rute.gpx")
        if visits and link.usable:
            item = _tap(user, link, user.rng.choice(visits))
            if roll < 0.25:
                queue.append(item)  # no signal: it waits on the phone
            else:
                _send_tap(user, "driver: check-in", item)
                if roll > 0.85:
                    queue.append(item)  # the answer got lost: the phone sends it again
        if queue and user.rng.random() < 0.5:
            for waiting in queue:
                _send_tap(user, "driver: queued tap sent", waiting)
            queue.clear()
        user.pause()
    for waiting in queue:
        _send_tap(user, "driver: queued tap sent", waiting)


def _tap(user: User, link: DriverLink, visit_id: int) -> dict[str, object]:
    status = user.rng.choice(["tiba", "selesai", "dilewati"])
    now = dt.datetime.now(dt.UTC)
    return {
        "url": link.url + "/checkin",
        "visit_id": str(visit_id),
        "status": status,
        "note": "jalan ditutup (bench)" if status == "dilewati" else "",
        "tapped_at": now.isoformat().replace("+00:00", "Z"),
        "client_id": secrets.token_hex(16),
        "lang": "id",
    }


def _send_tap(user: User, kind: str, item: dict[str, object]) -> None:
    body = {k: v for k, v in item.items() if k != "url"}
    headers = {"Accept": "application/json"}
    answer: Answer | None = user.client.request(
        kind, "POST", str(item["url"]), (200, 201), body=body, headers=headers
    )
    if answer is not None and answer.status in (200, 201):
        user.ledger.checkin(int(str(item["visit_id"])), str(item["status"]))


def anonymous(user: User, until: float) -> None:
    """The public timetable, a village's and a stop's page, and a stop's .ics feed."""
    site = user.site
    while time.monotonic() < until:
        stop = user.rng.choice(site.stop_ids)
        kind, path = user.rng.choice(
            [
                ("anonymous: timetable", "/jadwal/"),
                (
                    "anonymous: village timetable",
                    f"/jadwal/desa/{user.rng.choice(site.village_codes)}",
                ),
                ("anonymous: stop page", f"/jadwal/titik/{stop}"),
                ("anonymous: .ics", f"/jadwal/titik/{stop}.ics"),
            ]
        )
        user.client.request(kind, "GET", path)
        user.pause()
