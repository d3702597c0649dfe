"""A stop's impossible days (planner.editing.day_pattern_refusal) said in the page's language."""

import datetime as dt
from collections.abc import Sequence

from flask_babel import format_date
from flask_babel import gettext as _

from planner.core import WEEKDAYS
from planner.editing import MAX_ROTATION_WEEKS, DayPatternRefusal

MONDAY = dt.date(2024, 1, 1)  # to name weekdays in the page's language


def _day_names(days: Sequence[str]) -> str:
    """'Senin, Kamis' (in the page's language)."""
    return ", ".join(
        format_date(MONDAY + dt.timedelta(days=WEEKDAYS.index(day)), "EEEE") for day in days
    )


def refusal_text(refusal: DayPatternRefusal) -> str:
    """Why the stop's days cannot be met, in the page's language."""
    if refusal.code == "not_working_day":
        text: str = _(
            "The pattern %(pattern)s uses %(days)s, a day the mobile library does not work.",
            pattern=_day_names(refusal.pattern),
            days=_day_names(refusal.days),
        )
    elif refusal.code == "closed_on_working_days":
        text = _(
            "This point is open only on %(days)s, when the mobile library does not work: "
            "give it opening hours on a working day.",
            days=_day_names(refusal.days),
        )
    elif refusal.most:
        text = _(
            "%(visits)s visits per rotation cannot be planned: this point is open on %(days)s "
            "only, which allows at most %(most)s well-spread visits even in a %(weeks)s-week "
            "rotation.",
            visits=refusal.visits,
            days=_day_names(refusal.days),
            most=refusal.most,
            weeks=MAX_ROTATION_WEEKS,
        )
    else:
        text = _(
            "%(visits)s visits per rotation cannot follow the day patterns in any rotation of "
            "1-%(weeks)s weeks: a pattern gives its days every week, so the visits must be a "
            "multiple of a pattern's days.",
            visits=refusal.visits,
            weeks=MAX_ROTATION_WEEKS,
        )
    return text
