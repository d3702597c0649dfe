"""Reading user-supplied tables (CSV as spreadsheets export it, or XLSX) and writing CSV.

The reader never repairs a file quietly: a row whose field count differs from the header, a
quote that is never closed, a formula without a saved value or a spreadsheet error value is a
problem at its row and column. Rows are numbered as a spreadsheet shows them.
"""

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from planner.core.decoding import CONTROL_CHARS, decode
from planner.core.errors import ImportProblem, ImportRejectedError
from planner.core.i18n import N_, _
from planner.core.problem_log import ProblemLog
from planner.core.workbook import (
    EXCEL_ERRORS,
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    HeaderScore,
    Row,
    XlsxTable,
    damaged,
)

DELIMITERS = (",", ";", "\t")
MAX_FILE_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
SEP_LINE = re.compile(r'\A[ \t]*"?sep=(.)"?[ \t]*(?:\r\n|\r|\n|\Z)', re.IGNORECASE)

# A physical line as io.StringIO(newline="") gives it: ended by \r\n, \r or \n, kept.
LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
RUNS_OVER = N_(
    'a quote (") in this cell runs over {count} following lines that look like rows;'
    " close the quote where the answer ends"
)


@dataclass(frozen=True)
class Table:
    """A header and its data rows, numbered as a spreadsheet shows them (header = row 1)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    source_format: str


def _reject(message: str, row: int | None = None, column: str | None = None) -> ImportRejectedError:
    return ImportRejectedError([ImportProblem(row, column, message)])


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter used most in the first line that has one (`,` if none has)."""
    for line in lines:
        if any(delimiter in line for delimiter in DELIMITERS):
            return max(DELIMITERS, key=line.count)
    return ","


def text_lines(text: str) -> Iterator[str]:
    """The text's lines, one at a time: an io.StringIO would hold four bytes per character."""
    return (match.group() for match in LINE.finditer(text))


def _quote_column(text: str, line_number: int, delimiter: str) -> int:
    """Index of the field where the first quote of a physical line stands."""
    lines = text_lines(text)
    line = next(itertools.islice(lines, line_number - 1, line_number), "")
    return line[: max(line.find('"'), 0)].count(delimiter)


class CsvTable:
    """A CSV's header and, lazily, its records checked against the header."""

    def __init__(self, data: bytes, score: HeaderScore, problems: ProblemLog) -> None:
        self.problems = problems
        text = decode(data).rstrip("\x1a")  # DOS end-of-file mark
        if CONTROL_CHARS.search(text):
            raise _reject(_("the file is neither CSV text nor XLSX (it holds binary characters)"))
        sep = SEP_LINE.match(text)
        if sep is not None:
            text = text[sep.end() :]
        self.text = text
        lines = text_lines(text)
        first_lines = [line for line in itertools.islice(lines, 50) if line.strip(" ,;\t\r\n")]
        self.delimiter = sep.group(1) if sep else sniff_delimiter(first_lines)
        self.records = self._records()
        self.header: tuple[str, ...] = ()
        self.header_row = 0
        self.pending = self._find_header(score)

    def _find_header(self, score: HeaderScore) -> list[tuple[int, list[str] | None]]:
        """Take the best-scoring of the first non-blank records as the header (else the first);
        the records read after it are returned to be read as rows."""
        seen: list[tuple[int, list[str] | None]] = []
        for number, cells in self.records:
            if cells is not None and len(cells) > MAX_COLUMNS:
                msg = _("row {row} has {count} columns; a survey export has at most {limit}")
                raise _reject(msg.format(row=number, count=len(cells), limit=MAX_COLUMNS))
            if cells is None and not seen:
                raise _reject(_("the header row cannot be read (a quote is not closed)"), number)
            if cells is None or any(cell.strip(",;\t ") for cell in cells):
                seen.append((number, cells))
            if cells is None or len(seen) == HEADER_SEARCH_ROWS:
                break
        if not seen:
            raise _reject(_("the file has no header row"))
        points = [score(cells) if cells is not None else 0 for _number, cells in seen]
        best = max(range(len(seen)), key=lambda i: (points[i] > 0, points[i], -i))
        number, cells = seen[best]
        self.header, self.header_row = tuple(cells or ()), number
        return seen[best + 1 :]

    def _records(self) -> Iterator[tuple[int, list[str] | None]]:
        """(row, cells) per record; cells None when the record's quoting is broken."""
        reader = csv.reader(text_lines(self.text), delimiter=self.delimiter, strict=True)
        for number in itertools.count(1):
            start_line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield number, None
                lines = reader.line_num - start_line
                if not self._quote_problem(number, start_line, str(error), lines):
                    return
                continue
            yield number, [cell.strip() for cell in cells]

    def _quote_problem(self, number: int, start_line: int, error: str, lines: int) -> bool:
        """Record a broken quote; whether reading can go on after it."""
        index = _quote_column(self.text, start_line, self.delimiter)
        column = self.header[index] if index < len(self.header) else None
        if "expected after" in error and lines > 0:
            self.problems.append(ImportProblem(number, column, _(RUNS_OVER).format(count=lines)))
            return True
        if "expected after" in error:
            msg = _('a quote (") is closed in the middle of the cell; put the whole cell in quotes')
            self.problems.append(ImportProblem(number, column, msg))
            return True
        msg = _(
            'a quote (") opened in this cell is never closed: the rest of the file would'
            " become part of this answer"
        )
        self.problems.append(ImportProblem(number, column, msg))
        return False

    def rows(self) -> Iterator[Row]:
        """Data rows below the header (blank rows skipped), each as long as the header."""
        width = len(self.header)
        # Trailing columns without a name may be missing from a row (nothing is lost).
        named = width - next((i for i, h in enumerate(reversed(self.header)) if h), width)
        for number, cells in itertools.chain(self.pending, self.records):
            if cells is None or not any(cells):
                continue
            if len(cells) > width and not any(cells[width:]):
                cells = cells[:width]
            if named <= len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            if len(cells) != width:
                msg = _(
                    "this row has {found} values but the header has {expected} columns"
                    " (a comma, semicolon or quote inside a text?)"
                ).format(found=len(cells), expected=width)
                self.problems.append(ImportProblem(number, None, msg))
                continue
            if self._swallowed(number, cells):
                continue
            yield number, tuple(cells)

    def _swallowed(self, number: int, cells: Sequence[str]) -> bool:
        """A quoted cell whose later lines look like whole rows: its quote took in other rows."""
        needed = max(2, len(self.header) // 2)
        for index, cell in enumerate(cells):
            if "\n" not in cell:
                continue
            later = cell.split("\n")[1:]
            if any(line.count(self.delimiter) >= needed for line in later):
                msg = _(RUNS_OVER).format(count=len(later))
                self.problems.append(ImportProblem(number, self.header[index], msg))
                return True
        return False


class _Source(Protocol):
    header: tuple[str, ...]
    header_row: int
    problems: ProblemLog

    def rows(self) -> Iterator[Row]: ...


class TableReader:
    """An opened table: header, where it was found, and its rows read on demand."""

    def __init__(self, source: _Source, source_format: str, sheet: str | None) -> None:
        self._source = source
        self.header = source.header
        self.header_row = source.header_row
        self.source_format = source_format
        self.sheet = sheet
        self.problems = source.problems

    def rows(self) -> Iterator[Row]:
        """Each sound data row; problems found on the way are added to `problems`."""
        try:
            for number, cells in self._source.rows():
                if self._errors_free(number, cells):
                    yield number, cells
        except ImportRejectedError:
            raise
        except Exception as error:  # any damage in the sheet's archive or XML
            raise damaged(error) from None

    def _errors_free(self, number: int, cells: Sequence[str]) -> bool:
        found = False
        for index, cell in enumerate(cells):
            if cell in EXCEL_ERRORS:
                column = self.header[index] if index < len(self.header) else None
                msg = _("the cell holds the spreadsheet error {value}").format(value=cell)
                self.problems.append(ImportProblem(number, column, msg))
                found = True
        return not found


def _first_row(_header: Sequence[str]) -> int:
    return 0


def open_table(data: bytes, header_score: HeaderScore | None = None) -> TableReader:
    """Open a CSV or XLSX file; a workbook's header is the best `header_score` on any sheet.

    Empty, oversized, binary or damaged files are refused with one message."""
    if len(data) > MAX_FILE_BYTES:
        size_mb = len(data) / 1024 / 1024
        limit_mb = MAX_FILE_BYTES // 1024 // 1024
        msg = _("the file is too large ({size:.1f} MB; the limit is {limit} MB)")
        raise _reject(msg.format(size=size_mb, limit=limit_mb))
    if not data.strip():
        raise _reject(_("the file is empty"))
    if data.startswith(OLE_MAGIC):
        raise _reject(_("this is an old Excel file (.xls); save it as XLSX or CSV"))
    problems = ProblemLog()
    if not data.startswith(XLSX_MAGIC):
        return TableReader(CsvTable(data, header_score or _first_row, problems), "csv", None)
    try:
        book = XlsxTable(data, header_score or _first_row, problems)
    except ImportRejectedError:
        raise
    except Exception as error:  # zlib.error, BadZipFile, ParseError, KeyError, ...
        raise damaged(error) from None
    return TableReader(book, "xlsx", book.sheet)


def read_table(data: bytes) -> Table:
    """Read a whole CSV or XLSX file; refuse it when any row has a problem."""
    table = open_table(data)
    rows = tuple(table.rows())
    if table.problems:
        raise ImportRejectedError(table.problems[:50], total=table.problems.total)
    return Table(table.header, rows, table.source_format)


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
