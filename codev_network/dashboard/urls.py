from django.urls import path

from codev_network.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.key_figures_page, name="key_figures"),
    path("reseau/", views.network_statistics, name="network"),
    path("reseau/export.csv", views.network_statistics_export, {"file_format": "csv"}, name="network_csv"),
    path("reseau/rapport.pdf", views.network_statistics_pdf, name="network_pdf"),
    path("reseau/export.xlsx", views.network_statistics_export, {"file_format": "xlsx"}, name="network_xlsx"),
]
