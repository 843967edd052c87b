from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("en-attente/", views.account_pending, name="pending"),
]
