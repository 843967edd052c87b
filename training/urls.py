"""The parcours' addresses, under /parcours/. Each area keeps its block (one helper view module per area)."""

from django.urls import path

from training.views import catalogue as catalogue_views
from training.views import mentoring as mentoring_views
from training.views import needs as needs_views
from training.views import plans as plan_views
from training.views import portfolio as portfolio_views

app_name = "training"

urlpatterns = [
    # --- Catalogue of trainings (views/catalogue.py) ---
    path("", catalogue_views.home, name="home"),
    path("formations/", catalogue_views.catalogue, name="catalogue"),
    path("formations/export.csv", catalogue_views.export, name="export"),
    path("formations/nouvelle/", catalogue_views.create, name="create"),
    path("formations/importer/", catalogue_views.import_file, name="import"),
    path("formations/importer/modele.<str:file_format>", catalogue_views.import_template, name="import_template"),
    path("formations/<int:pk>/", catalogue_views.detail, name="detail"),
    path("formations/<int:pk>/modifier/", catalogue_views.edit, name="edit"),
    path("formations/<int:pk>/publier/", catalogue_views.publish, name="publish"),
    path("formations/<int:pk>/archiver/", catalogue_views.archive, name="archive"),
    path("formations/<int:pk>/supprimer/", catalogue_views.delete, name="delete"),
    path("formations/<int:pk>/sessions/", catalogue_views.sessions, name="sessions"),
    path("formations/<int:pk>/sessions/<int:session_pk>/", catalogue_views.session_edit, name="session_edit"),
    path(
        "formations/<int:pk>/sessions/<int:session_pk>/supprimer/",
        catalogue_views.session_delete,
        name="session_delete",
    ),
    path("formations/<int:pk>/suivie/", catalogue_views.completion, name="completion"),
    path("formations/<int:pk>/suivie/retirer/", catalogue_views.completion_delete, name="completion_delete"),
    # --- Development plan (views/plans.py) ---
    path("mon-plan/", plan_views.plan, name="plan"),
    path("mon-plan/reference/", plan_views.plan_reference, name="plan_reference"),
    path("mon-plan/partage/", plan_views.plan_sharing, name="plan_sharing"),
    path("mon-plan/priorites/ajouter/", plan_views.priority_add, name="plan_priority_add"),
    path("mon-plan/priorites/<int:pk>/", plan_views.priority_edit, name="plan_priority_edit"),
    path("mon-plan/priorites/<int:pk>/deplacer/", plan_views.priority_move, name="plan_priority_move"),
    path("mon-plan/priorites/<int:pk>/retirer/", plan_views.priority_remove, name="plan_priority_remove"),
    path("mon-plan/actions/ajouter/", plan_views.action_add, name="plan_action_add"),
    path("mon-plan/actions/<int:pk>/", plan_views.action_edit, name="plan_action_edit"),
    path("mon-plan/actions/<int:pk>/etat/", plan_views.action_status, name="plan_action_status"),
    path("mon-plan/actions/<int:pk>/supprimer/", plan_views.action_delete, name="plan_action_delete"),
    path("mon-plan/membres/<int:user_id>/", plan_views.plan_shared, name="plan_shared"),
    # --- Mentoring and the newcomers' path (views/mentoring.py) ---
    path("accompagnement/", mentoring_views.mentors, name="mentors"),
    path("accompagnement/proposer/", mentoring_views.mentor_offers, name="mentor_offers"),
    path("accompagnement/membres/<int:user_id>/demander/", mentoring_views.request_create, name="request_create"),
    path("accompagnement/demandes/", mentoring_views.requests, name="requests"),
    path("accompagnement/demandes/<int:pk>/", mentoring_views.request_detail, name="request_detail"),
    path("accompagnement/demandes/<int:pk>/accepter/", mentoring_views.request_accept, name="request_accept"),
    path("accompagnement/demandes/<int:pk>/decliner/", mentoring_views.request_decline, name="request_decline"),
    path("accompagnement/demandes/<int:pk>/retirer/", mentoring_views.request_withdraw, name="request_withdraw"),
    path("premiers-pas/", mentoring_views.welcome_path, name="welcome"),
    path("premiers-pas/<int:pk>/cocher/", mentoring_views.welcome_step_check, name="welcome_step_check"),
    path("premiers-pas/etapes/", mentoring_views.welcome_steps, name="welcome_steps"),
    path("premiers-pas/etapes/nouvelle/", mentoring_views.welcome_step_create, name="welcome_step_create"),
    path("premiers-pas/etapes/<int:pk>/modifier/", mentoring_views.welcome_step_edit, name="welcome_step_edit"),
    path("premiers-pas/etapes/<int:pk>/deplacer/", mentoring_views.welcome_step_move, name="welcome_step_move"),
    path("premiers-pas/etapes/<int:pk>/activer/", mentoring_views.welcome_step_active, name="welcome_step_active"),
    # --- Portfolio and the team's training needs (views/portfolio.py, views/needs.py) ---
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),
    path("portfolio/portfolio.json", portfolio_views.portfolio_json, name="portfolio_json"),
    path("portfolio/pdf/", portfolio_views.portfolio_pdf, name="portfolio_pdf"),
    path("portfolio/pdf/<uuid:export_id>/", portfolio_views.portfolio_status, name="portfolio_status"),
    path("portfolio/pdf/<uuid:export_id>/telecharger/", portfolio_views.portfolio_download, name="portfolio_download"),
    path("equipe/besoins/", needs_views.needs, name="needs"),
    path("equipe/besoins/export.csv", needs_views.needs_export, {"file_format": "csv"}, name="needs_csv"),
    path("equipe/besoins/export.xlsx", needs_views.needs_export, {"file_format": "xlsx"}, name="needs_xlsx"),
]
