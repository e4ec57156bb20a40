"""The learning-record endpoint (POST a JSON statement or a list of them) and the learner's own pages."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import selectors
from .services import MAX_BATCH, StatementConflict, statements_ingest
from .xapi import StatementRejected

MAX_BODY_BYTES = 256 * 1024


def _error(status: int, reason: str, **extra) -> JsonResponse:
    return JsonResponse({"error": reason, **extra}, status=status)


@require_POST
def statements_endpoint(request):
    if not request.user.is_authenticated:
        return _error(401, _("Sign in to save your progress."))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return _error(413, _("Send at most %(n)s kB at a time.") % {"n": MAX_BODY_BYTES // 1024})
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, _("Send at most %(n)s kB at a time.") % {"n": MAX_BODY_BYTES // 1024})
    if len(body) > MAX_BODY_BYTES:
        return _error(413, _("Send at most %(n)s kB at a time.") % {"n": MAX_BODY_BYTES // 1024})
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, _("The body is not valid JSON."))
    statements = payload if isinstance(payload, list) else [payload]
    if not statements:
        return _error(400, _("The batch is empty."))
    if len(statements) > MAX_BATCH:
        return _error(413, _("Send at most %(n)s statements at a time.") % {"n": MAX_BATCH})
    try:
        result = statements_ingest(user=request.user, statements=statements)
    except StatementRejected as rejected:
        return _error(400, rejected.reason, index=rejected.index)
    except StatementConflict:
        return _error(409, _("A statement with this id already exists."))
    return JsonResponse({"stored": result.stored, "duplicates": result.duplicates})


@require_safe
@never_cache  # personal data on a shared computer: never from the browser's cache after signing out
@login_required
def my_learning(request):
    learning = selectors.my_learning(user=request.user, language=get_language(), request=request)
    return TemplateResponse(request, "progress/my_learning.html", {"learning": learning})
