"""Personal data of the entraide's spaces area: questions, answers, their revisions, "utile" marks.

On erasure, questions, answers and revisions stay (they belong to the network, like the toolbox's published
resources and comments: a thread would not make sense with holes in it), attributed to "Ancien·ne membre" by the
account's anonymisation; the "utile" marks are deleted and each answer's count drops by one.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalDataKind
from exchange.models import Answer, AnswerUseful, PostRevision, Question

_BASIS = _(
    "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD, permettre aux "
    "technicien·nes de s'entraider et retrouver les réponses."
)
_KEPT = _(
    "Tant que la question existe : à la suppression de votre compte, le texte reste (il appartient au réseau "
    "et aux réponses des autres) et il est attribué à « Ancien·ne membre »."
)
_MEMBERS = _("Les membres du réseau (comptes validés) ; l'équipe CNCD.")


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _keep(user) -> None:
    """Keep the rows: the account's anonymisation hides who wrote them."""


def questions_export(user) -> list[dict]:
    return [
        {
            "number": question.pk,
            "space": question.space.name,
            "title": question.title,
            "body": question.body,
            "discussion": question.is_discussion,
            "tags": " ".join(tag.code for tag in question.tags.all()),
            "created_at": _iso(question.created_at),
            "edited_at": _iso(question.edited_at),
            "hidden_at": _iso(question.hidden_at),
            "hidden_reason": question.hidden_reason,
        }
        for question in Question.objects.filter(author=user)
        .select_related("space")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    ]


def answers_export(user) -> list[dict]:
    return [
        {
            "number": answer.pk,
            "question": answer.question.title,
            "question_number": answer.question_id,
            "body": answer.body,
            "accepted": answer.question.accepted_answer_id == answer.pk,
            "useful_count": answer.useful_count,
            "created_at": _iso(answer.created_at),
            "edited_at": _iso(answer.edited_at),
            "hidden_at": _iso(answer.hidden_at),
            "hidden_reason": answer.hidden_reason,
        }
        for answer in Answer.objects.filter(author=user).select_related("question").order_by("created_at", "pk")
    ]


def revisions_export(user) -> list[dict]:
    return [
        {
            "number": revision.number,
            "question_number": revision.question_id or "",
            "answer_number": revision.answer_id or "",
            "title": revision.title,
            "body": revision.body,
            "created_at": _iso(revision.created_at),
        }
        for revision in PostRevision.objects.filter(author=user).order_by("created_at", "pk")
    ]


def useful_export(user) -> list[dict]:
    return [
        {"answer_number": mark.answer_id, "question": mark.answer.question.title, "created_at": _iso(mark.created_at)}
        for mark in AnswerUseful.objects.filter(user=user)
        .select_related("answer__question")
        .order_by("created_at", "pk")
    ]


def useful_erase(user) -> None:
    """Delete `user`'s marks; each answer's count drops by one."""
    marks = AnswerUseful.objects.filter(user=user)
    Answer.objects.filter(pk__in=marks.values("answer_id"), useful_count__gt=0).update(
        useful_count=F("useful_count") - 1
    )
    marks.delete()


def kinds() -> list[PersonalDataKind]:
    return [
        PersonalDataKind(
            key="entraide-questions",
            label=_("Questions de l'entraide"),
            description=_(
                "Les questions et discussions que vous avez posées : espace, titre, message, éléments du "
                "référentiel, dates, et le motif si l'équipe CNCD les a masquées."
            ),
            source=_("Saisies par vous dans l'entraide (« Poser une question »)."),
            purpose=_("Permettre aux technicien·nes de s'entraider et de retrouver les réponses."),
            legal_basis=_BASIS,
            retention=_KEPT,
            recipients=_MEMBERS,
            models=(Question,),
            export=questions_export,
            erase=_keep,
            order=600,
            columns=(
                "number",
                "space",
                "title",
                "body",
                "discussion",
                "tags",
                "created_at",
                "edited_at",
                "hidden_at",
                "hidden_reason",
            ),
        ),
        PersonalDataKind(
            key="entraide-reponses",
            label=_("Réponses de l'entraide"),
            description=_(
                "Les réponses que vous avez écrites, si elles ont été retenues, leur nombre de marques « utile », "
                "leurs dates et le motif si l'équipe CNCD les a masquées."
            ),
            source=_("Saisies par vous sous les questions de l'entraide."),
            purpose=_("Permettre aux technicien·nes de s'entraider et de retrouver les réponses."),
            legal_basis=_BASIS,
            retention=_KEPT,
            recipients=_MEMBERS,
            models=(Answer,),
            export=answers_export,
            erase=_keep,
            order=610,
            columns=(
                "number",
                "question",
                "question_number",
                "body",
                "accepted",
                "useful_count",
                "created_at",
                "edited_at",
                "hidden_at",
                "hidden_reason",
            ),
        ),
        PersonalDataKind(
            key="entraide-revisions",
            label=_("Versions précédentes de vos questions et réponses"),
            description=_("Le texte d'une question ou d'une réponse avant chacune de vos modifications."),
            source=_("Enregistrées quand vous avez modifié une question ou une réponse."),
            purpose=_("Garder l'historique des échanges (page « Historique »)."),
            legal_basis=_BASIS,
            retention=_KEPT,
            recipients=_MEMBERS,
            models=(PostRevision,),
            export=revisions_export,
            erase=_keep,
            order=620,
            columns=("number", "question_number", "answer_number", "title", "body", "created_at"),
        ),
        PersonalDataKind(
            key="entraide-utile",
            label=_("Réponses marquées « utile »"),
            description=_(
                "Les réponses que vous avez marquées « utile ». Supprimées avec votre compte ; le nombre de "
                "marques de la réponse baisse d'autant."
            ),
            source=_("Enregistrées quand vous avez cliqué sur « Utile » sous une réponse."),
            purpose=_("Aider les membres à repérer les réponses que leurs pairs jugent utiles."),
            legal_basis=_(
                "Consentement (RGPD, article 6.1.a) : c'est facultatif et vous pouvez le retirer à tout moment."
            ),
            retention=_("Tant que votre compte existe ; supprimé avec lui."),
            recipients=_("Les membres voient le nombre de marques, pas qui les a posées."),
            models=(AnswerUseful,),
            export=useful_export,
            erase=useful_erase,
            order=630,
            columns=("answer_number", "question", "created_at"),
        ),
    ]
