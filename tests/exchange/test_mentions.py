"""@mentions: handles, links in the rendered text, one notification per post and member (network area)."""

import pytest
from django.urls import reverse

from exchange import mentions, services
from exchange.models import Block, Mention
from fiches.models import Notification
from members.enums import AccountStatus
from tests.exchange.factories import SpaceFactory
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(name, **user_options):
    return ProfileFactory(user=UserFactory(**user_options), display_name=name).user


@pytest.fixture
def space():
    return SpaceFactory(name="Animation", slug="animation")


@pytest.fixture
def author():
    return person("Alice Autrice")


def test_handles_fold_accents_and_number_collisions_by_account_age():
    first = person("Zoé Martin")
    second = person("Zoe  MARTIN")
    pending = person("Paul Attente", pending=True)
    refused = person("Rémi Refus", refused=True)
    handles = mentions.handles_of_members()
    assert handles["zoe-martin"] == first.pk
    assert handles["zoe-martin-2"] == second.pk
    assert pending.pk not in handles.values() and refused.pk not in handles.values()
    erased = person("Eve Effacée")
    erased.erased_at = erased.date_joined
    erased.save()
    assert "eve-effacee" not in mentions.handles_of_members()


def test_render_links_approved_members_only_outside_code_and_links():
    zoe = person("Zoé Martin")
    person("Paul Attente", pending=True)
    html = (
        "<p>Merci @Zoé-Martin, et @paul-attente. Écrire à zoe@zoe-martin.fr.</p>"
        '<p><code>@zoe-martin</code> <a href="https://example.org">@zoe-martin</a></p>'
    )
    rendered = mentions.mentions_render(html)
    url = reverse("members:detail", args=[zoe.pk])
    assert rendered.count(f'<a href="{url}" class="mention">@Zoé-Martin</a>') == 1
    assert rendered.count('class="mention"') == 1  # not in code, not in a link, not an address
    assert "@paul-attente" in rendered and reverse("members:detail", args=[zoe.pk + 1000]) not in rendered
    assert "<code>@zoe-martin</code>" in rendered


def test_render_without_at_sign_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert mentions.mentions_render("<p>Bonjour</p>") == "<p>Bonjour</p>"


def test_asking_notifies_each_mentioned_member_once_even_after_edits(space, author):
    zoe = person("Zoé Martin")
    paul = person("Paul Durand")
    question = services.question_ask(
        user=author, space=space, title="Autosaisine ?", body="Qu'en pensez-vous @zoe-martin ?"
    )
    assert f'href="{reverse("members:detail", args=[zoe.pk])}"' in question.body_html
    notes = Notification.objects.filter(recipient=zoe)
    assert notes.count() == 1
    note = notes.get()
    assert note.actor == author and "mentionné·e dans la question « Autosaisine ? »" in note.message
    assert author.display_name not in note.message and "Zoé" not in note.message
    question.refresh_from_db()
    services.question_edit(
        question=question,
        user=author,
        title=question.title,
        body="Qu'en pensez-vous @zoe-martin et @paul-durand ?",
        is_discussion=False,
        lock_version=question.lock_version,
    )
    assert Notification.objects.filter(recipient=zoe).count() == 1  # never twice for the same post
    assert Notification.objects.filter(recipient=paul).count() == 1
    assert set(Mention.objects.filter(question=question).values_list("user_id", flat=True)) == {zoe.pk, paul.pk}


def test_answer_mentions_skip_pending_self_and_blockers(space, author):
    question = services.question_ask(user=author, space=space, title="Budget ?", body="Comment ?")
    answerer = person("Bruno Répond")
    blocker = person("Chloé Bloque")
    pending = person("Paul Attente", pending=True)
    Block.objects.create(blocker=blocker, blocked=answerer)
    answer = services.answer_post(
        question=question, user=answerer, body="Voir @chloe-bloque, @paul-attente et @bruno-repond."
    )
    assert list(Mention.objects.filter(answer=answer).values_list("user_id", flat=True)) == [blocker.pk]
    assert not Notification.objects.filter(recipient__in=[blocker, pending], message__contains="mentionné").exists()
    assert not Mention.objects.filter(user=pending).exists()
    assert pending.status == AccountStatus.PENDING


def test_mention_through_the_answer_form(client, space, author):
    question = services.question_ask(user=author, space=space, title="Réunions ?", body="Quel rythme ?")
    zoe = person("Zoé Martin")
    answerer = person("Bruno Répond")
    client.force_login(answerer)
    response = client.post(
        reverse("exchange:answer_add", args=[question.pk]), {"body": "Demandez à @zoe-martin."}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{reverse("members:detail", args=[zoe.pk])}" class="mention">@zoe-martin</a>' in page
    assert Notification.objects.filter(recipient=zoe, message__contains="dans une réponse").count() == 1


def test_mention_search_page_and_fragment(client):
    viewer = person("Vera Voit")
    zoe = person("Zoé Martin")
    person("Zoé Martin")
    person("Zoé Attente", pending=True)
    client.force_login(viewer)
    page = client.get(reverse("exchange:mention_search"), {"q": "zoe"}).content.decode()
    assert "@zoe-martin</code>" in page and "@zoe-martin-2</code>" in page
    assert "Attente" not in page
    assert f'href="{reverse("members:detail", args=[zoe.pk])}"' in page
    fragment = client.get(reverse("exchange:mention_search"), {"q": "zoe"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "@zoe-martin</code>" in body and "<html" not in body
    assert fragment["Vary"] and "HX-Request" in fragment["Vary"]
    empty = client.get(reverse("exchange:mention_search"), {"q": "personne"}).content.decode()
    assert "Aucun membre ne correspond" in empty


def test_a_profile_shows_the_handle_that_mentions_the_member(client):
    person("Zoé Martin")
    second = person("Zoé Martin")
    client.force_login(person("Vera Voit"))
    page = client.get(reverse("members:detail", args=[second.pk])).content.decode()
    assert "Écrivez @zoe-martin-2 dans une question ou une réponse" in page
