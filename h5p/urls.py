"""The player origin's URLs. Only PlayerOriginMiddleware (h5p/player.py) resolves these, and only on
the player's host; the site's own URL configuration does not include them."""

from django.urls import path

from learn.health import healthz

from . import player_views

app_name = "h5p"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("h5p/play/<uuid:key>/", player_views.play, name="play"),
    path("h5p/player-assets/<path:path>", player_views.asset, name="asset"),
    path("h5p/files/content/<uuid:key>/<path:path>", player_views.content_file, name="content_file"),
    path("h5p/files/libraries/<str:folder>/<path:path>", player_views.library_file, name="library_file"),
]
