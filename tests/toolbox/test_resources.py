"""The toolbox's resources through the HTTP layer: drafting, the team's decisions, history, marks, comments."""

import pytest
from django.urls import reverse

from fiches.models import Notification
from tests.html import content_text
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource, resource_data
from toolbox import services
from toolbox.enums import Audience, ResourceKind, ResourceStatus
from toolbox.models import Resource, ResourceComment, ResourceRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def curator():
    return UserFactory(curator=True)


@pytest.fixture
def framework():
    return build_version(small_data("v1.0"))


def _form(kind, **overrides):
    data = {"nature": kind, "licence": "cc-by-sa-4.0", **resource_data(kind)}
    data = {key: ("on" if value is True else value) for key, value in data.items() if value is not False}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_kind_picker_then_form_of_that_kind(client, member):
    client.force_login(member)
    page = content_text(client.get(reverse("toolbox:create")))
    assert "Méthode d'animation" in page and "Outil numérique" in page
    form = client.get(reverse("toolbox:create") + "?nature=outil")
    text = content_text(form)
    assert "Données qui sortent de la collectivité" in text
    assert "Déroulé" not in text  # a method's field is not a tool's


def test_member_drafts_a_method_linked_to_the_referentiel(client, member, framework):
    client.force_login(member)
    response = client.post(reverse("toolbox:create"), _form("methode", codes=["C-1-01", "M1"]))
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("toolbox:detail", args=[resource.pk])
    assert resource.status == ResourceStatus.DRAFT and resource.owner == member
    assert sorted(resource.links.values_list("code", "kind")) == [("C-1-01", "competence"), ("M1", "mission")]
    page = content_text(client.get(reverse("toolbox:detail", args=[resource.pk])))
    assert "Brouillon" in page and "Compétence 1.1" in page


def test_missing_required_field_keeps_what_was_typed(client, member):
    client.force_login(member)
    response = client.post(reverse("toolbox:create"), _form("outil", data_flows="", title="Mon outil de transcription"))
    assert response.status_code == 200
    assert not Resource.objects.exists()
    text = content_text(response)
    assert "Ce champ est obligatoire" in text
    assert "Mon outil de transcription" in response.content.decode()


def test_too_long_text_is_refused_before_any_work(client, member):
    client.force_login(member)
    response = client.post(reverse("toolbox:create"), _form("methode", steps="x" * 20_001))
    assert response.status_code == 200 and not Resource.objects.exists()
    assert "20000" in content_text(response).replace("\u202f", "").replace(" ", "")


def test_group_range_checked(client, member):
    client.force_login(member)
    response = client.post(reverse("toolbox:create"), _form("methode", group_min=30, group_max=10))
    assert response.status_code == 200 and not Resource.objects.exists()
    assert "au moins égal" in content_text(response)


def test_draft_is_private_until_published(client, member, curator):
    resource = make_resource(member)
    url = reverse("toolbox:detail", args=[resource.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(curator)
    assert client.get(url).status_code == 200


def test_submit_publish_notifies_the_author(client, member, curator):
    resource = make_resource(member)
    client.force_login(member)
    client.post(reverse("toolbox:submit", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    client.force_login(curator)
    queue = content_text(client.get(reverse("toolbox:review_queue")))
    assert resource.title in queue
    response = client.post(reverse("toolbox:decide", args=[resource.pk]), {"decision": "publier"})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED and resource.revision_count == 1
    assert Notification.objects.filter(recipient=member, message__contains="est publiée").exists()


def test_changes_and_refusal_need_a_reason_told_to_the_author(client, member, curator):
    resource = make_resource(member)
    services.resource_submit(resource_id=resource.pk, user=member)
    client.force_login(curator)
    client.post(reverse("toolbox:decide", args=[resource.pk]), {"decision": "modifications", "reason": ""})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.SUBMITTED
    client.post(
        reverse("toolbox:decide", args=[resource.pk]), {"decision": "modifications", "reason": "Ajoutez le matériel."}
    )
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.CHANGES
    assert Notification.objects.filter(recipient=member, message__contains="Ajoutez le matériel.").exists()
    client.force_login(member)
    assert "Ajoutez le matériel." in content_text(client.get(reverse("toolbox:detail", args=[resource.pk])))
    client.post(reverse("toolbox:submit", args=[resource.pk]))
    client.force_login(curator)
    client.post(reverse("toolbox:decide", args=[resource.pk]), {"decision": "refuser", "reason": "Hors sujet."})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.REFUSED and resource.decision_reason == "Hors sujet."


def test_only_the_team_decides(client, member):
    resource = make_resource(member)
    services.resource_submit(resource_id=resource.pk, user=member)
    client.force_login(member)
    assert client.post(reverse("toolbox:decide", args=[resource.pk]), {"decision": "publier"}).status_code == 403
    assert client.get(reverse("toolbox:review_queue")).status_code == 403


def test_public_needs_the_teams_approval(client, member, curator):
    resource = make_resource(member, audience=Audience.PUBLIC)
    services.resource_submit(resource_id=resource.pk, user=member)
    services.resource_publish(resource_id=resource.pk, actor=curator, make_public=False)
    url = reverse("toolbox:detail", args=[resource.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    services.resource_approve_public(resource_id=resource.pk, actor=curator)
    assert client.get(url).status_code == 200


def test_editing_a_public_resource_asking_public_again_needs_approval(member, curator):
    resource = make_resource(member, published_by=curator, audience=Audience.MEMBERS)
    data = resource_data(ResourceKind.METHOD, audience=Audience.PUBLIC)
    services.resource_update(resource=resource, user=member, data=data, lock_version=resource.lock_version)
    resource.refresh_from_db()
    assert resource.audience == Audience.PUBLIC and not resource.public_approved


def test_edit_after_publication_keeps_history_with_diff(client, member, curator):
    resource = make_resource(member, published_by=curator)
    client.force_login(member)
    form = _form(
        "methode", steps="1. Accueil\n2. Quatre tours de tables\n3. Restitution", change_summary="Un tour de plus"
    )
    form["lock_version"] = resource.lock_version
    response = client.post(reverse("toolbox:edit", args=[resource.pk]), form)
    assert response.status_code == 302
    assert ResourceRevision.objects.filter(resource=resource).count() == 2
    history = client.get(reverse("toolbox:history", args=[resource.pk]))
    html = history.content.decode()
    assert "<ins>" in html and "Quatre" in html and "Un tour de plus" in html


def test_saving_without_changes_adds_no_revision(member, curator):
    resource = make_resource(member, published_by=curator)
    services.resource_update(resource=resource, user=member, data=resource_data(), lock_version=resource.lock_version)
    assert resource.revisions.count() == 1


def test_conflicting_edits_never_overwrite(client, member, curator):
    resource = make_resource(member, published_by=curator)
    stale = resource.lock_version
    services.resource_update(
        resource=resource, user=curator, data=resource_data(title="Titre de l'équipe"), lock_version=stale
    )
    client.force_login(member)
    form = _form("methode", title="Mon titre à moi")
    form["lock_version"] = stale
    response = client.post(reverse("toolbox:edit", args=[resource.pk]), form)
    assert response.status_code == 200
    text = content_text(response)
    assert "Conflit de modification" in text and "Titre de l'équipe" in text
    assert "Mon titre à moi" in response.content.decode()
    resource.refresh_from_db()
    assert resource.title == "Titre de l'équipe"


def test_other_members_cannot_edit(client, member, curator):
    resource = make_resource(member, published_by=curator)
    client.force_login(UserFactory())
    assert client.get(reverse("toolbox:edit", args=[resource.pk])).status_code == 403


def test_changing_kind_fields_only_keeps_the_kind(member):
    resource = make_resource(member, kind=ResourceKind.EXTERNAL, purpose="Ne devrait pas rester")
    assert resource.purpose == "" and resource.url


def test_useful_once_per_member_and_use_with_feedback(client, member, curator):
    resource = make_resource(member, published_by=curator)
    reader = UserFactory()
    client.force_login(reader)
    client.post(reverse("toolbox:useful", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.useful_count == 1
    client.post(reverse("toolbox:useful", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.useful_count == 0
    client.post(reverse("toolbox:use", args=[resource.pk]), {"feedback": "Testé en plénière, très bien."})
    client.post(reverse("toolbox:use", args=[resource.pk]), {"feedback": "Testé deux fois."})
    resource.refresh_from_db()
    assert resource.use_count == 1
    assert "Testé deux fois." in content_text(client.get(reverse("toolbox:detail", args=[resource.pk])))
    client.post(reverse("toolbox:use", args=[resource.pk]), {"feedback": "x" * 301})
    assert resource.uses.get().feedback == "Testé deux fois."


def test_marks_only_on_published_resources(client, member):
    resource = make_resource(member)
    client.force_login(UserFactory())
    client.post(reverse("toolbox:useful", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.useful_count == 0


def test_comments_reported_hidden_and_restored(client, member, curator):
    resource = make_resource(member, published_by=curator)
    writer, reader = UserFactory(), UserFactory()
    client.force_login(writer)
    client.post(reverse("toolbox:comment_add", args=[resource.pk]), {"body": "Un propos déplacé."})
    comment = ResourceComment.objects.get()
    assert Notification.objects.filter(recipient=member, message__contains="Nouveau commentaire").exists()
    client.force_login(reader)
    client.post(reverse("toolbox:comment_report", args=[comment.pk]), {"reason": "Insultant."})
    assert comment.reports.count() == 1
    client.force_login(curator)
    assert "Insultant." in content_text(client.get(reverse("toolbox:review_queue")))
    client.post(reverse("toolbox:comment_moderate", args=[comment.pk]), {"action": "masquer", "reason": "Hors charte"})
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    client.force_login(reader)
    assert "Un propos déplacé." not in content_text(client.get(reverse("toolbox:detail", args=[resource.pk])))
    client.force_login(curator)
    client.post(reverse("toolbox:comment_moderate", args=[comment.pk]), {"action": "retablir", "reason": "Erreur"})
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_empty_or_long_comment_keeps_the_text(client, member, curator):
    resource = make_resource(member, published_by=curator)
    client.force_login(UserFactory())
    response = client.post(reverse("toolbox:comment_add", args=[resource.pk]), {"body": "y" * 5_001})
    assert response.status_code == 400 and not ResourceComment.objects.exists()
    assert "y" * 5_001 in response.content.decode()


def test_authors_delete_drafts_not_published_resources(client, member, curator):
    draft = make_resource(member)
    published = make_resource(member, published_by=curator)
    client.force_login(member)
    assert client.post(reverse("toolbox:delete", args=[draft.pk])).status_code == 302
    assert not Resource.objects.filter(pk=draft.pk).exists()
    assert client.post(reverse("toolbox:delete", args=[published.pk])).status_code == 403
    assert Resource.objects.filter(pk=published.pk).exists()


def test_mine_lists_own_resources_only(client, member, curator):
    mine = make_resource(member, title="La mienne")
    make_resource(UserFactory(), title="Celle d'un autre")
    client.force_login(member)
    text = content_text(client.get(reverse("toolbox:mine")))
    assert mine.title in text and "Celle d'un autre" not in text


def test_audit_of_decisions(member, curator):
    from core.models import AuditEntry

    resource = make_resource(member, published_by=curator)
    services.resource_request_changes(resource_id=resource.pk, actor=curator, reason="À revoir")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"toolbox.resource.created", "toolbox.resource.published", "toolbox.resource.changes_requested"} <= actions


def test_one_megabyte_reasons_are_refused_with_a_message(client, member, curator):
    """The report and moderation forms are posted on a comment's own address (not in test_input_limits' PAGES)."""
    resource = make_resource(member, published_by=curator)
    comment = services.comment_add(resource_id=resource.pk, author=UserFactory(), body="Un avis.")
    huge = "x" * (1024 * 1024)
    client.force_login(member)
    response = client.post(reverse("toolbox:comment_report", args=[comment.pk]), {"reason": huge}, follow=True)
    assert "au plus 255 caractères" in content_text(response) and not comment.reports.exists()
    client.force_login(curator)
    response = client.post(
        reverse("toolbox:comment_moderate", args=[comment.pk]), {"action": "masquer", "reason": huge}, follow=True
    )
    assert "au plus 255 caractères" in content_text(response)
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_create_and_submit_in_one_step(client, member):
    client.force_login(member)
    response = client.post(reverse("toolbox:create"), {**_form("methode"), "action": "soumettre"}, follow=True)
    assert "Ressource soumise : l'équipe CNCD va la relire." in content_text(response)
    assert Resource.objects.get().status == ResourceStatus.SUBMITTED
