"""The six respondents of the survey corpus and the shapes export tools write them in.

KoboToolbox (labels or XML values, with 0/1 columns per choice), ODK Central, Google Forms,
Excel-edited CSV and workbooks with the data on a later sheet.
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from planner.survey.questionnaire import GROUP_LABELS, QUESTION_BY_NAME, QUESTIONS, Question

HERE = Path(__file__).parent
Respondent = dict[str, Any]
# The answers as stored; "desa" is how the village is written and "code" what it means.
RESPONDENTS: tuple[Respondent, ...] = (
    {"desa": "Ds. Balokang", "code": "32.79.01.2003", "usia": "dewasa", "jenis_kelamin": "P",
     "pekerjaan": "petani", "fm": 5, "dm": 90, "jb": 3, "fai": 7, "dai": 60,
     "anggota_perpustakaan": True, "waktu_tempuh": 20, "minat": 5, "hari": ["mon", "sat"],
     "waktu": ["pagi", "sore"], "topik": ["pertanian", "usaha"],
     "kebutuhan_informasi": "Harga pupuk, cara beternak"},
    {"desa": "Kel. Hegarsari", "code": "32.79.02.1001", "usia": "remaja", "jenis_kelamin": "L",
     "pekerjaan": "pelajar", "fm": 3, "dm": 45, "jb": 1, "fai": 7, "dai": 120,
     "anggota_perpustakaan": False, "waktu_tempuh": 15, "minat": 4, "hari": ["sat"],
     "waktu": ["sore"], "topik": ["fiksi", "teknologi"],
     "kebutuhan_informasi": 'Novel; komik "Si Kancil"'},
    {"desa": "3279012005", "code": "32.79.01.2005", "usia": "lansia", "jenis_kelamin": "P",
     "pekerjaan": "tidak_bekerja", "fm": 2, "dm": 30, "jb": 0, "fai": 0, "dai": 0,
     "anggota_perpustakaan": None, "waktu_tempuh": None, "minat": 2, "hari": ["fri"],
     "waktu": ["pagi"], "topik": ["agama"], "kebutuhan_informasi": None},
    {"desa": "Balokang", "code": "32.79.01.2003", "usia": "anak", "jenis_kelamin": "L",
     "pekerjaan": None, "fm": 7, "dm": 1000, "jb": 12, "fai": 1, "dai": 15,
     "anggota_perpustakaan": True, "waktu_tempuh": 120, "minat": 5, "hari": [], "waktu": [],
     "topik": ["anak", "sejarah", "keterampilan"],
     "kebutuhan_informasi": "Dongeng/cerita rakyat (Sunda), résep kue"},
    {"desa": "Hegarsari", "code": "32.79.02.1001", "usia": "dewasa", "jenis_kelamin": "P",
     "pekerjaan": "pedagang", "fm": 4, "dm": 20, "jb": 2, "fai": 14, "dai": 180,
     "anggota_perpustakaan": True, "waktu_tempuh": 30, "minat": 3, "hari": ["tue", "thu"],
     "waktu": ["siang", "sore"], "topik": ["kesehatan", "usaha", "keterampilan"],
     "kebutuhan_informasi": "Cara daftar NIB, izin usaha"},
    {"desa": "32.79.01.2003", "code": "32.79.01.2003", "usia": "dewasa", "jenis_kelamin": "L",
     "pekerjaan": "guru_pns", "fm": 10, "dm": 120, "jb": 12, "fai": 20, "dai": 240,
     "anggota_perpustakaan": True, "waktu_tempuh": 10, "minat": 5,
     "hari": ["mon", "wed", "fri"], "waktu": ["pagi", "siang", "sore"],
     "topik": ["pertanian", "pelajaran", "fiksi"],
     "kebutuhan_informasi": "Modul ajar Kurikulum Merdeka"},
)  # fmt: skip
MULTIPLE = [q for q in QUESTIONS if q.type == "select_multiple"]


def expected(respondent: Respondent) -> dict[str, Any]:
    """What the importer must store for a respondent."""
    answers = {q.name: respondent[q.name] for q in QUESTIONS if q.name != "desa"}
    return {"village_code": respondent["code"], "answers": answers}


def _choice(question: Question, value: Any) -> Any:
    return next(c for c in question.choices if c.value == value)


def cell(question: Question, value: Any, style: str) -> Any:
    """One answer as an export of `style` (names, id, en) writes it."""
    if value is None or value == []:
        return None
    if question.name == "anggota_perpustakaan":
        return {"names": "ya", "id": "Ya", "en": "Yes"}[style] if value else {
            "names": "tidak", "id": "Tidak", "en": "No"}[style]  # fmt: skip
    if question.type in ("integer", "text"):
        return value
    if question.name == "minat":
        choice = _choice(question, str(value))
        return {"names": value, "id": choice.label_id, "en": choice.label_en}[style]
    values = value if isinstance(value, list) else [value]
    choices = [_choice(question, v) for v in values]
    texts = [
        {"names": c.name, "id": c.label_id, "en": c.label_en}[style] for c in choices
    ]  # fmt: skip
    return (", " if style != "names" else " ").join(texts)


def label(question: Question, style: str) -> str:
    return {"names": question.name, "id": question.label_id, "en": question.label_en}[style]


def kobo_rows(style: str, group_sep: str | None, joiner: str = " ") -> list[list[Any]]:
    """Header and rows of a KoboToolbox export: combined and 0/1 columns for select_multiple."""
    header: list[Any] = ["start", "end"]
    for q in QUESTIONS:
        prefix = ""
        if group_sep:
            group = q.group if style == "names" else GROUP_LABELS[q.group][style == "en"]
            prefix = group + group_sep
        header.append(prefix + label(q, style))
        if q.type == "select_multiple":
            for c in q.choices:
                text = {"names": c.name, "id": c.label_id, "en": c.label_en}[style]
                header.append(prefix + label(q, style) + group_sep_or_slash(group_sep) + text)
    header += ["_id", "_uuid", "_submission_time", "_index"]
    rows = [header]
    for number, r in enumerate(RESPONDENTS, start=1):
        row: list[Any] = ["2024-05-01T08:00:00", "2024-05-01T08:09:00"]
        for q in QUESTIONS:
            if q.name == "desa":
                row.append(r["desa"])
                continue
            value = cell(q, r[q.name], style)
            if q.type == "select_multiple" and value is not None and style != "names":
                value = joiner.join(_label_list(q, r[q.name], style))
            row.append(value)
            if q.type == "select_multiple":
                row += [1 if c.value in r[q.name] else 0 for c in q.choices]
        row += [1000 + number, f"3f1c0a2e-0000-4000-8000-00000000000{number}",
                "2024-05-01T08:10:00", number]  # fmt: skip
        rows.append(row)
    return rows


def group_sep_or_slash(group_sep: str | None) -> str:
    return group_sep or "/"


def _label_list(question: Question, values: list[str], style: str) -> list[str]:
    return [_choice(question, v).label_en if style == "en" else _choice(question, v).label_id
            for v in values]  # fmt: skip


def flat_rows(style: str, first: Sequence[str] = (), village: str = "desa") -> list[list[Any]]:
    """One column per question (Google Forms, hand-made sheets); `first` columns lead."""
    header = [*first, *(label(q, style) for q in QUESTIONS)]
    rows: list[list[Any]] = [header]
    for r in RESPONDENTS:
        values = [r[village] if q.name == "desa" else cell(q, r[q.name], style) for q in QUESTIONS]
        rows.append(["2024/05/01 8:10:00 AM GMT+7"] * len(first) + values)
    return rows


def csv_text(rows: Sequence[Sequence[Any]], delimiter: str = ",", end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=end)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


def xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]], blank_above: int = 0) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for index, row in enumerate(rows, start=1 + blank_above):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(index, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _odk_rows() -> list[list[Any]]:
    """ODK Central CSV: group-question names joined by '-', ids and review columns."""
    header = ["SubmissionDate", *(f"{q.group}-{q.name}" for q in QUESTIONS)]
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "ReviewState", "Edits"]
    rows: list[list[Any]] = [header]
    for number, r in enumerate(RESPONDENTS, start=1):
        values = [r["desa"] if q.name == "desa" else cell(q, r[q.name], "names") for q in QUESTIONS]
        uuid = f"uuid:6b7c{number:04d}-aaaa-4bbb-8ccc-000000000000"
        rows.append(["2024-05-01T01:10:00.000Z", *values, uuid, uuid, 5, "enum1", "", 0])
    return rows


def _data_on_third_sheet() -> bytes:
    """An ODK/Kobo-style workbook: the form's sheets first, a title and blank rows above."""
    data = flat_rows("names")
    survey = [["type", "name", "label"], *([q.type, q.name, q.label_id] for q in QUESTIONS)]
    choices = [["list_name", "name", "label"], *(
        [q.choice_list(), c.name, c.label_id] for q in QUESTIONS for c in q.choices)]  # fmt: skip
    data_with_title = [["Ekspor data survei, 1 Mei 2024"], [], *data]
    return xlsx([("survey", survey), ("choices", choices), ("data", data_with_title)])


def good_files() -> dict[str, bytes]:
    """Every export variant that must import all six respondents exactly."""
    kobo_values = kobo_rows("names", "/")
    kobo_values[0] += ["meta/instanceID", "meta/rootUuid"]
    for number, row in enumerate(kobo_values[1:], start=1):
        row += [f"uuid:9e0d{number:04d}-1111-4222-8333-444444444444"] * 2
    english_only_01 = [
        [v for h, v in zip(kobo_rows("en", None)[0], row, strict=True)
         if h not in {label(q, "en") for q in MULTIPLE}]
        for row in kobo_rows("en", None)
    ]  # fmt: skip
    excel = csv_text(flat_rows("names"), ";", "\r\n").replace(";1000;", ";1.000;")
    return {
        "kobo_labels_id.xlsx": xlsx([("Survei Kebutuhan Informasi", kobo_rows("id", None))]),
        "kobo_labels_groups.csv": ("\ufeff" + csv_text(kobo_rows("id", "/"), ";")).encode(),
        "kobo_labels_en_01_only.xlsx": xlsx([("data", english_only_01)]),
        "kobo_labels_en_groups.csv": csv_text(kobo_rows("en", "/")).encode(),
        "kobo_xml_values.csv": csv_text(kobo_values).encode(),
        "odk_central.csv": csv_text(_odk_rows()).encode(),
        "google_forms_id.csv": csv_text(flat_rows("id", ["Stempel waktu"])).encode(),
        "google_forms_en.csv": _short_times(csv_text(flat_rows("en", ["Timestamp"]))).encode(),
        "excel_sep_line_cp1252.csv": ("sep=;\r\n" + excel).encode("cp1252"),
        "excel_unicode_text.csv": csv_text(flat_rows("id"), "\t", "\r\n").encode("utf-16"),
        "workbook_data_on_third_sheet.xlsx": _data_on_third_sheet(),
        "excel_shared_strings.xlsx": excel_like_xlsx(flat_rows("id", ["Stempel waktu"])),
    }


def _short_times(text: str) -> str:
    """A Google Form whose time options are typed without the hours ("Morning")."""
    for choice in QUESTION_BY_NAME["waktu"].choices:
        text = text.replace(choice.label_en, choice.label_en.split(" (")[0])
    return text


EXCEL_NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_like_xlsx(rows: Sequence[Sequence[Any]], title: str = "Form responses 1") -> bytes:
    """A workbook as Excel writes it: shared strings (one split into rich-text runs, one with a
    phonetic guide), prefixed tags, a dimension, a date-styled column and a cached formula."""
    strings: dict[str, int] = {}
    cells_xml = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row):
            ref = f"{_letters(column)}{number}"
            if value is None:
                continue
            if column == 0 and number > 1:  # the timestamp, as a date-formatted number
                cells.append(f'<x:c r="{ref}" s="1"><x:v>45413.5</x:v></x:c>')
            elif isinstance(value, int):
                cells.append(f'<x:c r="{ref}"><x:f>{value}+0</x:f><x:v>{value}</x:v></x:c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<x:c r="{ref}" t="s" s="0"><x:v>{index}</x:v></x:c>')
        cells_xml.append(f'<x:row r="{number}">{"".join(cells)}</x:row>')
    shared: list[str] = []
    for text in strings:
        half = len(text) // 2
        if len(shared) == 3:  # rich text runs
            runs = (text[:half], text[half:])
            body = "".join(f"<x:r><x:t>{_escape(run)}</x:t></x:r>" for run in runs)
        else:
            body = f'<x:t xml:space="preserve">{_escape(text)}</x:t>'
        if len(shared) == 4:
            body += "<x:rPh sb='0' eb='1'><x:t>ふりがな</x:t></x:rPh>"
        shared.append(f"<x:si>{body}</x:si>")
    parts = {
        "xl/workbook.xml": f'<x:workbook {EXCEL_NS} xmlns:r="{REL_NS}"><x:sheets>'
        f'<x:sheet name="{title}" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
        'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/sharedStrings.xml": f"<x:sst {EXCEL_NS}>{''.join(shared)}</x:sst>",
        "xl/styles.xml": f'<x:styleSheet {EXCEL_NS}><x:numFmts><x:numFmt numFmtId="164" '
        'formatCode="dd/mm/yyyy"/></x:numFmts><x:cellXfs><x:xf numFmtId="0"/>'
        '<x:xf numFmtId="164"/></x:cellXfs></x:styleSheet>',
        "xl/worksheets/sheet1.xml": f'<x:worksheet {EXCEL_NS}><x:dimension ref="A1:Z9"/>'
        f"<x:sheetData>{''.join(cells_xml)}</x:sheetData></x:worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return buffer.getvalue()


def _letters(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
