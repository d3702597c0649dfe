"""Answer counts per closed question (the bars of a village's page), counted as answers stream."""

from collections.abc import Iterable, Mapping
from typing import Any

from planner import survey  # the module, not its names: planner.survey imports planner.demand

CLOSED_TYPES = ("select_one", "select_multiple")
SKIPPED_QUESTIONS = ("desa",)  # the village itself: one bar at 100 % says nothing


def choice_value(value: Any) -> str:
    """A stored answer as the choice value it counts for (yes/no answers as 'ya'/'tidak')."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)


class AnswerCounter:
    """Per closed question: how many answered it and how often each value was picked."""

    def __init__(self) -> None:
        self.closed = [
            q.name
            for q in survey.QUESTIONS
            if q.type in CLOSED_TYPES and q.name not in SKIPPED_QUESTIONS
        ]
        self.counts: dict[str, dict[str, int]] = {name: {} for name in self.closed}
        self.answered = dict.fromkeys(self.closed, 0)

    def add(self, answer: Mapping[str, Any]) -> None:
        """Count one respondent's answers (a text answer is its own value, the common case)."""
        answered, counts = self.answered, self.counts
        for name in self.closed:
            value = answer.get(name)
            if value is None:
                continue
            if isinstance(value, list):
                picked = [
                    v if type(v) is str else choice_value(v)
                    for v in value
                    if v is not None and v != []
                ]
                if not picked:
                    continue
            else:
                picked = [value if type(value) is str else choice_value(value)]
            answered[name] += 1
            bucket = counts[name]
            for key in picked:
                bucket[key] = bucket.get(key, 0) + 1

    def result(self) -> dict[str, Any]:
        """The counts so far, as stored in a village's breakdown."""
        return {
            name: {
                "answered": self.answered[name],
                "counts": dict(sorted(self.counts[name].items())),
            }
            for name in self.closed
        }


def count_answers(answers: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Per closed question: how many answered it and how often each value was picked."""
    counter = AnswerCounter()
    for answer in answers:
        counter.add(answer)
    return counter.result()
