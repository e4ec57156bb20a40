"""URLs of the H5P admin screens, mounted under /admin/h5p/ by wagtail_hooks.py."""

from django.urls import path

from . import admin_views

app_name = "h5p_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("upload/", admin_views.upload, name="upload"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/retry/", admin_views.retry, name="retry"),
    path("<int:pk>/remove/", admin_views.remove, name="remove"),
]
