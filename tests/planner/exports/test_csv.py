"""The CSV export: rows in route order, WIB times, unserved visits last."""

from typing import Any

from planner.exports import plan_csv
from tests.planner.exports.helpers import (
    BALOKANG,
    FORMULA_NAME,
    SCRIPT_NAME,
    TRICKY_NOTE,
    _csv_rows,
)


def test_csv_lists_visits_in_route_order_with_weekday_and_wib_times(plan: dict[str, Any]) -> None:
    rows = _csv_rows(plan_csv(plan))[:3]
    assert [(r["date"], r["hari"], r["order"], r["stop_name"]) for r in rows] == [
        ("2026-11-30", "Senin", "1", BALOKANG),
        ("2026-11-30", "Senin", "2", SCRIPT_NAME),
        ("2026-12-01", "Selasa", "1", FORMULA_NAME),
    ]
    assert (rows[0]["arrival"], rows[0]["start"], rows[0]["departure"]) == (
        "08:05",
        "08:05",
        "08:50",
    )
    assert rows[0]["topics"] == "agama, kesehatan"
    assert {r["status"] for r in rows} == {"terjadwal"}


def test_csv_ends_with_the_unserved_visit_and_its_reason(plan: dict[str, Any]) -> None:
    last = _csv_rows(plan_csv(plan))[-1]
    assert last["stop_name"] == "SDN 2 Langensari"
    assert last["status"] == "tidak terlayani"
    assert last["reason"] == "di luar jam layanan semua kendaraan"
    assert last["arrival"] == last["order"] == ""


def test_csv_keeps_commas_quotes_newlines_and_emoji_in_one_cell(plan: dict[str, Any]) -> None:
    rows = _csv_rows(plan_csv(plan))
    assert len(rows) == 4
    assert rows[1]["notes"] == TRICKY_NOTE


def test_times_given_in_utc_are_shown_in_wib(plan: dict[str, Any]) -> None:
    plan["routes"][0]["visits"][0]["arrival"] = "2026-11-30T01:05:00Z"
    assert _csv_rows(plan_csv(plan))[0]["arrival"] == "08:05"


# XLSX
