"""`.h5p` packages built in memory for the tests: one small runnable library and its malicious variants.

`minimal_package()` holds the hand-written library H5P.OefenVraag 1.0: `oefenvraag.js` renders the
question of content.json (`{"question": ..., "answers": [{"text": ..., "correct": bool}]}`) as buttons
and reports the answer with `triggerXAPIScored`, the way a real H5P content type does when it runs in
the H5P core in the browser. Every other builder changes one thing so one validation rule must fire.
"""

import io
import json
import random
import stat
import struct
import warnings
import zipfile

LIBRARY = "H5P.OefenVraag"
FOLDER = f"{LIBRARY}-1.0"

OEFENVRAAG_JS = r"""var H5P = H5P || {};
H5P.OefenVraag = (function ($, EventDispatcher) {
  function C(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.answered = false;
  }
  C.prototype = Object.create(EventDispatcher.prototype);
  C.prototype.constructor = C;
  C.prototype.attach = function ($container) {
    var self = this;
    var questionId = 'oefenvraag-' + self.contentId + '-question';
    $container.addClass('h5p-oefenvraag').empty();
    // .text(), never .html(): content.json is uploaded data, not markup.
    $('<p class="h5p-oefenvraag-question"></p>').attr('id', questionId)
      .text(self.params.question || '').appendTo($container);
    var $answers = $('<div class="h5p-oefenvraag-answers" role="group"></div>')
      .attr('aria-labelledby', questionId).appendTo($container);
    var $feedback = $('<p class="h5p-oefenvraag-feedback" role="status" aria-live="polite"></p>');
    $.each(self.params.answers || [], function (index, answer) {
      $('<button type="button" class="h5p-oefenvraag-answer"></button>')
        .text(answer.text || '')
        .on('click', function () {
          if (self.answered) { return; }
          self.answered = true;
          var correct = answer.correct === true;
          $answers.find('button').attr('aria-disabled', 'true');
          $(this).attr('aria-pressed', 'true').addClass(correct ? 'is-correct' : 'is-wrong');
          $feedback.text(correct ? '\u2714' : '\u2716');
          self.triggerXAPIScored(correct ? 1 : 0, 1, 'answered');
        })
        .appendTo($answers);
    });
    $feedback.appendTo($container);
  };
  return C;
})(H5P.jQuery, H5P.EventDispatcher);
"""

OEFENVRAAG_CSS = """.h5p-oefenvraag { font: inherit; padding: 1rem; }
.h5p-oefenvraag-answers { display: flex; flex-wrap: wrap; gap: .75rem; }
.h5p-oefenvraag-answer { min-width: 44px; min-height: 44px; padding: .5rem 1rem; font: inherit;
  border: 2px solid #1d3557; border-radius: .5rem; background: #fff; color: #1d3557; cursor: pointer; }
.h5p-oefenvraag-answer:focus-visible { outline: 3px solid #e76f51; outline-offset: 2px; }
.h5p-oefenvraag-answer.is-correct::after { content: " \\2714"; }
.h5p-oefenvraag-answer.is-wrong::after { content: " \\2716"; }
"""


def library_json(**changes) -> dict:
    data = {
        "title": "Oefenvraag",
        "machineName": LIBRARY,
        "majorVersion": 1,
        "minorVersion": 0,
        "patchVersion": 0,
        "runnable": 1,
        "license": "MIT",
        "embedTypes": ["iframe"],
        "coreApi": {"majorVersion": 1, "minorVersion": 24},
        "preloadedJs": [{"path": "oefenvraag.js"}],
        "preloadedCss": [{"path": "oefenvraag.css"}],
    }
    data.update(changes)
    return data


def h5p_json(**changes) -> dict:
    data = {
        "title": "Welke knop verstuurt?",
        "language": "nl",
        "mainLibrary": LIBRARY,
        "embedTypes": ["iframe"],
        "license": "U",
        "preloadedDependencies": [{"machineName": LIBRARY, "majorVersion": "1", "minorVersion": "0"}],
    }
    data.update(changes)
    return data


def content_json(question: str = "Welke knop verstuurt je bericht?") -> dict:
    return {
        "question": question,
        "answers": [{"text": "Verzenden", "correct": True}, {"text": "Wissen", "correct": False}],
    }


def minimal_files(*, question: str = "Welke knop verstuurt je bericht?", patch: int = 0) -> dict[str, bytes]:
    """The members of the minimal runnable package, name -> bytes (edit the dict, then `zip_bytes`)."""
    return {
        "h5p.json": json.dumps(h5p_json()).encode(),
        "content/content.json": json.dumps(content_json(question)).encode(),
        f"{FOLDER}/library.json": json.dumps(library_json(patchVersion=patch)).encode(),
        f"{FOLDER}/oefenvraag.js": OEFENVRAAG_JS.encode(),
        f"{FOLDER}/oefenvraag.css": OEFENVRAAG_CSS.encode(),
    }


def zip_bytes(files, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """Zip `files` (a dict or a list of (name or ZipInfo, bytes) pairs, so names may repeat)."""
    buffer = io.BytesIO()
    items = files.items() if isinstance(files, dict) else files
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point of some fixtures
        for name, data in items:
            archive.writestr(name, data)
    return buffer.getvalue()


def minimal_package(**kwargs) -> bytes:
    return zip_bytes(minimal_files(**kwargs))


def content_only_package(*, question: str = "Een tweede vraag") -> bytes:
    """A package with content only: it relies on H5P.OefenVraag 1.0 being installed."""
    files = minimal_files(question=question)
    return zip_bytes({name: data for name, data in files.items() if not name.startswith(FOLDER)})


def _with(**members) -> bytes:
    files = minimal_files()
    files.update(members)
    return zip_bytes(files)


def zip_slip_package() -> bytes:
    return zip_bytes([*minimal_files().items(), ("content/../../evil.txt", b"escaped")])


def absolute_path_package() -> bytes:
    return zip_bytes([*minimal_files().items(), ("/tmp/evil.txt", b"absolute")])


def backslash_package() -> bytes:
    return zip_bytes([*minimal_files().items(), ("content\\..\\evil.txt", b"windows")])


def symlink_package() -> bytes:
    link = zipfile.ZipInfo("content/passwd.txt")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return zip_bytes([*minimal_files().items(), (link, b"/etc/passwd")])


def duplicate_package() -> bytes:
    return zip_bytes([*minimal_files().items(), ("content/content.json", b"{}")])


def case_duplicate_package() -> bytes:
    return _with(**{"content/Image.png": b"png", "content/image.png": b"png"})


def zip_bomb_package(megabytes: int = 20) -> bytes:
    """A member of zeros that packs about a thousand times smaller (the limit is 100)."""
    return _with(**{"content/bomb.txt": b"\0" * (megabytes * 1024 * 1024)})


def extension_package(name: str = "content/evil.php") -> bytes:
    return _with(**{name: b"<?php system($_GET['c']);"})


def missing_preloaded_package() -> bytes:
    files = minimal_files()
    del files[f"{FOLDER}/oefenvraag.js"]
    return zip_bytes(files)


def broken_json_package(name: str = "content/content.json") -> bytes:
    return _with(**{name: b'{"question": "half'})


def wrong_folder_package() -> bytes:
    files = minimal_files()
    renamed = {name.replace(FOLDER, f"{LIBRARY}-1.1"): data for name, data in files.items()}
    return zip_bytes(renamed)


def unresolvable_dependency_package() -> bytes:
    needs = [{"machineName": "H5P.Bestaatniet", "majorVersion": 1, "minorVersion": 0}]
    return _with(**{f"{FOLDER}/library.json": json.dumps(library_json(preloadedDependencies=needs)).encode()})


def not_runnable_package() -> bytes:
    return _with(**{f"{FOLDER}/library.json": json.dumps(library_json(runnable=0)).encode()})


def unexpected_top_level_package() -> bytes:
    return _with(**{"readme.txt": b"hello"})


def lying_size_package() -> bytes:
    """A member whose headers claim 10 bytes while it unpacks to 200 kB."""
    name = b"content/big.txt"
    data = bytearray(_with(**{"content/big.txt": random.Random(1).randbytes(200_000)}))
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[start + name_offset : start + name_offset + name_length]) == name:
                struct.pack_into("<I", data, start + size_offset, 10)
            start += 4
    return bytes(data)


def nul_name_package() -> bytes:
    """A member named "content/a.txt<NUL>.js": zipfile shortens it to "content/a.txt" when reading."""
    data = bytearray(_with(**{"content/a.txtX.js": b"alert(1)"}))
    return bytes(data.replace(b"content/a.txtX.js", b"content/a.txt\0.js"))


def stray_top_level_package() -> bytes:
    """As some authoring tools export: an extra empty file (and a readme) next to h5p.json."""
    return _with(**{"H5P_CONTENT_HERE": b"", "readme.txt": b"Made with an authoring tool"})


def language_files_package(**files: bytes) -> bytes:
    """The library with language files, e.g. `language_files_package(**{"nl.json": b"{}"})`."""
    return _with(**{f"{FOLDER}/language/{name}": data for name, data in files.items()})


def two_broken_libraries_package() -> bytes:
    """Two library problems at once: OefenVraag misses its script, a second library has broken JSON."""
    files = minimal_files()
    del files[f"{FOLDER}/oefenvraag.js"]
    files["H5P.Extra-1.0/library.json"] = b'{"title": "Extra", '
    files["H5P.Extra-1.0/extra.js"] = b"var extra = 1;"
    return zip_bytes(files)


def deep_json_package(depth: int = 500, name: str = "content/content.json") -> bytes:
    return _with(**{name: b'{"question": ' + b"[" * depth + b"]" * depth + b"}"})
