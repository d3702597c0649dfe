"""Totals and spreadsheet exports (CSV, XLSX) of a list of outreach events; text stays text."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from openpyxl import Workbook
from sqlmodel import Session

from planner.core import _, day_name, format_hhmm, write_csv
from planner.exports import FORMULA_PREFIXES, clean, write_sheet
from planner.outreach.form import AGE_GROUPS, SCORES, SEXES, attendance_cell, attendance_key
from planner.outreach.query import EventFilter, EventRow, event_counts

SEX_COLUMNS = {"L": "laki_laki", "P": "perempuan"}
EXPORT_COLUMNS = (
    "id", "tanggal", "hari", "mulai", "selesai", "kode_desa", "desa", "titik_layanan",
    "jenis_kegiatan", "pustakawan",
    *(attendance_key(g, s) for g in AGE_GROUPS for s in SEXES),
    *AGE_GROUPS, *SEX_COLUMNS.values(), "total_hadir",
    "buku_dipinjam", "anggota_baru", *(f"kepuasan_{score}" for score in SCORES), "catatan",
    "id_kunjungan",
)  # fmt: skip
# Spreadsheets also start a formula from a cell that begins with a tab or carriage return.
CSV_FORMULA_PREFIXES = (*FORMULA_PREFIXES, "\t", "\r")


@dataclass(frozen=True)
class EventTotals:
    """Sums over a list of events."""

    events: int
    attendance: dict[str, dict[str, int]]
    books_lent: int
    new_members: int
    satisfaction: dict[str, int]

    @property
    def by_group(self) -> dict[str, int]:
        """People per age group, both sexes."""
        return {group: sum(cells.values()) for group, cells in self.attendance.items()}

    @property
    def by_sex(self) -> dict[str, int]:
        """People per sex, every age group."""
        return {sex: sum(cells[sex] for cells in self.attendance.values()) for sex in SEXES}

    @property
    def total(self) -> int:
        """Everyone who attended."""
        return sum(self.by_group.values())

    @property
    def satisfaction_mean(self) -> float | None:
        """The mean satisfaction score (1-5), None without answers."""
        answers = sum(self.satisfaction.values())
        if not answers:
            return None
        return sum(int(score) * n for score, n in self.satisfaction.items()) / answers


class EventCounts(Protocol):
    """What the totals read of an event (an OutreachEvent or a row of `event_counts`)."""

    attendance: Any
    satisfaction: Any
    books_lent: int
    new_members: int


def event_totals(rows: Sequence[EventRow]) -> EventTotals:
    """Attendance by group and sex, books lent, new members and satisfaction answers, summed."""
    return sum_events([row.event for row in rows])


def filtered_totals(session: Session, filters: EventFilter) -> EventTotals:
    """The totals over every event matching `filters` (none of them loaded as a whole)."""
    return sum_events(event_counts(session, filters))


def sum_events(events: Sequence[EventCounts]) -> EventTotals:
    """The totals of `events`."""
    attendance = {
        g: {s: sum(attendance_cell(e.attendance, g, s) for e in events) for s in SEXES}
        for g in AGE_GROUPS
    }
    satisfaction = {k: sum(int(e.satisfaction.get(k) or 0) for e in events) for k in SCORES}
    return EventTotals(
        len(events),
        attendance,
        sum(e.books_lent for e in events),
        sum(e.new_members for e in events),
        satisfaction,
    )


def export_rows(rows: Sequence[EventRow]) -> list[dict[str, Any]]:
    """One dict per event keyed by EXPORT_COLUMNS (numbers as numbers, user text cleaned)."""
    out = []
    for row in rows:
        event = row.event
        totals = event_totals([row])
        line: dict[str, Any] = {
            "id": event.id,
            "tanggal": row.starts_at.date(),
            "hari": day_name(row.starts_at.date()),
            "mulai": format_hhmm(row.starts_at),
            "selesai": format_hhmm(row.ends_at) if row.ends_at else "",
            "kode_desa": row.village_code,
            "desa": clean(row.village_name),
            "titik_layanan": clean(row.stop_name),
            "jenis_kegiatan": event.event_type,
            "pustakawan": ", ".join(clean(name) for name in event.librarians),
        }
        for group in AGE_GROUPS:
            for sex in SEXES:
                line[attendance_key(group, sex)] = totals.attendance[group][sex]
        line.update(totals.by_group)
        line.update({SEX_COLUMNS[sex]: n for sex, n in totals.by_sex.items()})
        line["total_hadir"] = totals.total
        line["buku_dipinjam"] = event.books_lent
        line["anggota_baru"] = event.new_members
        line.update({f"kepuasan_{k}": n for k, n in totals.satisfaction.items()})
        line["catatan"] = clean(event.notes)
        line["id_kunjungan"] = event.visit_id if event.visit_id is not None else ""
        out.append(line)
    return out


def formula_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is kept."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


def events_csv(rows: Sequence[EventRow]) -> bytes:
    """The events as UTF-8 CSV (with BOM, so Excel reads the names right), one row each."""
    lines = [{k: formula_safe(v) for k, v in line.items()} for line in export_rows(rows)]
    return ("\ufeff" + write_csv(lines, EXPORT_COLUMNS)).encode("utf-8")


def _summary(totals: EventTotals) -> list[tuple[str, Any]]:
    mean = totals.satisfaction_mean
    return [
        (_("Number of events"), totals.events),
        (_("Total present"), totals.total),
        *((_("Present {group}").format(group=group), n) for group, n in totals.by_group.items()),
        (_("Present, male"), totals.by_sex["L"]),
        (_("Present, female"), totals.by_sex["P"]),
        (_("Books lent"), totals.books_lent),
        (_("New members"), totals.new_members),
        (_("Mean satisfaction (1-5)"), round(mean, 2) if mean is not None else ""),
    ]


def events_xlsx(rows: Sequence[EventRow]) -> bytes:
    """The events as a workbook: sheet "Kegiatan" (one row each) and "Ringkasan" (totals)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Kegiatan"
    lines = [[line[c] for c in EXPORT_COLUMNS] for line in export_rows(rows)]
    write_sheet(sheet, EXPORT_COLUMNS, lines)
    summary = _summary(event_totals(rows))
    write_sheet(book.create_sheet("Ringkasan"), ("Keterangan", "Nilai"), summary)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
