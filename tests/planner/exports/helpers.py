"""A hand-built two-day plan with awkward stop names, and readers for the exported files."""

import csv
import datetime as dt
import io
from typing import Any

from icalendar import Calendar

BALOKANG = "Titik layanan Balokang"
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("x")'
TRICKY_NOTE = 'Bawa 2 peti, "buku anak"\nparkir di halaman 📚'
DEPOT = {"name": "Perpustakaan Umum Daerah Kota Banjar", "lat": -7.3700, "lon": 108.5400}
WIB = dt.timezone(dt.timedelta(hours=7))


def _visit(
    stop_id: int, name: str, village: str, lat: float, lon: float, times: str
) -> dict[str, Any]:
    day, arrival, departure = times.split()
    return {
        "stop_id": stop_id,
        "stop_name": name,
        "village_code": f"32.79.01.200{stop_id}",
        "village": village,
        "lat": lat,
        "lon": lon,
        "arrival": f"{day}T{arrival}:00+07:00",
        "start": f"{day}T{arrival}:00+07:00",
        "departure": f"{day}T{departure}:00+07:00",
        "distance_m": 1000 * stop_id,
        "topics": ["agama", "kesehatan"],
        "notes": "",
    }


def _route(day: str, vehicle: str, visits: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "vehicle": vehicle,
        "vehicle_kind": "van",
        "date": day,
        "start": f"{day}T07:30:00+07:00",
        "end": f"{day}T15:10:00+07:00",
        "depot": DEPOT,
        "distance_m": 15230,
        "breaks": [],
        "visits": visits,
    }


def make_plan() -> dict[str, Any]:
    """Monday: Balokang then the <script> stop; Tuesday: the formula-named stop; one unserved."""
    monday = [
        _visit(3, BALOKANG, "Balokang", -7.3601, 108.5302, "2026-11-30 08:05 08:50"),
        _visit(4, SCRIPT_NAME, "Hegarsari", -7.3502, 108.5503, "2026-11-30 09:10 09:55"),
    ]
    monday[1]["notes"] = TRICKY_NOTE
    tuesday = [_visit(5, FORMULA_NAME, "Karyamukti", -7.3803, 108.5104, "2026-12-01 13:00 13:45")]
    return {
        "id": 12,
        "start": "2026-11-30",
        "weeks": 1,
        "provider": "estimate",
        "provider_label": "Perkiraan garis lurus × 1,3",
        "region": "Kota Banjar",
        "timezone": "Asia/Jakarta",
        "status": "draft",
        "future_key": {"ignored": True},
        "metrics": {"total_distance_km": 41.2, "visits_planned": 3, "visits_required": 4},
        "routes": [
            _route("2026-11-30", "Mobil Pusling 1", monday),
            _route("2026-12-01", "Motor Pusling 2", tuesday),
        ],
        "unserved": [
            {
                "stop_id": 9,
                "stop_name": "SDN 2 Langensari",
                "village_code": "32.79.04.1002",
                "lat": -7.3904,
                "lon": 108.6005,
                "reason": "di luar jam layanan semua kendaraan",
            }
        ],
    }


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))
