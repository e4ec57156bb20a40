"""Error pages in the site's style and the learner's language. They never touch the database,
so they still render when the database is the thing that is down."""

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _


def _render(request, template_name: str, status: int, message: str = "") -> HttpResponse:
    template = loader.get_template(template_name)
    body = template.render({"message": message, "status": status, "error_page": True}, request)
    return HttpResponse(body, status=status)


def bad_request_response(request, message: str = "") -> HttpResponse:
    return _render(request, "400.html", 400, message or _("We could not understand this address."))


def bad_request(request, exception=None):
    return bad_request_response(request)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


def permission_denied(request, exception=None):
    return _render(request, "403.html", 403)


def server_error(request):
    # No RequestContext here: a failing context processor must not hide the error page.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"error_page": True}), status=500)
