"""Language choice (Bahasa Indonesia first, English available) and times in the region's zone."""

import datetime as dt
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import support
from flask import Blueprint, Flask, current_app, g, redirect, request, session, url_for
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
)
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms.i18n import messages_path

from planner.core import DEFAULT_LANGUAGE, NotFoundError, format_hhmm, zone_abbreviation, zone_of
from planner.core import set_language as set_planner_language
from planner.reports import Month
from planner.store import region_zone
from web.auth import safe_next
from web.db import get_session
from web.ui.messages import diagnostic_message, unserved_reason

bp = Blueprint("i18n", __name__)
babel = Babel()
TRANSLATIONS = Path(__file__).parent / "translations"
WTFORMS_DOMAIN = "wtforms"


def select_locale() -> str:
    """The language the user picked, else the default (id)."""
    chosen: str | None = session.get("lang")
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    return chosen if chosen in languages else languages[0]


def current_zone() -> ZoneInfo:
    """The installed region's zone (once per request); the configured default before one exists."""
    if "region_zone" not in g:
        db = get_session()
        try:
            # A page may render with unsaved changes pending: reading the zone must not flush them.
            with db.no_autoflush:
                g.region_zone = region_zone(db)
        except (NotFoundError, SQLAlchemyError):
            # No region yet, or a database that cannot answer: an error page must still render.
            g.region_zone = zone_of(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    zone: ZoneInfo = g.region_zone
    return zone


def select_timezone() -> str:
    """The zone Flask-Babel shows times in: the region's, by its IANA name."""
    return current_zone().key


def zone_label(zone: ZoneInfo) -> str:
    """The zone as the page footers name it, e.g. 'WITA (Asia/Makassar)'."""
    return f"{zone_abbreviation(zone)} ({zone.key})"


@cache
def wtforms_messages(locale: str) -> support.NullTranslations:
    """WTForms' own messages ("Not a valid date value.") in `locale`: the Indonesian catalogue
    kept here (WTForms ships none), else the one WTForms ships, else English."""
    ours = support.Translations.load(str(TRANSLATIONS), [locale], domain=WTFORMS_DOMAIN)
    if isinstance(ours, support.Translations):
        return ours
    return support.Translations.load(messages_path(), [locale], domain=WTFORMS_DOMAIN)


def _wtforms_in_page_language() -> None:
    # Flask-WTF looks for the request's WTForms catalogue here before loading WTForms' own.
    request.wtforms_translations = wtforms_messages(str(get_locale()))  # type: ignore[attr-defined]


def _planner_in_page_language() -> None:
    # The planner's messages (errors, checks, reasons) are made in the page's language.
    set_planner_language(str(get_locale()))


def _planner_back_to_default(_error: BaseException | None) -> None:
    set_planner_language(DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the locale and time zone selectors; form errors follow it."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.before_request(_wtforms_in_page_language)
    app.before_request(_planner_in_page_language)
    app.teardown_request(_planner_back_to_default)
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["decimal1"] = lambda value: format_decimal(value, format="#,##0.0")
    app.jinja_env.filters["weekday_date"] = weekday_date
    app.jinja_env.filters["time"] = format_time
    app.jinja_env.filters["hhmm"] = clock_time
    app.jinja_env.filters["unserved_reason"] = unserved_reason
    app.jinja_env.filters["diagnostic_message"] = diagnostic_message

    @app.context_processor
    def inject_languages() -> dict[str, object]:
        return {
            "languages": app.config["LANGUAGES"],
            "current_lang": select_locale(),
            "zone_label": zone_label(current_zone()),
            "zone_abbr": zone_abbreviation(current_zone()),
        }


@bp.get("/bahasa/<code>")
def set_language(code: str) -> Response:
    """Remember the chosen language in the session and go back."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))


def clock_time(moment: dt.datetime | None) -> str:
    """'08:05' for a local time of a plan (empty when there is none)."""
    return format_hhmm(moment) if moment is not None else ""


def weekday_date(value: dt.date | str) -> str:
    """'Senin, 30 November 2026' (in the user's language)."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    text: str = format_date(day, "EEEE, d MMMM yyyy")
    return text


def month_name(month: Month) -> str:
    """'Desember 2026' (in the user's language)."""
    return str(format_date(month.first, "LLLL yyyy"))
