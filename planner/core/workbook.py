"""Reading the data sheet of an XLSX workbook as text rows, streaming with expat.

Each cell becomes the text a person sees (whole numbers without `.0`, dates as ISO dates);
a formula whose value was never saved (files written by scripts, not by Excel) is reported,
never read as blank. Rows keep their Excel numbers.
"""

import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Callable, Generator, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache

from planner.core.errors import ImportProblem, ImportRejectedError
from planner.core.i18n import N_, _
from planner.core.problem_log import ProblemLog
from planner.core.xlsx_parts import (
    CHUNK_BYTES,
    Attributes,
    date_styles,
    local,
    new_parser,
    open_archive,
    shared_strings,
    sheets,
)

Row = tuple[int, tuple[str, ...]]
HeaderScore = Callable[[Sequence[str]], int]
# Rows of each sheet searched for the header (title lines may sit above it).
HEADER_SEARCH_ROWS = 20
THOUSANDS_LOOKALIKE = re.compile(r"-?\d{1,3}\.\d{3}")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
# A sheet row: its number, its cells' text and the columns holding a formula without a value.
# A sheet row: its number, its cells' text, the columns holding a formula without a value, and
# the furthest column used when it lies beyond MAX_COLUMNS (else -1).
SheetRow = tuple[int, tuple[str, ...], tuple[int, ...], int]
# No export has this many columns; cells beyond are reported, not expanded into every row.
MAX_COLUMNS = 2000


DAMAGE = {
    "BadZipFile": N_("the archive is incomplete or not a ZIP file"),
    "EOFError": N_("the archive is incomplete or not a ZIP file"),
    "error": N_("its compressed data is damaged"),  # zlib.error
    "ExpatError": N_("the XML of a sheet is malformed"),
    "ForbiddenXmlError": N_("the XML of a sheet is malformed"),
    "KeyError": N_("a part of the workbook is missing"),
}


def damaged(error: BaseException) -> ImportRejectedError:
    """The one message for a workbook that cannot be read, naming the kind of damage."""
    kind = type(error).__name__
    detail = _(DAMAGE[kind]) if kind in DAMAGE else kind
    msg = _("the XLSX file is damaged or cannot be read ({error})").format(error=detail)
    return ImportRejectedError([ImportProblem(None, None, msg)])


def number_text(text: str, is_date: bool) -> str:
    """A stored number as a person sees it."""
    value = float(text)
    if is_date and 0 <= value < 2958466:
        moment = EXCEL_EPOCH + dt.timedelta(seconds=round(value * 86400))
        return moment.date().isoformat() if value.is_integer() else moment.isoformat()
    if value.is_integer():
        return str(int(value))
    plain = format(Decimal(text), "f")
    # A stored 1.125 must not read as the Indonesian thousands "1.125".
    return plain + "0" if THOUSANDS_LOOKALIKE.fullmatch(plain) else plain


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    """0-based index of a column's letters (ValueError for anything else)."""
    from openpyxl.utils import column_index_from_string  # noqa: PLC0415 - see _letter

    return column_index_from_string(letters.upper()) - 1


def _letter(number: int) -> str:
    """A 1-based column number as letters. openpyxl (which loads numpy, 30 MB) is imported
    when a workbook needs it, not by every import of a CSV file."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    return get_column_letter(number)


class _SheetParser:
    """Collects the rows of a worksheet's XML as expat reads it."""

    def __init__(self, strings: Sequence[str], dates: frozenset[int]) -> None:
        self.strings, self.dates = strings, dates
        self.done: list[SheetRow] = []
        self.row_number = 0
        self.cells: dict[int, str] = {}
        self.missing: list[int] = []
        self.column = -1
        self.kind, self.style = "n", 0
        self.has_formula = self.collect = False
        self.text: list[str] = []
        self.parser = new_parser(self.start, self.end, self.chars)

    def start(self, name: str, attrs: Attributes) -> None:
        tag = name if ":" not in name else local(name)
        if tag == "c":
            letters = attrs.get("r", "").rstrip("0123456789")
            self.column = _column_index(letters) if letters else self.column + 1
            self.kind, self.style = attrs.get("t", "n"), int(attrs.get("s", "0"))
            self.has_formula = False
            self.text.clear()
        elif tag in ("v", "t"):
            self.collect = True
        elif tag == "f":
            self.has_formula = True
        elif tag == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number else self.row_number + 1
            self.cells, self.missing, self.column = {}, [], -1

    def chars(self, data: str) -> None:
        if self.collect:
            self.text.append(data)

    def end(self, name: str) -> None:
        tag = name if ":" not in name else local(name)
        if tag in ("v", "t"):
            self.collect = False
        elif tag == "c":
            text = "".join(self.text)
            # A formula with an empty value is one no spreadsheet calculated ("" results are
            # typed t="str").
            if self.has_formula and not text and self.kind != "str":
                self.missing.append(self.column)
            elif value := self._value(text):
                self.cells[self.column] = value
        elif tag == "row":
            width = max(self.cells, default=-1) + 1
            cells = tuple(self.cells.get(index, "") for index in range(min(width, MAX_COLUMNS)))
            far = width - 1 if width > MAX_COLUMNS else -1
            self.done.append((self.row_number, cells, tuple(self.missing), far))

    def _value(self, text: str) -> str:
        if self.kind == "s":
            return self.strings[int(text)].strip()
        if self.kind == "b":
            return "TRUE" if text.strip() == "1" else "FALSE"
        if self.kind == "n" and text:
            return number_text(text, self.style in self.dates)
        return text.strip()


def _sheet_rows(
    archive: zipfile.ZipFile, path: str, strings: Sequence[str], dates: frozenset[int]
) -> Generator[SheetRow, None, None]:
    sheet = _SheetParser(strings, dates)
    with archive.open(path) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            sheet.parser.Parse(chunk, False)
            yield from sheet.done
            sheet.done.clear()
    sheet.parser.Parse(b"", True)
    yield from sheet.done


class XlsxTable:
    """The data sheet of a workbook: its header and, lazily, its rows with Excel row numbers."""

    def __init__(self, data: bytes, score: HeaderScore, problems: ProblemLog) -> None:
        self.problems = problems
        self.archive = open_archive(data)
        self.strings = shared_strings(self.archive)
        self.dates = date_styles(self.archive)
        self.sheet, self.path, self.header_row, self.header = self._find_header(score)

    def _find_header(self, score: HeaderScore) -> tuple[str, str, int, tuple[str, ...]]:
        """The sheet and row whose header scores best; else the first non-blank row."""
        best: tuple[int, str, str, int, tuple[str, ...]] | None = None
        fallback = None
        for title, path in sheets(self.archive):
            rows = _sheet_rows(self.archive, path, self.strings, self.dates)
            candidates = (row for row in rows if any(row[1]))
            for number, cells, _missing, _far in itertools.islice(candidates, HEADER_SEARCH_ROWS):
                fallback = fallback or (title, path, number, cells)
                points = score(cells)
                if points > 0 and (best is None or points > best[0]):
                    best = (points, title, path, number, cells)
            rows.close()
        if best is not None:
            return best[1:]
        if fallback is None:
            raise ImportRejectedError([ImportProblem(None, None, _("the file has no header row"))])
        return fallback

    def rows(self) -> Iterator[Row]:
        """Data rows below the header (blank rows skipped), checking each cell."""
        for number, cells, missing, far in _sheet_rows(
            self.archive, self.path, self.strings, self.dates
        ):
            sound = number > self.header_row and (any(cells) or missing or far >= 0)
            if sound and self._row_is_sound(number, cells, missing, far):
                yield number, cells

    def _row_is_sound(
        self, number: int, cells: Sequence[str], missing: Sequence[int], far: int
    ) -> bool:
        before = self.problems.total
        if far >= 0:
            msg = _("a value in a column without a header: '{value}'").format(value="…")
            self.problems.append(ImportProblem(number, _letter(far + 1), msg))
        for index in missing:
            msg = _("a formula without a saved value: open the file in Excel and save it again")
            self.problems.append(ImportProblem(number, self._column(index), msg))
        for index in range(len(self.header), len(cells)):
            if cells[index]:
                msg = _("a value in a column without a header: '{value}'").format(
                    value=cells[index][:40]
                )
                self.problems.append(ImportProblem(number, _letter(index + 1), msg))
        return self.problems.total == before

    def _column(self, index: int) -> str:
        if index < len(self.header) and self.header[index]:
            return self.header[index]
        return _letter(index + 1)
