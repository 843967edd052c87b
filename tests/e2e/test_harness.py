"""The browser-test harness itself must be able to fail: axe reports violations, the CSP guard sees them."""

import re

import pytest
from playwright.sync_api import expect

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


def test_check_page_fails_when_a_page_scrolls_sideways_on_a_phone_and_puts_the_viewport_back(
    page, live_server, check_page
):
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const wide = document.createElement('p'); wide.id = 'trop-large'; wide.textContent = 'x';"
        " wide.style.width = '900px'; document.querySelector('main .container').append(wide); }"
    )

    with pytest.raises(AssertionError, match=r"À 390 px de large, .* défile sur le côté[\s\S]*p#trop-large"):
        check_page(page)
    assert page.viewport_size["width"] == 1280


def test_check_page_names_the_element_whose_long_word_runs_out_of_it(page, live_server, check_page):
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const long = document.createElement('p'); long.id = 'mot-long'; long.textContent = 'x'.repeat(120);"
        " long.style.overflowWrap = 'normal'; document.querySelector('main .container').append(long); }"
    )

    with pytest.raises(AssertionError, match=r"défile sur le côté[\s\S]*p#mot-long"):
        check_page(page)


def test_on_a_phone_the_main_menu_opens_from_its_button_with_the_keyboard(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    toggle = menu.get_by_role("button", name="Menu")

    expect(menu.get_by_role("link", name="Référentiel")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Référentiel")).to_be_visible()
    expect(page.locator("#main-nav-list")).to_have_class(re.compile(r"\bshow\b"))  # unfolded, transition over
    header = page.locator("header.site-header").bounding_box()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Référentiel")).to_be_hidden()
    folded = page.locator("header.site-header").bounding_box()
    assert folded["height"] < header["height"]
    assert folded["height"] <= 0.25 * 844, f"l'en-tête occupe {folded['height']} px sur 844"


def test_without_javascript_the_main_menu_is_open_on_a_phone(new_context, live_server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Navigation principale")

    expect(menu.get_by_role("link", name="Référentiel")).to_be_visible()
    expect(menu.get_by_role("button", name="Menu")).to_be_hidden()
