"""A koordinator closes the library for a day, then sees it and 17 August named on the plan form
as soon as the period changes (the form's script asks the server; no inline script)."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_koordinator_sees_the_days_off_of_the_chosen_period(new_page) -> None:  # type: ignore[no-untyped-def]
    page, requests = new_page()
    page.goto("/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dasbor/")

    page.click("nav >> text=Hari libur")
    page.wait_for_url("**/hari-libur/")
    page.fill("#date", "2027-08-19")
    page.fill("#reason", "Stock opname")
    page.click("#closed-day-form button[type=submit]")
    assert "19 Agustus 2027 kini hari tutup." in page.locator(".flash").inner_text()
    assert "Stock opname" in page.locator("#closed-days").inner_text()
    screenshot(page, "70-closed-days")

    page.goto("/rencana/")
    page.fill("#start", "2027-08-16")
    page.dispatch_event("#start", "change")
    line = page.locator("#plan-days-off")  # Playwright's expect polls without eval (CSP)
    expect(line).to_have_text(
        "Libur dalam periode ini: 17 Agu (Hari Kemerdekaan Republik Indonesia), "
        "19 Agu (Stock opname)"
    )
    page.fill("#start", "2027-07-26")
    page.dispatch_event("#start", "change")
    expect(line).to_have_text("Tidak ada hari libur atau hari tutup dalam periode ini.")
    page.select_option("#weeks", "4")
    expect(line).to_contain_text("17 Agu (Hari Kemerdekaan Republik Indonesia)")
    screenshot(page, "71-plan-form-days-off")
    assert requests.outside("script", "stylesheet", "font", "fetch", "xhr") == []
    assert page.js_errors == []
