"""A ready H5P exercise for the player tests, written straight into storage in the layout the import
service produces (h5p/models.py): the player is tested apart from the import.

H5P.OefenVraag 1.0 is a hand-written runnable library: a question with one button per answer; a
click reports the score with `triggerXAPIScored`, as real H5P content types do. It also carries a
planted SVG (used by its CSS as a background image) that loads a script from its own folder: opened
as a document on an origin that runs it, the script reports its origin and cookies to `/planted-ran`.
"""

import json

from django.core.files.base import ContentFile

from h5p.storage import h5p_storage

LIBRARY = {"machineName": "H5P.OefenVraag", "majorVersion": 1, "minorVersion": 0}
LIBRARY_JSON = {
    "title": "Oefenvraag",
    **LIBRARY,
    "patchVersion": 0,
    "runnable": 1,
    "license": "MIT",
    "preloadedJs": [{"path": "oefenvraag.js"}],
    "preloadedCss": [{"path": "oefenvraag.css"}],
}
LIBRARY_JS = """var H5P = H5P || {};
H5P.OefenVraag = (function (EventDispatcher) {
  function OefenVraag(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
  }
  OefenVraag.prototype = Object.create(EventDispatcher.prototype);
  OefenVraag.prototype.constructor = OefenVraag;
  OefenVraag.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get(0);
    root.classList.add("h5p-oefenvraag");
    var question = document.createElement("p");
    question.className = "oefenvraag-question";
    question.textContent = self.params.question;
    root.appendChild(question);
    (self.params.answers || []).forEach(function (answer, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "oefenvraag-answer";
      button.textContent = answer;
      button.addEventListener("click", function () {
        var right = index === self.params.correct ? 1 : 0;
        var result = document.createElement("p");
        result.className = "oefenvraag-result";
        result.textContent = right ? "Goed!" : "Niet juist.";
        root.appendChild(result);
        self.triggerXAPIScored(right, 1, "answered", true, right === 1);
      });
      root.appendChild(button);
    });
  };
  return OefenVraag;
})(H5P.EventDispatcher);
"""
LIBRARY_CSS = (
    ".h5p-oefenvraag { padding: 1rem; font-size: 1.1rem;"
    " background: url(planted.svg) no-repeat right top / 1rem 1rem; }\n"
)
PLANTED_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">
<script href="planted.js"></script>
<rect width="16" height="16" fill="#1d3557"/>
</svg>
"""
PLANTED_JS = """(function () {
  var report = "/planted-ran?origin=" + encodeURIComponent(location.origin)
    + "&cookie=" + encodeURIComponent(document.cookie);
  fetch(report, {credentials: "include"});
})();
"""
CONTENT = {"question": "Wie mag je pincode kennen?", "answers": ["Je bank", "Alleen jij"], "correct": 1}
H5P_JSON = {
    "title": "Oefenvraag pincode",
    "language": "nl",
    "mainLibrary": "H5P.OefenVraag",
    "embedTypes": ["iframe"],
    "license": "U",
    "preloadedDependencies": [{"machineName": "H5P.OefenVraag", "majorVersion": "1", "minorVersion": "0"}],
}


def _write(name: str, data: bytes | str) -> None:
    if h5p_storage.exists(name):
        h5p_storage.delete(name)
    h5p_storage.save(name, ContentFile(data.encode() if isinstance(data, str) else data))


def library_install():
    from h5p.models import H5PLibrary

    library, _ = H5PLibrary.objects.get_or_create(
        machine_name=LIBRARY["machineName"],
        major_version=LIBRARY["majorVersion"],
        minor_version=LIBRARY["minorVersion"],
        defaults={"title": LIBRARY_JSON["title"], "runnable": True, "library_json": LIBRARY_JSON},
    )
    _write(library.storage_prefix + "library.json", json.dumps(LIBRARY_JSON))
    _write(library.storage_prefix + "oefenvraag.js", LIBRARY_JS)
    _write(library.storage_prefix + "oefenvraag.css", LIBRARY_CSS)
    _write(library.storage_prefix + "planted.svg", PLANTED_SVG)
    _write(library.storage_prefix + "planted.js", PLANTED_JS)
    return library


def ready_content(*, status: str = "ready", title: str = "Oefenvraag pincode"):
    """An H5PContent with its files in storage and the given status (ready by default)."""
    from h5p.models import H5PContent

    library = library_install()
    content = H5PContent.objects.create(
        title=title, status=status, main_library=library, h5p_json=H5P_JSON, language="nl"
    )
    content.libraries.add(library)
    _write(content.storage_prefix + "h5p.json", json.dumps(H5P_JSON))
    _write(content.storage_prefix + "content/content.json", json.dumps(CONTENT))
    return content


def h5p_block_add(lesson, content, *, completion: str = "answered", min_score: int = 50) -> str:
    """Append an H5P block to a lesson, publish it and return the block's id."""
    import uuid

    block_id = str(uuid.uuid4())
    raw = list(lesson.body.raw_data)
    raw.append(
        {
            "type": "h5p",
            "id": block_id,
            "value": {
                "content": content.pk,
                "title": "Oefen je pincode",
                "completion": completion,
                "min_score": min_score,
            },
        }
    )
    lesson.body = raw
    lesson.save_revision().publish()
    return block_id
