from django.urls import path

from . import views

app_name = "sandboxes"

urlpatterns = [
    path("", views.practice, name="practice"),
    path("<slug:slug>/", views.play, name="play"),
]
