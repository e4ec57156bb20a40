from django.urls import path

from . import admin_views

app_name = "accounts_admin"

urlpatterns = [
    path("", admin_views.index, name="privacy"),
    path("<int:pk>/erase/", admin_views.erase, name="erase"),
]
