"""Pages for whoever runs sessions: coaches, training managers, editors."""

from django.urls import path

from . import organiser_views as views

urlpatterns = [
    path("", views.organise_home, name="organise"),
    path("new/", views.session_create, name="organise_new"),
    path("<int:pk>/", views.session_detail, name="organise_session"),
    path("<int:pk>/edit/", views.session_edit, name="organise_edit"),
    path("<int:pk>/cancel/", views.session_cancel, name="organise_cancel"),
    path("date/<int:pk>/", views.occurrence_manage, name="organise_occurrence"),
    path("date/<int:pk>/cancel/", views.occurrence_cancel, name="organise_occurrence_cancel"),
    path("date/<int:pk>/sign-up/", views.occurrence_sign_up, name="organise_sign_up"),
    path("date/<int:pk>/seats/<int:booking_pk>/confirm/", views.guest_confirm, name="organise_guest_confirm"),
    path("date/<int:pk>/seats/<int:booking_pk>/refuse/", views.booking_refuse, name="organise_booking_refuse"),
]
