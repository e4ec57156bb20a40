"""The clips the browser may play: POST {"lang": "nl", "sentences": [...]} -> {"clips": [...]}.

A read-only lookup (it never makes a clip, so nobody can make the server speak arbitrary text). It is
a POST because sentences can be long, and it is exempt from CSRF because it changes nothing.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .selectors import clips_lookup

MAX_SENTENCES = 200
MAX_CHARACTERS = 2000


@csrf_exempt
@require_POST
def clips(request):
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The request is not JSON."}, status=400)
    language = payload.get("lang") if isinstance(payload, dict) else None
    sentences = payload.get("sentences") if isinstance(payload, dict) else None
    if language not in dict(settings.LANGUAGES) or not isinstance(sentences, list):
        return JsonResponse({"error": "Give lang (a site language) and sentences (a list)."}, status=400)
    if len(sentences) > MAX_SENTENCES or not all(
        isinstance(sentence, str) and len(sentence) <= MAX_CHARACTERS for sentence in sentences
    ):
        return JsonResponse({"error": "Too many or too long sentences."}, status=400)
    response = JsonResponse({"clips": clips_lookup(language=language, sentences=sentences)})
    response["Cache-Control"] = "no-store"
    return response
