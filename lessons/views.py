from django.core.paginator import EmptyPage, Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Locale

from learn.errors import bad_request_response

from . import selectors
from .forms import SearchForm

RESULTS_PER_PAGE = 10


def search(request):
    """Search lessons in the learner's own language."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request_response(request, _("Type at most 200 characters, and use a page number that exists."))
    query = form.cleaned_data["q"] or ""
    locale = Locale.get_active()
    results = None
    if query:
        paginator = Paginator(selectors.lessons_matching(query=query, locale=locale), RESULTS_PER_PAGE)
        try:
            results = paginator.page(form.cleaned_data["page"] or 1)
        except EmptyPage:
            return bad_request_response(request, _("This page of results does not exist."))
    return TemplateResponse(
        request,
        "lessons/search.html",
        {"query": query, "results": results, "catalogue": selectors.catalogue_page(locale=locale)},
    )
