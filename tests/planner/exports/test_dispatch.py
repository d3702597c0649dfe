"""Choosing an export by format and naming its file."""

from typing import Any

import pytest

from planner.exports import (
    EXPORT_FORMATS,
    export_plan,
    plan_csv,
    plan_geojson,
    plan_gpx,
    safe_filename,
)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpx"])
def test_export_plan_dispatches_by_format(plan: dict[str, Any], fmt: str) -> None:
    direct = {"csv": plan_csv, "geojson": plan_geojson, "gpx": plan_gpx}[fmt]
    assert export_plan(plan, fmt) == direct(plan)


def test_unknown_format_is_refused_with_the_known_ones(plan: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="csv, xlsx, gpx, ics, geojson"):
        export_plan(plan, "pdf")
    with pytest.raises(ValueError, match="pdf"):
        safe_filename(plan, "pdf")


def test_safe_filename_names_plan_and_start(plan: dict[str, Any]) -> None:
    assert EXPORT_FORMATS == ("csv", "xlsx", "gpx", "ics", "geojson")
    assert safe_filename(plan, "csv") == "rencana-12-2026-11-30.csv"
    plan["id"] = "../../etc/passwd"
    assert safe_filename(plan, "ics") == "rencana-etc-passwd-2026-11-30.ics"
