from django.urls import path, register_converter

from referentiel.converters import CodeConverter, VersionLabelConverter
from referentiel.views import curation, public, selfassessment, transfer

app_name = "referentiel"

register_converter(VersionLabelConverter, "label")
register_converter(CodeConverter, "code")

urlpatterns = [
    path("", public.home, name="home"),
    path("versions/", public.changelog, name="changelog"),
    path("rechercher/", public.search, name="search"),
    path("comparer/", public.compare, name="compare"),
    path("mon-auto-evaluation/", selfassessment.self_assessment, name="self_assessment"),
    # Curation by the CNCD team.
    path("gestion/", curation.manage, name="manage"),
    path("gestion/importer/", transfer.import_file, name="import"),
    path("gestion/<label:label>/", curation.draft_edit, name="draft_edit"),
    path("gestion/<label:label>/publier/", curation.draft_publish, name="draft_publish"),
    path("gestion/<label:label>/supprimer/", curation.draft_delete, name="draft_delete"),
    path("gestion/<label:label>/echelle/ajouter/", curation.scale_add, name="scale_add"),
    path("gestion/<label:label>/echelle/<int:value>/", curation.scale_edit, name="scale_edit"),
    path("gestion/<label:label>/echelle/<int:value>/retirer/", curation.scale_remove, name="scale_remove"),
    path("gestion/<label:label>/<slug:kind>/ajouter/", curation.item_edit, name="item_add"),
    path("gestion/<label:label>/<slug:kind>/<code:code>/", curation.item_edit, name="item_edit"),
    path("gestion/<label:label>/<slug:kind>/<code:code>/deplacer/", curation.item_move, name="item_move"),
    path("gestion/<label:label>/<slug:kind>/<code:code>/supprimer/", curation.item_delete, name="item_delete"),
    # Public, stable links.
    path("<label:label>/", public.version_detail, name="version"),
    path("<label:label>/competences/", public.version_competences, name="version_competences"),
    path("<label:label>/pdf/", public.version_pdf, name="version_pdf"),
    path("<label:label>/missions/<code:code>/", public.mission_detail, name="mission"),
    path("<label:label>/activites/<code:code>/", public.activity_detail, name="activity"),
    path("<label:label>/domaines/<code:code>/", public.domain_detail, name="domain"),
    path("<label:label>/competences/<code:code>/", public.competence_detail, name="competence"),
    path("<label:label>/export/<slug:file_format>/", transfer.export, name="export"),
]
