"""Publishing a plan leaves a line in the audit log, from the browser and from the CLI."""

import logging

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from planner.plans import build_problem, store_plan
from planner.store import make_engine, session_scope
from tests.conftest import AuthActions
from tests.factories import TODAY, solved_once
from web.cli import main


def _draft(app: Flask) -> int:
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with session_scope(engine) as session:
            problem, context = build_problem(session, TODAY, 1)
            plan = solved_once(problem)
            row = store_plan(session, problem, plan, context, 1)
            assert row.id is not None
            return row.id
    finally:
        engine.dispose()


def _audit(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "keliling.audit"]


def test_publishing_in_the_browser_is_logged_with_who_did_it(
    app: Flask, client: FlaskClient, auth: AuthActions, caplog: pytest.LogCaptureFixture
) -> None:
    plan_id = _draft(app)
    caplog.set_level(logging.INFO, logger="keliling.audit")
    auth.login("koordinator")
    caplog.clear()
    assert client.post(f"/rencana/{plan_id}/terbitkan", data={"confirm": "yes"}).status_code == 302
    assert _audit(caplog) == [f"plan published: plan={plan_id} by=koordinator"]


def test_publishing_from_the_command_line_is_logged(
    app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id = _draft(app)
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    caplog.set_level(logging.INFO, logger="keliling.audit")
    result = CliRunner().invoke(main, ["plan", "publish", str(plan_id)])
    assert result.exit_code == 0, result.output
    assert _audit(caplog) == [f"plan published: plan={plan_id} by=cli"]
