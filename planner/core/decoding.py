"""Decoding a CSV's bytes: the encodings spreadsheets save text in, or one clear refusal."""

import re

from planner.core.errors import ImportProblem, ImportRejectedError
from planner.core.i18n import _

UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _reject(message: str, row: int | None = None) -> ImportRejectedError:
    return ImportRejectedError([ImportProblem(row, None, message)])


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:400]
    if len(sample) < 4:
        return None
    odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or
    Windows-1252/Latin-1; a file mixing UTF-8 and another encoding is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding: str | None = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    try:
        return data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as error:
        if encoding is not None:
            raise _reject(_("the file is not valid UTF-16 text")) from None
        bad_line = data[: error.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        msg = _("the file is neither CSV text (UTF-8 or Windows-1252) nor XLSX")
        raise _reject(msg) from None
    if not CONTROL_CHARS.search(text) and UTF8_SEQUENCE.search(data):
        msg = _("the file mixes UTF-8 with another encoding; save it again as CSV UTF-8")
        raise _reject(msg, row=bad_line)
    return text
