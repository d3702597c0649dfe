"""Days off as the planning pages show them: '17 Agu (Hari Kemerdekaan Republik Indonesia)'."""

import datetime as dt

from flask_babel import format_date
from flask_babel import gettext as _

from planner.calendar import DayOff, period_days_off
from web.db import get_session
from web.i18n import select_locale


def days_off_in_period(start: dt.date, weeks: int) -> list[DayOff]:
    """Holidays, cuti bersama and closed days on working days of the period, named in the
    page's language."""
    return period_days_off(get_session(), start, weeks, select_locale())


def short_day(day: DayOff) -> str:
    """'17 Agu (Hari Kemerdekaan Republik Indonesia)'."""
    return f"{format_date(day.date, 'd MMM')} ({day.name})"


def days_off_text(days: list[DayOff]) -> str:
    """One line for the plan form: the days off of the chosen period, or that there are none."""
    if not days:
        text: str = _("No holidays or closed days in this period.")
        return text
    listed = ", ".join(short_day(d) for d in days)
    text = _("Days off in this period: %(days)s", days=listed)
    return text
