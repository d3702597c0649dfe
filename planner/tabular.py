"""Reading user-supplied CSV text the way spreadsheet exports write it, and writing CSV."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

DELIMITERS = (",", ";", "\t")


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (`,` if none)."""
    return max(DELIMITERS, key=header_line.count) if header_line else ","


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header names (lowercased) and rows numbered as a spreadsheet shows them (header = 1)."""
    text = decode(data)
    first_line = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first_line))
    lines = list(reader)
    if not lines:
        return [], []
    header = [name.strip().lower() for name in lines[0]]
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        padded = values + [""] * (len(header) - len(values))
        rows.append((number, {name: padded[i].strip() for i, name in enumerate(header)}))
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
