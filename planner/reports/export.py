"""The monthly report as CSV tables (one per section) or one XLSX workbook (a sheet each)."""

import io
from collections.abc import Callable
from typing import Any

from planner.core import N_, _, format_hhmm, write_csv
from planner.exports import clean, write_sheet
from planner.reports.model import (
    AGE_GROUPS,
    IPLM_COUNTS,
    SCORES,
    SEXES,
    Activity,
    MonthlyReport,
    VisitCounts,
)
from planner.store import EVENT_TYPES

TOTAL_LABEL = N_("City total")
UNNAMED_LIBRARIAN = N_("(no name)")
IPLM_NOTE = N_(
    "Only the counts this app can give (mobile library service); the official IPLM form of"
    " the National Library has many more indicators."
)
PLANNED_RULE = N_(
    "Per day: the visits of the plan published last before the day ended (the plan published"
    " now or an archived one); drafts do not count."
)
SUMMARY_TITLE, ITEM, VALUE = N_("Summary"), N_("Item"), N_("Value")
ACTIVITY_COLUMNS = (
    "kegiatan",
    *(f"{group}_{sex}" for group in AGE_GROUPS for sex in SEXES),
    "peserta",
    "buku_dipinjam",
    "anggota_baru",
    *(f"kepuasan_{score}" for score in SCORES),
    "kepuasan_rata2",
)
VILLAGE_COLUMNS = (
    "kode_desa",
    "desa",
    "kecamatan",
    "kunjungan_rencana",
    "kunjungan_selesai",
    "kunjungan_dilewati",
    *ACTIVITY_COLUMNS,
)
LIBRARIAN_COLUMNS = ("pustakawan", "kegiatan", "peserta", "buku_dipinjam", "anggota_baru")
IPLM_COLUMNS = ("indikator", "nilai", "keterangan")
EVENT_COLUMNS = (
    "tanggal",
    "jam",
    "kode_desa",
    "desa",
    "titik_layanan",
    "jenis",
    "pustakawan",
    "peserta",
    "buku_dipinjam",
    "anggota_baru",
    "kepuasan_rata2",
    "catatan",
)


def _mean(activity: Activity) -> float | str:
    mean = activity.satisfaction_mean
    return round(mean, 2) if mean is not None else ""


def _activity(activity: Activity) -> dict[str, Any]:
    row: dict[str, Any] = {"kegiatan": activity.events}
    for group in AGE_GROUPS:
        row |= {f"{group}_{sex}": activity.people(group, sex) for sex in SEXES}
    row |= {
        "peserta": activity.participants,
        "buku_dipinjam": activity.books_lent,
        "anggota_baru": activity.new_members,
        "kepuasan_rata2": _mean(activity),
    }
    return row | {f"kepuasan_{s}": n for s, n in zip(SCORES, activity.satisfaction, strict=True)}


def _visits(visits: VisitCounts) -> dict[str, int]:
    return {
        "kunjungan_rencana": visits.planned,
        "kunjungan_selesai": visits.done,
        "kunjungan_dilewati": visits.skipped,
    }


def village_rows(report: MonthlyReport) -> list[dict[str, Any]]:
    """One row per village, then the city total."""
    rows = []
    for v in report.villages:
        base = {"kode_desa": v.code, "desa": clean(v.name), "kecamatan": clean(v.kecamatan)}
        rows.append(base | _visits(v.visits) | _activity(v.activity))
    total = {"kode_desa": "", "desa": _(TOTAL_LABEL), "kecamatan": ""}
    return [*rows, total | _visits(report.visits) | _activity(report.activity)]


def librarian_rows(report: MonthlyReport) -> list[dict[str, Any]]:
    """One row per librarian (an event with two librarians counts for both)."""
    return [
        {
            "pustakawan": clean(row.name) or _(UNNAMED_LIBRARIAN),
            "kegiatan": row.activity.events,
            "peserta": row.activity.participants,
            "buku_dipinjam": row.activity.books_lent,
            "anggota_baru": row.activity.new_members,
        }
        for row in report.librarians
    ]


def iplm_rows(report: MonthlyReport) -> list[dict[str, Any]]:
    """The counts that feed the IPLM, with the survey's wording."""
    values = report.iplm()
    rows = [{"indikator": label, "nilai": values[key]} for key, label in IPLM_COUNTS]
    rows[0]["keterangan"] = _(IPLM_NOTE)
    return rows


def event_rows(report: MonthlyReport) -> list[dict[str, Any]]:
    """The month's events, oldest first (notes as typed)."""
    return [
        {
            "tanggal": e.starts_at.date().isoformat(),
            "jam": format_hhmm(e.starts_at),
            "kode_desa": e.village_code,
            "desa": clean(e.village),
            "titik_layanan": clean(e.stop),
            "jenis": clean(e.event_type),
            "pustakawan": ", ".join(clean(name) for name in e.librarians),
            "peserta": e.activity.participants,
            "buku_dipinjam": e.activity.books_lent,
            "anggota_baru": e.activity.new_members,
            "kepuasan_rata2": _mean(e.activity),
            "catatan": clean(e.notes),
        }
        for e in report.events
    ]


Rows = Callable[[MonthlyReport], list[dict[str, Any]]]
# Section key -> (sheet title, marked for translation, columns, rows); the keys name the CSV
# exports.
SECTIONS: dict[str, tuple[str, tuple[str, ...], Rows]] = {
    "desa": (N_("Per village"), VILLAGE_COLUMNS, village_rows),
    "pustakawan": (N_("Per librarian"), LIBRARIAN_COLUMNS, librarian_rows),
    "iplm": (N_("IPLM indicators"), IPLM_COLUMNS, iplm_rows),
    "kegiatan": (N_("Events"), EVENT_COLUMNS, event_rows),
}


def report_csv(report: MonthlyReport, section: str = "desa") -> bytes:
    """One section of the report as CSV (UTF-8); KeyError for an unknown section."""
    _title, columns, rows = SECTIONS[section]
    return write_csv(rows(report), columns).encode("utf-8")


def summary_rows(report: MonthlyReport) -> list[tuple[str, Any]]:
    """The month's totals as (label, value) pairs."""
    visits, activity = report.visits, report.activity
    rows: list[tuple[str, Any]] = [
        (_("Month"), report.month.key),
        (_("Plans counted"), ", ".join(f"#{plan_id}" for plan_id in report.plan_ids)),
        (_("Visits planned"), visits.planned),
        (_("Visits done"), visits.done),
        (_("Visits skipped"), visits.skipped),
        (_("Events"), activity.events),
        (_("Participants"), activity.participants),
        (_("Books lent"), activity.books_lent),
        (_("New members"), activity.new_members),
        (_("Satisfaction answers"), activity.answers),
        (_("Average satisfaction (1-5)"), _mean(activity)),
    ]
    rows += [
        (_("Events: {kind}").format(kind=kind), n) for kind, n in report.events_by_type(EVENT_TYPES)
    ]
    return rows + [(_("Rule for planned visits"), _(PLANNED_RULE))]


def report_xlsx(report: MonthlyReport) -> bytes:
    """The report as a workbook: "Ringkasan", then one sheet per section in SECTIONS order."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (with numpy) only when a workbook is made

    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = _(SUMMARY_TITLE)
    write_sheet(summary, (_(ITEM), _(VALUE)), summary_rows(report))
    for title, columns, rows in SECTIONS.values():
        values = [[row.get(column, "") for column in columns] for row in rows(report)]
        write_sheet(book.create_sheet(_(title)), columns, values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
