"""Write the survey-import corpus: real-shaped exports and broken files, plus manifest.json.

Run from the repository root: `.venv/bin/python -m tests.planner.survey.corpus.make_corpus`.
Every good file carries the same six respondents (shapes.RESPONDENTS) in the shape one export
tool writes them; every broken file is a good one with one fault, and the manifest names the
message (row and column) the importer must refuse it with.
"""

import io
import json
import random
import zipfile
from collections.abc import Callable
from typing import Any

from planner.survey.questionnaire import QUESTIONS
from tests.planner.survey.corpus.shapes import (
    HERE,
    RESPONDENTS,
    csv_text,
    expected,
    flat_rows,
    good_files,
    kobo_rows,
    label,
    xlsx,
)


def _rewrite_member(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def _corrupt_deflate(data: bytes) -> bytes:
    """Flip bytes inside the compressed sheet so that inflating it fails (zlib.error)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    damaged = bytearray(data)
    for offset in range(middle, middle + 24):
        damaged[offset] ^= 0xA5
    return bytes(damaged)


def _names_csv_lines() -> list[str]:
    return csv_text(flat_rows("names")).splitlines()


def _replace_cell(rows: list[list[Any]], row: int, question: str, value: Any) -> list[list[Any]]:
    copy = [list(r) for r in rows]
    copy[row - 1][[label(q, "names") for q in QUESTIONS].index(question)] = value
    return copy


def broken_files() -> dict[str, tuple[bytes, list[str]]]:
    """Each fault and the words of the refusal (Indonesian, the default language)."""
    lines = _names_csv_lines()
    names = flat_rows("names")
    unclosed = [*lines[:3], lines[3].rsplit(",", 1)[0] + ',"Buku tentang sapi', *lines[4:]]
    at_end = [*lines[:6], lines[6].rsplit(",", 1)[0] + ',"Modul ajar']
    swallow = [*lines[:2], lines[2].rsplit(",", 1)[0] + ',"Komik',
               lines[3].rsplit(",", 1)[0] + ',Buku resep"', *lines[4:]]  # fmt: skip
    extra = [*lines[:4], lines[4].replace('"Dongeng/cerita rakyat (Sunda), résep kue"',
             "Dongeng/cerita rakyat (Sunda), résep kue"), *lines[5:]]  # fmt: skip
    short = [*lines[:3], lines[3].rsplit(",", 1)[0], *lines[4:]]
    good = xlsx([("data", names)])
    formula = xlsx([("data", _replace_cell(names, 3, "waktu_tempuh", "=10+10"))])
    unknown = kobo_rows("id", None)
    unknown[0].insert(30, "Bacaan yang diinginkan/Komik")
    for number, row in enumerate(unknown[1:], start=1):
        row.insert(30, 1 if number == 2 else 0)
    mixed = "\n".join(lines).encode().replace(b"Dongeng", "Dongéng".encode("cp1252"))
    return {
        "unclosed_quote.csv": ("\n".join(unclosed).encode(), [
            "baris 4, kolom kebutuhan_informasi: tanda kutip (\") di sel ini mencakup 1 baris"]),
        "unclosed_quote_last_row.csv": ("\n".join(at_end).encode(), [
            "baris 7, kolom kebutuhan_informasi: tanda kutip (\") yang dibuka di sel ini tidak"]),
        "quote_swallows_rows.csv": ("\n".join(swallow).encode(), [
            "baris 3, kolom kebutuhan_informasi: tanda kutip (\") di sel ini mencakup 1 baris"]),
        "unquoted_comma.csv": ("\n".join(extra).encode(), [
            "baris 5: baris ini berisi 17 nilai, padahal baris judul punya 16 kolom"]),
        "missing_field.csv": ("\n".join(short).encode(), [
            "baris 4: baris ini berisi 15 nilai, padahal baris judul punya 16 kolom"]),
        "formula_without_value.xlsx": (formula, [
            "baris 3, kolom waktu_tempuh: rumus tanpa nilai tersimpan", "lembar 'data'"]),
        "decimal_comma.csv": (csv_text(_replace_cell(names, 2, "fm", "2,5"), ";").encode(), [
            "baris 2, kolom fm: '2,5' bukan bilangan bulat"]),
        "ambiguous_thousands.csv": (
            csv_text(_replace_cell(names, 3, "dm", "1,000"), ";").encode(),
            ["baris 3, kolom dm: '1,000' bermakna ganda"]),
        "nan_and_inf.csv": (
            csv_text(_replace_cell(_replace_cell(names, 2, "jb", "nan"), 4, "dai", "inf")).encode(),
            ["baris 2, kolom jb: 'nan' bukan angka", "baris 4, kolom dai: 'inf' bukan angka"]),
        "blank_rows_above_header.xlsx": (
            xlsx([("data", _replace_cell(names, 3, "minat", 7))], blank_above=2),
            ["baris 5, kolom minat: 7 di luar rentang 1–5", "lembar 'data'"]),
        "excel_error_value.xlsx": (
            xlsx([("data", _replace_cell(names, 2, "dai", "#N/A"))]),
            ["baris 2, kolom dai: sel berisi galat lembar kerja #N/A"]),
        "unknown_choice_ticked.xlsx": (xlsx([("Sheet1", unknown)]), [
            "baris 3, kolom Bacaan yang diinginkan/Komik: 'Komik' bukan pilihan pertanyaan"]),
        "truncated.xlsx": (good[: len(good) // 2], ["berkas XLSX rusak"]),
        "corrupt_deflate.xlsx": (_corrupt_deflate(good), ["berkas XLSX rusak"]),
        "bad_sheet_xml.xlsx": (_rewrite_member(good, _cut_sheet_xml), ["berkas XLSX rusak"]),
        "old_excel.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ["berkas Excel lama"]),
        "blank_lines.csv": (b"\r\n;;;\r\n,,,\r\n\r\n", ["berkas tidak memiliki baris judul"]),
        "binary_junk.csv": (random.Random(7).randbytes(3000), ["bukan teks CSV"]),
        "no_header_row.csv": ("\n".join(lines[1:]).encode(), [
            "baris 1: tidak ada pertanyaan survei di baris judul"]),
        "mixed_encodings.csv": (mixed, ["baris 5: berkas mencampur UTF-8"]),
    }  # fmt: skip


def _cut_sheet_xml(name: str, content: bytes) -> bytes:
    return content[: len(content) * 2 // 3] if name == "xl/worksheets/sheet1.xml" else content


def main() -> None:
    """Write every file and the manifest."""
    manifest: dict[str, Any] = {}
    for name, data in good_files().items():
        (HERE / name).write_bytes(data)
        manifest[name] = {"respondents": [expected(r) for r in RESPONDENTS]}
    for name, (data, words) in broken_files().items():
        (HERE / name).write_bytes(data)
        manifest[name] = {"refused": words}
    text = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True)
    (HERE / "manifest.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
