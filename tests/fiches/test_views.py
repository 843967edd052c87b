import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.generations import bump
from core.models import AuditEntry
from fiches import caching, services
from fiches.enums import SuggestionStatus
from fiches.models import Comment, Revision, Section, Suggestion, Support
from tests.fiches.factories import fiche_with_sections, suggestion_on
from tests.html import content_text, page_text, select, select_one, text_of
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


# Access rules -----------------------------------------------------------------------------------


# Who may open each page (GET) is in tests/core/test_authorization_matrix.py; here, what a POST does.


@pytest.mark.parametrize("who", ["anonymous", "pending", "member"])
def test_curator_actions_are_refused_to_others(client, fiche, section, member, pending_user, who):
    user = {"anonymous": None, "pending": pending_user, "member": UserFactory()}[who]
    if user:
        client.force_login(user)
    suggestion = suggestion_on(section, author=member)
    client.post(reverse("fiches:suggestion_accept", args=[suggestion.pk]))
    client.post(reverse("fiches:suggestion_reject", args=[suggestion.pk]), {"reason": "Non"})
    client.post(
        reverse("fiches:section_edit", args=[fiche.slug, section.pk]),
        {"body": "Piraté", "base_revision": section.current_revision_id},
    )
    client.post(reverse("fiches:version_publish", args=[fiche.slug]), {"label": "v9"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    assert not Revision.objects.filter(body="Piraté").exists()
    assert not fiche.versions.exists()


def test_anonymous_visitors_see_the_published_version_not_the_draft(client, fiche, section, curator):
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body="Brouillon pas encore publié.",
        summary="",
        actor=curator,
    )
    page = page_text(client.get(reverse("fiches:detail", args=[fiche.slug])))
    assert "Version v1.0" in page
    assert "Texte de la section 0" in page and "Brouillon pas encore publié" not in page


def test_members_switch_between_the_draft_and_the_published_version(member_client, fiche, section, curator):
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body="Brouillon pas encore publié.",
        summary="",
        actor=curator,
    )
    url = reverse("fiches:detail", args=[fiche.slug])
    draft = member_client.get(url)
    assert "Brouillon pas encore publié" in page_text(draft)
    # The draft links to the published version with the same French parameter the view reads.
    link = select_one(draft, f'a[href="{url}?vue=publiee"]')
    published = page_text(member_client.get(link.get("href")))
    assert "Version v1.0" in published and "Brouillon pas encore publié" not in published


def test_a_fiche_without_published_version_says_so(client, fiche):
    response = client.get(reverse("fiches:detail", args=[fiche.slug]))
    assert response.status_code == 404
    assert "Aucune version de cette fiche n'a encore été publiée" in page_text(response)


# The working draft and its query count ---------------------------------------------------------


def test_members_see_the_draft_with_open_suggestion_counts(member_client, fiche, section):
    suggestion_on(section)
    suggestion_on(section)
    page = page_text(member_client.get(reverse("fiches:detail", args=[fiche.slug])))
    assert "Version de travail" in page
    assert "2 propositions ouvertes" in page
    assert "Aucune proposition ouverte" in page


def _draft_queries(client, sections: int) -> int:
    fiche = fiche_with_sections(sections, slug=f"fiche-{sections}")
    authors = [UserFactory() for _ in range(3)]
    for section in Section.objects.of(fiche):
        Suggestion.objects.bulk_create(
            Suggestion(
                section=section,
                author=authors[i % 3],
                base_revision_id=section.current_revision_id,
                body=f"Texte {i}",
                rationale="Raison",
            )
            for i in range(20)
        )
    url = reverse("fiches:detail", args=[fiche.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    counts = [text_of(section) for section in select(response, "section.fiche-section")]
    assert sum("20 propositions ouvertes" in count for count in counts) == sections
    return len(queries)


def test_draft_page_query_count_does_not_grow_with_sections_and_suggestions(member_client):
    assert _draft_queries(member_client, 5) == _draft_queries(member_client, 50)


def test_section_and_suggestion_pages_query_count_is_constant(member_client, fiche, section):
    def count(url):
        member_client.get(url)  # the first request fills what is kept for every page (the header)
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url).status_code == 200
        return len(queries)

    first = suggestion_on(section)
    services.comment_create(suggestion_id=first.pk, author=UserFactory(), body="Un")
    section_url = reverse("fiches:section", args=[fiche.slug, section.pk])
    suggestion_url = reverse("fiches:suggestion", args=[first.pk])
    before = (count(section_url), count(suggestion_url))
    for i in range(10):
        suggestion_on(section)
        top = services.comment_create(suggestion_id=first.pk, author=UserFactory(), body=f"Message {i}")
        services.comment_create(suggestion_id=first.pk, author=UserFactory(), body="Réponse", parent_id=top.pk)
    assert (count(section_url), count(suggestion_url)) == before


# Suggesting, through the pages ------------------------------------------------------------------


def test_a_member_proposes_a_change_with_a_preview_first(member_client, member, fiche, section):
    url = reverse("fiches:suggestion_create", args=[fiche.slug, section.pk])
    form = page_text(member_client.get(url))
    assert "Texte de la section 0" in form and "Prévisualiser" in form

    new_text = "Texte de la section 0 : animer les séances plénières du conseil en soirée."
    preview = member_client.post(url, {"body": new_text, "rationale": "Plus précis.", "preview": "1"})
    assert preview.status_code == 200 and not Suggestion.objects.exists()
    assert "[ajouté :] plénières" in [text_of(ins) for ins in select(preview, "ins")]
    assert select(preview, "ins span.visually-hidden")  # the change is spoken, not only coloured
    assert "Plus précis." in page_text(preview)  # what the member typed is kept

    response = member_client.post(url, {"body": new_text, "rationale": "Plus précis."}, follow=True)
    suggestion = Suggestion.objects.get()
    assert suggestion.author == member and suggestion.body == new_text
    assert "Votre proposition est enregistrée" in page_text(response)


def test_the_htmx_preview_returns_only_the_diff(member_client, fiche, section):
    url = reverse("fiches:suggestion_preview", args=[fiche.slug, section.pk])
    response = member_client.post(url, {"body": "Texte nouveau"}, headers={"HX-Request": "true"})
    fragment = content_text(response)
    assert fragment.lstrip().startswith('<section id="apercu"')
    assert "<del>" in fragment and "<ins>" in fragment and "<html" not in fragment
    # A cache never gives this fragment for a page, nor the reverse.
    assert "HX-Request" in response["Vary"]


def test_without_javascript_the_preview_url_leads_back_to_the_form(member_client, fiche, section):
    url = reverse("fiches:suggestion_preview", args=[fiche.slug, section.pk])
    response = member_client.post(url, {"body": "Texte nouveau"})
    assert response.status_code == 302
    assert response["Location"] == reverse("fiches:suggestion_create", args=[fiche.slug, section.pk])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "rationale": "Raison"}, "Ce champ est obligatoire."),
        ({"body": "Nouveau texte", "rationale": ""}, "Ce champ est obligatoire."),
        ({"body": "Texte de la section 0 : animer les séances du conseil en soirée.", "rationale": "R"}, "identique"),
    ],
)
def test_bad_suggestions_are_refused_on_the_page(member_client, fiche, section, data, message):
    response = member_client.post(reverse("fiches:suggestion_create", args=[fiche.slug, section.pk]), data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not Suggestion.objects.exists()


def test_a_suggestion_on_a_removed_section_is_refused_with_a_message(member_client, fiche):
    response = member_client.post(
        reverse("fiches:suggestion_create", args=[fiche.slug, 999_999]),
        {"body": "Texte", "rationale": "Raison"},
        follow=True,
    )
    assert "Cette section n'existe plus" in page_text(response)
    assert not Suggestion.objects.exists()


def test_double_support_is_refused_with_a_message(client, section, member):
    suggestion = suggestion_on(section, author=member)
    supporter = UserFactory()
    client.force_login(supporter)
    url = reverse("fiches:suggestion_support", args=[suggestion.pk])
    assert "Votre soutien est enregistré" in page_text(client.post(url, follow=True))
    assert "Vous soutenez déjà cette proposition" in page_text(client.post(url, follow=True))
    assert Support.objects.filter(suggestion=suggestion).count() == 1


def test_curator_accepts_then_a_second_accept_is_refused(curator_client, section, member):
    suggestion = suggestion_on(section, author=member)
    url = reverse("fiches:suggestion_accept", args=[suggestion.pk])
    assert "La proposition est acceptée" in page_text(curator_client.post(url, follow=True))
    count = Revision.objects.count()
    assert "déjà été traitée" in page_text(curator_client.post(url, follow=True))
    assert Revision.objects.count() == count


def test_curator_rejects_with_a_reason_shown_on_the_suggestion(curator_client, section, member):
    suggestion = suggestion_on(section, author=member)
    url = reverse("fiches:suggestion_reject", args=[suggestion.pk])
    assert "Indiquez le motif du refus" in page_text(curator_client.post(url, {"reason": ""}, follow=True))
    page = page_text(curator_client.post(url, {"reason": "Doublon avec la section suivante."}, follow=True))
    assert "Doublon avec la section suivante." in page and "Refusée" in page


def test_outdated_suggestion_shows_the_diff_against_the_current_text_and_its_author_updates_it(
    client, section, member, curator
):
    suggestion = suggestion_on(section, author=member, body="Texte A proposé.")
    services.section_edit(
        section_id=section.pk, base_revision_id=section.current_revision_id, body="Texte B.", summary="", actor=curator
    )
    client.force_login(member)
    page = page_text(client.get(reverse("fiches:suggestion", args=[suggestion.pk])))
    assert "À mettre à jour" in page and "Changements par rapport au texte actuel" in page
    assert "Mettre à jour ma proposition sur le texte actuel" in page
    url = reverse("fiches:suggestion_update", args=[suggestion.pk])
    tokens = {name: client.get(url).context["form"][name].value() for name in ("lock_version", "base_revision")}
    client.post(url, {"body": "Texte B amélioré.", "rationale": "Rebasée"} | tokens)
    suggestion.refresh_from_db()
    assert suggestion.base_revision.body == "Texte B." and suggestion.body == "Texte B amélioré."


# Direct editing with conflicts ----------------------------------------------------------------


def test_a_conflicting_edit_keeps_the_editors_text_and_shows_both(curator_client, fiche, section, curator):
    url = reverse("fiches:section_edit", args=[fiche.slug, section.pk])
    opened_on = section.current_revision_id
    services.section_edit(
        section_id=section.pk, base_revision_id=opened_on, body="Texte de Claire.", summary="", actor=UserFactory()
    )
    response = curator_client.post(url, {"body": "Texte de Karim.", "summary": "", "base_revision": opened_on})
    page = page_text(response)
    assert response.status_code == 200
    assert "Conflit de modification" in page
    assert "Texte de Karim." in page  # kept in the form
    assert "Texte de Claire." in page  # the current text is shown
    assert select(response, "del") and select(response, "ins")
    section.refresh_from_db()
    assert section.current_revision.body == "Texte de Claire."

    # The form now carries the current revision: saving the merged text works.
    current = section.current_revision_id
    assert select_one(response, 'input[name="base_revision"]').get("value") == str(current)
    curator_client.post(url, {"body": "Texte de Claire et de Karim.", "summary": "Fusion", "base_revision": current})
    section.refresh_from_db()
    assert section.current_revision.body == "Texte de Claire et de Karim."
    assert Revision.objects.filter(section=section).count() == 3


def test_history_compare_and_restore(curator_client, fiche, section, curator):
    first = section.current_revision
    services.section_edit(
        section_id=section.pk, base_revision_id=first.pk, body="Texte réécrit.", summary="Réécriture", actor=curator
    )
    history = page_text(curator_client.get(reverse("fiches:section_history", args=[fiche.slug, section.pk])))
    assert "Réécriture" in history and "Restaurer la révision 1" in history
    compare_url = reverse("fiches:revision_compare", args=[fiche.slug, section.pk])
    inline = curator_client.get(compare_url, {"de": 1, "a": 2})
    assert select(inline, "del") and "réécrit" in page_text(inline)
    side = curator_client.get(compare_url, {"de": 1, "a": 2, "mode": "cote"})
    assert len(select(side, ".fiche-diff.fiche-user-text")) == 2

    curator_client.post(reverse("fiches:revision_restore", args=[first.pk]))
    section.refresh_from_db()
    assert section.current_revision.number == 3 and section.current_revision.body == first.body
    assert AuditEntry.objects.filter(action="fiches.revision.restored").exists()


def test_publish_and_compare_versions(curator_client, client, fiche, section, curator):
    url = reverse("fiches:version_publish", args=[fiche.slug])
    curator_client.post(url, {"label": "v1.0", "summary": "Première"})
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body="Nouveau texte.",
        summary="",
        actor=curator,
    )
    curator_client.post(url, {"label": "v1.1", "summary": "Seconde"})
    assert "Rien n'a changé" in page_text(curator_client.post(url, {"label": "v1.2", "summary": ""}))
    compare = client.get(reverse("fiches:version_compare", args=[fiche.slug]), {"de": "v1.0", "a": "v1.1"})
    assert "[ajouté :] Nouveau" in [text_of(ins) for ins in select(compare, "ins")]
    assert "Inchangée." in page_text(compare)


def test_members_report_and_curators_hide_a_comment(client, section, member, curator):
    suggestion = suggestion_on(section, author=member)
    comment = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Message blessant")
    client.force_login(member)
    client.post(reverse("fiches:comment_report", args=[comment.pk]), {"reason": "Blessant"})
    client.force_login(curator)
    assert "Message blessant" in page_text(client.get(reverse("fiches:moderation")))
    client.post(reverse("fiches:comment_hide", args=[comment.pk]), {"reason": "Propos blessants"})
    client.force_login(member)
    page = page_text(client.get(reverse("fiches:suggestion", args=[suggestion.pk])))
    assert "Message masqué par l'équipe CNCD. Motif : Propos blessants" in page
    assert "Message blessant" not in page
    assert Comment.objects.get().hidden_by == curator


def test_public_version_and_history_pages_query_count_is_constant(client, curator):
    def counts(sections):
        fiche = fiche_with_sections(sections, slug=f"fiche-v{sections}")
        for section in Section.objects.of(fiche):
            services.section_edit(
                section_id=section.pk,
                base_revision_id=section.current_revision_id,
                body="Deuxième texte.",
                summary="",
                actor=UserFactory(),
            )
        services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)
        result = []
        for url, user in [
            (reverse("fiches:detail", args=[fiche.slug]), None),
            (reverse("fiches:history", args=[fiche.slug]), curator),
            (reverse("fiches:feed", args=[fiche.slug]), curator),
        ]:
            client.logout()
            if user:
                client.force_login(user)
            client.get(url)  # the first request fills what is kept for every page (the header)
            # What the history keeps (its table, its contributors) is read again after any change: counted so.
            bump(caching.DRAFT)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    assert counts(3) == counts(20)
