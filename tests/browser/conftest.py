"""Browser tests: Debian's Chromium drives marm through the live server.

The tests skip, with the reason, when Chromium, the built stylesheet or
axe-core is missing, rather than failing on a machine set up without them;
with MARM_REQUIRE_BROWSER=1 (as CI sets) they fail instead.
"""

import json
import os
import re
from pathlib import Path

import pytest

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


@pytest.fixture
def check_page():
    """Check the current page with axe and keep a full-page screenshot of it."""

    def check(page, name: str) -> None:
        save_screenshot(page, name)
        assert_accessible(page)

    return check
