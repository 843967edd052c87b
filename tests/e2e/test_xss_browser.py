"""The XSS corpus in Chromium: pages full of hostile text, where no payload may run.

Every payload that would run calls `alert(…)` or sets `window.__xss`: the page starts with
`window.__xss = false` and a dialog handler records every alert. The harness's CSP and console
guard fails the test too (a payload blocked by the CSP is still markup that should not exist),
and axe checks each page.
"""

import pytest
from playwright.sync_api import expect

from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG
from members.enums import Visibility
from tests.e2e.login import log_in
from tests.fiches.factories import fiche_with_sections
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.xss_payloads import PAYLOADS

ALL = "\n".join(PAYLOADS)
SENTINEL = "window.__xss = false;"


@pytest.fixture
def watched(new_context):
    """A page with the sentinel installed, and the list of the dialogs it opened."""

    def open_page():
        context = new_context()
        context.add_init_script(SENTINEL)
        page = context.new_page()
        dialogs = []

        def record(dialog):
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", record)
        return page, dialogs

    return open_page


def _nothing_ran(page, dialogs):
    # Give event handlers (onload, onerror, onfocus, ontoggle, timers) their chance to fire.
    page.wait_for_timeout(300)
    page.evaluate("() => new Promise(requestAnimationFrame)")
    assert page.evaluate("() => window.__xss") is False, f"{page.url} : un payload a modifié window.__xss"
    assert dialogs == [], f"{page.url} : {dialogs}"


def test_the_sentinel_and_the_dialog_handler_see_a_payload_that_runs(watched):
    """The check itself must be able to fail: the same payloads, unescaped and without the site's CSP, run."""
    page, dialogs = watched()
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Brut</title></head><body>'
        "<img src=x onerror=alert(2)><svg/onload=window.__xss=true></body></html>"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is True
    assert dialogs == ["alert: 2"]


def test_hostile_profile_fiche_suggestion_and_referentiel_item_run_nothing(watched, live_server, check_page):
    # A public profile whose every free-text field holds the corpus.
    author = UserFactory(email="hostile@example.org")
    ProfileFactory(
        user=author,
        display_name=PAYLOADS[0],
        pronouns=PAYLOADS[1][:40],
        job_title=PAYLOADS[2],
        employer=PAYLOADS[3],
        bio=ALL[:1500],
        help_topics=ALL[1500:2500],
        training_wishes=ALL[2500:3500],
        identity_visibility=Visibility.PUBLIC,
        post_visibility=Visibility.PUBLIC,
        about_visibility=Visibility.PUBLIC,
    )
    # A référentiel whose competence and activity texts are payloads.
    data = small_data("v1.0")
    for competence, payload in zip(data.competences, PAYLOADS, strict=False):
        competence.title, competence.description = payload, ALL
        competence.levels = {1: payload, 2: ALL}
    for activity, payload in zip(data.activities, reversed(PAYLOADS), strict=False):
        activity.title, activity.description = payload, ALL
    build_version(data)
    # A suggestion on the common fiche, with a hostile text, rationale and comments.
    fiche = fiche_with_sections(1, slug=COMMON_FICHE_SLUG)
    section = fiche.sections.get()
    suggestion = fiche_services.suggestion_create(section_id=section.pk, author=author, body=ALL, rationale=ALL)
    for payload in PAYLOADS[:20]:
        fiche_services.comment_create(suggestion_id=suggestion.pk, author=author, body=payload)

    page, dialogs = watched()
    competence = data.competences[0].code
    activity = data.activities[0].code
    for path, name in [
        (f"/membres/{author.pk}/", "xss-profil"),
        (f"/referentiel/v1.0/competences/{competence}/", "xss-competence"),
        (f"/referentiel/v1.0/activites/{activity}/", "xss-activite"),
        ("/referentiel/v1.0/competences/", "xss-competences"),
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_text(PAYLOADS[0], exact=False).first).to_be_visible()
        _nothing_ran(page, dialogs)
        check_page(page, name)

    reader = UserFactory(email="lectrice@example.org")
    log_in(page, live_server, reader.email)
    page.goto(live_server.url + f"/fiches/propositions/{suggestion.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text(PAYLOADS[0]).first).to_be_visible()
    _nothing_ran(page, dialogs)
    check_page(page, "xss-proposition")
    # The profile again, as a member: the fields for members only show too.
    page.goto(live_server.url + f"/membres/{author.pk}/")
    _nothing_ran(page, dialogs)
    check_page(page, "xss-profil-membre")
