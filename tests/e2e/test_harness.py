"""The browser-test harness itself must be able to fail: axe reports violations, the CSP guard sees them."""

import pytest

from tests.e2e.axe import AccessibilityError, assert_accessible


def test_assert_accessible_fails_on_an_image_without_alt(page):
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Test</title></head>'
        '<body><main><img src="x.png"></main></body></html>'
    )

    with pytest.raises(AccessibilityError) as error:
        assert_accessible(page)

    message = str(error.value)
    assert "image-alt (critical)" in message
    assert "img" in message
    assert "https://dequeuniversity.com/rules/axe/" in message


def test_assert_accessible_passes_a_correct_snippet(page):
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Test</title></head>'
        '<body><main><h1>Titre</h1><img src="x.png" alt="Logo du réseau"></main></body></html>'
    )

    assert_accessible(page)


def test_the_site_csp_blocks_an_inline_script_and_the_guard_records_it(page, live_server, browser_problems):
    page.goto(live_server.url + "/")
    browser_problems.assert_none()

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.body.dataset.injected = 'oui'";
          document.body.append(script);
          document.body.setAttribute("style", "color: red");
        }"""
    )
    page.evaluate("() => new Promise(requestAnimationFrame)")

    assert page.evaluate("() => document.body.dataset.injected") is None
    directives = " ".join(browser_problems.csp_violations)
    assert "script-src-elem" in directives
    assert "style-src-attr" in directives
    with pytest.raises(AssertionError, match="Violations de la CSP"):
        browser_problems.assert_none()
    browser_problems.clear()


def test_the_guard_records_uncaught_javascript_errors_and_console_errors(page, live_server, browser_problems):
    page.goto(live_server.url + "/")

    page.evaluate("() => { console.error('journal rouge'); setTimeout(() => { throw new Error('boum'); }); }")
    page.wait_for_timeout(100)

    assert any("journal rouge" in error for error in browser_problems.console_errors)
    assert any("boum" in error for error in browser_problems.page_errors)
    browser_problems.clear()


def test_check_page_fails_on_an_inaccessible_page_and_names_the_rule(page, live_server, check_page):
    page.goto(live_server.url + "/")
    page.evaluate("() => document.querySelector('header img').removeAttribute('alt')")

    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        check_page(page)


def test_axe_runs_under_the_site_csp_without_violating_it(page, live_server, browser_problems):
    page.goto(live_server.url + "/")

    assert_accessible(page)

    browser_problems.assert_none()
