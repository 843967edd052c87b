"""Views of the network area: follows (« Mes abonnements »), finding a member's @handle, inviting peers.

Every view is for approved members (the site's default). Buttons are plain POST forms; htmx swaps the button in
place when it is there, and the page is reloaded otherwise.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import render_page, vary_on_htmx, wants_fragment
from exchange import follows, mentions, peers
from exchange.models import Question, QuestionTag, Space
from members.models import User

SEARCH_SHOWN = 20
QUERY_LENGTH = 100


def _back(request, default: str):
    """Where the member came from (the `next` field), if it is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _follow_response(request, target, default_url: str):
    following = request.POST.get("suivre") == "1"
    follows.follow_set(user=request.user, target=target, following=following)
    if wants_fragment(request):
        # The button goes on working without htmx afterwards: it keeps the page to come back to.
        back = request.POST.get("next") or request.headers.get("HX-Current-URL", "")
        context = {"target": target, "next": back}
        return vary_on_htmx(render(request, "exchange/includes/follow_button.html", context))
    if following:
        messages.success(request, _("Abonnement enregistré : vous serez notifié·e des nouveautés."))
    else:
        messages.success(request, _("Abonnement retiré."))
    return _back(request, default_url)


@require_POST
def follow_space(request, slug):
    """Follow (join) or leave a space."""
    space = get_object_or_404(Space.objects.active(), slug=slug)
    return _follow_response(request, space, space.get_absolute_url())


@require_POST
def follow_question(request, pk):
    """Follow a question or stop following it."""
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    return _follow_response(request, question, question.get_absolute_url())


def _known_code(code: str) -> str | None:
    """The title of a référentiel code the entraide knows (tagged on a question, or in the current version)."""
    from fiches.rendering import FrameworkLookup

    tagged = QuestionTag.objects.filter(code=code).values_list("title", flat=True).first()
    if tagged is not None:
        return tagged or code
    lookup = FrameworkLookup.current()
    if lookup is None:
        return None
    for items in (lookup.missions, lookup.activities, lookup.competences):
        if code in items:
            return code
    return None


@require_POST
def follow_tag(request, code):
    """Follow a référentiel code (new questions tagged with it) or stop following it."""
    if len(code) > follows.CODE_LENGTH:
        raise Http404
    following = request.POST.get("suivre") == "1"
    # Leaving a code is always possible; following needs a code the entraide knows.
    if following and _known_code(code) is None:
        raise Http404
    return _follow_response(request, code, reverse("exchange:follows"))


def my_follows(request):
    """« Mes abonnements »: my spaces, the questions and the référentiel codes I follow."""
    data = follows.follows_of(request.user)
    titles = follows.tag_titles(data["codes"])
    context = {
        "spaces": data["spaces"],
        "questions": data["questions"],
        "tags": [(code, titles.get(code, "")) for code in data["codes"]],
        "other_spaces": Space.objects.active().exclude(pk__in=[space.pk for space in data["spaces"]]),
    }
    return render_page(request, "exchange/network/follows.html", context, fragment="content")


def mention_search(request):
    """Find a member's @handle by name, council or territory (a page, and a fragment for htmx)."""
    from members.models import Profile

    query = (request.GET.get("q") or "").strip()[:QUERY_LENGTH]
    results = []
    if query:
        handles = mentions.handles_of_members()
        by_user = {pk: handle for handle, pk in handles.items()}
        profiles = (
            Profile.objects.approved()
            .filter(user__erased_at__isnull=True)
            .search(query)
            .select_related("council")
            .order_by("display_name", "pk")[:SEARCH_SHOWN]
        )
        results = [(profile, by_user.get(profile.user_id)) for profile in profiles if profile.user_id in by_user]
    context = {"query": query, "results": results, "shown": SEARCH_SHOWN}
    return render_page(request, "exchange/network/mention_search.html", context, fragment="results")


@require_POST
def invite_peer(request, pk, user_id):
    """The asker invites a suggested peer to answer their question."""
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    invited = get_object_or_404(User.objects.approved(), pk=user_id)
    try:
        peers.invitation_send(question=question, invited=invited, actor=request.user)
    except peers.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation envoyée : ce membre est notifié·e avec un lien vers la question."))
    return redirect(question.get_absolute_url() + "#pairs")
