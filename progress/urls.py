from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [path("statements", views.statements_endpoint, name="statements")]
