"""A meeting's page kept rendered between two changes (issue 22: some twenty queries and the markdown of its
description, programme, minutes and sub-groups' notes at each request otherwise).

What is kept: the page's content, per meeting, language and viewer's state. The state is everything of the
visitor the page shows or decides on, read at each request in a few queries (services.viewer_state): signed in
or not, approved, of the CNCD team, organiser, their registration (its id, state, mode, place on the waiting
list), whether they follow the meeting, the sub-groups they joined, why registering is closed now (the clock),
the places left, and the address of the page (the forms send back to it). Two visitors with the same state see
the same page (most members: not registered, not following), and one visitor never gets a page made for another
state: an organiser's tools never reach a member, a registered member's cancel button never reaches another.
The forms' CSRF token is a placeholder in what is kept, replaced by the visitor's own token at each response.

Freshness. Each entry is stamped with generations (core.generations), bumped at once and again when the
transaction commits:
- `meeting_generation(pk)`: the meeting, its sub-groups and their participants, organisers, documents,
  outcomes and registrations (places left, "complet");
- `SHOWN`: what the page shows of other apps: people's names (accounts and profiles), the référentiel's
  titles (a publication), the fiche's sections, the toolbox's resources, the fiche's suggestions.
The models' saves and deletions and the many-to-many changes bump them (`connect`, at start-up). An entry is
also stamped with the meeting's row as the request reads it (`core.generations.row_digest`: an update that
sends no signal on it is seen at once), and lives ten minutes at most.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import generations

SECONDS = 600
VERSION = "v1"  # change it when the kept template changes in a way the stamps do not see
SHOWN = "meetings-shown"


def meeting_generation(meeting_id) -> str:
    return f"meeting:{meeting_id}"


def meeting_changed(*meeting_ids) -> None:
    """What the pages of these meetings show changed (now, and again when the transaction commits)."""
    generations.bump(*[meeting_generation(pk) for pk in meeting_ids if pk])


# Bumping ----------------------------------------------------------------------------------------------------


def _meeting_saved(sender, instance, **kwargs):
    meeting_changed(instance.pk)


def _part_changed(sender, instance, **kwargs):
    meeting_changed(instance.meeting_id)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login saves them: nothing the pages show
    generations.bump(SHOWN)


def _shown_changed(sender, instance, **kwargs):
    generations.bump(SHOWN)


def _organisers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse and pk_set:  # a person's meetings changed: their ids are in pk_set
        meeting_changed(*pk_set)
    elif reverse:  # all of them (clear): every meeting page
        generations.bump(SHOWN)
    else:
        meeting_changed(instance.pk)


def _participants_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # a person's sub-groups changed (rare: erasure): every meeting page
        generations.bump(SHOWN)
    else:
        meeting_changed(instance.meeting_id)


def connect() -> None:
    """Bump the generations on every save or deletion of what the pages show (MeetingsConfig.ready)."""
    from competences.models import FrameworkVersion
    from fiches.models import Section, Suggestion
    from meetings.models import Material, Meeting, Outcome, Registration, Workshop
    from members.models import Profile, Region, User
    from toolbox.models import Resource

    receivers = [(Meeting, _meeting_saved), (User, _user_saved)]
    receivers += [(model, _part_changed) for model in (Workshop, Material, Outcome, Registration)]
    shown = (Profile, Region, FrameworkVersion, Section, Suggestion, Resource)
    receivers += [(model, _shown_changed) for model in shown]
    for model, receiver in receivers:
        uid = f"meetings.caching.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
    m2m_changed.connect(
        _organisers_changed, sender=Meeting.organisers.through, dispatch_uid="meetings.caching.organisers", weak=False
    )
    m2m_changed.connect(
        _participants_changed,
        sender=Workshop.participants.through,
        dispatch_uid="meetings.caching.participants",
        weak=False,
    )


# Reading ----------------------------------------------------------------------------------------------------


def page_content(request, meeting, state: tuple, render) -> str:
    """The meeting's rendered content for a visitor in `state`: kept, or `render()` (with the CSRF placeholder)
    then kept (core.generations.kept_rendering; the row's digest sees the updates that send no signal)."""
    return generations.kept_rendering(
        request,
        f"meetings:page:{VERSION}:{meeting.pk}",
        state,
        [meeting_generation(meeting.pk), SHOWN],
        render,
        seconds=SECONDS,
        facts=(generations.row_digest(meeting),),
    )
