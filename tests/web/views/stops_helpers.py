"""Reading stops and filling the stop form, shared by the stop page tests."""

from flask import Flask
from sqlmodel import Session, select

from geodata import load_region
from planner.store import Stop

BALOKANG = "32.79.01.2003"
XSS = "<script>alert(1)</script>"


def _db(app: Flask) -> Session:
    return Session(app.extensions["keliling.engine"], expire_on_commit=False)


def _stop(app: Flask, name: str) -> Stop:
    with _db(app) as session:
        stop = session.exec(select(Stop).where(Stop.name == name)).one()
        return stop


def _balokang_stop(app: Flask) -> Stop:
    return _stop(app, "Titik layanan Balokang")


def _inside(code: str = BALOKANG) -> tuple[float, float]:
    village = next(v for v in load_region("kota_banjar").villages if v.code == code)
    return village.inside_lat, village.inside_lon


def _form(**changes: object) -> dict[str, object]:
    """A valid new-stop form in Balokang; None drops a field (an unchecked box)."""
    lat, lon = _inside()
    form: dict[str, object] = {
        "name": "SDN 1 Balokang", "village": BALOKANG, "kind": "sekolah",
        "lat": f"{lat + 0.0005:.6f}", "lon": f"{lon:.6f}", "approximate": None,
        "service_minutes": "60", "windows-mon": "07:30-12:00", "windows-tue": "",
        "windows-wed": "07:30-12:00", "windows-thu": "07:30-12:00, 13:00-15:00",
        "windows-fri": "07:30-11:00", "windows-sat": "", "windows-sun": "",
        "vehicle_kinds": ["van", "motor"], "visits_override": "2",
        "day_patterns": "senin+kamis", "crates": "1", "notes": "Di halaman sekolah",
        "active": "y",
    }  # fmt: skip
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def _edit_form(stop: Stop, **changes: object) -> dict[str, object]:
    """The form exactly as the edit page shows it for `stop`, with some changes."""
    form = {
        "name": stop.name, "village": "32.79.01.2003", "kind": stop.kind,
        "lat": repr(stop.lat), "lon": repr(stop.lon),
        "approximate": "y" if stop.approximate else None, "active": "y" if stop.active else None,
        "service_minutes": str(stop.service_minutes), "vehicle_kinds": stop.vehicle_kinds,
        "visits_override": "", "day_patterns": "", "crates": str(stop.crates),
        "notes": stop.notes,
    }  # fmt: skip
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        form[f"windows-{day}"] = ", ".join(f"{a}-{b}" for a, b in stop.time_windows.get(day, []))
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}
