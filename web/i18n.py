"""Language choice (Bahasa Indonesia first, English available) and WIB times."""

import datetime as dt

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask_babel import Babel, format_date, format_datetime, format_decimal, format_time
from werkzeug.wrappers import Response

from web.auth import safe_next

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    """The language the user picked, else the default (id)."""
    chosen = session.get("lang")
    languages = current_app.config["LANGUAGES"]
    return chosen if chosen in languages else languages[0]


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the locale selector."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["decimal1"] = lambda value: format_decimal(value, format="#,##0.0")
    app.jinja_env.filters["weekday_date"] = weekday_date
    app.jinja_env.filters["time"] = format_time

    @app.context_processor
    def inject_languages() -> dict[str, object]:
        return {"languages": app.config["LANGUAGES"], "current_lang": select_locale()}


@bp.get("/bahasa/<code>")
def set_language(code: str) -> Response:
    """Remember the chosen language in the session and go back."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))


def weekday_date(value: dt.date | str) -> str:
    """'Senin, 30 November 2026' (in the user's language)."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "EEEE, d MMMM yyyy")
