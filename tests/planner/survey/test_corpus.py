"""The corpus of real-shaped exports and broken files (tests/planner/survey/corpus/).

Each good file must import every respondent with exactly the answers in the file; each broken
file must be refused with the message, row and column the manifest names. The files are
written by corpus/make_corpus.py.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from planner.core import ImportRejectedError
from planner.survey import parse_survey
from tests.factories import village_pairs

CORPUS = Path(__file__).parent / "corpus"
MANIFEST: dict[str, dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
GOOD = sorted(name for name, entry in MANIFEST.items() if "respondents" in entry)
BROKEN = sorted(name for name, entry in MANIFEST.items() if "refused" in entry)
VILLAGES = village_pairs()


def test_every_corpus_file_is_in_the_manifest() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.suffix in {".csv", ".xlsx", ".xls"}}
    assert files == set(MANIFEST)
    assert len(GOOD) >= 10 and len(BROKEN) >= 15


@pytest.mark.parametrize("name", GOOD)
def test_real_shaped_export_imports_every_answer_exactly(name: str) -> None:
    parsed = parse_survey((CORPUS / name).read_bytes(), VILLAGES)
    stored = [{"village_code": r.village_code, "answers": r.answers} for r in parsed.responses]
    assert stored == MANIFEST[name]["respondents"]


@pytest.mark.parametrize("name", BROKEN)
def test_broken_file_is_refused_with_row_and_column(name: str) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        parse_survey((CORPUS / name).read_bytes(), VILLAGES)
    message = str(caught.value)
    for words in MANIFEST[name]["refused"]:
        assert words in message
