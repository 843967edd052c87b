"""Model factories of the entraide's tests. Tests that check the rules should go through the services
(exchange.services, exchange.messaging…); these only build rows quickly (lists, query counts, matrix samples)."""

import factory
from django.utils.text import slugify

from exchange.enums import SpaceKind
from exchange.models import Answer, Conversation, ConversationMember, Message, MessagingPreference, Question, Space
from tests.members.factories import UserFactory


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        django_get_or_create = ["slug"]

    kind = SpaceKind.THEME
    name = factory.Sequence(lambda n: f"Espace thématique {n}")
    slug = factory.LazyAttribute(lambda space: slugify(space.name))
    description = "Un espace pour les tests."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    space = factory.SubFactory(SpaceFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Comment gérer une autosaisine, cas numéro {n} ?")
    body = "Notre conseil veut s'autosaisir sur la mobilité : comment faites-vous avec les élu·es ?"
    body_html = factory.LazyAttribute(lambda question: f"<p>{question.body}</p>")
    search_text = factory.LazyAttribute(lambda question: f"{question.title} {question.body}".lower())


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Nous passons par le bureau du conseil, puis nous informons le président de l'agglomération."
    body_html = factory.LazyAttribute(lambda answer: f"<p>{answer.body}</p>")


def conversation_between(first, second, *, messages=()) -> Conversation:
    """A one-to-one conversation of `first` and `second`, both accepting messages, with `messages` as
    (sender, body) pairs."""
    for user in (first, second):
        MessagingPreference.objects.update_or_create(user=user, defaults={"accepts_messages": True})
    low, high = sorted([first.pk, second.pk])
    conversation, _created = Conversation.objects.get_or_create(pair=f"{low}-{high}")
    for user in (first, second):
        ConversationMember.objects.get_or_create(conversation=conversation, user=user)
    for sender, body in messages:
        message = Message.objects.create(conversation=conversation, sender=sender, body=body)
        conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at"])
    return conversation
