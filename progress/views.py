"""The learning-record endpoint (POST a JSON statement or a list of them) and the learner's own pages.

The endpoint's answers, which progress/static/progress/js/progress.js acts on: 200 {stored, duplicates};
401 not signed in; 415 not application/json; 429 too much at once (Retry-After: seconds; progress/throttle.py);
413 too big; 400 a bad statement ({error, index}: the whole batch is refused); 409 a statement id already
stored with other content (or for somebody else). Every refusal stores nothing.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from learn.metrics import REFUSED, statements_count
from learn.signed_in_cache import LEARNER, shared_for_signed_in

from . import selectors
from .services import MAX_BATCH, StatementConflict, statements_ingest
from .throttle import BATCHES, STATEMENTS, rate_count
from .xapi import StatementRejected

MAX_BODY_BYTES = 256 * 1024


def _error(status: int, reason: str, **extra) -> JsonResponse:
    return JsonResponse({"error": reason, **extra}, status=status)


def _slow_down(seconds: int) -> JsonResponse:
    """429 with Retry-After: the browser's queue keeps the statements and waits that long."""
    reason = _("You are sending a lot at once. Your progress is kept; it is sent again in a moment.")
    response = _error(429, reason, detail=reason, retry_after=seconds)
    response["Retry-After"] = str(seconds)
    return response


@require_POST
def statements_endpoint(request):
    if not request.user.is_authenticated:
        return _error(401, _("Sign in to save your progress."))
    if request.content_type != "application/json":
        return _error(415, _("Send the statements as JSON, with the content type application/json."))
    wait = rate_count(user_id=request.user.pk, kind=BATCHES)
    if wait:
        return _slow_down(wait)
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
        statements_count(outcome=REFUSED, reason="too_many", amount=len(statements))
        return _error(413, _("Send at most %(n)s statements at a time.") % {"n": MAX_BATCH})
    wait = rate_count(user_id=request.user.pk, kind=STATEMENTS, amount=len(statements))
    if wait:
        statements_count(outcome=REFUSED, reason="throttled", amount=len(statements))
        return _slow_down(wait)
    try:
        result = statements_ingest(user=request.user, statements=statements)
    except StatementRejected as rejected:
        return _error(400, rejected.reason, index=rejected.index)
    except StatementConflict:
        return _error(409, _("Another statement with this id is already stored."))
    return JsonResponse({"stored": result.stored, "duplicates": result.duplicates})


@require_safe
@never_cache  # personal data on a shared computer: never from the browser's cache after signing out
@login_required
def my_learning(request):
    learning = selectors.my_learning(user=request.user, language=get_language(), request=request)
    response = TemplateResponse(request, "progress/my_learning.html", {"learning": learning})
    # Kept per learner until their next statement or a change of assignments (learn/signed_in_cache.py).
    return shared_for_signed_in(response, LEARNER)
