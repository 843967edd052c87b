"""La vitrine's addresses, under /vitrine/. Each area keeps its block (one view module per area)."""

from django.urls import path

from showcase.feeds import works_feed
from showcase.views import councils as council_views
from showcase.views import figures as figure_views
from showcase.views import works as work_views

app_name = "showcase"

urlpatterns = [
    # --- Council pages (views/councils.py) ---
    path("", council_views.home, name="home"),
    path("conseils/", council_views.council_list, name="councils"),
    path("conseils/<slug:slug>/", council_views.council_detail, name="council"),
    path("conseils/<slug:slug>/modifier/", council_views.council_edit, name="council_edit"),
    path("conseils/<slug:slug>/soumettre/", council_views.council_submit, name="council_submit"),
    path("conseils/<slug:slug>/verification/", council_views.council_check, name="council_check"),
    path("ma-vitrine/", council_views.my_page, name="my_page"),
    path("ma-vitrine/preference/", council_views.preference, name="preference"),
    path("equipe/", council_views.team, name="team"),
    path("equipe/themes/", council_views.themes, name="themes"),
    path("equipe/themes/<int:pk>/", council_views.theme_edit, name="theme_edit"),
    path("equipe/themes/<int:pk>/supprimer/", council_views.theme_delete, name="theme_delete"),
    # --- Works, follow-ups, documents, search, Atom feed (views/works.py) ---
    path("travaux/", work_views.library, name="works"),
    path("travaux/flux.atom", works_feed, name="works_feed"),
    path("travaux/nouveau/", work_views.create, name="work_create"),
    path("travaux/gestion/", work_views.manage, name="works_manage"),
    path("travaux/<int:pk>/", work_views.work_short, name="work_short"),
    path("travaux/<int:pk>/modifier/", work_views.edit, name="work_edit"),
    path("travaux/<int:pk>/suites/", work_views.followup, name="work_followup"),
    path("travaux/<int:pk>/document/", work_views.document_upload, name="work_document"),
    path("travaux/<int:pk>/document/retirer/", work_views.document_remove, name="work_document_remove"),
    path("travaux/<int:pk>/telecharger/", work_views.download, name="work_download"),
    path("travaux/<int:pk>/publier/", work_views.publish, name="work_publish"),
    path("travaux/<int:pk>/depublier/", work_views.unpublish, name="work_unpublish"),
    path("travaux/<int:pk>/moderer/", work_views.moderate, name="work_moderate"),
    # Last: the action words above are never a work's slug (showcase.works.RESERVED_SLUGS).
    path("travaux/<int:pk>/<slug:slug>/", work_views.detail, name="work"),
    # --- Map, figures, exports (views/figures.py) ---
    path("carte/", figure_views.council_map, name="map"),
    path("chiffres/", figure_views.network_figures_page, name="figures"),
    path("chiffres/export.csv", figure_views.figures_export, {"file_format": "csv"}, name="figures_csv"),
    path("chiffres/export.xlsx", figure_views.figures_export, {"file_format": "xlsx"}, name="figures_xlsx"),
]
