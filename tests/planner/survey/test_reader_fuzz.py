"""Hypothesis keeps fuzzing the survey reader: whatever the bytes, it imports or refuses.

Random bytes, corpus exports with bytes flipped, cut or inserted, and workbooks whose sheet
XML is mutated inside an intact archive never raise anything but ImportRejectedError, and a
refusal always says why.
"""

import io
import json
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core import ImportRejectedError
from planner.survey import parse_survey
from tests.factories import village_pairs

CORPUS = Path(__file__).parent / "corpus"
CSV_FILES = sorted(p.read_bytes() for p in CORPUS.glob("*.csv"))
XLSX_FILES = sorted(p.read_bytes() for p in CORPUS.glob("*.xlsx"))
MANIFEST = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
GOOD_XLSX = sorted(
    (CORPUS / name).read_bytes()
    for name, entry in MANIFEST.items()
    if name.endswith(".xlsx") and "respondents" in entry
)
VILLAGES = village_pairs()
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


def _imports_or_refuses(data: bytes) -> None:
    try:
        parsed = parse_survey(data, VILLAGES)
    except ImportRejectedError as refused:
        assert refused.problems and all(p.message for p in refused.problems)
    else:
        codes = dict(VILLAGES)
        assert all(r.village_code in codes for r in parsed.responses)


mutation = st.tuples(
    st.sampled_from(["flip", "cut", "insert"]), st.integers(0, 10**7), st.binary(max_size=8)
)


def _mutate(data: bytes, changes: list[tuple[str, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, where, payload in changes:
        at = where % (len(out) + 1)
        if kind == "flip" and at < len(out):
            out[at] ^= payload[0] if payload else 0xFF
        elif kind == "cut":
            del out[at : at + len(payload) + 1]
        else:
            out[at:at] = payload
    return bytes(out)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_imported_or_refused(data: bytes) -> None:
    _imports_or_refuses(data)


@FUZZ
@given(st.sampled_from(CSV_FILES), st.lists(mutation, min_size=1, max_size=6))
def test_mutated_csv_exports_are_imported_or_refused(
    data: bytes, changes: list[tuple[str, int, bytes]]
) -> None:
    _imports_or_refuses(_mutate(data, changes))


@FUZZ
@given(st.sampled_from(XLSX_FILES), st.lists(mutation, min_size=1, max_size=3))
def test_mutated_xlsx_archives_are_imported_or_refused(
    data: bytes, changes: list[tuple[str, int, bytes]]
) -> None:
    _imports_or_refuses(_mutate(data, changes))


def _rezip(data: bytes, member_index: int, changes: list[tuple[str, int, bytes]]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in source.infolist() if i.filename.endswith(".xml")]
    target_name = names[member_index % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == target_name:
                content = _mutate(content, changes)
            target.writestr(info.filename, content)
    return out.getvalue()


@FUZZ
@given(
    st.sampled_from(GOOD_XLSX),
    st.integers(0, 50),
    st.lists(mutation, min_size=1, max_size=4),
)
def test_workbooks_with_mutated_xml_are_imported_or_refused(
    data: bytes, member: int, changes: list[tuple[str, int, bytes]]
) -> None:
    _imports_or_refuses(_rezip(data, member, changes))
