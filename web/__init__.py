"""Keliling web application."""

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from web import (
    api,
    assets,
    auth,
    db,
    errors,
    i18n,
    input_guard,
    jobs,
    logs,
    security,
    survey_jobs,
    throttle,
)
from web.driver import views as driver
from web.plans import editing as plan_edits
from web.plans import exports as plan_exports
from web.plans import sheets as route_sheets
from web.plans import timetable as timetables
from web.plans import views as plans
from web.settings import load_secret_key
from web.views import (
    closed_days,
    dashboard,
    demand,
    events,
    main,
    public,
    reports,
    stops,
    stops_csv,
    survey_answers,
    survey_imports,
    surveys,
    users,
    vehicles,
    villages,
)
from web.views import settings as settings_views

MAX_DATABASE_ID = 2**31 - 1

BLUEPRINTS = (
    auth.bp,
    main.bp,
    villages.bp,
    demand.bp,
    surveys.bp,
    survey_imports.bp,
    survey_answers.bp,
    stops.bp,
    stops_csv.bp,
    settings_views.bp,
    vehicles.bp,
    driver.bp,
    plans.bp,
    plan_edits.bp,
    closed_days.bp,
    route_sheets.bp,
    timetables.bp,
    plan_exports.bp,
    dashboard.bp,
    events.bp,
    reports.bp,
    public.bp,
    api.bp,
    users.bp,
    assets.bp,
    i18n.bp,
)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in routes: at most a 32-bit signed integer, the size of the tables' ids."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance config, then environment, then test overrides."""
    instance_path = os.environ.get("KELILING_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE_URL=None,
        REGION="kota_banjar",
        BABEL_DEFAULT_LOCALE="id",
        BABEL_DEFAULT_TIMEZONE="UTC",  # until a region is installed; then web.i18n uses its zone
        LANGUAGES=("id", "en"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,  # bytes; a view may raise request.max_content_length
        LOG_LEVEL="INFO",
        PROXY_FIX=0,  # how many reverse proxies (nginx: 1) to trust for X-Forwarded-For/-Proto
        SECURE_COOKIES=False,  # cookies only over https even if a request looks like http
        LOGIN_LIMIT_PER_ACCOUNT="10 per minute",  # failed logins, then 429
        LOGIN_LIMIT_PER_ADDRESS="30 per minute",
        API_AUTH_LIMIT_PER_ADDRESS="30 per minute",  # unknown API tokens, then 429
        RATELIMIT_STORAGE_URI=None,  # default: REDIS_URL, else memory (one count per process)
        REDIS_URL=None,
        BASE_URL=None,  # e.g. https://keliling.example.go.id: links that leave the site
    )
    app.config.from_pyfile("config.py", silent=True)
    for key in ("DATABASE_URL", "SECRET_KEY", "REGION", "REDIS_URL"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config.from_prefixed_env("KELILING")
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["SECRET_KEY"] = load_secret_key(app.config.get("SECRET_KEY"), app.instance_path)

    logs.init_app(app)
    security.init_app(app)
    # Ids in URLs beyond a database integer are unknown pages (404), not a PostgreSQL error.
    app.url_map.converters["int"] = DatabaseIdConverter
    db.init_app(app)
    auth.init_app(app)
    throttle.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    input_guard.init_app(app)  # first of the request hooks
    jobs.init_app(app)
    survey_jobs.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
