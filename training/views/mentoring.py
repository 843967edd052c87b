"""Peer mentoring (offers, finding peers, requests) and the newcomers' path. Thin views: the rules are in
training.mentoring and training.welcome.

Every page here is for approved members (the default middleware); the team's steps pages for the CNCD team.
A request is seen only by its two members: 404 for anyone else, as for one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from competences.models import Competence, FrameworkVersion, SelfAssessment
from core.concurrency import EditConflict, conflict_data, conflict_for
from core.permissions import curator_required
from members.models import User
from training import mentoring, welcome
from training.enums import RequestStatus
from training.mentoring_forms import AnswerForm, CompetenceChoiceForm, OffersForm, RequestForm, WelcomeStepForm
from training.models import CODE_LENGTH, MentoringRequest, WelcomeStep

PEERS_PER_PAGE = 10
REQUESTS_PER_PAGE = 20


def _competences() -> list[tuple[str, str]]:
    """(code, "code · title") of the current référentiel's competences, by code."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return []
    return [
        (code, f"{code} · {title}")
        for code, title in Competence.objects.of(version).order_by("code").values_list("code", "title")
    ]


def _titles() -> dict[str, str]:
    return dict(_competences())


# --- Offering help ------------------------------------------------------------------------------------------


def mentor_offers(request):
    """The competences I offer help on: proposed from those I rated highly, any other allowed."""
    competences = _competences()
    current = mentoring.offer_codes_of(request.user)
    known = {code for code, _label in competences}
    # An offer kept on a code the current référentiel no longer has stays listed, so it can be withdrawn.
    choices = competences + [(code, code) for code in sorted(current - known)]
    ratings = dict(SelfAssessment.objects.filter(user=request.user, level__isnull=False).values_list("code", "level"))
    thresholds = mentoring.helping_thresholds(ratings)
    suggested = {code for code, level in ratings.items() if code in thresholds and level >= thresholds[code]}
    form = OffersForm(request.POST or None, competences=choices, initial={"codes": sorted(current)})
    if request.method == "POST":
        if "arreter" in request.POST:
            stopped = mentoring.offers_stop(user=request.user)
            if stopped:
                messages.success(
                    request, _("Vous ne proposez plus d'accompagnement. Vous pouvez reprendre à tout moment.")
                )
            return redirect("training:mentor_offers")
        if form.is_valid():
            added, removed = mentoring.offers_set(user=request.user, codes=form.cleaned_data["codes"])
            if added or removed:
                messages.success(request, _("Vos propositions d'accompagnement sont enregistrées."))
            else:
                messages.info(request, _("Rien n'a changé."))
            return redirect("training:mentor_offers")
    context = {
        "form": form,
        "suggested": suggested,
        "current": current,
        "others_chosen": bool(current - suggested),
        "has_version": bool(competences),
    }
    return render(request, "training/mentoring/offers.html", context)


# --- Finding help -------------------------------------------------------------------------------------------


@require_safe
def mentors(request):
    """Pick a competence, see the peers who can help on it, ask one of them."""
    competences = _competences()
    form = CompetenceChoiceForm(request.GET or None, competences=competences)
    code = form.cleaned_data["competence"] if form.is_bound and form.is_valid() else ""
    page = None
    mine = {}
    if code:
        pairs = mentoring.peers_for(code=code, viewer=request.user)
        page = Paginator(pairs, PEERS_PER_PAGE).get_page(request.GET.get("page"))
        # My open or accepted requests to these peers on this competence: no second form where one waits.
        for req in MentoringRequest.objects.filter(
            requester=request.user, code=code, status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]
        ).order_by("created_at", "pk"):
            mine[req.mentor_id] = req
        peers = mentoring.peers_of_page(code=code, pairs=list(page.object_list), viewer=request.user)
        page.rows = [(peer, mine.get(peer.user_id)) for peer in peers]
    context = {
        "form": form,
        "code": code,
        "title": dict(competences).get(code, code),
        "page": page,
        "query": urlencode({"competence": code}) if code else "",
        "has_version": bool(competences),
    }
    return render(request, "training/mentoring/mentors.html", context)


def _peer_or_404(request, user_id: int, code: str):
    """The mentor if they can help the viewer on `code`; 404 otherwise (the viewer may not know them)."""
    mentor = get_object_or_404(User.objects.select_related("profile"), pk=user_id)
    pairs = mentoring.peers_for(code=code, viewer=request.user)
    offers = next((o for pk, o in pairs if pk == mentor.pk), None)
    if offers is None:
        raise Http404
    return mentor, mentoring.peers_of_page(code=code, pairs=[(mentor.pk, offers)], viewer=request.user)[0]


def request_create(request, user_id):
    """Ask a peer for help on a competence: the form (also shown again on error), then the request."""
    code = (request.POST.get("code") if request.method == "POST" else request.GET.get("competence")) or ""
    if not code or len(code) > CODE_LENGTH:
        raise Http404
    mentor, peer = _peer_or_404(request, user_id, code)
    form = RequestForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        try:
            created = mentoring.request_create(
                requester=request.user, mentor=mentor, code=code, message=form.cleaned_data["message"]
            )
        except mentoring.MentoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Votre demande est envoyée à %(name)s. Vous serez prévenu·e de sa réponse.")
                % {"name": peer.display_name},
            )
            return redirect("training:request_detail", pk=created.pk)
    context = {"form": form, "peer": peer, "code": code, "title": _titles().get(code, code)}
    return render(request, "training/mentoring/request_form.html", context, status=400 if form.errors else 200)


# --- Requests -----------------------------------------------------------------------------------------------


@require_safe
def requests(request):
    """The requests I received and those I sent."""
    base = MentoringRequest.objects.select_related("requester__profile", "mentor__profile")
    received = Paginator(base.filter(mentor=request.user), REQUESTS_PER_PAGE).get_page(request.GET.get("recues"))
    sent = Paginator(base.filter(requester=request.user), REQUESTS_PER_PAGE).get_page(request.GET.get("envoyees"))
    titles = _titles()
    for req in [*received.object_list, *sent.object_list]:
        req.title = titles.get(req.code, req.code)
    context = {"received": received, "sent": sent}
    return render(request, "training/mentoring/requests.html", context)


def _request_of(request, pk: int) -> MentoringRequest:
    """A request for its two members; 404 for anyone else."""
    return get_object_or_404(
        MentoringRequest.objects.involving(request.user).select_related("requester__profile", "mentor__profile"),
        pk=pk,
    )


def _detail(request, req, *, answer_form=None, status=200):
    is_mentor = req.mentor_id == request.user.pk
    other = req.requester if is_mentor else req.mentor
    context = {
        "req": req,
        "is_mentor": is_mentor,
        "other": other,
        "contact_shared": mentoring.contact_shared(req),
        "answer_form": answer_form or AnswerForm(),
        "title": _titles().get(req.code, req.code),
        "pending": req.status == RequestStatus.PENDING,
    }
    return render(request, "training/mentoring/request_detail.html", context, status=status)


@require_safe
def request_detail(request, pk):
    return _detail(request, _request_of(request, pk))


def _answer(request, pk, *, accept: bool):
    req = _request_of(request, pk)
    if req.mentor_id != request.user.pk:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, req, answer_form=form, status=400)
    service = mentoring.request_accept if accept else mentoring.request_decline
    try:
        service(request_obj=req, mentor=request.user, response=form.cleaned_data["response"])
    except mentoring.MentoringError as error:
        messages.error(request, str(error))
    else:
        if accept:
            messages.success(
                request,
                _("Vous avez accepté la demande : vos adresses e-mail sont maintenant visibles l'un·e de l'autre."),
            )
        else:
            messages.success(request, _("Vous avez décliné la demande ; la personne en est prévenue."))
    return redirect("training:request_detail", pk=req.pk)


@require_POST
def request_accept(request, pk):
    return _answer(request, pk, accept=True)


@require_POST
def request_decline(request, pk):
    return _answer(request, pk, accept=False)


@require_POST
def request_withdraw(request, pk):
    req = _request_of(request, pk)
    if req.requester_id != request.user.pk:
        raise PermissionDenied
    try:
        mentoring.request_withdraw(request_obj=req, requester=request.user)
    except mentoring.MentoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre demande est retirée."))
    return redirect("training:request_detail", pk=req.pk)


# --- The newcomers' path ------------------------------------------------------------------------------------


@require_safe
def welcome_path(request):
    progress = welcome.welcome_progress(request.user)
    return render(request, "training/welcome/path.html", {"progress": progress})


@require_POST
def welcome_step_check(request, pk):
    step = get_object_or_404(WelcomeStep.objects.filter(active=True), pk=pk)
    done = request.POST.get("fait") == "1"
    welcome.step_check(user=request.user, step=step, done=done)
    if done:
        messages.success(request, _("Étape « %(title)s » cochée.") % {"title": step.title})
    else:
        messages.info(request, _("Étape « %(title)s » décochée.") % {"title": step.title})
    return redirect(reverse("training:welcome") + f"#etape-{step.pk}")


@curator_required
@require_safe
def welcome_steps(request):
    steps = list(WelcomeStep.objects.annotate(done_count=Count("done_by")).order_by("order", "pk"))
    return render(request, "training/welcome/steps.html", {"steps": steps})


@curator_required
def welcome_step_create(request):
    form = WelcomeStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        welcome.step_create(actor=request.user, values=form.values())
        messages.success(request, _("L'étape est ajoutée à la fin du parcours d'arrivée."))
        return redirect("training:welcome_steps")
    return render(request, "training/welcome/step_form.html", {"form": form, "step": None, "conflict": None})


@curator_required
def welcome_step_edit(request, pk):
    step = get_object_or_404(WelcomeStep, pk=pk)
    form = WelcomeStepForm(request.POST or None, instance=step)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            welcome.step_update(
                step_id=step.pk,
                actor=request.user,
                values=form.values(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            if error.current is None:
                raise Http404 from None
            step = error.current
            form = WelcomeStepForm(conflict_data(request.POST, step.lock_version), instance=step)
            conflict = conflict_for(error, form, WelcomeStepForm(instance=step))
        else:
            messages.success(request, _("L'étape est enregistrée."))
            return redirect("training:welcome_steps")
    return render(request, "training/welcome/step_form.html", {"form": form, "step": step, "conflict": conflict})


@curator_required
@require_POST
def welcome_step_move(request, pk):
    step = get_object_or_404(WelcomeStep, pk=pk)
    welcome.step_move(step_id=step.pk, actor=request.user, up=request.POST.get("sens") == "haut")
    return redirect(reverse("training:welcome_steps") + f"#etape-{step.pk}")


@curator_required
@require_POST
def welcome_step_active(request, pk):
    step = get_object_or_404(WelcomeStep, pk=pk)
    active = request.POST.get("active") == "1"
    welcome.step_set_active(step_id=step.pk, actor=request.user, active=active)
    if active:
        messages.success(request, _("L'étape est de nouveau proposée aux nouveaux membres."))
    else:
        messages.success(
            request, _("L'étape n'est plus proposée ; les membres qui l'avaient cochée le restent s'il revient.")
        )
    return redirect(reverse("training:welcome_steps") + f"#etape-{step.pk}")
