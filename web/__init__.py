"""Keliling web application."""

import os
from collections.abc import Mapping
from importlib import import_module
from typing import Any

from flask import Blueprint, Flask
from werkzeug.routing import IntegerConverter, Map

from web import (
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
from web.settings import load_secret_key

MAX_DATABASE_ID = 2**31 - 1

# The app's pages, in registration order. They are imported by blueprints(), so an app without
# pages (`keliling survey import`, `keliling worker`) loads neither the maps (folium, pandas)
# nor the plan pages.
PAGE_MODULES = (
    "web.auth",
    "web.views.main",
    "web.views.villages",
    "web.views.demand",
    "web.views.surveys",
    "web.views.survey_imports",
    "web.views.survey_answers",
    "web.views.stops",
    "web.views.stops_csv",
    "web.views.settings",
    "web.views.vehicles",
    "web.driver.views",
    "web.plans.views",
    "web.plans.editing",
    "web.views.closed_days",
    "web.plans.sheets",
    "web.plans.timetable",
    "web.plans.exports",
    "web.views.dashboard",
    "web.views.events",
    "web.views.reports",
    "web.views.public",
    "web.api",
    "web.views.users",
    "web.assets",
    "web.i18n",
)


def blueprints() -> tuple[Blueprint, ...]:
    """The blueprints of every page, imported now."""
    return tuple(import_module(name).bp for name in PAGE_MODULES)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in routes: at most a 32-bit signed integer, the size of the tables' ids."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: Mapping[str, Any] | None = None, *, pages: bool = True) -> Flask:
    """Build the app: defaults, then instance config, then environment, then test overrides.

    pages=False: configuration, database and jobs only (the CLI's imports and the worker)."""
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
    for blueprint in blueprints() if pages else ():
        app.register_blueprint(blueprint)
    return app
