"""Private messages between members, through the pages as members use them, and the rules of exchange.messaging."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange import messaging, ratelimits
from exchange.enums import ReportStatus
from exchange.models import Block, Conversation, ConversationMember, Message, MessagingPreference, Report
from fiches.enums import EmailMode
from fiches.models import Notification
from fiches.notifications import email_mode_set
from tests.exchange.factories import conversation_between
from tests.html import main_text, select, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("exchange:conversations")
PREFERENCES = reverse("exchange:messaging_preferences")
NOT_RECEIVING = "Ce membre ne reçoit pas de messages."


def _person(first, last, *, accepts=True):
    user = UserFactory(first_name=first, last_name=last)
    ProfileFactory(user=user, display_name=f"{first} {last}")
    if accepts:
        messaging.preference_set(user=user, accepts=True)
    return user


@pytest.fixture
def alice():
    return _person("Alice", "Armor")


@pytest.fixture
def bruno():
    return _person("Bruno", "Brocéliande")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start_url(user) -> str:
    return reverse("exchange:conversation_start", args=[user.pk])


def _write(client, recipient, body):
    return client.post(_start_url(recipient), {"body": body})


# --- Preferences ------------------------------------------------------------------------------------------


def test_messages_are_off_until_the_member_turns_them_on(client):
    member = _person("Chloé", "Causses", accepts=False)
    client.force_login(member)
    page = client.get(PREFERENCES)
    assert page.status_code == 200
    assert not select_one(page, "input[name=accepts_messages]").get("checked")
    assert "Vos messages privés sont désactivés" in main_text(page)
    response = client.post(PREFERENCES, {"accepts_messages": "on"}, follow=True)
    assert "Les membres du réseau peuvent maintenant vous écrire." in main_text(response)
    assert messaging.accepts_messages(member)
    response = client.post(PREFERENCES, {}, follow=True)
    assert "Plus personne ne peut vous écrire" in main_text(response)
    assert not messaging.accepts_messages(member)


def test_turning_messages_off_keeps_conversations_readable_but_nobody_writes(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(alice, "Bonjour Bruno")])
    messaging.preference_set(user=bruno, accepts=False)
    # Bruno still reads, but may not answer (nobody could answer him) and nobody may write to him.
    page = _client(bruno).get(conversation.get_absolute_url())
    assert "Bonjour Bruno" in main_text(page)
    assert "Vos messages privés sont désactivés" in main_text(page)
    assert not select(page, "textarea[name=body]")
    response = _client(alice).post(conversation.get_absolute_url(), {"body": "Tu es là ?"})
    assert response.status_code == 400
    assert NOT_RECEIVING in main_text(response)
    assert Message.objects.count() == 1


# --- Starting a conversation ------------------------------------------------------------------------------


def test_a_member_writes_to_another_who_accepts(alice, bruno):
    client = _client(alice)
    form = client.get(_start_url(bruno))
    assert form.status_code == 200
    assert "Écrire à Bruno Brocéliande" in main_text(form)
    response = _write(client, bruno, "Bonjour,\ncomment gérez-vous l'autosaisine ?")
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{conversation.get_absolute_url()}#message-{message.pk}"
    assert conversation.pair == messaging.pair_of(alice.pk, bruno.pk)
    assert set(conversation.members.values_list("user_id", flat=True)) == {alice.pk, bruno.pk}
    page = client.get(conversation.get_absolute_url())
    # Plain text with its line breaks.
    assert "Bonjour,<br>comment gérez-vous l'autosaisine ?" in page.content.decode().replace("&#x27;", "'")
    # Going back to "write" to the same member goes on in the same conversation.
    again = client.get(_start_url(bruno))
    assert again.status_code == 302 and again["Location"] == conversation.get_absolute_url()
    _write(client, bruno, "Et une seconde question.")
    assert Conversation.objects.count() == 1 and Message.objects.count() == 2


def test_markup_is_shown_as_text(alice, bruno):
    _write(_client(alice), bruno, "<script>alert(1)</script> <b>gras</b>")
    page = _client(bruno).get(Conversation.objects.get().get_absolute_url())
    html = page.content.decode()
    assert "<script>alert(1)" not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt;" in html


@pytest.mark.parametrize("why", ["off", "blocked_me"])
def test_who_does_not_receive_and_who_blocked_me_read_the_same(alice, bruno, why):
    if why == "off":
        messaging.preference_set(user=bruno, accepts=False)
    else:
        messaging.block_create(blocker=bruno, blocked=alice)
    client = _client(alice)
    page = client.get(_start_url(bruno))
    assert page.status_code == 200
    assert NOT_RECEIVING in main_text(page)
    assert "a bloqué" not in main_text(page)
    assert not select(page, "textarea[name=body]")
    response = _write(client, bruno, "Bonjour")
    assert response.status_code == 400
    assert NOT_RECEIVING in main_text(response)
    assert not Message.objects.exists() and not Conversation.objects.exists()


def test_the_blocker_is_reminded_of_their_own_block(alice, bruno):
    messaging.block_create(blocker=alice, blocked=bruno)
    page = _client(alice).get(_start_url(bruno))
    assert "Vous avez bloqué ce membre" in main_text(page)


def test_a_member_with_messages_off_cannot_write(bruno):
    member = _person("Chloé", "Causses", accepts=False)
    page = _client(member).get(_start_url(bruno))
    assert "Vos messages privés sont désactivés" in main_text(page)
    assert select(page, f"main a[href='{PREFERENCES}']")


def test_nobody_writes_to_themself_nor_to_a_pending_account(alice):
    client = _client(alice)
    assert client.get(_start_url(alice)).status_code == 404
    pending = UserFactory(pending=True)
    assert client.get(_start_url(pending)).status_code == 404


def test_an_empty_or_too_long_message_is_refused_and_what_was_typed_is_kept(alice, bruno):
    client = _client(alice)
    empty = _write(client, bruno, "   ")
    assert empty.status_code == 400
    assert "Écrivez votre message." in main_text(empty)
    long_text = "Un long message. " * 400
    too_long = _write(client, bruno, long_text)
    assert too_long.status_code == 400
    assert "au plus 5000 caractères" in main_text(too_long)
    assert select_one(too_long, "textarea[name=body]").text.strip() == long_text.strip()
    assert not Message.objects.exists()


def test_the_rate_limit_refuses_with_the_text_kept(alice, bruno, monkeypatch):
    asked = []

    def refusal(user, action):
        asked.append(action)
        return "Vous publiez très vite : patientez."

    monkeypatch.setattr(ratelimits, "posting_refusal", refusal)
    response = _write(_client(alice), bruno, "Mon message gardé")
    assert response.status_code == 400
    assert "Vous publiez très vite : patientez." in main_text(response)
    assert select_one(response, "textarea[name=body]").text.strip() == "Mon message gardé"
    assert not Message.objects.exists()
    # A first message starts a conversation: the limit of new conversations is asked first.
    assert asked == [ratelimits.CONVERSATION]


def test_new_accounts_start_only_so_many_conversations_a_day(alice, settings):
    settings.EXCHANGE_NEW_ACCOUNT_CONVERSATIONS_PER_DAY = 1
    first, second = _person("Denis", "Dombes"), _person("Emma", "Estuaire")
    messaging.message_send(sender=alice, recipient=first, body="Bonjour")
    with pytest.raises(messaging.MessagingError, match="conversations en 24 heures"):
        messaging.message_send(sender=alice, recipient=second, body="Bonjour")
    # Going on in a conversation is not starting one.
    messaging.message_send(sender=alice, recipient=first, body="Encore moi")


# --- Notifications ----------------------------------------------------------------------------------------


def test_the_recipient_is_told_without_the_text_nor_the_sender(alice, bruno, django_capture_on_commit_callbacks):
    email_mode_set(user=bruno, email_mode=EmailMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        _write(_client(alice), bruno, "Texte très privé sur mon conseil")
    notification = Notification.objects.get(recipient=bruno)
    assert notification.message == "Nouveau message privé de la part d'un membre"
    assert notification.actor is None
    assert notification.url == Conversation.objects.get().get_absolute_url()
    assert not Notification.objects.filter(recipient=alice).exists()
    [email] = mail.outbox
    assert "Nouveau message privé de la part d'un membre" in email.body
    assert "Texte très privé" not in email.body and "Alice" not in email.body and "Armor" not in email.body


def test_one_notification_per_series_of_unread_messages(alice, bruno):
    messaging.message_send(sender=alice, recipient=bruno, body="Un")
    messaging.message_send(sender=alice, recipient=bruno, body="Deux")
    assert Notification.objects.filter(recipient=bruno).count() == 1
    _client(bruno).get(Conversation.objects.get().get_absolute_url())  # Bruno reads them
    messaging.message_send(sender=alice, recipient=bruno, body="Trois")
    assert Notification.objects.filter(recipient=bruno).count() == 2


# --- The list, reading, archiving -------------------------------------------------------------------------


def test_the_list_shows_unread_counts_and_opening_a_conversation_reads_it(alice, bruno):
    messaging.message_send(sender=alice, recipient=bruno, body="Un")
    messaging.message_send(sender=alice, recipient=bruno, body="Deux")
    client = _client(bruno)
    inbox = client.get(INBOX)
    assert "Conversation avec Alice Armor" in main_text(inbox)
    assert "2 messages non lus" in main_text(inbox)
    assert "1 conversation non lue" in text_of(select_one(inbox, "header"))
    client.get(Conversation.objects.get().get_absolute_url())
    inbox = client.get(INBOX)
    assert "non lu" not in main_text(inbox)
    assert "conversation non lue" not in text_of(select_one(inbox, "header"))
    # The sender has read their own messages.
    assert "non lu" not in main_text(_client(alice).get(INBOX))


def test_conversations_are_listed_newest_first(alice, bruno):
    chloe = _person("Chloé", "Causses")
    conversation_between(alice, bruno, messages=[(bruno, "Ancien")])
    conversation_between(alice, chloe, messages=[(chloe, "Récent")])
    names = [text_of(link) for link in select(_client(alice).get(INBOX), "main .exchange-conversations a")]
    assert names == ["Conversation avec Chloé Causses", "Conversation avec Bruno Brocéliande"]


def test_archiving_a_conversation_until_a_new_message(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Bonjour")])
    client = _client(alice)
    url = reverse("exchange:conversation_archive", args=[conversation.uuid])
    response = client.post(url, {"archiver": "1"}, follow=True)
    assert "La conversation est archivée" in main_text(response)
    assert "Conversation avec Bruno" not in main_text(client.get(INBOX))
    assert "Conversation avec Bruno" in main_text(client.get(INBOX, {"archives": "1"}))
    messaging.message_send(sender=bruno, recipient=alice, body="Je reviens")
    assert "Conversation avec Bruno" in main_text(client.get(INBOX))
    client.post(url, {"archiver": "1"})
    client.post(url, {"archiver": "0"})
    assert ConversationMember.objects.get(conversation=conversation, user=alice).archived_at is None


def test_a_long_conversation_shows_its_latest_messages_first(alice, bruno, settings):
    conversation = conversation_between(alice, bruno, messages=[(alice, f"Message {n}") for n in range(55)])
    page = _client(bruno).get(conversation.get_absolute_url())
    text = main_text(page)
    assert "Message 54" in text and "Message 4 " not in text + " "
    assert "Messages précédents" in text
    older = _client(bruno).get(conversation.get_absolute_url(), {"page": 1})
    assert "Message 4" in main_text(older)


# --- Privacy ----------------------------------------------------------------------------------------------


def test_only_the_two_members_read_a_conversation(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(alice, "Secret"), (bruno, "Réponse secrète")])
    received = conversation.messages.get(sender=bruno)
    outsider = _person("Chloé", "Causses")
    curator = UserFactory(curator=True)
    admin = UserFactory(admin=True)
    for reader in (outsider, curator, admin):
        client = _client(reader)
        assert client.get(conversation.get_absolute_url()).status_code == 404
        assert client.post(conversation.get_absolute_url(), {"body": "Intrus"}).status_code == 404
        assert client.get(reverse("exchange:message_report", args=[received.pk])).status_code == 404
        archive = reverse("exchange:conversation_archive", args=[conversation.uuid])
        assert client.post(archive, {"archiver": "1"}).status_code == 404
        assert "Secret" not in client.get(INBOX).content.decode()
    assert conversation.messages.count() == 2
    assert _client(alice).get(conversation.get_absolute_url()).status_code == 200


def test_visitors_log_in_and_pending_accounts_wait(client):
    assert client.get(INBOX)["Location"].startswith("/comptes/login/")
    client.force_login(UserFactory(pending=True))
    assert client.get(INBOX)["Location"] == "/membres/en-attente/"


# --- Blocking ---------------------------------------------------------------------------------------------


def test_blocking_from_a_conversation_stops_the_blocked_member_who_is_not_told(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Insistant")])
    client = _client(alice)
    response = client.post(
        reverse("exchange:messaging_block", args=[bruno.pk]), {"next": conversation.get_absolute_url()}, follow=True
    )
    assert response.redirect_chain[-1][0] == conversation.get_absolute_url()
    assert "Vous avez bloqué Bruno Brocéliande" in main_text(response)
    assert Block.objects.filter(blocker=alice, blocked=bruno).exists()
    page = _client(bruno).get(conversation.get_absolute_url())
    assert NOT_RECEIVING in main_text(page) and "a bloqué" not in main_text(page)
    refused = _client(bruno).post(conversation.get_absolute_url(), {"body": "Encore"})
    assert refused.status_code == 400 and NOT_RECEIVING in main_text(refused)
    assert conversation.messages.count() == 1
    # Alice cannot write either until she unblocks, from the conversation or her preferences.
    assert "Vous avez bloqué ce membre" in main_text(client.get(conversation.get_absolute_url()))
    preferences = client.get(PREFERENCES)
    assert "Bruno Brocéliande" in main_text(preferences)
    client.post(reverse("exchange:messaging_unblock", args=[bruno.pk]))
    assert not Block.objects.exists()
    assert "Vous n'avez bloqué personne." in main_text(client.get(PREFERENCES))


def test_an_unsafe_next_address_is_ignored(alice, bruno):
    response = _client(alice).post(
        reverse("exchange:messaging_block", args=[bruno.pk]), {"next": "https://ailleurs.example.org/"}
    )
    assert response["Location"] == PREFERENCES


def test_one_cannot_block_oneself(alice):
    response = _client(alice).post(reverse("exchange:messaging_block", args=[alice.pk]), follow=True)
    assert "Vous ne pouvez pas vous bloquer vous-même." in main_text(response)
    assert not Block.objects.exists()


# --- Reporting and hidden messages ------------------------------------------------------------------------


def test_reporting_a_received_message_once(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(alice, "Bonjour"), (bruno, "Propos déplacés")])
    received = conversation.messages.get(sender=bruno)
    own = conversation.messages.get(sender=alice)
    client = _client(alice)
    page = client.get(conversation.get_absolute_url())
    report_links = [link.get("href") for link in select(page, "main a") if "signaler" in link.get("href", "")]
    assert report_links == [reverse("exchange:message_report", args=[received.pk])]
    assert client.get(reverse("exchange:message_report", args=[own.pk])).status_code == 404
    url = reverse("exchange:message_report", args=[received.pk])
    form = client.get(url)
    assert "Propos déplacés" in main_text(form)
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and "Indiquez pourquoi" in main_text(empty)
    response = client.post(url, {"reason": "Insultant"}, follow=True)
    assert "le message est signalé à l'équipe CNCD" in main_text(response)
    report = Report.objects.get()
    assert (report.message, report.reporter, report.reason) == (received, alice, "Insultant")
    again = client.post(url, {"reason": "Toujours insultant"})
    assert again.status_code == 400 and "Vous avez déjà signalé ce message" in main_text(again)
    assert Report.objects.count() == 1


def test_a_message_report_goes_through_moderation_notifies_the_team_and_is_audited_without_the_text(alice, bruno):
    from core.models import AuditEntry

    curator = UserFactory(curator=True)
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Propos très déplacés")])
    received = conversation.messages.get()
    url = reverse("exchange:message_report", args=[received.pk])
    response = _client(alice).post(url, {"reason": "Insultant"}, follow=True)
    assert "le message est signalé à l'équipe CNCD" in main_text(response)
    report = Report.objects.get()
    assert Notification.objects.filter(
        recipient=curator, url=reverse("exchange:moderation_report", args=[report.pk])
    ).exists()
    entry = AuditEntry.objects.get(action="exchange.message.reported")
    assert (entry.actor, entry.target_id, entry.data) == (alice, str(received.pk), {"report": report.pk})
    assert "Propos" not in f"{entry.target_repr} {entry.data}"
    # The team's queue lists it; once decided, the same member cannot report the same message again.
    queue = _client(curator).get(reverse("exchange:moderation"))
    assert "Propos très déplacés" in main_text(queue)
    Report.objects.update(status=ReportStatus.DISMISSED)
    again = _client(alice).post(url, {"reason": "Encore"})
    assert again.status_code == 400 and "Vous avez déjà signalé ce message" in main_text(again)
    assert Report.objects.count() == 1


def test_a_hidden_message_is_a_placeholder_for_the_other_and_shows_the_reason_to_its_sender(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Propos déplacés")])
    Message.objects.update(hidden_at=timezone.now(), hidden_reason="Propos injurieux")
    for_alice = main_text(_client(alice).get(conversation.get_absolute_url()))
    assert "Message masqué par l'équipe CNCD" in for_alice
    assert "Propos déplacés" not in for_alice and "Propos injurieux" not in for_alice
    for_bruno = main_text(_client(bruno).get(conversation.get_absolute_url()))
    assert "Propos déplacés" in for_bruno and "Masqué par l'équipe CNCD : Propos injurieux" in for_bruno
    # Nothing left to report.
    received = Message.objects.get()
    assert _client(alice).get(reverse("exchange:message_report", args=[received.pk])).status_code == 404


# --- The profile panel and the home -----------------------------------------------------------------------


def _panel(client, member):
    page = client.get(reverse("members:detail", args=[member.pk]))
    blocks = select(page, "#block-exchange-messages")
    return text_of(blocks[0]) if blocks else None, page


def test_the_profile_offers_to_write_when_allowed(alice, bruno):
    client = _client(alice)
    text, page = _panel(client, bruno)
    assert "Écrire un message" in text
    assert select(page, f"#block-exchange-messages a[href='{_start_url(bruno)}']")
    messaging.preference_set(user=bruno, accepts=False)
    text, _page = _panel(client, bruno)
    assert NOT_RECEIVING in text and "Écrire un message" not in text
    # Own profile, visitors: no panel.
    assert _panel(_client(bruno), bruno)[0] is None
    assert _panel(Client(), bruno)[0] is None


def test_blocking_and_unblocking_from_the_profile(alice, bruno):
    client = _client(alice)
    profile = reverse("members:detail", args=[bruno.pk])
    response = client.post(reverse("exchange:messaging_block", args=[bruno.pk]), {"next": profile}, follow=True)
    assert response.redirect_chain[-1][0] == profile
    text, _page = _panel(client, bruno)
    assert "Vous avez bloqué ce membre" in text and "Débloquer ce membre" in text
    client.post(reverse("exchange:messaging_unblock", args=[bruno.pk]), {"next": profile})
    assert "Écrire un message" in _panel(client, bruno)[0]


def test_the_home_lists_unread_conversations(alice, bruno):
    messaging.message_send(sender=alice, recipient=bruno, body="Bonjour")
    page = _client(bruno).get(reverse("my_space"))
    block = text_of(select_one(page, "#block-needs-exchange-messages"))
    assert "Conversation avec Alice Armor" in block and "1 message non lu" in block
    _client(bruno).get(Conversation.objects.get().get_absolute_url())
    assert not select(_client(bruno).get(reverse("my_space")), "#block-needs-exchange-messages")


# --- Query counts -----------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_reads_a_constant_number_of_queries(alice):
    client = _client(alice)
    for number in range(2):
        other = _person("Pair", f"Numéro{number}")
        conversation_between(alice, other, messages=[(other, "Bonjour"), (alice, "Salut")])
    few = _queries(client, INBOX)
    for number in range(2, 12):
        other = _person("Pair", f"Numéro{number}")
        conversation_between(alice, other, messages=[(other, "Bonjour"), (other, "Encore")])
    assert _queries(client, INBOX) == few


def test_the_conversation_reads_a_constant_number_of_queries(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Un"), (alice, "Deux")])
    client = _client(alice)
    few = _queries(client, conversation.get_absolute_url())
    for number in range(20):
        sender = alice if number % 2 else bruno
        Message.objects.create(conversation=conversation, sender=sender, body=f"Message {number}")
    assert _queries(client, conversation.get_absolute_url()) == few


# --- Personal data ----------------------------------------------------------------------------------------


def test_the_export_holds_my_messages_and_the_conversations_not_the_others_texts(alice, bruno):
    conversation_between(alice, bruno, messages=[(alice, "Mon texte"), (bruno, "Son texte")])
    messaging.block_create(blocker=alice, blocked=_person("Chloé", "Causses"))
    messaging.block_create(blocker=bruno, blocked=alice)
    [sent] = messaging.messages_export(alice)
    assert (sent["a"], sent["message"]) == ("Bruno Brocéliande", "Mon texte")
    [row] = messaging.conversations_export(alice)
    assert (row["autre_membre"], row["messages_envoyes"], row["messages_recus"]) == ("Bruno Brocéliande", 1, 1)
    assert "Son texte" not in str(messaging.conversations_export(alice))
    assert [row["membre_bloque"] for row in messaging.blocks_export(alice)] == ["Chloé Causses"]
    assert messaging.preference_export(alice)[0]["accepte_les_messages"] is True


def test_erasing_an_account_blanks_its_messages_and_the_other_keeps_a_coherent_conversation(alice, bruno):
    from core.personal_data import personal_data_erase

    conversation = conversation_between(alice, bruno, messages=[(alice, "Texte d'Alice"), (bruno, "Texte de Bruno")])
    messaging.block_create(blocker=bruno, blocked=alice)
    personal_data_erase(alice)
    alice.refresh_from_db()
    assert Message.objects.get(sender=alice).body == ""
    assert not ConversationMember.objects.filter(user=alice).exists()
    assert not MessagingPreference.objects.filter(user=alice).exists() and not Block.objects.exists()
    page = main_text(_client(bruno).get(conversation.get_absolute_url()))
    assert "Texte de Bruno" in page and "Texte d'Alice" not in page
    assert "Message effacé avec le compte de son auteur·rice." in page
    assert "Ancien·ne membre" in page
    # Bruno cannot write to an erased account.
    assert NOT_RECEIVING in page
    # When both are gone, so is the conversation.
    personal_data_erase(bruno)
    assert not Conversation.objects.exists() and not Message.objects.exists()


# --- Lengths ----------------------------------------------------------------------------------------------


def test_1_mb_in_each_form_is_refused_with_a_french_message_and_changes_nothing(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Bonjour")])
    received = conversation.messages.get()
    client = _client(alice)
    one_mb = "x" * (1024 * 1024)
    for url, field in [
        (_start_url(_person("Chloé", "Causses")), "body"),
        (conversation.get_absolute_url(), "body"),
        (reverse("exchange:message_report", args=[received.pk]), "reason"),
    ]:
        response = client.post(url, {field: one_mb})
        assert response.status_code == 400, url
        assert "Assurez-vous que cette valeur comporte au plus" in main_text(response), url
    assert Message.objects.count() == 1 and not Report.objects.exists() and Conversation.objects.count() == 1


def test_an_archived_conversation_is_not_counted_in_the_header_until_its_next_message(alice, bruno):
    conversation = conversation_between(alice, bruno, messages=[(bruno, "Bonjour")])
    assert messaging.unread_conversation_count(alice) == 1
    messaging.conversation_archive(membership=conversation.members.get(user=alice), archived=True)
    assert messaging.unread_conversation_count(alice) == 0
    messaging.message_send(sender=bruno, recipient=alice, body="Encore")
    assert messaging.unread_conversation_count(alice) == 1
