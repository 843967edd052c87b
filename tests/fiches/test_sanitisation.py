"""Hostile text through every field people type into: nothing may run or load on the pages."""

import pytest
from django.urls import reverse

from fiches import services
from fiches.models import Section
from fiches.rendering import render_markdown
from tests.fiches.factories import fiche_with_sections
from tests.members.factories import UserFactory
from tests.xss_payloads import PAYLOADS
from tests.xss_payloads import problems as _problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_keeps_nothing_dangerous(payload):
    html = render_markdown(payload)
    assert _problems(f"<body>{html}</body>") == []
    assert "<script" not in html.lower()


def test_links_keep_only_safe_schemes_with_rel():
    html = render_markdown("[site](https://exemple.fr) [mail](mailto:a@exemple.fr) [rel](/fiches/) [ftp](ftp://x)")
    assert '<a href="https://exemple.fr" rel="noopener nofollow">site</a>' in html
    assert '<a href="mailto:a@exemple.fr" rel="noopener nofollow">mail</a>' in html
    assert 'href="/fiches/"' not in html and "ftp://" not in html.split(">ftp")[0]


def test_headings_start_below_the_section_title():
    html = render_markdown("# Titre\n\n## Sous-titre")
    assert "<h3>Titre</h3>" in html and "<h4>Sous-titre</h4>" in html


def test_every_text_field_is_harmless_on_every_page(client, curator):
    """Section bodies, revision summaries, suggestion bodies, rationales, comments, reasons, version notes."""
    fiche = fiche_with_sections(len(PAYLOADS), slug="fiche-hostile")
    sections = list(Section.objects.of(fiche))
    author = UserFactory()
    suggestions = []
    for section, payload in zip(sections, PAYLOADS, strict=True):
        services.section_edit(
            section_id=section.pk,
            base_revision_id=section.current_revision_id,
            body=payload,
            summary=payload[:200],
            actor=curator,
        )
        suggestion = services.suggestion_create(
            section_id=section.pk, author=author, body=payload + " (proposition)", rationale=payload
        )
        comment = services.comment_create(suggestion_id=suggestion.pk, author=author, body=payload)
        services.comment_create(suggestion_id=suggestion.pk, author=curator, body=payload, parent_id=comment.pk)
        services.comment_report(comment_id=comment.pk, reporter=curator, reason=payload[:200])
        suggestions.append(suggestion)
    for suggestion, payload in zip(suggestions[::2], PAYLOADS[::2], strict=True):
        services.suggestion_reject(suggestion_id=suggestion.pk, actor=curator, reason=payload)
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="\n".join(PAYLOADS), actor=curator)

    pages = [
        reverse("fiches:detail", args=[fiche.slug]),
        reverse("fiches:version", args=[fiche.slug, "v1.0"]),
        reverse("fiches:versions", args=[fiche.slug]),
        reverse("fiches:history", args=[fiche.slug]),
        reverse("fiches:feed", args=[fiche.slug]),
        reverse("fiches:moderation"),
    ]
    for section in sections:
        pages += [
            reverse("fiches:section", args=[fiche.slug, section.pk]),
            reverse("fiches:section_history", args=[fiche.slug, section.pk]),
            reverse("fiches:revision_compare", args=[fiche.slug, section.pk]) + "?de=1&a=2&mode=cote",
            reverse("fiches:section_edit", args=[fiche.slug, section.pk]),
        ]
    for suggestion in suggestions:
        pages.append(reverse("fiches:suggestion", args=[suggestion.pk]))
    client.force_login(curator)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _problems(response.content.decode()) == [], url
    # The public version page too, as an anonymous visitor.
    client.logout()
    response = client.get(reverse("fiches:detail", args=[fiche.slug]))
    assert _problems(response.content.decode()) == []
    # Escaped, not dropped: readers still see what was written.
    client.force_login(author)
    page = client.get(reverse("fiches:suggestion", args=[suggestions[0].pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_author_sees_their_hostile_suggestion_harmlessly_in_the_edit_form(client):
    fiche = fiche_with_sections(1, slug="fiche-formulaire")
    section = fiche.sections.get()
    author = UserFactory()
    suggestion = services.suggestion_create(
        section_id=section.pk,
        author=author,
        body="</textarea><script>alert(1)</script>",
        rationale="<img src=x onerror=alert(1)>",
    )
    client.force_login(author)
    response = client.get(reverse("fiches:suggestion_update", args=[suggestion.pk]))
    assert _problems(response.content.decode()) == []
    preview = client.post(
        reverse("fiches:suggestion_preview", args=[fiche.slug, section.pk]),
        {"body": '<img src=x onerror=alert(1)><div hx-get="/x">'},
        headers={"HX-Request": "true"},
    )
    assert _problems(f"<body>{preview.content.decode()}</body>") == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="https://evil.example/x.gif">',
        '<a href=" javascript:alert(1)">x</a>',
        '<div hx-get="/x">x</div>',
        '<p onclick="x()">x</p>',
        '<p style="color:red">x</p>',
        '<iframe src="/x"></iframe>',
        '<a href="//evil.example">x</a>',
    ],
)
def test_the_checker_itself_catches_dangerous_markup(html):
    assert _problems(f"<body>{html}</body>")


def test_personal_fiche_fields_and_moderation_reasons_are_harmless(client, curator):
    fiche = fiche_with_sections(1, slug="fiche-commune")
    section = fiche.sections.get()
    services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)
    owner = UserFactory()
    personal = services.personal_fiche_create(
        owner=owner, fiche=fiche, job_title=PAYLOADS[0], employer=PAYLOADS[1], local_context="\n".join(PAYLOADS)
    )
    mine = personal.sections.get()
    suggestion = services.suggestion_create(section_id=section.pk, author=owner, body="Autre texte", rationale="R")
    for payload in PAYLOADS:
        services.personal_section_edit(personal_section_id=mine.pk, owner=owner, body=payload)
        comment = services.comment_create(suggestion_id=suggestion.pk, author=owner, body="Message")
        services.comment_hide(comment_id=comment.pk, actor=curator, reason=payload[:200])
        client.force_login(owner)
        for url in (reverse("fiches:my_fiche"), reverse("fiches:my_section_edit", args=[mine.pk])):
            assert _problems(client.get(url).content.decode()) == [], (url, payload)
    for user in (owner, curator):
        client.force_login(user)
        assert _problems(client.get(reverse("fiches:suggestion", args=[suggestion.pk])).content.decode()) == []
