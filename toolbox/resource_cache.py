"""A resource's page kept rendered between two changes (issue 22: some fifteen queries and the rendering of its
fields, links, uses and comments at each request otherwise).

What is kept: the page's content, per resource, language and viewer's state. The state is everything of the
visitor the page shows or decides on, read at each request in one query (selectors_detail.viewer_state): signed
in or not, approved, of the CNCD team, author or co-author, may edit, their "utile" mark, their use and its
feedback, whether they follow the resource's kind, whether they wrote a comment there (the "Signaler" buttons
leave out their own), and the page's address (the forms send back to it). Two visitors with the same state see
the same page; a rendering made for one state never reaches a visitor in another (the team's moderation tools
and hidden comments only reach the team). The forms' CSRF token is a placeholder in what is kept, replaced by
the visitor's own token at each response.

Freshness. Each entry is stamped with generations (core.generations), bumped at once and again when the
transaction commits:
- `resource_generation(pk)`: the resource, its links, files, co-authors, uses, "utile" marks, comments and
  their reports; the services' bulk updates that send no signal (reports dismissed, a download counted) call
  `resource_changed` themselves;
- `SHOWN`: what the page shows of other apps: people's names (accounts and profiles), councils, regions, the
  référentiel's titles and pages (a publication).
An entry is also stamped with the resource's row as the request reads it (`core.generations.row_digest`: an
update that sends no signal on it, such as the counts of marks and uses, is seen at once), and lives ten minutes at
most.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import generations

SECONDS = 600
VERSION = "v1"  # change it when the kept template changes in a way the stamps do not see
SHOWN = "toolbox-resource-shown"


def resource_generation(resource_id) -> str:
    return f"toolbox-resource:{resource_id}"


def resource_changed(*resource_ids) -> None:
    """What the pages of these resources show changed (now, and again when the transaction commits)."""
    generations.bump(*[resource_generation(pk) for pk in resource_ids if pk])


# Bumping ----------------------------------------------------------------------------------------------------


def _resource_saved(sender, instance, **kwargs):
    resource_changed(instance.pk)


def _part_changed(sender, instance, **kwargs):
    resource_changed(instance.resource_id)


def _report_changed(sender, instance, **kwargs):
    from toolbox.models import ResourceComment

    comment = instance._state.fields_cache.get("comment")
    resource_id = (
        comment.resource_id
        if comment is not None
        else ResourceComment.objects.filter(pk=instance.comment_id).values_list("resource_id", flat=True).first()
    )
    resource_changed(resource_id)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login saves them: nothing the pages show
    generations.bump(SHOWN)


def _shown_changed(sender, instance, **kwargs):
    generations.bump(SHOWN)


def _coauthors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        resource_changed(instance.pk)
    elif pk_set:
        resource_changed(*pk_set)
    else:
        generations.bump(SHOWN)


def connect() -> None:
    """Bump the generations on every save or deletion of what the pages show (ToolboxConfig.ready)."""
    from competences.models import FrameworkVersion
    from members.models import Council, Profile, Region, User
    from toolbox.models import (
        Resource,
        ResourceComment,
        ResourceCommentReport,
        ResourceFile,
        ResourceLink,
        ResourceUse,
        UsefulMark,
    )

    receivers = [(Resource, _resource_saved), (User, _user_saved), (ResourceCommentReport, _report_changed)]
    parts = (ResourceLink, ResourceFile, ResourceComment, ResourceUse, UsefulMark)
    receivers += [(model, _part_changed) for model in parts]
    receivers += [(model, _shown_changed) for model in (Profile, Council, Region, FrameworkVersion)]
    for model, receiver in receivers:
        uid = f"toolbox.resource_cache.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
    m2m_changed.connect(
        _coauthors_changed,
        sender=Resource.coauthors.through,
        dispatch_uid="toolbox.resource_cache.coauthors",
        weak=False,
    )


# Reading ----------------------------------------------------------------------------------------------------


def page_content(request, resource, state: tuple, render) -> str:
    """The resource's rendered content for a visitor in `state`: kept, or `render()` (with the CSRF placeholder)
    then kept (core.generations.kept_rendering; the row's digest sees the updates that send no signal)."""
    return generations.kept_rendering(
        request,
        f"toolbox:resource-page:{VERSION}:{resource.pk}",
        state,
        [resource_generation(resource.pk), SHOWN],
        render,
        seconds=SECONDS,
        facts=(generations.row_digest(resource),),
    )
