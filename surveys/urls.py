"""The surveys' addresses, under /enquetes/. Each area keeps its block."""

from django.urls import path

from surveys.views import answering as answering_views
from surveys.views import authoring
from surveys.views import results as results_views

app_name = "surveys"

urlpatterns = [
    # --- Questionnaires and campaigns, for the CNCD team (views/authoring.py) ---
    path("equipe/", authoring.team, name="team"),
    path("equipe/questionnaires/nouveau/", authoring.questionnaire_create, name="questionnaire_create"),
    path("equipe/questionnaires/<int:pk>/", authoring.questionnaire_detail, name="questionnaire"),
    path("equipe/questionnaires/<int:pk>/modifier/", authoring.questionnaire_edit, name="questionnaire_edit"),
    path("equipe/questionnaires/<int:pk>/supprimer/", authoring.questionnaire_delete, name="questionnaire_delete"),
    path("equipe/questionnaires/<int:pk>/copier/", authoring.questionnaire_copy, name="questionnaire_copy"),
    path("equipe/questionnaires/<int:pk>/apercu/", authoring.questionnaire_preview, name="questionnaire_preview"),
    path("equipe/questionnaires/<int:pk>/parties/nouvelle/", authoring.section_create, name="section_create"),
    path("equipe/questionnaires/<int:pk>/campagnes/nouvelle/", authoring.campaign_create, name="campaign_create"),
    path("equipe/parties/<int:pk>/modifier/", authoring.section_edit, name="section_edit"),
    path("equipe/parties/<int:pk>/supprimer/", authoring.section_delete, name="section_delete"),
    path("equipe/parties/<int:pk>/deplacer/", authoring.section_move, name="section_move"),
    path("equipe/parties/<int:pk>/questions/nouvelle/", authoring.question_create, name="question_create"),
    path("equipe/questions/<int:pk>/modifier/", authoring.question_edit, name="question_edit"),
    path("equipe/questions/<int:pk>/supprimer/", authoring.question_delete, name="question_delete"),
    path("equipe/questions/<int:pk>/deplacer/", authoring.question_move, name="question_move"),
    path("equipe/campagnes/<int:pk>/", authoring.campaign_detail, name="campaign"),
    path("equipe/campagnes/<int:pk>/modifier/", authoring.campaign_edit, name="campaign_edit"),
    path("equipe/campagnes/<int:pk>/ouvrir/", authoring.campaign_open, name="campaign_open"),
    path("equipe/campagnes/<int:pk>/clore/", authoring.campaign_close, name="campaign_close"),
    path("equipe/campagnes/<int:pk>/rouvrir/", authoring.campaign_reopen, name="campaign_reopen"),
    path("equipe/campagnes/<int:pk>/supprimer/", authoring.campaign_delete, name="campaign_delete"),
    # --- Answering a campaign (views/answering.py) ---
    path("", answering_views.home, name="home"),
    path("<int:pk>/repondre/", answering_views.answer, name="answer"),
    path("<int:pk>/repondre/partie-<int:number>/", answering_views.answer_section, name="answer_section"),
    path("<int:pk>/repondre/relire/", answering_views.answer_review, name="answer_review"),
    path("<int:pk>/repondre/effacer-brouillon/", answering_views.answer_discard, name="answer_discard"),
    # --- Results (views/results.py) ---
    path("equipe/campagnes/<int:pk>/resultats/", results_views.results, name="results"),
    path(
        "equipe/campagnes/<int:pk>/resultats/export.csv",
        results_views.results_export,
        {"file_format": "csv"},
        name="results_csv",
    ),
    path(
        "equipe/campagnes/<int:pk>/resultats/export.xlsx",
        results_views.results_export,
        {"file_format": "xlsx"},
        name="results_xlsx",
    ),
    path("equipe/campagnes/<int:pk>/resultats/rapport/", results_views.results_report_request, name="results_report"),
    path("equipe/rapports/<uuid:export_id>/", results_views.results_report_status, name="results_report_status"),
    path(
        "equipe/rapports/<uuid:export_id>/pdf/", results_views.results_report_download, name="results_report_download"
    ),
    path("equipe/campagnes/<int:pk>/comparer/", results_views.compare, name="compare"),
    path("equipe/campagnes/<int:pk>/resultats/publier/", results_views.publish, name="results_publish"),
    path("equipe/campagnes/<int:pk>/resultats/retirer/", results_views.unpublish, name="results_unpublish"),
    path("<int:pk>/resultats/", results_views.public_results, name="public_results"),
]
