"""Which submission a row is: Kobo and ODK ids and their edit history, or a digest of the answers.

KoboToolbox gives an edited submission a new `_uuid` / `meta/instanceID` but keeps its
`meta/rootUuid` (and names the replaced version in `meta/deprecatedID`); ODK Central keeps `KEY`
and changes `meta-instanceID`. A submission is therefore known by its root id, a version by its
instance id. Rows without ids are known only by their file and row: answers alone never prove
that two rows are the same person.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.core import ImportProblem, _
from planner.survey.columns import ColumnMap

# An id longer than this is replaced by its hash, so that "id:" + id fits the 80-character key.
MAX_ID_LENGTH = 76
UUID_PREFIX = "uuid:"
ID_KEY_PREFIX = "id:"


@dataclass(frozen=True, slots=True)
class SubmissionIds:
    """A row's ids: this version, the submission's first version, the version it replaced."""

    instance: str | None
    root: str | None
    deprecated: str | None = None

    @property
    def key(self) -> str:
        """The stored identity of the submission: its root id, else its instance id."""
        return ID_KEY_PREFIX + str(self.root or self.instance)

    @property
    def known(self) -> tuple[str, ...]:
        """Every id under which an earlier import may have stored this submission."""
        return tuple(i for i in (self.instance, self.root, self.deprecated) if i)


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    """One respondent: the spreadsheet row, the village, normalised answers and a dedupe key.

    The answers are held as the JSON text the store writes (a fraction of a dict's memory when
    a file has 100,000 rows); `answers` decodes them."""

    row: int
    village_code: str
    answers_json: str
    digest: str
    ids: SubmissionIds | None = None
    # Rows without ids: which repeat of the same village and answers in the file (1, 2, ...).
    repeat: int = 1

    @property
    def answers(self) -> dict[str, Any]:
        """The normalised answers, decoded afresh at each call."""
        answers: dict[str, Any] = json.loads(self.answers_json)
        return answers

    @property
    def key(self) -> str:
        """The submission's root id, else a hash of the answers and their repeat."""
        if self.ids is not None:
            return self.ids.key
        return f"h:{self.digest}:{self.repeat}"


def normalise_id(raw: str | None) -> str | None:
    """The id without surrounding blanks or the `uuid:` prefix (None when blank)."""
    text = (raw or "").strip()
    if text.lower().startswith(UUID_PREFIX):
        text = text[len(UUID_PREFIX) :].strip()
    if not text:
        return None
    if len(text) > MAX_ID_LENGTH:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text


def _cell(values: Sequence[str], index: int | None) -> str | None:
    return normalise_id(values[index]) if index is not None and index < len(values) else None


def submission_ids(values: Sequence[str], columns: ColumnMap) -> SubmissionIds | None:
    """The row's submission ids, or None when the file (or this row) has none."""
    instance = _cell(values, columns.instance_id)
    root = _cell(values, columns.root_id)
    if instance is None and root is None:
        return None
    return SubmissionIds(instance, root, _cell(values, columns.deprecated_id))


def answers_digest(village: str, answers: dict[str, Any]) -> str:
    """A short hash of the village and the answers (the same as the keys of earlier imports)."""
    text = json.dumps([village, answers], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def latest_versions(
    responses: Sequence[ParsedResponse],
) -> tuple[list[ParsedResponse], int, list[ImportProblem]]:
    """The rows to store (earlier versions of a submission edited in the same file left out),
    how many were left out, and a problem for each id that appears twice without an edit."""
    replaced = {r.ids.deprecated for r in responses if r.ids is not None and r.ids.deprecated}
    kept: list[ParsedResponse] = []
    first_instance: dict[str, int] = {}
    first_key: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for response in responses:
        ids = response.ids
        if ids is None:
            kept.append(response)
            continue
        if ids.instance is not None:
            if ids.instance in first_instance:
                problems.append(_twice(response.row, first_instance[ids.instance], ids.instance))
                continue
            first_instance[ids.instance] = response.row
            if ids.instance in replaced:
                continue
        if response.key in first_key:
            problems.append(_twice(response.row, first_key[response.key], str(ids.root)))
            continue
        first_key[response.key] = response.row
        kept.append(response)
    return kept, len(responses) - len(kept) - len(problems), problems


def _twice(row: int, first: int, submission: str) -> ImportProblem:
    return ImportProblem(
        row,
        None,
        _(
            "submission id '{id}' is also in row {first}; each submission may appear only once"
            " (an edited version must name the version it replaces)"
        ).format(id=submission, first=first),
    )
