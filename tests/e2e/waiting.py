"""Waiting for a condition in the page without Playwright's `wait_for_function`.

`wait_for_function` re-evaluates its predicate from the page's own animation frames, where the strict
CSP of the site forbids `eval`: when the condition is not true on the first try, the wait fails with
an EvalError (seen on a search page whose htmx request was still running). `page.evaluate` goes
through the browser's debugging protocol, which the CSP does not govern, so the polling is done here.
"""

import time

from playwright.sync_api import Error as PlaywrightError

POLL_SECONDS = 0.05


def wait_until(page, expression: str, *, timeout: float = 10.0):
    """Evaluate the JavaScript `expression` until it is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = page.evaluate(expression)
        except PlaywrightError as error:
            # A navigation replaced the document during the evaluation: ask the new one.
            if "context was destroyed" not in str(error):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Toujours faux après {timeout} s dans {page.url} : {expression}")
        time.sleep(POLL_SECONDS)
