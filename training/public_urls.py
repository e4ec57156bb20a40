"""The public check page of a certificate: /<language>/certificates/<signed token>/. No sign-in needed."""

from django.urls import path

from . import views

app_name = "training_public"

urlpatterns = [path("<str:token>/", views.certificate_verify, name="verify")]
