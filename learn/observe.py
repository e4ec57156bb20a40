"""The outermost middleware: a request id for every request, one log line per request, its latency.

The id comes from the front server (nginx sends `X-Request-ID: $request_id`, so nginx's access log and
ours share it) when it has a safe shape, else a new one is made. It goes back in the response's
X-Request-ID header, so a learner's "something went wrong" page can be found in the logs by that id,
and it travels with every Celery task sent during the request (learn/celery_observe.py).
"""

import logging
import time

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import translation

from learn import metrics, request_context

logger = logging.getLogger("oefenplein.requests")


class RequestObserveMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_context.safe_id(request.META.get(request_context.META_KEY)) or request_context.new_id()
        request.request_id = request_id
        context = request_context.Context(
            request_id=request_id, method=request.method, path=_log_path(request), request=request
        )
        request.observe_context = context
        # Bound until the response is closed (request_finished, below), not only until this returns: Django
        # logs a 4xx/5xx answer ("django.request") and gunicorn its errors after the middleware is done.
        request_context.bind(context)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[request_context.HEADER] = request_id
        self._path_hide(request, context)
        view = _view_name(request)
        metrics.request_observe(view=view, method=request.method, status=response.status_code, seconds=seconds)
        logger.info(
            "%s %s %s",
            request.method,
            context.path,
            response.status_code,
            extra={"status": response.status_code, "duration_ms": round(seconds * 1000, 1)},
        )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Right after URL resolution, before the view logs anything: hide URL secrets from the path."""
        context = getattr(request, "observe_context", None)
        if context is not None:
            self._path_hide(request, context)

    @staticmethod
    def _path_hide(request, context) -> None:
        # The path with URL secrets hidden is known only after resolution (certificate tokens).
        context.path = _log_path(request)
        if context.path != request.path:
            context.raw_path = request.path


@receiver(request_finished)
def _context_clear(**kwargs):
    request_context.clear()


# URL parts that are secrets in themselves (the signed token of a certificate's check page): never logged.
_HIDDEN_KWARGS = ("token",)


def _log_path(request) -> str:
    """The path without its query string (search words, sign-in links), with URL secrets replaced."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in _HIDDEN_KWARGS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), f"<{name}>")
    return path


def _view_name(request) -> str:
    """The metric label: the URL name of the view, never the raw path (too many values)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution: a static file (WhiteNoise), a page from the anonymous page
        # cache, a redirect. Resolve once more, in the path's language, so a cached lesson still counts
        # as the Wagtail page view it is.
        if request.path_info.startswith(settings.STATIC_URL):
            return "static"
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                match = resolve(request.path_info)
        except Resolver404:
            return "unresolved"
    return match.view_name or "unnamed"
