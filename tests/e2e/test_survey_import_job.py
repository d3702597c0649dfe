"""A koordinator uploads a survey file that is imported in the background: the page follows
the job to its summary, asks about overlapping respondents, and staff read the free text."""

import pytest
from flask import Flask

from tests.e2e.conftest import screenshot
from tests.e2e.test_survey_journey import _login, _upload
from tests.factories import SURVEY_HEADER, SURVEY_ROWS, survey_csv

pytestmark = pytest.mark.e2e
SCRIPT = "<script>document.title='diretas'</script> resep kue"
HEADER = (*SURVEY_HEADER, "kebutuhan_informasi")
ROWS = [(*row, SCRIPT if i == 0 else "") for i, row in enumerate(SURVEY_ROWS)]
EXTRA = ("Kel. Hegarsari", "anak", "L", "pelajar", "6", "30", "4", "2", "10", "ya", "5", "5",
         "rabu", "siang", "anak", "")  # fmt: skip


def test_background_import_overlap_choice_and_free_text(app: Flask, new_page) -> None:  # type: ignore[no-untyped-def]
    app.config["SURVEY_INLINE_MAX_BYTES"] = 0  # every upload goes through the job
    page, requests = new_page()
    _login(page)
    _upload(page, "survei.csv", survey_csv(ROWS, HEADER).encode())
    page.wait_for_url("**/survei/impor/*")
    message = page.locator("#import-message.flash.info")
    message.wait_for()  # the script followed the job and showed its outcome
    assert "Impor berhasil: 3 responden baru" in message.inner_text()
    screenshot(page, "14-survey-import-job")

    _upload(page, "survei-2.csv", survey_csv([*ROWS, EXTRA], HEADER).encode())
    page.wait_for_selector("#overlap-choice")
    screenshot(page, "15-survey-overlap-choice")
    page.click("#overlap-add")
    page.wait_for_selector("#import-message.flash.info")
    assert "4 responden baru" in page.locator("#import-message").inner_text()

    page.goto("/permintaan/32.79.01.2003")
    page.click("#free-text-link")
    page.wait_for_selector("#free-text-answers")
    assert SCRIPT in page.locator("#free-text-answers").inner_text()  # shown, not run
    assert page.title() != "diretas"
    screenshot(page, "16-survey-free-text")
    assert requests.outside("script", "stylesheet", "font") == []
    assert page.js_errors == []
