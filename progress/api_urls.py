"""The learning-record API, outside the language prefix: /api/progress/statements."""

from django.urls import path

from . import views

app_name = "progress_api"

urlpatterns = [path("statements", views.statements_endpoint, name="statements")]
