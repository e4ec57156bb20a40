from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from lessons import views as lesson_views

from .health import healthz
from .metrics_view import metrics_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/progress/", include("progress.api_urls")),
    path("readaloud/", include("readaloud.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]


def serve_media(request, path):
    """Uploads on the embedded default. MEDIA_ROOT is read per request so tests can point it elsewhere."""
    return serve_static(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

urlpatterns += i18n_patterns(
    path("search/", lesson_views.search, name="search"),
    path("privacy/", account_views.privacy_page, name="privacy"),
    path("account/coach/", include("coaching.learner_urls")),  # a coach's learner accounts, at their old paths
    path("account/", include("accounts.urls")),
    path("coach/groups/", include("coaching.urls")),
    path("coach/figures/", include("coaching.figures_urls")),
    path("oefenen/", include("sandboxes.urls")),
    path("training/", include("training.urls")),
    path("sessions/", include("group_sessions.urls")),
    path("certificates/", include("training.public_urls")),
    path("", include("progress.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "learn.errors.bad_request"
handler403 = "learn.errors.permission_denied"
handler404 = "learn.errors.page_not_found"
handler500 = "learn.errors.server_error"
