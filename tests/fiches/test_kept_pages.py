"""Members' pages of the fiche kept rendered (fiches.kept_pages, fiches.templatetags.revision_diffs): what is kept
reads exactly as a fresh rendering, every change shows on the next request, and what is one person's or the
team's own (the author's links, one's own messages, hidden messages, moderation tools, the follow button, the
CSRF token) never shows to another."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.generations import CSRF_PLACEHOLDER
from fiches import services
from fiches.kept_pages import FOLLOW_PLACEHOLDER
from fiches.models import Revision
from members.enums import Credit
from tests.fiches.factories import section_rewritten, suggestion_on
from tests.html import main_text, select, text_of
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _main(response) -> str:
    """The page's <main>, its CSRF tokens (masked afresh at each response) set aside."""
    assert response.status_code == 200
    html = response.content.decode()
    assert CSRF_PLACEHOLDER not in html and FOLLOW_PLACEHOLDER not in html
    main = html[html.index("<main") : html.index("</main>")]
    return TOKEN.sub("TOKEN", main)


def _kept_and_fresh(client, url) -> tuple[str, str, str]:
    """The page rendered with nothing kept, then twice from what is kept."""
    cache.clear()
    fresh = _main(client.get(url))
    return fresh, _main(client.get(url)), _main(client.get(url))


@pytest.fixture
def author():
    user = UserFactory(first_name="Anna", last_name="Auteure")
    ProfileFactory(user=user, display_name="Anna Auteure", credit=Credit.FULL_NAME)
    return user


@pytest.fixture
def commenter():
    return UserFactory(first_name="Carl", last_name="Commentaire")


@pytest.fixture
def reader():
    return UserFactory(first_name="Rita", last_name="Lectrice")


@pytest.fixture
def team():
    return UserFactory(curator=True)


@pytest.fixture
def suggestion(section, author, commenter):
    suggestion = suggestion_on(section, author=author, rationale="Pour dire ce que fait vraiment le poste.")
    services.comment_create(suggestion_id=suggestion.pk, author=commenter, body="Je suis d'accord.")
    return suggestion


def _suggestion_url(suggestion) -> str:
    return reverse("fiches:suggestion", args=[suggestion.pk])


# A suggestion's page ---------------------------------------------------------------------------------------------


def test_the_kept_suggestion_page_reads_as_a_fresh_one(suggestion, author, commenter, reader, team):
    for user in (reader, author, commenter, team):
        fresh, kept, again = _kept_and_fresh(_client(user), _suggestion_url(suggestion))
        assert kept == fresh == again


def test_the_suggestion_page_follows_each_change(suggestion, section, author, commenter, reader, team):
    url = _suggestion_url(suggestion)
    client = _client(reader)
    page = main_text(client.get(url))
    assert "0 soutien" in page and "Je suis d'accord." in page and "Changements proposés" in page

    services.suggestion_support(suggestion_id=suggestion.pk, user=UserFactory())
    assert "1 soutien" in main_text(client.get(url))

    reply = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Et les soirées ?")
    assert "Et les soirées ?" in main_text(client.get(url))

    services.comment_hide(comment_id=reply.pk, actor=team, reason="Hors sujet")
    page = main_text(client.get(url))
    assert "Et les soirées ?" not in page and "Motif : Hors sujet" in page
    assert "Et les soirées ?" in main_text(_client(team).get(url))  # the team still reads it

    author.profile.display_name = "Anna Renommée"
    author.profile.save()
    assert "Anna Renommée" in main_text(client.get(url))

    section_rewritten(section, "Un tout autre texte pour la section.")
    assert "La section a changé depuis que cette proposition a été rédigée" in main_text(client.get(url))

    section.refresh_from_db()
    services.suggestion_update(
        suggestion_id=suggestion.pk,
        author=author,
        body="Un tout autre texte pour la section, et les comptes rendus.",
        rationale="Mise à jour sur le texte actuel.",
        lock_version=type(suggestion).objects.get(pk=suggestion.pk).lock_version,
        base_revision_id=section.current_revision_id,
    )
    page = main_text(client.get(url))
    assert "Mise à jour sur le texte actuel." in page and "La section a changé" not in page

    services.suggestion_accept(suggestion_id=suggestion.pk, actor=team)
    number = Revision.objects.get(suggestion=suggestion).number
    assert f"Cette proposition est devenue la révision {number} de la section." in main_text(client.get(url))


def test_the_suggestion_page_shows_each_person_their_own_parts(suggestion, author, commenter, reader, team):
    url = _suggestion_url(suggestion)
    # The team, the author and the commenter come first: what they see of their own never reaches the reader.
    team_page = main_text(_client(team).get(url))
    assert "Masquer" in team_page and "Décision de l'équipe CNCD" in team_page
    author_page = main_text(_client(author).get(url))
    assert "Modifier ma proposition" in author_page and "Soutenir cette proposition" not in author_page
    commenter_response = _client(commenter).get(url)
    own = select(commenter_response, "article.fiche-comment")[0]
    assert not select(own, "a[href$='/signaler/']")  # no "Signaler" on one's own message

    reader_client = _client(reader)
    reader_response = reader_client.get(url)
    reader_page = main_text(reader_response)
    assert "Masquer" not in reader_page and "Décision de l'équipe CNCD" not in reader_page
    assert "Modifier ma proposition" not in reader_page and "Soutenir cette proposition" in reader_page
    assert select(select(reader_response, "article.fiche-comment")[0], "a[href$='/signaler/']")

    # The reader's own support and follow buttons, and their own CSRF token in every form.
    reader_client.post(reverse("fiches:suggestion_support", args=[suggestion.pk]))
    response = reader_client.get(url)
    assert "Vous la soutenez" in main_text(response)
    assert "Vous la soutenez" not in main_text(_client(UserFactory()).get(url))
    token = response.cookies.get("csrftoken") or reader_client.cookies["csrftoken"]
    assert token.value
    forms = select(response, "main form[method='post']")
    assert forms and all(select(form, "input[name='csrfmiddlewaretoken']") for form in forms)


def test_a_reader_who_writes_a_message_gets_their_own_rendering(suggestion, reader):
    url = _suggestion_url(suggestion)
    client = _client(reader)
    client.get(url)  # kept for the members who take no part
    services.comment_create(suggestion_id=suggestion.pk, author=reader, body="Mon avis.")
    own = _article_with(client.get(url), "Mon avis.")
    assert not select(own, "a[href$='/signaler/']")
    # The others still read the kept rendering, now with the reader's message and its "Signaler".
    assert select(_article_with(_client(UserFactory()).get(url), "Mon avis."), "a[href$='/signaler/']")


def _article_with(response, text: str):
    return next(article for article in select(response, "article.fiche-comment") if text in text_of(article))


def _queries(client, url) -> list[str]:
    reset_queries()  # a request clears the log: counted from an empty one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_suggestion_page_makes_few_queries_once_kept(suggestion, reader):
    url = _suggestion_url(suggestion)
    client = _client(reader)
    first = _queries(client, url)
    kept = _queries(client, url)
    for i in range(5):
        top = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body=f"Message {i}")
        services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Réponse", parent_id=top.pk)
    client.get(url)
    assert len(kept) < len(first) and len(_queries(client, url)) == len(kept)
    assert not any("fiches_comment" in sql for sql in kept)


# The working draft -----------------------------------------------------------------------------------------------


def test_the_kept_draft_reads_as_a_fresh_one(fiche, reader, team):
    suggestion_on(fiche.sections.first())
    url = reverse("fiches:detail", args=[fiche.slug])
    for user in (reader, team):
        fresh, kept, again = _kept_and_fresh(_client(user), url)
        assert kept == fresh == again


def test_the_draft_follows_each_change(fiche, section, reader, team):
    url = reverse("fiches:detail", args=[fiche.slug])
    client = _client(reader)
    assert "Aucune proposition ouverte" in main_text(client.get(url))

    suggestion = suggestion_on(section)
    assert "1 proposition ouverte" in main_text(client.get(url))

    services.suggestion_reject(suggestion_id=suggestion.pk, actor=team, reason="Déjà dit ailleurs.")
    assert "1 proposition ouverte" not in main_text(client.get(url))

    section_rewritten(section, "Un texte tout neuf pour la première section.")
    assert "Un texte tout neuf pour la première section." in main_text(client.get(url))

    section.title = "Missions principales"
    section.save()
    assert "Missions principales" in main_text(client.get(url))


def test_the_draft_shows_the_team_its_links_and_each_member_their_follow_button(fiche, reader, team):
    url = reverse("fiches:detail", args=[fiche.slug])
    assert "Publier une version" in main_text(_client(team).get(url))  # the team first
    follower = _client(reader)
    page = main_text(follower.get(url))
    assert "Publier une version" not in page and "Modifier —" not in page
    follower.post(reverse("fiches:follow", args=["fiche", fiche.pk]), {"suivre": "1"})
    assert "Ne plus suivre" in main_text(follower.get(url))
    other = main_text(_client(UserFactory()).get(url))
    assert "Ne plus suivre" not in other and "Suivre" in other


# Comparing two revisions -----------------------------------------------------------------------------------------


def test_the_diff_of_two_revisions_is_kept_and_reads_as_a_fresh_one(fiche, section, reader):
    section_rewritten(section, "Texte de la section 0 : animer les séances plénières du conseil en soirée.")
    client = _client(reader)
    for mode in ("ligne", "cote"):
        url = reverse("fiches:revision_compare", args=[fiche.slug, section.pk]) + f"?de=1&a=2&mode={mode}"
        fresh, kept, again = _kept_and_fresh(client, url)
        assert kept == fresh == again
        assert "plénières" in fresh
    side_by_side = client.get(url)
    assert select(side_by_side, ".fiche-diff ins") and "Révision 1" in main_text(side_by_side)
    inline = client.get(reverse("fiches:revision_compare", args=[fiche.slug, section.pk]) + "?de=1&a=2")
    assert len(select(inline, ".fiche-diff")) == 1  # each mode its own entry


def test_a_kept_diff_reads_no_text(fiche, section, reader):
    section_rewritten(section, "Un texte réécrit.")
    url = reverse("fiches:revision_compare", args=[fiche.slug, section.pk]) + "?de=1&a=2"
    client = _client(reader)
    first = _queries(client, url)
    kept = _queries(client, url)
    assert len(kept) < len(first)
    # The section's current text comes with the section; the revisions compared are read without theirs.
    revisions = [sql for sql in kept if sql.startswith('SELECT "fiches_revision"')]
    assert revisions and not any('"fiches_revision"."body"' in sql for sql in revisions)
    assert "réécrit" in main_text(client.get(url))
    # Another pair is another diff.
    section_rewritten(section, "Un troisième texte.")
    other = reverse("fiches:revision_compare", args=[fiche.slug, section.pk]) + "?de=2&a=3"
    assert "troisième" in main_text(client.get(other))
