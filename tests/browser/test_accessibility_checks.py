"""The checks every journey relies on can fail: small pages that break them on purpose.

A page 400 pixels wide fails the reflow check at 320; a <div onclick> "button"
fails the keyboard run, as does a button whose focus cannot be seen.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import REFLOW_WIDTH, assert_reflows

pytestmark = [pytest.mark.browser, pytest.mark.single_input_mode]

Failed = pytest.fail.Exception


def show(page: Page, body: str) -> None:
    page.set_content(f'<!doctype html><html lang="en"><head><title>Check</title></head><body>{body}</body></html>')


def test_a_page_with_an_element_400_pixels_wide_fails_the_reflow_check(page: Page):
    show(page, '<main><p>Fits.</p><div class="too-wide" style="width: 400px">Wide</div></main>')
    with pytest.raises(Failed) as failure:
        assert_reflows(page)
    message = str(failure.value)
    assert "does not reflow at 320px wide" in message
    assert "main > div.too-wide: 400px wide" in message
    # The window is back to its size for the rest of the journey.
    assert page.viewport_size["width"] > REFLOW_WIDTH


def test_a_narrow_page_and_a_wide_table_in_its_own_scrolling_region_pass_the_reflow_check(page: Page):
    show(
        page,
        '<main><p>Fits.</p><div style="overflow-x: auto" tabindex="0" role="region" aria-label="Figures">'
        '<table style="width: 600px"><tr><th>Month</th><td>12</td></tr></table></div></main>',
    )
    assert_reflows(page)


@pytest.mark.parametrize("input_mode", ["keyboard"], indirect=True)
def test_a_div_with_onclick_cannot_be_pressed_in_the_keyboard_run(page: Page, input_mode):
    show(page, "<main><div onclick=\"this.textContent = 'Saved'\">Save</div></main>")
    with pytest.raises(Failed, match=r"Keyboard run: Tab cannot reach .*<div onclick="):
        page.get_by_text("Save").click()
    expect(page.get_by_text("Save")).to_be_visible()


@pytest.mark.parametrize("input_mode", ["keyboard"], indirect=True)
def test_a_button_whose_focus_cannot_be_seen_fails_the_keyboard_run(page: Page, input_mode):
    show(page, "<style>button:focus { outline: none }</style><main><button>Save</button></main>")
    with pytest.raises(Failed, match="shows no visible focus"):
        page.get_by_role("button", name="Save").click()


@pytest.mark.parametrize("input_mode", ["keyboard"], indirect=True)
def test_the_keyboard_run_presses_buttons_and_ticks_boxes(page: Page, input_mode):
    show(
        page,
        "<main><button onclick=\"this.textContent = 'Saved'\">Save</button>"
        '<input type="checkbox" id="agree"><label for="agree">I agree</label>'
        "<details><summary>More</summary><p>Inside</p></details></main>",
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Saved")).to_be_focused()
    page.get_by_label("I agree").check()
    expect(page.get_by_label("I agree")).to_be_checked()
    page.get_by_text("More").click()
    expect(page.get_by_text("Inside")).to_be_visible()


def test_hidden_text_that_escapes_a_scrolling_region_still_fails_the_reflow_check(page: Page):
    # Absolutely positioned text escapes a region that is not itself positioned, and widens the page.
    show(
        page,
        '<main><div style="overflow-x: auto"><table style="width: 600px"><tr><td>Figures'
        '<span class="escaping" style="position: absolute; left: 450px; width: 1px">End</span></td>'
        '<td style="width: 500px">Wide</td></tr></table></div></main>',
    )
    with pytest.raises(Failed, match=r"span\.escaping: 1px wide"):
        assert_reflows(page)
