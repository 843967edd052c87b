"""The personal home of an approved member ("Mon espace") and the CNCD team's to-do page."""

from django.shortcuts import render

from core.home import home_sections
from core.permissions import curator_required

MEMBER_SECTIONS = ("needs", "news", "peers", "progress")


def my_space(request):
    """Where an approved member lands after logging in: what needs them, what is new, peers, progress.

    For the CNCD team the to-do section comes first, shortened to its counts with a link to the full page.
    """
    start = home_sections(request.user, ("start",))[0][2]
    sections = home_sections(request.user, MEMBER_SECTIONS)
    todo = home_sections(request.user, ("todo",))[0][2] if request.user.is_curator else []
    context = {
        "start": start,
        "sections": sections,
        "todo": todo,
        "todo_waiting": sum(block.count or 0 for block in todo),
    }
    return render(request, "core/my_space.html", context)


@curator_required
def team_todo(request):
    """Everything waiting for the CNCD team, app by app: accounts, councils, proposals, reports…"""
    blocks = home_sections(request.user, ("todo",))[0][2]
    context = {"blocks": blocks, "waiting": sum(block.count or 0 for block in blocks)}
    return render(request, "core/team_todo.html", context)
