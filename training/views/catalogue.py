"""The parcours' landing page and the catalogue of trainings: list, a training's page, "suivie" marks, and the
CNCD team's pages (create, edit, sessions, publish, archive, delete, import, export). Thin views: the rules are
in training.services, the reads in training.selectors, the files in training.transfer."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.concurrency import EditConflict, conflict_data, conflict_for
from core.htmx import vary_on_htmx, wants_fragment
from core.limits import PREVIEW_LIMIT_MESSAGE, preview_allowed
from core.permissions import curator_required, public
from fiches.rendering import render_markdown
from training import generations, selectors, services, transfer
from training.enums import TrainingStatus
from training.forms import CompletionForm, ImportForm, SessionForm, TrainingForm
from training.models import Training

IMPORT_SESSION_KEY = "training_import"


def _member(user) -> bool:
    return bool(user.is_authenticated and user.is_approved)


def _show_error(request, error) -> None:
    for message in error.messages:
        messages.error(request, message)


# The landing page --------------------------------------------------------------------------------

# (URL name, title, what it offers, who sees the link: "all", "members" or "team"). Other areas of the
# parcours add their pages; a name not (yet) in the URLconf is left out, so the page works whatever exists.
HOME_LINKS = (
    (
        "training:catalogue",
        gettext_lazy("Catalogue des formations"),
        gettext_lazy(
            "Les formations repérées par l'équipe CNCD (CNFPT, universités, webinaires du réseau…), reliées aux "
            "compétences du référentiel, avec leurs sessions et l'avis des membres qui les ont suivies."
        ),
        "all",
    ),
    (
        "training:plan",
        gettext_lazy("Mon plan de développement"),
        gettext_lazy(
            "Votre auto-évaluation face aux niveaux attendus, vos écarts, et pour chacun des formations, des "
            "ressources et des pairs ; vos priorités et vos actions, avec leurs échéances."
        ),
        "members",
    ),
    (
        "training:mentors",
        gettext_lazy("Accompagnement entre pairs"),
        gettext_lazy(
            "Proposez votre aide sur les compétences que vous maîtrisez, ou demandez-en à un·e collègue du réseau."
        ),
        "members",
    ),
    (
        "training:welcome",
        gettext_lazy("Premiers pas"),
        gettext_lazy("Le parcours d'arrivée des nouveaux technicien·nes : les étapes pour bien démarrer."),
        "members",
    ),
    (
        "training:portfolio",
        gettext_lazy("Mon portfolio"),
        gettext_lazy(
            "Un document à remettre pour votre entretien professionnel annuel : votre poste, vos niveaux, vos "
            "formations, vos contributions au réseau."
        ),
        "members",
    ),
    (
        "training:needs",
        gettext_lazy("Besoins de formation du réseau"),
        gettext_lazy(
            "Les compétences le plus souvent en deçà du niveau attendu, par région et par catégorie de poste, "
            "pour construire l'offre avec les partenaires."
        ),
        "team",
    ),
)


def home_links(user) -> list[dict]:
    """The parcours' parts that exist: a link to those `user` may open; the members' parts described (without a
    link) to others; the team's part only to the team."""
    member = _member(user)
    curator = member and user.is_curator
    links = []
    for name, title, text, audience in HOME_LINKS:
        if audience == "team" and not curator:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        allowed = audience == "all" or (audience == "members" and member) or audience == "team"
        links.append({"url": url if allowed else "", "title": title, "text": text, "team": audience == "team"})
    return links


@public
@require_safe
def home(request):
    """What the parcours offers, and the way into each part the visitor may open."""
    context = {
        "links": home_links(request.user),
        "member": _member(request.user),
        "published_count": Training.objects.published().count(),
    }
    return render(request, "training/home.html", context)


# The catalogue -----------------------------------------------------------------------------------


# The catalogue's content is rendered once per state and kept (the référentiel's 500 competences in the filter
# and the cards cost some thirty milliseconds otherwise): one rendering for the CNCD team (drafts, archives,
# their buttons) and one for everyone else, per language, day (upcoming sessions), query and page, stamped with
# the generations of the trainings and of the référentiel (training.generations). It holds no form that posts
# (no CSRF token) and nothing of the visitor. Never kept while no référentiel is published: the first
# publication is a bulk update that sends no signal.
CATALOGUE_SECONDS = 600
CATALOGUE_VERSION = "v1"  # change it when the kept template changes in a way the stamps do not see


def _catalogue_content(request, *, fragment: bool) -> str:
    curator = bool(request.user.is_authenticated and request.user.is_curator)
    params = selectors.CatalogueParams.from_query(request.GET, curator=curator)
    query = hashlib.sha256(params.query(page=params.page).encode()).hexdigest()[:32]
    audience = "equipe" if curator else "tous"
    part = "results" if fragment else "body"
    key = f"training:catalogue:{CATALOGUE_VERSION}:{audience}:{get_language()}:{part}:{query}"
    names = [generations.CATALOGUE, generations.REFERENCE]
    stamp, html = generations.cached(key, names, facts=(timezone.localdate(),))
    if html is not None:
        return mark_safe(generations.unpacked(html))  # noqa: S308 - rendered by our template
    result = selectors.catalogue(user=request.user, params=params)
    context = {
        "catalogue": result,
        "params": result.params,
        "page": result.page,
        "sorts": list(selectors.SORTS.items()),
        "statuses": list(selectors.STATUS_CHOICES.items()),
        "provider_kinds": Training._meta.get_field("provider_kind").choices,
        "formats": Training._meta.get_field("format").choices,
    }
    template = "training/catalogue/_body.html#results" if fragment else "training/catalogue/_body.html"
    html = render_to_string(template, context)
    if result.referentiel.version is not None:
        generations.store(key, stamp, generations.packed(html), CATALOGUE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our template


@public
@require_safe
def catalogue(request):
    """Open to everyone: published trainings; the CNCD team may also list drafts and archives."""
    if wants_fragment(request):
        return vary_on_htmx(HttpResponse(_catalogue_content(request, fragment=True)))
    body = _catalogue_content(request, fragment=False)
    return vary_on_htmx(render(request, "training/catalogue/list.html", {"body": body}))


@public
@require_safe
def export(request):
    """The catalogue as CSV, with the filters of the list; the team's export includes drafts and archives."""
    params = selectors.CatalogueParams.from_query(
        request.GET, curator=request.user.is_authenticated and request.user.is_curator
    )
    trainings = selectors.catalogue_matching(request.user, params)
    response = HttpResponse(transfer.export_csv(trainings), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="formations.csv"'
    return response


def _visible(request, pk: int) -> Training:
    """The training if the visitor may see it (drafts and archives: the team only); 404 otherwise."""
    training = selectors.visible_training(request.user, pk)
    if training is None:
        raise Http404
    return training


@public
@require_safe
def detail(request, pk):
    training = _visible(request, pk)
    shown = selectors.training_page(training=training, user=request.user)
    context = {
        "training": training,
        "page": shown,
        "description_html": render_markdown(training.description),
        "member": _member(request.user),
        "curator": request.user.is_authenticated and request.user.is_curator,
        "completion_form": _completion_form(shown.mine) if _member(request.user) else None,
    }
    return render(request, "training/catalogue/detail.html", context)


def _completion_form(mine, data=None) -> CompletionForm:
    initial = {"completed_on": mine.completed_on, "review": mine.review} if mine else {}
    return CompletionForm(data, initial=initial)


def completion(request, pk):
    """A member marks the training as followed, or changes the date and review of their mark."""
    training = _visible(request, pk)
    shown = selectors.training_page(training=training, user=request.user)
    if shown.mine is None and training.status != TrainingStatus.PUBLISHED:
        raise PermissionDenied
    form = _completion_form(shown.mine, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.completion_save(
                training_id=training.pk,
                user=request.user,
                completed_on=form.cleaned_data["completed_on"],
                review=form.cleaned_data["review"],
            )
        except services.TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Votre formation suivie est mise à jour.")
                if shown.mine
                else _("La formation est notée comme suivie."),
            )
            return redirect(training)
    return render(
        request, "training/catalogue/completion.html", {"training": training, "form": form, "mine": shown.mine}
    )


@require_POST
def completion_delete(request, pk):
    training = get_object_or_404(Training, pk=pk)
    if services.completion_remove(training_id=training.pk, user=request.user):
        messages.success(request, _("La formation n'est plus notée comme suivie ; votre avis est retiré."))
    if selectors.visible_training(request.user, pk) is None:
        return redirect("training:catalogue")
    return redirect(training)


# The CNCD team's pages ------------------------------------------------------------------------------


@curator_required
def create(request):
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(
                actor=request.user, values=form.values(), codes=form.cleaned_data["codes"]
            )
        except services.TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("La formation est enregistrée en brouillon : ajoutez ses sessions, puis publiez-la."),
            )
            return redirect("training:sessions", pk=training.pk)
    return render(request, "training/catalogue/form.html", {"form": form, "training": None, "conflict": None})


@curator_required
def edit(request, pk):
    training = get_object_or_404(Training, pk=pk)
    form = TrainingForm(request.POST or None, instance=training)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.training_update(
                training_id=training.pk,
                actor=request.user,
                values=form.values(),
                codes=form.cleaned_data["codes"],
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            if error.current is None:
                raise Http404 from None
            training = error.current
            form = TrainingForm(conflict_data(request.POST, training.lock_version), instance=training)
            conflict = conflict_for(error, form, TrainingForm(instance=training))
        except services.TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La formation est enregistrée."))
            return redirect("training:detail", pk=training.pk)
    return render(request, "training/catalogue/form.html", {"form": form, "training": training, "conflict": conflict})


@curator_required
@require_POST
def publish(request, pk):
    training = get_object_or_404(Training, pk=pk)
    try:
        services.training_publish(training_id=training.pk, actor=request.user)
    except services.TrainingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("La formation est publiée : elle paraît dans le catalogue."))
    return redirect(training)


@curator_required
@require_POST
def archive(request, pk):
    training = get_object_or_404(Training, pk=pk)
    try:
        services.training_archive(training_id=training.pk, actor=request.user)
    except services.TrainingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("La formation est archivée : elle ne paraît plus dans le catalogue."))
    return redirect(training)


@curator_required
def delete(request, pk):
    training = get_object_or_404(Training, pk=pk)
    if request.method == "POST":
        try:
            services.training_delete(training_id=training.pk, actor=request.user)
        except services.TrainingError as error:
            _show_error(request, error)
            return redirect(training)
        messages.success(request, _("La formation « %(title)s » est supprimée.") % {"title": training.title})
        return redirect("training:catalogue")
    followed = training.completions.exists()
    return render(request, "training/catalogue/delete.html", {"training": training, "followed": followed})


@curator_required
def sessions(request, pk):
    """A training's sessions, and a form to add one."""
    training = get_object_or_404(Training, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(training_id=training.pk, actor=request.user, values=form.values())
        except services.TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La session est ajoutée."))
            return redirect("training:sessions", pk=training.pk)
    context = {
        "training": training,
        "form": form,
        "sessions": training.sessions.select_related("region").order_by("-starts_on", "-pk"),
    }
    return render(request, "training/catalogue/sessions.html", context)


@curator_required
def session_edit(request, pk, session_pk):
    training = get_object_or_404(Training, pk=pk)
    session = get_object_or_404(training.sessions, pk=session_pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                training_id=training.pk, actor=request.user, values=form.values(), session_id=session.pk
            )
        except services.TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La session est enregistrée."))
            return redirect("training:sessions", pk=training.pk)
    return render(
        request, "training/catalogue/session_form.html", {"training": training, "form": form, "session": session}
    )


@curator_required
@require_POST
def session_delete(request, pk, session_pk):
    training = get_object_or_404(Training, pk=pk)
    get_object_or_404(training.sessions, pk=session_pk)
    try:
        services.session_delete(training_id=training.pk, actor=request.user, session_id=session_pk)
    except services.TrainingError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("La session est supprimée."))
    return redirect("training:sessions", pk=training.pk)


# Import -------------------------------------------------------------------------------------------


def _import_page(request, *, form=None, preview=None, status=200):
    context = {
        "form": form or ImportForm(),
        "preview": preview,
        "columns": transfer.COLUMNS,
        "required_columns": transfer.REQUIRED_COLUMNS,
        "max_rows": transfer.MAX_ROWS,
    }
    return render(request, "training/catalogue/import.html", context, status=status)


@curator_required
def import_file(request):
    """Upload → preview of every line → confirm; nothing is written before the confirmation."""
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.info(request, _("Import annulé : rien n'a été enregistré."))
        return redirect("training:import")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _import_page(request, form=form)
    if not preview_allowed(request, "training.import_preview"):
        form.add_error(None, PREVIEW_LIMIT_MESSAGE)
        return _import_page(request, form=form, status=429)
    if not form.is_valid():
        return _import_page(request, form=form)
    upload = form.cleaned_data["file"]
    preview = transfer.preview_file(upload.read(transfer.MAX_IMPORT_BYTES + 1))
    if preview.ok:
        request.session[IMPORT_SESSION_KEY] = {
            "lines": [line.to_json() for line in preview.lines],
            "file": str(upload.name)[:120],
        }
    else:
        request.session.pop(IMPORT_SESSION_KEY, None)
    return _import_page(request, form=ImportForm(), preview=preview)


def _import_confirm(request):
    payload = request.session.pop(IMPORT_SESSION_KEY, None)
    if not payload:
        messages.error(request, _("L'aperçu a expiré : chargez le fichier à nouveau."))
        return redirect("training:import")
    lines = [transfer.ImportLine.from_json(line) for line in payload["lines"]]
    try:
        result = transfer.import_apply(lines=lines, actor=request.user, file_name=payload.get("file", ""))
    except services.TrainingError as error:
        _show_error(request, error)
        return redirect("training:import")
    except (ValidationError, ValueError, KeyError, TypeError):  # a line no longer valid since the preview
        messages.error(request, _("L'import n'a pas pu être enregistré : chargez le fichier à nouveau."))
        return redirect("training:import")
    messages.success(
        request,
        _("Import terminé : %(created)s formation(s) créée(s), %(updated)s mise(s) à jour.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect(f"{reverse('training:catalogue')}?etat={selectors.STATUS_ALL}")


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@curator_required
@require_safe
def import_template(request, file_format):
    if file_format not in TEMPLATE_TYPES:
        raise Http404
    content = transfer.template_csv() if file_format == "csv" else transfer.template_xlsx()
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="modele-formations.{file_format}"'
    return response
