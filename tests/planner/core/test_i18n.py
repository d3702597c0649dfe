"""The planner's own messages: every msgid in planner/ has Bahasa Indonesia, English on request."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from planner.core import i18n
from planner.core.i18n import _, language

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "planner" / "translations" / "id" / "LC_MESSAGES" / "planner.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _msgids_in_code() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "planner",
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_planner_message_has_an_indonesian_translation() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    missing = sorted(
        msgid
        for msgid in _msgids_in_code()
        if not (entry := catalogue.get(msgid)) or not entry.string or entry.fuzzy
    )
    assert not missing, f"msgids without Indonesian in {PO.name}: {missing[:10]}"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    stale = [
        entry.id
        for entry in catalogue
        if entry.id and isinstance(entry.id, str) and entry.string and _(entry.id) != entry.string
    ]
    assert not stale, f"run `pybabel compile -D planner -d planner/translations`: {stale[:5]}"


def test_indonesian_is_the_default_and_english_is_the_msgid() -> None:
    with PO.open("rb") as handle:
        entries = [e for e in read_po(handle) if e.id and isinstance(e.id, str) and e.string]
    if not entries:  # an empty catalogue has nothing to show
        return
    entry = entries[0]
    assert i18n.current_language() == "id"
    assert _(entry.id) == entry.string
    with language("en"):
        assert _(entry.id) == entry.id
    assert _(entry.id) == entry.string
