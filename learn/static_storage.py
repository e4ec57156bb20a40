"""Static files as production serves them, with ES modules whose imports point at the hashed names.

WhiteNoise's CompressedManifestStaticFilesStorage gives every file a hashed name (cached for a year) and
compressed copies. A module's relative `import ... from "./sim/rules.js"` would still load the unhashed
name, which is not cached and, after a deploy, may be another version than the module that imports it.
Django rewrites those imports to the hashed names only when `support_js_module_import_aggregation` is on
(sandboxes/static/sandboxes/js/engine.js imports its parts this way).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedManifestModulesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
