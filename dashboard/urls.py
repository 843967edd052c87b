from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.key_figures_page, name="key_figures"),
    path("membres/", views.members_figures_page, name="members_figures"),
    path("reseau/", views.network_statistics, name="network"),
    path("reseau/export.csv", views.network_statistics_export, {"file_format": "csv"}, name="network_csv"),
    path("reseau/export.xlsx", views.network_statistics_export, {"file_format": "xlsx"}, name="network_xlsx"),
    path("reseau/rapport/", views.network_report_request, name="network_report"),
    path("reseau/rapport/<uuid:export_id>/", views.network_report_status, name="network_report_status"),
    path("reseau/rapport/<uuid:export_id>/pdf/", views.network_report_download, name="network_report_download"),
    path("reseau/<slug:section>/", views.network_section, name="network_section"),
]
