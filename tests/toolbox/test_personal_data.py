"""What the toolbox declares about a person (toolbox/personal_data.py): exported, then erased or kept anonymous.

Their resources, files, marks, uses, comments, reports and follows are in their archive; erasing the
account deletes what never reached the network (drafts, resources waiting or refused) with their stored
files, and what is theirs alone (marks, uses, follows, with the counters put right); published resources,
revisions and comments stay, credited to "Ancien·ne membre".
"""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.personal_data import personal_data_archive
from members.models import User
from tests.erasure import erase_account
from tests.members.factories import UserFactory
from tests.toolbox.factories import make_resource
from toolbox import personal_data as declared
from toolbox import services
from toolbox.enums import ResourceKind, ResourceStatus
from toolbox.models import (
    Resource,
    ResourceComment,
    ResourceCommentReport,
    ResourceFile,
    ResourceUse,
    ToolboxFollow,
    UsefulMark,
)

pytestmark = pytest.mark.django_db

LINK = [("competence", "C-1-01", "Compétence 1.1")]


@pytest.fixture
def author(db):
    return UserFactory(first_name="Maëlle", last_name="Tanguy", email="maelle.tanguy@example.org")


def _attach(resource, user, name, content=b"%PDF-1.4 demo"):
    return ResourceFile.objects.create(
        resource=resource,
        file=ContentFile(content, name="upload"),
        name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=user,
    )


@pytest.fixture
def activity(author, other_member, curator):
    """Everything `author` does in the toolbox, next to what `other_member` does."""
    published = make_resource(author, title="Le débat mouvant", links=LINK, published_by=curator, public=True)
    draft = make_resource(author, kind=ResourceKind.TEMPLATE, title="Trame de saisine (brouillon)")
    submitted = make_resource(author, kind=ResourceKind.EXTERNAL, title="Guide en attente")
    services.resource_submit(resource_id=submitted.pk, user=author)
    refused = make_resource(author, kind=ResourceKind.TOOL, title="Outil refusé")
    services.resource_submit(resource_id=refused.pk, user=author)
    services.resource_refuse(resource_id=refused.pk, actor=curator, reason="Hébergement inconnu")
    shared = make_resource(author, title="Brouillon à deux")
    shared.coauthors.add(other_member)
    draft_file = _attach(draft, author, "Trame saisine.pdf", b"%PDF-1.4 brouillon")
    published_file = _attach(published, author, "Déroulé débat.pdf", b"%PDF-1.4 publie")
    refused_file = _attach(refused, author, "Capture.pdf", b"%PDF-1.4 refuse")

    theirs = make_resource(other_member, title="Le world café", published_by=curator)
    services.useful_toggle(resource_id=theirs.pk, user=author)
    services.useful_toggle(resource_id=theirs.pk, user=other_member)
    services.use_record(resource_id=theirs.pk, user=author, feedback="Très bien avec 40 personnes.")
    services.use_record(resource_id=theirs.pk, user=other_member, feedback="Parfait en plénière.")
    comment = services.comment_add(resource_id=theirs.pk, author=author, body="Merci, je l'ai adapté en visio.")
    rude = services.comment_add(resource_id=theirs.pk, author=other_member, body="Message déplacé")
    pending = services.comment_add(resource_id=theirs.pk, author=other_member, body="Un avis tranché")
    services.comment_report(comment_id=rude.pk, reporter=author, reason="Insulte")
    services.comment_hide(comment_id=rude.pk, actor=curator, reason="Propos déplacés")
    services.comment_report(comment_id=pending.pk, reporter=author, reason="Ton agressif")
    services.follow_toggle(user=author, kind=ResourceKind.METHOD)
    services.follow_toggle(user=author, code="C-1-01")
    services.follow_toggle(user=other_member, kind=ResourceKind.METHOD)
    return {
        "published": published,
        "draft": draft,
        "submitted": submitted,
        "refused": refused,
        "shared": shared,
        "draft_file": draft_file,
        "published_file": published_file,
        "refused_file": refused_file,
        "theirs": theirs,
        "comment": comment,
        "rude": rude,
        "pending": pending,
    }


# Export -----------------------------------------------------------------------------------------


def test_the_export_holds_the_members_resources_marks_uses_comments_and_follows(author, activity):
    resources = {row["title"]: row for row in declared.RESOURCES.export(author)}
    assert set(resources) == {
        "Le débat mouvant",
        "Trame de saisine (brouillon)",
        "Guide en attente",
        "Outil refusé",
        "Brouillon à deux",
    }
    published = resources["Le débat mouvant"]
    assert (published["status"], published["links"], published["role"]) == ("Publiée", ["C-1-01"], "auteur·rice")
    assert published["fields"]["purpose"] == "Faire émerger les idées d'un grand groupe."
    assert published["published_at"] is not None
    assert resources["Outil refusé"]["decision_reason"] == "Hébergement inconnu"
    assert resources["Outil refusé"]["fields"]["hosting"] == "Hébergé dans l'Union européenne"
    assert [row["resource"] for row in declared.USEFUL.export(author)] == ["Le world café"]
    [use] = declared.USES.export(author)
    assert (use["resource"], use["feedback"]) == ("Le world café", "Très bien avec 40 personnes.")
    [comment] = declared.COMMENTS.export(author)
    assert comment["body"] == "Merci, je l'ai adapté en visio."
    assert sorted((row["reason"], row["comment_hidden"]) for row in declared.REPORTS.export(author)) == [
        ("Insulte", True),
        ("Ton agressif", False),
    ]
    assert sorted(row["target"] for row in declared.FOLLOWS.export(author)) == ["C-1-01", "Méthode d'animation"]
    assert sorted(row["name"] for row in declared.FILES.export(author)) == [
        "Capture.pdf",
        "Déroulé débat.pdf",
        "Trame saisine.pdf",
    ]
    assert declared.TEAM_ACTIONS.export(author) == []
    for kind in declared.KINDS:
        for row in kind.export(author):
            assert tuple(row) == kind.columns, kind.key


def test_the_archive_holds_the_files_the_member_uploaded(author, activity):
    archive = zipfile.ZipFile(io.BytesIO(personal_data_archive(author)))
    names = archive.namelist()
    published_file = activity["published_file"]
    in_archive = f"fichiers/boite-a-outils/{published_file.resource_id}-Déroulé_débat.pdf"
    assert in_archive in names
    assert archive.read(in_archive) == b"%PDF-1.4 publie"
    assert len([name for name in names if name.startswith("fichiers/boite-a-outils/")]) == 3
    rows = json.loads(archive.read("boite-a-outils-ressources.json"))
    assert len(rows) == 5
    assert "boite-a-outils-utilisations.csv" in names
    # The other member's archive holds none of them.
    other = zipfile.ZipFile(io.BytesIO(personal_data_archive(activity["theirs"].owner)))
    assert not [name for name in other.namelist() if name.startswith("fichiers/boite-a-outils/")]


def test_the_export_of_a_curator_lists_their_decisions(curator, activity):
    rows = declared.TEAM_ACTIONS.export(curator)
    actions = [(row["action"], row["object"]) for row in rows]
    assert ("Décision : Refusée", "Outil refusé") in actions
    assert ("Décision : Publiée", "Le world café") in actions
    assert ("Commentaire masqué", f"Commentaire n° {activity['rude'].pk} sur « Le world café »") in actions
    assert all(tuple(row) == declared.TEAM_ACTIONS.columns for row in rows)


# Erasure ----------------------------------------------------------------------------------------


def test_erasure_deletes_drafts_and_their_files_keeps_published_resources_anonymous(
    client, author, other_member, activity, django_capture_on_commit_callbacks
):
    theirs = Resource.objects.get(pk=activity["theirs"].pk)
    assert (theirs.useful_count, theirs.use_count) == (2, 2)
    draft_name, refused_name = activity["draft_file"].file.name, activity["refused_file"].file.name
    published_name = activity["published_file"].file.name
    others = (
        set(UsefulMark.objects.filter(user=other_member).values_list("pk", flat=True)),
        set(ResourceUse.objects.filter(user=other_member).values_list("pk", flat=True)),
        set(ToolboxFollow.objects.filter(user=other_member).values_list("pk", flat=True)),
    )
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(client)

    erased = User.objects.get(pk=author.pk)
    assert erased.erased_at is not None
    # Never reached the network: deleted, with the stored files.
    for key in ("draft", "submitted", "refused"):
        assert not Resource.objects.filter(pk=activity[key].pk).exists(), key
    assert not default_storage.exists(draft_name)
    assert not default_storage.exists(refused_name)
    # A draft co-written with another member stays theirs.
    shared = Resource.objects.get(pk=activity["shared"].pk)
    assert shared.owner_id == other_member.pk and not shared.coauthors.exists()
    # Published: kept as written, credited to the anonymised account, its file too.
    published = Resource.objects.get(pk=activity["published"].pk)
    assert (published.status, published.owner_id, str(published.owner)) == (
        ResourceStatus.PUBLISHED,
        erased.pk,
        "Ancien·ne membre",
    )
    assert default_storage.exists(published_name)
    assert ResourceFile.objects.get(pk=activity["published_file"].pk).uploaded_by_id == erased.pk
    comment = ResourceComment.objects.get(pk=activity["comment"].pk)
    assert (comment.author_id, comment.body) == (erased.pk, "Merci, je l'ai adapté en visio.")
    # Theirs alone: deleted, and the counters follow.
    theirs.refresh_from_db()
    assert (theirs.useful_count, theirs.use_count) == (1, 1)
    assert not UsefulMark.objects.filter(user=erased).exists()
    assert not ResourceUse.objects.filter(user=erased).exists()
    assert not ToolboxFollow.objects.filter(user=erased).exists()
    # A report already dealt with goes; one still waiting stays, anonymous.
    assert not ResourceCommentReport.objects.filter(comment=activity["rude"]).exists()
    waiting = ResourceCommentReport.objects.filter(comment=activity["pending"])
    assert list(waiting.values_list("reporter", "reason")) == [(erased.pk, "Ton agressif")]
    # The other member's data is untouched.
    assert others == (
        set(UsefulMark.objects.filter(user=other_member).values_list("pk", flat=True)),
        set(ResourceUse.objects.filter(user=other_member).values_list("pk", flat=True)),
        set(ToolboxFollow.objects.filter(user=other_member).values_list("pk", flat=True)),
    )
    assert Resource.objects.filter(pk=theirs.pk, owner=other_member, status=ResourceStatus.PUBLISHED).exists()
    for kind in (declared.USEFUL, declared.USES, declared.FOLLOWS):
        assert kind.export(erased) == [], kind.key
