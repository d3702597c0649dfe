"""Reading user-supplied tables (CSV as spreadsheets export it, or XLSX) and writing CSV."""

import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from planner.core.errors import ImportProblem, ImportRejectedError
from planner.core.i18n import _

DELIMITERS = (",", ";", "\t")
MAX_FILE_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """A header and its data rows, numbered as a spreadsheet shows them (header = row 1)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    source_format: str


def _reject(message: str, row: int | None = None, column: str | None = None) -> ImportRejectedError:
    return ImportRejectedError([ImportProblem(row, column, message)])


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        msg = _("the file is neither CSV text (UTF-8 or Windows-1252) nor XLSX")
        raise _reject(msg) from None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (`,` if none)."""
    return max(DELIMITERS, key=header_line.count) if header_line else ","


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not need
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        lines = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as error:
        msg = _("the XLSX file is damaged or cannot be read ({error})").format(
            error=type(error).__name__
        )
        raise _reject(msg) from None
    return lines


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode(data)
    if "\x00" in text:
        raise _reject(_("the file is neither CSV text nor XLSX (it holds binary characters)"))
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        return [[cell.strip() for cell in line] for line in reader]
    except csv.Error as error:
        msg = _("the CSV cannot be read: {error}").format(error=error)
        raise _reject(msg, row=reader.line_num) from None


def read_table(data: bytes) -> Table:
    """Read a CSV or XLSX file; refuse empty, oversized or unreadable files with a reason."""
    if len(data) > MAX_FILE_BYTES:
        size_mb = len(data) / 1024 / 1024
        limit_mb = MAX_FILE_BYTES // 1024 // 1024
        msg = _("the file is too large ({size:.1f} MB; the limit is {limit} MB)")
        raise _reject(msg.format(size=size_mb, limit=limit_mb))
    if not data.strip():
        raise _reject(_("the file is empty"))
    is_xlsx = data.startswith(XLSX_MAGIC)
    lines = _read_xlsx(data) if is_xlsx else _read_csv(data)
    while lines and not any(lines[0]):
        lines.pop(0)
    if not lines:
        raise _reject(_("the file is empty"))
    header = tuple(lines[0])
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(value for value in values):
            continue
        padded = tuple(values) + ("",) * (len(header) - len(values))
        rows.append((number, padded))
    return Table(header, tuple(rows), "xlsx" if is_xlsx else "csv")


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header names (lowercased) and rows as dicts keyed by them."""
    table = read_table(data)
    header = [name.strip().lower() for name in table.header]
    rows = [(number, dict(zip(header, values, strict=False))) for number, values in table.rows]
    return header, rows


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text with a header row; missing keys become empty cells."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(dict(row))
    return out.getvalue()
