"""Browser tests: Debian's Chromium drives marm through the live server.

The tests skip, with the reason, when Chromium, the built stylesheet or
axe-core is missing, rather than failing on a machine set up without them;
with MARM_REQUIRE_BROWSER=1 (as CI sets) they fail instead.

Every journey runs twice: once as written ("pointer"), and once with the
keyboard alone ("keyboard"), where a click moves the focus to the control
and presses Enter or Space instead. MARM_KEYBOARD_RUN=false leaves the
keyboard run out (CI does so on its second, PostgreSQL pass). What is
checked, and what still needs a person, is in docs/accessibility.md.
"""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator

REPO_ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
BUILT_CSS = REPO_ROOT / "build" / "static" / "marm" / "marm.css"
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# WCAG 2.2 success criterion 1.4.10 (reflow): usable at 320 CSS pixels wide
# without scrolling in two directions.
REFLOW_WIDTH = 320
REFLOW_HEIGHT = 800


def _keyboard_run() -> bool:
    value = os.environ.get("MARM_KEYBOARD_RUN", "true")
    if value not in ("true", "false"):
        raise pytest.UsageError(f"MARM_KEYBOARD_RUN must be true or false, not {value!r}")
    return value == "true"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "single_input_mode: a browser test that runs once, not again with the keyboard alone"
    )


def pytest_generate_tests(metafunc):
    # Only tests that drive a page are journeys; the keyboard run is theirs.
    if "page" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("single_input_mode"):
        return
    modes = ["pointer", "keyboard"] if _keyboard_run() else ["pointer"]
    metafunc.parametrize("input_mode", modes, indirect=True)


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return "Debian chromium is not installed at /usr/bin/chromium: apt-get install chromium"
    if not BUILT_CSS.exists():
        return "build/static/marm/marm.css is missing: build the static files with `make setup`"
    if not AXE_SCRIPT.exists():
        return "node_modules/axe-core/axe.min.js is missing: install the npm packages with `make setup`"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason is None:
        return
    if os.environ.get("MARM_REQUIRE_BROWSER") == "1":
        # CI installs Chromium: there a missing browser is a failure, not a skip.
        raise pytest.UsageError(f"Browser tests are required here but cannot run: {reason}")
    for item in items:
        if BROWSER_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def playwright(playwright):
    # Playwright's synchronous API keeps an event loop running in the test
    # thread, which Django takes for async code and so refuses the database
    # calls that fixtures make. No marm code runs in that loop: allow them
    # while Playwright is running, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # marm's Content-Security-Policy only allows its own scripts; axe-core is
    # injected into each page to check it, so the test browser bypasses it.
    return {**browser_context_args, "bypass_csp": True}


def _describe(violation: dict) -> str:
    targets = [json.dumps(node["target"]) for node in violation["nodes"][:3]]
    more = len(violation["nodes"]) - len(targets)
    where = ", ".join(targets) + (f" and {more} more" if more > 0 else "")
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} at {where}"


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now; fail listing every violation."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate("async () => (await axe.run()).violations")
    if violations:
        lines = "\n".join(_describe(violation) for violation in violations)
        pytest.fail(f"{len(violations)} accessibility violation(s) on {page.url}:\n{lines}", pytrace=False)


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# The element, or the widest one, that sticks out past the right edge of a
# narrow window, with a CSS selector to find it. Elements inside a scrolling
# region (a wide data table in its own scroll container) do not make the page
# scroll, so they do not count.
_OVERFLOW_SCRIPT = """(limit) => {
  const scrolls = (node) => {
    // An absolutely positioned element escapes a scrolling region unless the region, or something
    // inside it, is positioned; a fixed one always does.
    const position = getComputedStyle(node).position;
    if (position === "fixed") return false;
    let escaping = position === "absolute";
    for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.position !== "static") escaping = false;
      if (!escaping && ["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
    }
    return false;
  };
  const selector = (node) => {
    const parts = [];
    for (let at = node; at && at !== document.body && parts.length < 4; at = at.parentElement) {
      let part = at.tagName.toLowerCase();
      if (at.id) part += "#" + at.id;
      for (const name of Array.from(at.classList).slice(0, 2)) part += "." + name;
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const offenders = [];
  for (const node of document.body.querySelectorAll("*")) {
    const box = node.getBoundingClientRect();
    if (box.width > 0 && box.right + window.scrollX > limit && !scrolls(node)) {
      offenders.push({selector: selector(node), width: Math.round(box.width), right: Math.round(box.right)});
    }
  }
  offenders.sort((a, b) => b.width - a.width);
  return {scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 3)};
}"""


def assert_reflows(page) -> None:
    """Fail if the page scrolls sideways at 320 CSS pixels wide; restore the window after."""
    original = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": REFLOW_HEIGHT})
    try:
        # Two animation frames: the layout for the new width has been done.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        measured = page.evaluate(_OVERFLOW_SCRIPT, REFLOW_WIDTH)
    finally:
        if original is not None:
            page.set_viewport_size(original)
    if measured["scrollWidth"] > REFLOW_WIDTH:
        lines = "\n".join(
            f"- {each['selector']}: {each['width']}px wide, right edge at {each['right']}px"
            for each in measured["offenders"]
        )
        pytest.fail(
            f"{page.url} does not reflow at {REFLOW_WIDTH}px wide: the page is {measured['scrollWidth']}px wide"
            f" (WCAG 1.4.10). Widest element(s) sticking out:\n{lines or '- none found'}",
            pytrace=False,
        )


# Keyboard alone. The focus moves to the control as Tab would (a control Tab
# cannot reach fails), its focus must be visible (its own style, or its
# label's for GOV.UK radios and checkboxes, changes), then Enter or Space.
_FOCUS_STYLE_SCRIPT = """(element) => {
  const properties = ["outline-style", "outline-width", "outline-color", "box-shadow", "background-color",
                      "color", "border-color", "border-width", "text-decoration-line"];
  const parts = [[element, null]];
  for (const label of element.labels || []) parts.push([label, null], [label, "::before"], [label, "::after"]);
  return parts.map(([node, pseudo]) => {
    const style = getComputedStyle(node, pseudo);
    return properties.map(name => style.getPropertyValue(name)).join(" ");
  }).join(" | ");
}"""

_TABBABLE_SCRIPT = """(element) => {
  if (document.activeElement === element) element.blur();
  return {tabbable: element.tabIndex >= 0 && !element.disabled && !element.closest("[inert]"),
          html: element.outerHTML.slice(0, 200)};
}"""


def _describe_control(locator: Locator, html: str) -> str:
    return f"{locator} ({html})"


def _focus_with_keyboard(locator: Locator) -> None:
    """Move the focus to the control as Tab would, or fail saying why a keyboard user cannot."""
    locator.wait_for(state="visible")
    control = locator.evaluate(_TABBABLE_SCRIPT)
    where = _describe_control(locator, control["html"])
    if not control["tabbable"]:
        pytest.fail(f"Keyboard run: Tab cannot reach {where}", pytrace=False)
    unfocused = locator.evaluate(_FOCUS_STYLE_SCRIPT)
    locator.focus()
    if not locator.evaluate("(element) => document.activeElement === element"):
        pytest.fail(f"Keyboard run: {where} does not take the focus", pytrace=False)
    if locator.evaluate(_FOCUS_STYLE_SCRIPT) == unfocused:
        pytest.fail(f"Keyboard run: {where} shows no visible focus", pytrace=False)


def _key_for(locator: Locator) -> str:
    # Space ticks a checkbox, selects a radio and opens a summary; Enter follows links and presses buttons.
    return locator.evaluate(
        '(element) => (element.tagName === "SUMMARY" || ["checkbox", "radio"].includes(element.type))'
        ' ? "Space" : "Enter"'
    )


def keyboard_click(locator: Locator, *, timeout: float | None = None, **_pointer_options) -> None:
    """Locator.click, with the keyboard alone."""
    _focus_with_keyboard(locator)
    locator.press(_key_for(locator), timeout=timeout)


def keyboard_check(locator: Locator, *, timeout: float | None = None, **_pointer_options) -> None:
    """Locator.check, with the keyboard alone: Space, and then the box must be ticked."""
    if locator.is_checked():
        return
    _focus_with_keyboard(locator)
    locator.press("Space", timeout=timeout)
    if not locator.is_checked():
        pytest.fail(f"Keyboard run: Space did not tick {locator}", pytrace=False)


@pytest.fixture(autouse=True)
def input_mode(request, monkeypatch) -> str:
    """ "pointer" runs a journey as written; "keyboard" turns its clicks and ticks into key presses."""
    mode = getattr(request, "param", "pointer")
    if mode == "keyboard":
        monkeypatch.setattr(Locator, "click", keyboard_click)
        monkeypatch.setattr(Locator, "check", keyboard_check)
    return mode


@pytest.fixture
def check_page(input_mode):
    """Check the current page with axe and at 320 pixels wide, and keep a full-page screenshot of it.

    The keyboard run visits the same pages as the pointer run, which has checked them already.
    """

    def check(page, name: str) -> None:
        if input_mode == "keyboard":
            return
        save_screenshot(page, name)
        assert_accessible(page)
        assert_reflows(page)

    return check
