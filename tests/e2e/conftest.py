"""Browser tests: pytest-playwright's fixtures driving Debian's Chromium against pytest-django's live server.

Every test under tests/e2e is marked `e2e` (run them alone with `-m e2e`, skip them with `-m "not e2e"`).
A test that asks for `live_server` gets `transactional_db` too (pytest-django does it), so the server
thread sees the test's data and the test sees the server's; the locmem mailbox (`mailoutbox`) is
shared because the server runs in the same process. pytest-playwright's options still work:
`--headed`, `--slowmo 300`, `--tracing retain-on-failure`, `--screenshot only-on-failure`.

Every browser context records CSP violations, uncaught JavaScript errors and console errors; a test
fails if any happened, unless it cleared them itself. `check_page` runs axe-core too: call it on
every page a journey shows.
"""

import os
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.waiting import wait_until

E2E_DIR = Path(__file__).parent

# This network is closed: without the background-networking flags Chromium floods refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in every document before the page's own scripts; init scripts are injected through the
# DevTools protocol, so the page's CSP does not block them.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__e2eCspViolation({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back what the migrations load (regions, départements) when a transactional test before
    this one emptied the tables. Asking for `transactional_db` (not `db`) keeps browser tests in
    pytest-django's last group, after every test that runs inside a rolled-back transaction."""
    if not apps.get_model("members", "Department").objects.exists():
        import_module("members.migrations.0003_regions_departments").load(apps, None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never `playwright install` (no download here): use the system Chromium.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@dataclass
class BrowserProblems:
    """What went wrong in the browser during a test: CSP violations, JavaScript errors, console errors."""

    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        context.expose_binding("__e2eCspViolation", self._on_csp_violation)
        context.add_init_script(_CSP_LISTENER)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.page_errors.append(f"{error.page and error.page.url}: {error.error}"))

    def _on_csp_violation(self, source, report):
        self.csp_violations.append(
            f"{source['frame'].url}: {report['directive']} a bloqué {report['blocked'] or 'inline'}"
            f" ({report['source']}:{report['line']}) {report['sample'] or ''}".rstrip()
        )

    def _on_console(self, message):
        if message.type != "error":
            return
        resource = message.location.get("url", "")
        # The Django admin's pages declare no icon, so Chromium asks for /favicon.ico, which the
        # site does not serve (its own pages link to static/img/favicon.svg).
        if resource.endswith("/favicon.ico"):
            return
        self.console_errors.append(f"{message.page and message.page.url}: {message.text} {resource}".rstrip())

    def clear(self) -> None:
        self.csp_violations.clear()
        self.page_errors.clear()
        self.console_errors.clear()

    def report(self) -> str:
        lines = []
        for title, problems in [
            ("Violations de la CSP", self.csp_violations),
            ("Erreurs JavaScript", self.page_errors),
            ("Erreurs dans la console", self.console_errors),
        ]:
            if problems:
                lines.append(f"{title} :")
                lines.extend(f"  - {problem}" for problem in problems)
        return "\n".join(lines)

    def assert_none(self) -> None:
        report = self.report()
        assert not report, report


@pytest.fixture
def browser_problems():
    problems = BrowserProblems()
    yield problems
    problems.assert_none()


@pytest.fixture
def new_context(new_context, browser_problems):
    """pytest-playwright's context factory (and so `context` and `page`), watched for browser problems."""

    def watched_new_context(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(20_000)
        browser_problems.watch(context)
        return context

    return watched_new_context


# Every checked page is checked again on a phone's screen: 390 px wide (a common phone), where the
# page must not scroll sideways (a wide table scrolls inside its own box, `.table-responsive`).
PHONE_VIEWPORT = {"width": 390, "height": 844}
OVERFLOW_TOLERANCE = 1  # px: sub-pixel rounding

# The elements sticking out of the phone's screen, for the failure message (at most 8, innermost first).
_OVERFLOWING = """(limit) => {
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    // Its box, or its own text running out of it (a word longer than the box).
    const spill = getComputedStyle(element).overflowX === "visible" ? element.scrollWidth - element.clientWidth : 0;
    if (box.width === 0 || Math.max(box.right, box.left + element.clientWidth + spill) <= limit) continue;
    // Skipped when an ancestor inside the screen clips it (a scrolling box such as .table-responsive); an
    // absolutely positioned element escapes the boxes that are not positioned themselves.
    const absolute = ["absolute", "fixed"].includes(getComputedStyle(element).position);
    let scroller = element.parentElement, clipped = false;
    while (scroller && scroller !== document.body) {
      const style = getComputedStyle(scroller);
      const clips = style.overflowX !== "visible" && (!absolute || style.position !== "static");
      if (clips && scroller.getBoundingClientRect().right <= limit) { clipped = true; break; }
      scroller = scroller.parentElement;
    }
    if (clipped) continue;
    const id = element.id ? "#" + element.id : "";
    const classes = [...element.classList].slice(0, 3).map((name) => "." + name).join("");
    const right = Math.round(Math.max(box.right, box.left + element.clientWidth + spill));
    found.push(`${element.tagName.toLowerCase()}${id}${classes} (jusqu'à ${right} px)`);
  }
  return found.reverse().slice(0, 8);
}"""


@pytest.fixture
def check_page(browser_problems):
    """Check the page as it is now: no CSP violation or browser error so far, no WCAG A/AA violation;
    then again at a phone's width (PHONE_VIEWPORT): axe once more, and no sideways scrolling.

    With CODEV_E2E_SCREENSHOT_DIR set, also save full-page screenshots named after `name` (`-390` for
    the phone's).
    """

    def check(page, name: str = "", *, skip_rules=()):
        page.wait_for_load_state("load")
        # Let any htmx request finish, so that axe sees the settled page.
        wait_until(page, "!document.querySelector('.htmx-request')")
        screenshot_dir = os.environ.get("CODEV_E2E_SCREENSHOT_DIR")
        if screenshot_dir and name:
            page.screenshot(path=Path(screenshot_dir) / f"{name}.png", full_page=True)
        violations = axe_violations(page, skip_rules=skip_rules)
        failures = [violations and format_violations(violations, url=page.url)]
        failures.extend(_check_on_a_phone(page, name, screenshot_dir, skip_rules))
        # Read the browser's reports after axe's round trips, so that every event of the page has arrived.
        failures = [browser_problems.report(), *failures]
        failures = [failure for failure in failures if failure]
        assert not failures, "\n\n".join(failures)

    return check


def _check_on_a_phone(page, name, screenshot_dir, skip_rules) -> list[str]:
    """The page at PHONE_VIEWPORT: axe's violations and any sideways overflow; the viewport is put back."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE_VIEWPORT)
    try:
        width = PHONE_VIEWPORT["width"]
        wait_until(page, f"document.documentElement.clientWidth <= {width}")
        # Two frames: the page's resize handlers (site.js: scrolling tables take the focus) have run.
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if screenshot_dir and name:
            page.screenshot(path=Path(screenshot_dir) / f"{name}-{width}.png", full_page=True)
        failures = []
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width + OVERFLOW_TOLERANCE:
            culprits = page.evaluate(_OVERFLOWING, width + OVERFLOW_TOLERANCE)
            failures.append(
                f"À {width} px de large, {page.url} défile sur le côté (largeur {scroll_width} px) :\n"
                + "\n".join(f"  - {culprit}" for culprit in culprits)
            )
        violations = axe_violations(page, skip_rules=skip_rules)
        if violations:
            failures.append(f"À {width} px de large : " + format_violations(violations, url=page.url))
        return failures
    finally:
        if desktop:
            page.set_viewport_size(desktop)
