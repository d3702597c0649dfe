"""Small builders for test inputs."""

import csv
import io
from collections.abc import Sequence

from geodata import load_region

SURVEY_HEADER = (
    "desa", "usia", "jenis_kelamin", "pekerjaan", "fm", "dm", "jb", "fai", "dai",
    "anggota_perpustakaan", "waktu_tempuh", "minat", "hari", "waktu", "topik",
)  # fmt: skip
SURVEY_ROWS = (
    ("Ds. BALOKANG", "dewasa", "P", "irt", "5", "90", "3", "7", "60", "ya", "20", "5",
     "senin sabtu", "pagi", "kesehatan agama"),
    ("Kel. Hegarsari", "remaja", "L", "pelajar", "3", "45", "1", "7", "120", "tidak", "15", "4",
     "sabtu", "sore", "fiksi teknologi"),
    ("3279012005", "lansia", "P", "tidak_bekerja", "2", "30", "0", "0", "0", "tidak", "40", "2",
     "jumat", "pagi", "agama"),
)  # fmt: skip


def village_pairs() -> list[tuple[str, str]]:
    """(code, name) of Kota Banjar's villages."""
    return [(v.code, v.name) for v in load_region("kota_banjar").villages]


def survey_csv(
    rows: Sequence[Sequence[str]] = SURVEY_ROWS,
    header: Sequence[str] = SURVEY_HEADER,
    delimiter: str = ",",
    line_end: str = "\n",
) -> str:
    """A survey export as text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def survey_xlsx(rows: Sequence[Sequence[str]] = SURVEY_ROWS) -> bytes:
    """The same export as an XLSX workbook (numbers stored as numbers, as Excel does)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(SURVEY_HEADER))
    for row in rows:
        sheet.append([int(v) if v.isdigit() and len(v) < 6 else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
