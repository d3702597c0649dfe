"""Reading the data sheet of an XLSX workbook as text rows, streaming (openpyxl read-only)."""

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from planner.core.errors import ImportProblem, ImportRejectedError
from planner.core.i18n import _

Row = tuple[int, tuple[str, ...]]
HeaderScore = Callable[[Sequence[str]], int]
# Rows of each sheet searched for the header (title lines may sit above it).
HEADER_SEARCH_ROWS = 20
# A workbook that unpacks to more than this is refused before reading (zip bombs).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
THOUSANDS_LOOKALIKE = re.compile(r"-?\d{1,3}\.\d{3}")
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)


def damaged(error: BaseException) -> ImportRejectedError:
    """The one message for a workbook that cannot be read, naming the kind of damage."""
    msg = _("the XLSX file is damaged or cannot be read ({error})").format(
        error=type(error).__name__
    )
    return ImportRejectedError([ImportProblem(None, None, msg)])


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: whole floats without '.0', dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = format(Decimal(repr(value)), "f")
        # A stored 1.125 must not read as the Indonesian thousands "1.125".
        return text + "0" if THOUSANDS_LOOKALIKE.fullmatch(text) else text
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _open_book(data: bytes, data_only: bool) -> Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles it does not need
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)


def _check_archive(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        msg = _("the XLSX file unpacks to more than {limit} MB; save it as CSV").format(
            limit=MAX_UNPACKED_BYTES // 1024 // 1024
        )
        raise ImportRejectedError([ImportProblem(None, None, msg)])
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
        msg = _("this is an OpenDocument (ODS) file; save it as XLSX or CSV")
        raise ImportRejectedError([ImportProblem(None, None, msg)])
    return archive


def _has_formulas(archive: zipfile.ZipFile, path: str) -> bool:
    tail = b""
    with archive.open(path.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            if FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


def _texts(values: Sequence[Any]) -> tuple[str, ...]:
    cells = [cell_text(v) for v in values]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _find_header(book: Workbook, score: HeaderScore) -> tuple[int, int]:
    """(sheet index, header row) of the best-scoring header on any sheet; else the first row."""
    best = (0, -1, 0)  # score, sheet, row
    fallback: tuple[int, int] | None = None
    for index, sheet in enumerate(book.worksheets):
        rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        for number, values in enumerate(rows, start=1):
            cells = _texts(values)
            if not any(cells):
                continue
            fallback = fallback or (index, number)
            points = score(cells)
            if points > best[0]:
                best = (points, index, number)
    if best[1] >= 0:
        return best[1], best[2]
    if fallback is None:
        raise ImportRejectedError([ImportProblem(None, None, _("the file has no header row"))])
    return fallback


class XlsxTable:
    """The data sheet of a workbook: its header and, lazily, its rows with Excel row numbers."""

    def __init__(self, data: bytes, score: HeaderScore, problems: list[ImportProblem]) -> None:
        self.data = data
        self.problems = problems
        archive = _check_archive(data)
        self.book = _open_book(data, data_only=True)
        index, self.header_row = _find_header(self.book, score)
        sheet = self.book.worksheets[index]
        self.sheet = sheet.title
        self.sheet_index = index
        formulas = _has_formulas(archive, getattr(sheet, "_worksheet_path", ""))
        self.formula_book = _open_book(data, data_only=False) if formulas else None
        first = next(sheet.iter_rows(min_row=self.header_row, values_only=True), ())
        self.header = _texts(first)

    def rows(self) -> Iterator[Row]:
        """Data rows below the header (blank rows skipped), checking each cell."""
        sheet = self.book.worksheets[self.sheet_index]
        start = self.header_row + 1
        values = sheet.iter_rows(min_row=start, values_only=True)
        formulas: Iterator[Sequence[Any]] | None = None
        if self.formula_book is not None:
            formula_sheet = self.formula_book.worksheets[self.sheet_index]
            formulas = formula_sheet.iter_rows(min_row=start, values_only=True)
        for number, row in enumerate(values, start=start):
            formula_row = next(formulas, ()) if formulas is not None else ()
            cells = _texts(row)
            if any(cells) and self._row_is_sound(number, row, formula_row, cells):
                yield number, cells
        self.close()

    def _row_is_sound(
        self, number: int, row: Sequence[Any], formula_row: Sequence[Any], cells: Sequence[str]
    ) -> bool:
        before = len(self.problems)
        for index, formula in enumerate(formula_row):
            if index < len(row) and row[index] is None and formula is not None:
                msg = _("a formula without a saved value: open the file in Excel and save it again")
                self.problems.append(ImportProblem(number, self._column(index), msg))
        for index in range(len(self.header), len(cells)):
            if cells[index]:
                msg = _("a value in a column without a header: '{value}'").format(
                    value=cells[index][:40]
                )
                self.problems.append(ImportProblem(number, get_column_letter(index + 1), msg))
        return len(self.problems) == before

    def _column(self, index: int) -> str:
        if index < len(self.header) and self.header[index]:
            return self.header[index]
        return get_column_letter(index + 1)

    def close(self) -> None:
        """Release the workbook's archive."""
        self.book.close()
        if self.formula_book is not None:
            self.formula_book.close()
