"""Peer mentoring: who can help on a competence, offers of help and requests between members.

Who can help a member on a competence (`peers_who_can_help`), never anyone else:

- the members who declared they can help on it (`MentorOffer`): declaring is their consent to be listed,
  to approved members only (the offers page says so);
- the members who rated themselves at or above the level the common fiche expects for it (or, without
  an expectation, the first "proficient" level of the current référentiel's scale) AND who agreed to be
  found by competence and level (`AssessmentSharing.in_directory`). As in the directory
  (competences.directory), a self-assessment is a fact of the member's post: it only finds them for a
  viewer who may see their post group, and never when they said they are not open to exchanges.

Only approved accounts, never the viewer themself. Each peer is shown through `members.visibility`
(display name and council always; the rest as the member chose); the exact level is never given out.
The contact details are shared only once a mentor accepts a request (`request_accept`): before that, the
platform carries the messages.

Reads take a constant number of queries whatever the number of codes: the expected levels, the current
scale, the offers, the shared ratings and the profiles of the peers kept.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import Mod, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from competences.models import FrameworkVersion, ScaleLevel, SelfAssessment
from core.audit import audit_log
from fiches.notifications import notify
from fiches.selectors import expected_levels
from members.enums import AUDIENCE_VISIBILITIES, AccountStatus, Audience
from members.models import Profile
from members.visibility import VisibleProfile, profile_view
from training import generations
from training.enums import RequestStatus
from training.models import CODE_LENGTH, MESSAGE_LENGTH, MentoringRequest, MentorOffer


class MentoringError(Exception):
    """A mentoring action refused, with a French message for the member."""


@dataclass(frozen=True)
class Peer:
    """A member who can help on `code`, reduced to what the viewer may see of them."""

    code: str
    profile: VisibleProfile
    # True when they declared they can help (MentorOffer); False when found by their shared self-assessment.
    offers_help: bool

    @property
    def user_id(self) -> int:
        return self.profile.user_id

    @property
    def display_name(self) -> str:
        return self.profile.display_name

    @property
    def council(self):
        return self.profile.council

    @property
    def url(self) -> str:
        return reverse("members:detail", args=[self.profile.user_id])


# --- Who can help -------------------------------------------------------------------------------------------


def _viewer_audience(viewer) -> Audience | None:
    if viewer is None or not viewer.is_authenticated or not viewer.is_approved:
        return None
    return Audience.TEAM if viewer.is_curator else Audience.MEMBER


def proficient_level(version=None) -> int | None:
    """The first level of the current référentiel's scale that means "mastered" (the highest if none is marked)."""
    version = version if version is not None else FrameworkVersion.objects.current()
    if version is None:
        return None
    levels = list(ScaleLevel.objects.of(version).order_by("value").values_list("value", "proficient"))
    if not levels:
        return None
    return next((value for value, proficient in levels if proficient), levels[-1][0])


def helping_thresholds(codes) -> dict[str, int]:
    """For each code, the level a peer's self-assessment must reach to be proposed as a help."""
    expected = expected_levels()
    levels = expected.levels if expected is not None else {}
    default = None
    thresholds = {}
    for code in codes:
        if code in levels:
            thresholds[code] = levels[code]
        else:
            if default is None:
                default = proficient_level() or 0
            if default:
                thresholds[code] = default
    return thresholds


def _spread(viewer_id: int, user_id: int) -> int:
    # A stable order per viewer, different between viewers: the same few peers are not always asked first.
    return (user_id * SPREAD_FACTOR + viewer_id * SPREAD_SHIFT) % SPREAD_MODULUS


SPREAD_FACTOR, SPREAD_SHIFT, SPREAD_MODULUS = 2654435761, 40503, 4294967291


def _first_per_code(rows, *, viewer_id: int, limit: int | None):
    """(user_id, code) of `rows`, in the spread order; at most `limit` per code, cut in the database."""
    if limit is None:
        return rows.values_list("user_id", "code")
    spread = Mod(F("user_id") * SPREAD_FACTOR + viewer_id * SPREAD_SHIFT, SPREAD_MODULUS)
    ranked = rows.annotate(
        rank=Window(RowNumber(), partition_by=[F("code")], order_by=[spread.asc(), F("user_id").asc()])
    )
    return ranked.filter(rank__lte=limit).values_list("user_id", "code")


def _candidates(*, codes, viewer, limit: int | None = None) -> dict[str, list[tuple[int, bool]]]:
    """For each code, the ids of the peers who can help, those who offered first: [(user_id, offers_help)].

    With `limit`, at most that many per code (each query keeps only what it may need: constant work per code).
    """
    codes = [code for code in dict.fromkeys(codes) if code and len(code) <= CODE_LENGTH]
    audience = _viewer_audience(viewer)
    if audience is None or not codes:
        return {}
    approved = Q(user__status=AccountStatus.APPROVED, user__is_active=True)
    offered: dict[str, set[int]] = {code: set() for code in codes}
    offers = MentorOffer.objects.filter(approved, code__in=codes, user__profile__isnull=False).exclude(user=viewer)
    for user_id, code in _first_per_code(offers, viewer_id=viewer.pk, limit=limit):
        offered[code].add(user_id)
    rated: dict[str, set[int]] = {code: set() for code in codes}
    thresholds = helping_thresholds(codes)
    by_level: dict[int, list[str]] = {}
    for code, level in thresholds.items():
        by_level.setdefault(level, []).append(code)
    if by_level:
        reaches = Q()
        for level, level_codes in by_level.items():
            reaches |= Q(code__in=level_codes, level__gte=level)
        ratings = (
            SelfAssessment.objects.shared_in_directory()
            .filter(reaches, approved)
            .filter(
                user__profile__post_visibility__in=AUDIENCE_VISIBILITIES[audience],
                user__profile__open_to_exchange=True,
            )
            .exclude(user=viewer)
            # Who offered on the code is listed once, among those who offered.
            .exclude(Exists(MentorOffer.objects.filter(user=OuterRef("user"), code=OuterRef("code"))))
        )
        for user_id, code in _first_per_code(ratings, viewer_id=viewer.pk, limit=limit):
            rated[code].add(user_id)
    result = {}
    for code in codes:
        first = sorted(offered[code], key=lambda pk: _spread(viewer.pk, pk))
        then = sorted(rated[code], key=lambda pk: _spread(viewer.pk, pk))
        result[code] = [(pk, True) for pk in first] + [(pk, False) for pk in then]
    return result


def _profiles(user_ids, viewer) -> dict[int, VisibleProfile]:
    if not user_ids:
        return {}
    profiles = Profile.objects.approved().filter(user_id__in=set(user_ids)).select_related("user", "council")
    return {profile.user_id: profile_view(profile=profile, viewer=viewer) for profile in profiles}


def _peers(code: str, pairs, views: dict[int, VisibleProfile]) -> list[Peer]:
    return [Peer(code=code, profile=views[pk], offers_help=offers) for pk, offers in pairs if pk in views]


def peers_who_can_help(*, codes, viewer, limit_per_code=5) -> dict[str, list[Peer]]:
    """The peers who can help `viewer` on each competence of `codes`, at most `limit_per_code` each.

    Every code asked for is a key (an empty list when nobody can help). Constant number of queries.
    """
    codes = list(codes)
    candidates = _candidates(codes=codes, viewer=viewer, limit=limit_per_code)
    kept = {code: pairs[:limit_per_code] for code, pairs in candidates.items()}
    views = _profiles([pk for pairs in kept.values() for pk, _offers in pairs], viewer)
    return {code: _peers(code, kept.get(code, []), views) for code in codes}


def peers_for(*, code: str, viewer) -> list[tuple[int, bool]]:
    """Every peer who can help on `code` as (user_id, offers_help), in the order shown: for a paginated list."""
    return _candidates(codes=[code], viewer=viewer).get(code, [])


def peers_of_page(*, code: str, pairs, viewer) -> list[Peer]:
    """The Peers of one page of `peers_for` (one query)."""
    return _peers(code, pairs, _profiles([pk for pk, _offers in pairs], viewer))


def can_help(*, code: str, mentor, viewer) -> bool:
    """True when `mentor` is one of the peers who can help `viewer` on `code`."""
    return any(pk == mentor.pk for pk, _offers in peers_for(code=code, viewer=viewer))


# --- Offers -------------------------------------------------------------------------------------------------


def offer_codes_of(user) -> set[str]:
    return set(MentorOffer.objects.filter(user=user).values_list("code", flat=True))


@transaction.atomic
def offers_set(*, user, codes) -> tuple[set[str], set[str]]:
    """Make `codes` the competences `user` offers help on; return (added, removed). Audited."""
    wanted = {code for code in codes if code}
    current = offer_codes_of(user)
    added, removed = wanted - current, current - wanted
    if removed:
        MentorOffer.objects.filter(user=user, code__in=removed).delete()
    MentorOffer.objects.bulk_create(
        [MentorOffer(user=user, code=code) for code in sorted(added)], ignore_conflicts=True
    )
    if added:
        generations.bump(generations.NETWORK)  # a bulk write sends no signal
    if added or removed:
        audit_log(
            actor=user,
            action="training.mentoring.offers_changed",
            target=user,
            data={"added": sorted(added), "removed": sorted(removed)},
        )
    return added, removed


@transaction.atomic
def offers_stop(*, user) -> int:
    """Stop offering help on every competence. Pending requests stay: the mentor may still answer them."""
    codes = sorted(offer_codes_of(user))
    if not codes:
        return 0
    MentorOffer.objects.filter(user=user).delete()
    audit_log(actor=user, action="training.mentoring.offers_stopped", target=user, data={"removed": codes})
    return len(codes)


# --- Requests -----------------------------------------------------------------------------------------------


def _request_url(request_obj) -> str:
    return reverse("training:request_detail", args=[request_obj.pk])


def request_create(*, requester, mentor, code: str, message: str) -> MentoringRequest:
    """Ask `mentor` for help on `code`. Refused towards oneself, a non-approved account, or twice while pending."""
    message = (message or "").strip()
    if not message:
        raise MentoringError(_("Écrivez un message pour présenter votre demande."))
    if len(message) > MESSAGE_LENGTH:
        raise MentoringError(_("Le message ne peut dépasser %(n)s caractères.") % {"n": MESSAGE_LENGTH})
    if mentor.pk == requester.pk:
        raise MentoringError(_("Vous ne pouvez pas vous demander un accompagnement à vous-même."))
    if not mentor.is_approved:
        raise MentoringError(_("Ce membre ne peut pas recevoir de demande."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                created = MentoringRequest.objects.create(
                    requester=requester, mentor=mentor, code=code, message=message
                )
        except IntegrityError as error:
            raise MentoringError(
                _(
                    "Vous avez déjà une demande en attente auprès de ce membre pour cette compétence : "
                    "attendez sa réponse ou retirez-la avant d'en envoyer une autre."
                )
            ) from error
        audit_log(
            actor=requester,
            action="training.mentoring.requested",
            target=created,
            data={"code": code, "mentor": mentor.pk},
        )
        notify(
            user_ids={mentor.pk},
            actor=requester,
            message=_("Vous demande un accompagnement sur la compétence %(code)s.") % {"code": code},
            url=_request_url(created),
        )
    return created


def _decide(*, request_obj, actor, status: str, response: str, action: str) -> MentoringRequest:
    response = (response or "").strip()
    if len(response) > MESSAGE_LENGTH:
        raise MentoringError(_("La réponse ne peut dépasser %(n)s caractères.") % {"n": MESSAGE_LENGTH})
    with transaction.atomic():
        locked = MentoringRequest.objects.select_for_update().get(pk=request_obj.pk)
        if locked.status != RequestStatus.PENDING:
            raise MentoringError(_("Cette demande n'est plus en attente : elle a déjà reçu une suite."))
        locked.status = status
        if status != RequestStatus.WITHDRAWN:
            locked.response = response
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "response", "decided_at"])
        audit_log(actor=actor, action=action, target=locked, data={"code": locked.code})
    return locked


def request_accept(*, request_obj, mentor, response: str = "") -> MentoringRequest:
    """The mentor accepts: from now on both see each other's e-mail address on the request's page."""
    if request_obj.mentor_id != mentor.pk:
        raise MentoringError(_("Seul·e le membre sollicité·e peut répondre à cette demande."))
    decided = _decide(
        request_obj=request_obj,
        actor=mentor,
        status=RequestStatus.ACCEPTED,
        response=response,
        action="training.mentoring.accepted",
    )
    notify(
        user_ids={decided.requester_id},
        actor=mentor,
        message=_("Accepte de vous accompagner sur la compétence %(code)s : ses coordonnées sont sur la demande.")
        % {"code": decided.code},
        url=_request_url(decided),
    )
    return decided


def request_decline(*, request_obj, mentor, response: str = "") -> MentoringRequest:
    if request_obj.mentor_id != mentor.pk:
        raise MentoringError(_("Seul·e le membre sollicité·e peut répondre à cette demande."))
    decided = _decide(
        request_obj=request_obj,
        actor=mentor,
        status=RequestStatus.DECLINED,
        response=response,
        action="training.mentoring.declined",
    )
    notify(
        user_ids={decided.requester_id},
        actor=mentor,
        message=_("Ne peut pas vous accompagner sur la compétence %(code)s pour le moment.") % {"code": decided.code},
        url=_request_url(decided),
    )
    return decided


def request_withdraw(*, request_obj, requester) -> MentoringRequest:
    if request_obj.requester_id != requester.pk:
        raise MentoringError(_("Seul·e l'auteur·rice de la demande peut la retirer."))
    return _decide(
        request_obj=request_obj,
        actor=requester,
        status=RequestStatus.WITHDRAWN,
        response="",
        action="training.mentoring.withdrawn",
    )


def contact_shared(request_obj) -> bool:
    """Contact details are shown to both sides only once the mentor accepted."""
    return request_obj.status == RequestStatus.ACCEPTED


# --- Home blocks (core.home, registered by training.home) ---------------------------------------------------

HOME_SHOWN = 5
ANSWERS_DAYS = 30


def home_requests_to_answer(user):
    """The requests waiting for the member's answer, as a mentor."""
    from core.home import HomeBlock, HomeLink

    waiting = MentoringRequest.objects.pending().filter(mentor=user).select_related("requester__profile")
    shown = list(waiting[:HOME_SHOWN])
    if not shown:
        return None
    links = [
        HomeLink(
            _("%(name)s · %(code)s") % {"name": req.requester.display_name or _("Un·e membre"), "code": req.code},
            _request_url(req),
            _("Demande d'accompagnement reçue, en attente de votre réponse"),
            when=req.created_at,
        )
        for req in shown
    ]
    return HomeBlock(
        "needs-mentoring-requests",
        _("Demandes d'accompagnement à traiter"),
        links,
        count=len(shown) if len(shown) < HOME_SHOWN else waiting.count(),
        more_url=reverse("training:requests"),
        more_text=_("Toutes mes demandes"),
    )


def home_answers(user):
    """The answers the member's requests received in the last ANSWERS_DAYS days."""
    from datetime import timedelta

    from core.home import HomeBlock, HomeLink

    since = timezone.now() - timedelta(days=ANSWERS_DAYS)
    answered = (
        MentoringRequest.objects.filter(
            requester=user, status__in=[RequestStatus.ACCEPTED, RequestStatus.DECLINED], decided_at__gte=since
        )
        .select_related("mentor__profile")
        .order_by("-decided_at", "-pk")
    )
    shown = list(answered[:HOME_SHOWN])
    if not shown:
        return None
    links = []
    for req in shown:
        accepted = req.status == RequestStatus.ACCEPTED
        links.append(
            HomeLink(
                _("%(name)s · %(code)s") % {"name": req.mentor.display_name or _("Un·e membre"), "code": req.code},
                _request_url(req),
                _("Acceptée : ses coordonnées sont sur la demande") if accepted else _("Déclinée"),
                when=req.decided_at,
            )
        )
    return HomeBlock(
        "news-mentoring-answers",
        _("Réponses à mes demandes d'accompagnement"),
        links,
        more_url=reverse("training:requests"),
        more_text=_("Toutes mes demandes"),
    )


# --- Personal data (core.personal_data, registered by training.personal_data) -------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def offers_export(user) -> list[dict]:
    return [
        {"code": offer.code, "created_at": _iso(offer.created_at)}
        for offer in MentorOffer.objects.filter(user=user).order_by("code")
    ]


def offers_erase(user) -> None:
    MentorOffer.objects.filter(user=user).delete()


def requests_export(user) -> list[dict]:
    """The requests the person sent and received: both sides' messages, as both saw them; no address."""
    rows = []
    for req in (
        MentoringRequest.objects.involving(user)
        .select_related("requester__profile", "mentor__profile")
        .order_by("created_at", "pk")
    ):
        sent = req.requester_id == user.pk
        other = req.mentor if sent else req.requester
        rows.append(
            {
                "direction": "envoyée" if sent else "reçue",
                "other_member": str(other),
                "code": req.code,
                "message": req.message,
                "status": str(req.get_status_display()),
                "response": req.response,
                "created_at": _iso(req.created_at),
                "decided_at": _iso(req.decided_at),
            }
        )
    return rows


def requests_erase(user) -> None:
    """Delete every request the person sent or received (see the kind's description in training.personal_data)."""
    MentoringRequest.objects.involving(user).delete()
