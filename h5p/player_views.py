"""What the player origin serves: the player page, h5p-standalone's files and the H5P files.

Only PlayerOriginMiddleware (h5p/player.py) calls these, and only for the player's host. They never
touch request.user or request.session: the player page carries no cookie, no CSRF token and
nothing personal, and the lesson page decides what a statement from it is worth.
"""

import mimetypes
import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from progress.activities import activity_base

from .models import H5PContent, H5PLibrary, ImportStatus
from .storage import h5p_storage
from .validation import CONTENT_EXTENSIONS as IMPORTABLE_CONTENT_EXTENSIONS
from .validation import LIBRARY_EXTENSIONS as IMPORTABLE_LIBRARY_EXTENSIONS

# The one inline script H5P core writes into its about:blank frame:
# `H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;`
H5P_FRAME_SCRIPT_HASH = "sha256-8CniZYrnO46q7MvZ3m08Wom1HH/ZhyXmm29kBKTV1rk="
PLAYER_DIST = "h5p-standalone/dist"
PLAYER_JS = Path(__file__).resolve().parent / "static" / "h5p" / "js" / "player.js"
# h5p-standalone's files the player needs, and nothing else of node_modules.
ASSET_PATTERN = re.compile(
    r"^(?:main\.bundle\.js|frame\.bundle\.js|styles/h5p(?:-fonts)?\.css|images/(?:h5p\.svg|throbber\.gif)"
    r"|fonts/(?:[A-Za-z0-9_.-]+/)?[A-Za-z0-9_.-]+\.(?:woff2?|ttf|eot))$"
)
ASSET_MAX_AGE = 7 * 24 * 3600
FILE_MAX_AGE = 3600

# Served: what the import accepts (svg and xml only from libraries), less Flash: no browser plays it,
# so serving it would only add risk.
CONTENT_EXTENSIONS = IMPORTABLE_CONTENT_EXTENSIONS - {"swf"}
LIBRARY_EXTENSIONS = IMPORTABLE_LIBRARY_EXTENSIONS - {"swf"}
# Explicit types, never guessed from the platform: nothing here is ever served as HTML.
CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
    "xml": "application/xml",
    "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
    "textile": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "diff": "text/plain; charset=utf-8",
    "patch": "text/plain; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "gif": "image/gif",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "pdf": "application/pdf",
    "gltf": "model/gltf+json",
    "glb": "model/gltf-binary",
}
DOCUMENT_EXTENSIONS = {"svg", "xml"}
SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.,()+-]*$")
ACTIVITY_PATTERN = re.compile(r"^/lesson/[0-9a-f-]{36}/h5p/[0-9a-f-]{36}$")


def player_csp() -> str:
    """The player page's policy: its own scripts plus H5P core's one inline script, framed only by the site."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' '{H5P_FRAME_SCRIPT_HASH}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {settings.SITE_ORIGIN}",
        ]
    )


def _protect(response, *, max_age: int | None = None):
    response["Content-Security-Policy"] = player_csp()
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    if max_age is None:
        response["Cache-Control"] = "no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _clean_path(path: str, allowed: frozenset[str] | set[str]) -> tuple[str, str]:
    """A relative path made of plain names, with a whitelisted extension; anything else is a 404."""
    if not path or "\\" in path or "\x00" in path or path != posixpath.normpath(path):
        raise Http404
    parts = path.split("/")
    if any(part in ("", ".", "..") or not SAFE_SEGMENT.match(part) for part in parts):
        raise Http404
    extension = parts[-1].rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
    if extension not in allowed:
        raise Http404
    return path, extension


def _ready_content(key) -> H5PContent:
    return get_object_or_404(H5PContent, key=key, status=ImportStatus.READY)


@require_safe
@xframe_options_exempt
def play(request, key):
    """A bare page that runs one exercise and passes its xAPI statements up to the lesson page."""
    content = _ready_content(key)
    activity = request.GET.get("activity", "")
    base = activity_base()
    if not (activity.startswith(base) and ACTIVITY_PATTERN.match(activity[len(base) :])):
        raise Http404
    response = render(
        request,
        "h5p/player.html",
        {
            "content": content,
            "activity": activity,
            "site_origin": settings.SITE_ORIGIN,
            "language": content.language or settings.LANGUAGE_CODE,
        },
    )
    return _protect(response)


@require_safe
@xframe_options_exempt
def asset(request, path):
    """h5p-standalone's own files (from node_modules, installed by the build) and the player script."""
    if path == "player.js":
        file_path = PLAYER_JS
    elif ASSET_PATTERN.match(path) and ".." not in path:
        file_path = Path(settings.NODE_MODULES_DIR) / PLAYER_DIST / path
    else:
        raise Http404
    if not file_path.is_file():
        raise Http404
    extension = file_path.suffix.lstrip(".").lower()
    content_type = CONTENT_TYPES.get(extension) or mimetypes.guess_type(file_path.name)[0]
    response = FileResponse(file_path.open("rb"), content_type=content_type)
    return _protect(response, max_age=ASSET_MAX_AGE if path != "player.js" else FILE_MAX_AGE)


def _storage_file(name: str, extension: str):
    """A file of the H5P storage (h5p/storage.py: outside MEDIA_ROOT, so only this view serves it)."""
    if not h5p_storage.exists(name):
        raise Http404
    response = FileResponse(h5p_storage.open(name, "rb"), content_type=CONTENT_TYPES.get(extension, ""))
    if extension not in CONTENT_TYPES:
        response["Content-Type"] = "application/octet-stream"
    _protect(response, max_age=FILE_MAX_AGE)
    if extension in DOCUMENT_EXTENSIONS:
        # Opened on its own, an SVG or XML file is a document that may run scripts; as an image (how
        # H5P uses it) it never does. Sandboxed, it runs nothing even on the player's origin.
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"
        )
    return response


@require_safe
@xframe_options_exempt
def content_file(request, key, path):
    """h5p.json and content/... of a content that passed its checks."""
    content = _ready_content(key)
    path, extension = _clean_path(path, CONTENT_EXTENSIONS)
    if path != "h5p.json" and not path.startswith("content/"):
        raise Http404
    return _storage_file(content.storage_prefix + path, extension)


LIBRARY_FOLDER = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)-(?P<major>[0-9]{1,5})\.(?P<minor>[0-9]{1,5})$")


@require_safe
@xframe_options_exempt
def library_file(request, folder, path):
    """A file of an installed library that a ready content uses."""
    match = LIBRARY_FOLDER.match(folder)
    if not match:
        raise Http404
    library = get_object_or_404(
        H5PLibrary,
        machine_name=match["name"],
        major_version=int(match["major"]),
        minor_version=int(match["minor"]),
    )
    ready = H5PContent.objects.filter(status=ImportStatus.READY)
    if not ready.filter(Q(libraries=library) | Q(main_library=library)).exists():
        raise Http404
    path, extension = _clean_path(path, LIBRARY_EXTENSIONS)
    return _storage_file(library.storage_prefix + path, extension)
