"""In production, a browser ES module imports the hashed names of its parts, the ones the page preloads.

Static files get hashed names, cached for a year (learn/static_storage.py). The simulator engine
(sandboxes/js/engine.js) is a module that imports ./sim/rules.js and ./sim/dom.js: left unhashed, those
imports would load files that are not cached and, after a deploy, maybe of another version. The storage
the production settings name (STORAGES with STATIC_MANIFEST) is run here over the engine's files, as
collectstatic runs it.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import override_settings

from learn.static_storage import CompressedManifestModulesStorage

SOURCE = Path(settings.BASE_DIR) / "sandboxes" / "static"
MODULES = ["sandboxes/js/engine.js", "sandboxes/js/sim/rules.js", "sandboxes/js/sim/dom.js"]


def test_the_hashed_engine_imports_the_hashed_parts(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STATIC_URL="/static/"):
        storage = CompressedManifestModulesStorage(location=tmp_path, base_url="/static/")
        source = FileSystemStorage(location=SOURCE)
        for path in MODULES:
            storage.save(path, source.open(path))  # collectstatic copies before it processes
        processed = [(name, hashed) for name, hashed, _ in storage.post_process({p: (source, p) for p in MODULES})]
    hashed = {name: hashed for name, hashed in processed if hashed and hashed.endswith(".js")}
    assert set(MODULES) <= set(hashed), processed
    engine = (tmp_path / hashed["sandboxes/js/engine.js"]).read_text()
    imported = re.findall(r'from\s+"(\./[^"]+)"', engine)
    assert sorted(imported) == sorted(["./" + hashed[p].removeprefix("sandboxes/js/") for p in MODULES[1:]]), imported
    for path in imported:
        assert re.search(r"\.[0-9a-f]{12}\.js$", path), path
        assert (tmp_path / "sandboxes" / "js" / path).is_file()
