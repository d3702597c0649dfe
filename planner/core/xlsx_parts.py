"""The parts of an XLSX archive a reader needs: its sheets, shared strings and date styles.

Read with expat in a streaming way (a 10 MB workbook never becomes a tree in memory); a
document type declaration is refused, so entity tricks cannot expand.
"""

import io
import re
import zipfile
from collections.abc import Callable
from pyexpat import ParserCreate
from typing import Any

from planner.core.errors import ImportProblem, ImportRejectedError
from planner.core.i18n import _

# A workbook that unpacks to more than this is refused before reading (zip bombs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
CHUNK_BYTES = 1 << 16
# Excel's built-in number formats that show a date or a time.
BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), 45, 46, 47})
DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
Attributes = dict[str, str]


class ForbiddenXmlError(ValueError):
    """An XML part declares a document type (entities), which no workbook needs."""


def local(name: str) -> str:
    """A tag or attribute name without its namespace prefix."""
    return name.rsplit(":", 1)[-1]


def attribute(attrs: Attributes, name: str) -> str | None:
    """The attribute `name` whatever prefix it carries (`r:id`, `id`)."""
    for key, value in attrs.items():
        if local(key) == name:
            return value
    return None


def new_parser(
    start: Callable[[str, Attributes], None],
    end: Callable[[str], None],
    text: Callable[[str], None] | None = None,
) -> Any:
    """An expat parser with these handlers that refuses document type declarations."""
    parser = ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text

    def forbid(*_args: object) -> None:
        raise ForbiddenXmlError("DOCTYPE")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    return parser


def feed(archive: zipfile.ZipFile, path: str, parser: Any) -> None:
    """Parse a whole archive member in chunks."""
    with archive.open(path) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The workbook's archive, refused when it unpacks too large or is an ODS file."""
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


def _member(target: str) -> str:
    """A relationship target as an archive path (targets are relative to xl/ or absolute)."""
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, archive path) of each worksheet, in the workbook's order."""
    found: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def on_sheet(name: str, attrs: Attributes) -> None:
        if local(name) == "sheet":
            found.append((attrs.get("name", ""), attribute(attrs, "id") or ""))

    def on_relation(name: str, attrs: Attributes) -> None:
        if local(name) == "Relationship" and attrs.get("Type", "").endswith("/worksheet"):
            targets[attrs.get("Id", "")] = _member(attrs.get("Target", ""))

    feed(archive, "xl/workbook.xml", new_parser(on_sheet, lambda name: None))
    feed(archive, "xl/_rels/workbook.xml.rels", new_parser(on_relation, lambda name: None))
    return [(title, targets[rid]) for title, rid in found if rid in targets]


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings (rich text runs joined, phonetic guides left out)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"t": False, "rPh": False}

    def start(name: str, _attrs: Attributes) -> None:
        tag = local(name)
        if tag in state:
            state[tag] = True

    def end(name: str) -> None:
        tag = local(name)
        if tag in state:
            state[tag] = False
        elif tag == "si":
            strings.append("".join(parts))
            parts.clear()

    def text(data: str) -> None:
        if state["t"] and not state["rPh"]:
            parts.append(data)

    feed(archive, "xl/sharedStrings.xml", new_parser(start, end, text))
    return strings


def date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a date or time."""
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside = {"cellXfs": False}

    def start(name: str, attrs: Attributes) -> None:
        tag = local(name)
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            inside["cellXfs"] = True
        elif tag == "xf" and inside["cellXfs"]:
            formats.append(int(attrs.get("numFmtId", "0")))

    def end(name: str) -> None:
        if local(name) == "cellXfs":
            inside["cellXfs"] = False

    feed(archive, "xl/styles.xml", new_parser(start, end))

    def is_date(number_format: int) -> bool:
        if number_format in custom:
            return bool(DATE_CODE.search(QUOTED_OR_BRACKETED.sub("", custom[number_format])))
        return number_format in BUILTIN_DATE_FORMATS

    return frozenset(index for index, fmt in enumerate(formats) if is_date(fmt))
