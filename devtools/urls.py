from django.urls import path

from devtools import views

urlpatterns = [
    path("bench/plancher/", views.benchmark_floor, name="benchmark_floor"),
]
