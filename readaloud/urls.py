from django.urls import path

from . import views

app_name = "readaloud"

urlpatterns = [path("clips/", views.clips, name="clips")]
