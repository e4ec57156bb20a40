"""A strict validator for uploaded `.h5p` packages (stdlib zipfile + json, no dependency).

`package_validate` reads the archive once, member by member, and either returns a `ValidatedPackage`
(what to store, and the parsed h5p.json, content.json and library.json files) or raises
`PackageInvalid` with every `Problem` it found (not the first only, up to MAX_PROBLEMS). Nothing is
written anywhere: `h5p.services` decides what to store after this has passed. A member whose name is
unsafe is never decompressed, a member over a limit is read no further, and JSON is parsed only after
its size and nesting depth have been checked, so neither a zip-slip archive, a zip bomb nor a huge or
deeply nested JSON file costs more than the limits allow:

1. archive: a readable zip, not encrypted, at most H5P_MAX_FILES members.
2. names: no absolute path, drive letter, `..`, backslash, NUL or control character; no symlink; no
   duplicate name (also not when only upper/lower case differs); only `h5p.json`, `content/` and library
   folders at the top level; each file's extension on the official whitelist (the content list under
   `content/` and for `h5p.json`, the library list = content + js css svg xml inside library folders).
   Any file or folder whose name starts with `.` or `_` (`.DS_Store`, `__MACOSX/`) is skipped, as the
   H5P specification does for libraries: it is name-checked but never read or stored. Other files at
   the top level (an authoring tool's empty marker file, a readme) are skipped as the reference H5P
   library does, and named in a notice (`ValidatedPackage.notices`), not a reason to refuse.
3. sizes: every member is decompressed and its bytes counted as they arrive (header sizes are never
   trusted): H5P_MAX_FILE_BYTES per file, H5P_MAX_TOTAL_BYTES in all, and H5P_MAX_RATIO for
   uncompressed/compressed per member and for the whole archive (members and totals under
   H5P_RATIO_MIN_BYTES are exempt: a ratio on a few kilobytes means nothing and cannot hurt). A JSON
   file that is parsed may hold at most H5P_MAX_CONTENT_JSON_BYTES (content.json) or H5P_MAX_JSON_BYTES
   (the others) and nest at most H5P_MAX_JSON_DEPTH deep. Past the total or on a damaged archive the
   reading stops, and so does the check.
4. JSON and structure: h5p.json, content/content.json, every library.json, semantics.json and
   language/*.json parse and carry their required keys (a language file is named like `nl.json` or
   `pt-br.json` and holds a JSON object); a library folder is named `<machineName>-<major>.<minor>`; every
   preloadedJs/Css file exists in its folder; the dependency closure of h5p.json resolves within the
   package or among the installed libraries; the main library is among the dependencies and runnable;
   coreApi <= 1.28.

Problem messages are written with gettext_noop and rendered with `Problem.as_dict()` in the active
language; `problem_message` renders a stored problem again in the language of whoever reads it.
"""

from __future__ import annotations

import json
import operator
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, count
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

MIB = 1024 * 1024

# h5p-php-library HEAD b515e00 (core API 1.28): svg and xml are allowed in libraries only.
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "csv",
        "diff",
        "patch",
        "swf",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    ]
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
CORE_API = (1, 28)
EMBED_TYPES = {"iframe", "div"}

MACHINE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,127}$")
# The reference library's rule for language files: language/nl.json, language/pt-br.json, ...
LANGUAGE_FILE = re.compile(r"^(?:-?[A-Za-z]+){1,7}\.json$")
LIBRARY_FOLDER = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]{1,127})-(?P<major>[0-9]{1,5})\.(?P<minor>[0-9]{1,5})$")
NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
QUOTED = re.compile(rb'"[^"]*"')
DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
VERSION = re.compile(r"^[0-9]{1,5}$")
DRIVE = re.compile(r"^[A-Za-z]:")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
READ_CHUNK = 64 * 1024
MAX_PROBLEMS = 50


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class Problem:
    """One reason to reject a package: a stable rule id, the archive member it concerns, a message."""

    rule: str
    file: str
    text: str  # the English msgid, marked with gettext_noop
    params: dict = field(default_factory=dict)

    def message(self) -> str:
        return gettext(self.text) % self.params if self.params else gettext(self.text)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "file": self.file,
            "message": self.message(),
            "text": self.text,
            "params": self.params,
        }


def problem_message(problem: dict) -> str:
    """A stored problem's message in the active language (falls back to the stored rendering)."""
    text = problem.get("text")
    if not text:
        return str(problem.get("message", ""))
    try:
        return gettext(text) % problem["params"] if problem.get("params") else gettext(text)
    except (KeyError, TypeError, ValueError):
        return str(problem.get("message", ""))


class PackageInvalid(Exception):
    """Every problem found; `notices` as in ValidatedPackage; `package` is what could be understood of
    the package (None when not even h5p.json could be), so the caller can add its own checks."""

    def __init__(self, problems: list[Problem], *, notices: list[Problem] | None = None, package=None):
        super().__init__("; ".join(f"{p.rule}: {p.file}" for p in problems))
        self.problems = problems[:MAX_PROBLEMS]
        self.notices = notices or []
        self.package = package


@dataclass
class LibraryRef:
    machine_name: str
    major: int
    minor: int

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.machine_name, self.major, self.minor)


@dataclass
class PackageLibrary:
    folder: str
    library_json: dict
    members: list[str]  # archive names of the files to store, all under "<folder>/"

    @property
    def key(self) -> tuple[str, int, int]:
        j = self.library_json
        return (j["machineName"], int(j["majorVersion"]), int(j["minorVersion"]))

    @property
    def patch(self) -> int:
        return int(self.library_json["patchVersion"])


@dataclass
class ValidatedPackage:
    h5p_json: dict
    content_json: Any
    libraries: dict[tuple[str, int, int], PackageLibrary]  # every library folder in the archive
    content_members: list[str]  # h5p.json and every stored file under content/
    closure: list[tuple[str, int, int]]  # what the content needs, dependencies first
    main_library: tuple[str, int, int] | None  # None only in PackageInvalid.package
    notices: list[Problem] = field(default_factory=list)  # what was skipped without refusing the package


# Looks up an installed library by (machine name, major, minor) and returns its library.json, or None.
InstalledLookup = Callable[[str, int, int], dict | None]


def _is_skipped(name: str) -> bool:
    return any(part.startswith((".", "_")) for part in name.rstrip("/").split("/"))


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _path_problem(name: str) -> str | None:
    if not name or CONTROL.search(name):
        return gettext_noop("The name of this file contains a forbidden character.")
    if "\\" in name:
        return gettext_noop("The path of this file uses a backslash (\\). Only / is allowed.")
    if name.startswith("/") or DRIVE.match(name):
        return gettext_noop("The path of this file is absolute. Only paths inside the package are allowed.")
    parts = name.rstrip("/").split("/")
    if any(part in ("..", ".") for part in parts) or any(part == "" for part in parts):
        return gettext_noop("The path of this file leaves its folder (.. or an empty part).")
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_names(infos: list[zipfile.ZipInfo]) -> tuple[list[Problem], list[zipfile.ZipInfo], list[Problem]]:
    """Phase 2; returns the problems, the members to read (files that are not skipped) and the notices."""
    problems: list[Problem] = []
    notices: list[Problem] = []
    seen: dict[str, str] = {}
    wanted: list[zipfile.ZipInfo] = []
    for info in infos:
        name = info.filename
        # zipfile cuts a name at its first NUL; orig_filename still has the whole name.
        text = _path_problem(info.orig_filename) or _path_problem(name)
        if text:
            problems.append(Problem("path", name, text))
            continue
        if _is_symlink(info):
            problems.append(
                Problem("symlink", name, gettext_noop("This file is a symbolic link. Links are not allowed."))
            )
            continue
        folded = name.rstrip("/").casefold()
        if folded in seen:
            problems.append(
                Problem(
                    "duplicate",
                    name,
                    gettext_noop("This name appears more than once in the package (also %(other)s)."),
                    {"other": seen[folded]},
                )
            )
            continue
        seen[folded] = name
        if info.flag_bits & 0x1:
            problems.append(
                Problem("archive", name, gettext_noop("This file is encrypted. Encrypted files are not allowed."))
            )
            continue
        if info.is_dir() or _is_skipped(name):
            continue
        top, _, rest = name.partition("/")
        if not rest:
            if name != "h5p.json":
                # The reference library ignores such files ("probably a file that shouldn't have been
                # included"); so does this check: never read, never stored, but named.
                notices.append(
                    Problem(
                        "ignored",
                        name,
                        gettext_noop("This file is not part of the exercise, so it was left out."),
                    )
                )
                continue
            allowed = {"json"}
        elif top == "content":
            allowed = CONTENT_EXTENSIONS
        else:
            allowed = LIBRARY_EXTENSIONS
        ext = _extension(name)
        if ext not in allowed:
            problems.append(
                Problem(
                    "extension",
                    name,
                    gettext_noop("Files of type '%(extension)s' are not allowed here."),
                    {"extension": ext or "-"},
                )
            )
            continue
        wanted.append(info)
    return problems, wanted, notices


class _LimitExceeded(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


class _Counter:
    bytes = 0


def member_read(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    archive_bytes: int,
    keep: bool = False,
    keep_limit: int | None = None,
    counter: _Counter | None = None,
) -> bytes:
    """Decompress one member, counting the bytes that really arrive; raise _LimitExceeded past a limit.

    The compressed size comes from the header; it is capped by the real archive size, so a lie can only
    make the ratio look worse, never better. Returns the bytes only when `keep` is true; a kept member
    (JSON to be parsed) over `keep_limit` bytes is refused before it is parsed, by its header if that
    already says so, else as soon as more bytes arrive.
    """
    max_file = limit("H5P_MAX_FILE_BYTES", 32 * MIB)
    max_ratio = limit("H5P_MAX_RATIO", 100)
    ratio_floor = limit("H5P_RATIO_MIN_BYTES", MIB)
    compressed = max(1, min(info.compress_size, archive_bytes))
    read = 0
    kept = bytearray()

    def json_too_large() -> _LimitExceeded:
        return _LimitExceeded(
            Problem(
                "json_size",
                info.filename,
                gettext_noop("This JSON file is larger than %(limit)s kB, too large to check."),
                {"limit": keep_limit // 1024 or 1},
            )
        )

    if keep and keep_limit is not None and info.file_size > keep_limit:
        raise json_too_large()
    with zf.open(info) as stream:
        while chunk := stream.read(READ_CHUNK):
            read += len(chunk)
            if keep and keep_limit is not None and read > keep_limit:
                raise json_too_large()
            if read > max_file:
                raise _LimitExceeded(
                    Problem(
                        "file_size",
                        info.filename,
                        gettext_noop("This file is larger than %(limit)s MB."),
                        {"limit": max_file // MIB or 1},
                    )
                )
            if read > ratio_floor and read / compressed > max_ratio:
                raise _LimitExceeded(
                    Problem(
                        "ratio",
                        info.filename,
                        gettext_noop(
                            "This file is packed more than %(limit)s times smaller than it really is (a zip bomb)."
                        ),
                        {"limit": max_ratio},
                    )
                )
            if keep:
                kept += chunk
    if counter is not None:
        counter.bytes = read
    return bytes(kept)


def _version(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value <= 99999:
        return value
    if isinstance(value, str) and VERSION.match(value):
        return int(value)
    return None


def _dependency_refs(items: Any, file: str, key: str, problems: list[Problem]) -> list[LibraryRef]:
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(Problem("schema", file, gettext_noop("'%(key)s' must be a list."), {"key": key}))
        return []
    refs = []
    for item in items:
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("machineName"), str)
            and MACHINE_NAME.match(item["machineName"])
        )
        major = _version(item.get("majorVersion")) if ok else None
        minor = _version(item.get("minorVersion")) if ok else None
        if not ok or major is None or minor is None:
            problems.append(
                Problem(
                    "schema",
                    file,
                    gettext_noop("Each entry of '%(key)s' needs machineName, majorVersion and minorVersion."),
                    {"key": key},
                )
            )
            continue
        refs.append(LibraryRef(item["machineName"], major, minor))
    return refs


def json_depth_exceeds(data: bytes, max_depth: int) -> bool:
    """Whether arrays and objects in `data` nest deeper than `max_depth`; the standard parser has no
    depth limit of its own. All in C-speed steps: escaped backslashes and quotes are dropped (left to
    right, as JSON pairs them), then everything but quotes and brackets, then the strings, so a bracket
    inside a string does not count; the depth is the running sum of +1 per opening and -1 per closing."""
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return False
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, NOT_STRUCTURE)
    steps = QUOTED.sub(b"", skeleton).translate(DEPTH_STEPS)  # opening -> 2, closing -> 0
    # After i + 1 brackets the depth is (sum of steps) - (i + 1).
    return bool(steps) and max(map(operator.sub, accumulate(steps), count(1))) > max_depth


def _parse_json(name: str, data: bytes, problems: list[Problem], rule: str = "json") -> Any:
    max_depth = limit("H5P_MAX_JSON_DEPTH", 100)
    if json_depth_exceeds(data, max_depth):
        problems.append(
            Problem(
                rule,
                name,
                gettext_noop("This JSON file is nested more than %(limit)s levels deep, too deep to check."),
                {"limit": max_depth},
            )
        )
        return None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        problems.append(Problem(rule, name, gettext_noop("This file is not valid JSON.")))
        return None


def _check_h5p_json(data: Any, problems: list[Problem]) -> list[LibraryRef]:
    file = "h5p.json"
    if not isinstance(data, dict):
        problems.append(Problem("schema", file, gettext_noop("This file must contain a JSON object.")))
        return []
    for key in ("title", "language", "mainLibrary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(
                Problem("schema", file, gettext_noop("The required field '%(key)s' is missing or empty."), {"key": key})
            )
    if isinstance(data.get("mainLibrary"), str) and data["mainLibrary"] and not MACHINE_NAME.match(data["mainLibrary"]):
        problems.append(
            Problem("schema", file, gettext_noop("'%(key)s' is not a valid library name."), {"key": "mainLibrary"})
        )
    embed = data.get("embedTypes")
    if not isinstance(embed, list) or not embed or not all(e in EMBED_TYPES for e in embed):
        problems.append(Problem("schema", file, gettext_noop("'embedTypes' must list 'iframe' and/or 'div'.")))
    if not isinstance(data.get("preloadedDependencies"), list) or not data["preloadedDependencies"]:
        problems.append(
            Problem(
                "schema",
                file,
                gettext_noop("The required field '%(key)s' is missing or empty."),
                {"key": "preloadedDependencies"},
            )
        )
        return []
    return _dependency_refs(data["preloadedDependencies"], file, "preloadedDependencies", problems)


def _check_library_json(folder: str, data: Any, members: set[str], problems: list[Problem]) -> bool:
    file = f"{folder}/library.json"
    before = len(problems)
    if not isinstance(data, dict):
        problems.append(Problem("schema", file, gettext_noop("This file must contain a JSON object.")))
        return False
    for key in ("title", "machineName"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(
                Problem("schema", file, gettext_noop("The required field '%(key)s' is missing or empty."), {"key": key})
            )
    if isinstance(data.get("machineName"), str) and data["machineName"] and not MACHINE_NAME.match(data["machineName"]):
        problems.append(
            Problem("schema", file, gettext_noop("'%(key)s' is not a valid library name."), {"key": "machineName"})
        )
    for key in ("majorVersion", "minorVersion", "patchVersion"):
        if _version(data.get(key)) is None:
            problems.append(
                Problem("schema", file, gettext_noop("'%(key)s' must be a version number (0 to 99999)."), {"key": key})
            )
    if data.get("runnable") not in (0, 1, True, False, "0", "1"):
        problems.append(Problem("schema", file, gettext_noop("'runnable' must be 0 or 1.")))
    if len(problems) > before:
        return False
    expected = f"{data['machineName']}-{_version(data['majorVersion'])}.{_version(data['minorVersion'])}"
    if folder != expected:
        problems.append(
            Problem(
                "folder_name",
                file,
                gettext_noop("The folder must be called %(expected)s, as its library.json says."),
                {"expected": expected},
            )
        )
    for key in ("preloadedJs", "preloadedCss"):
        items = data.get(key, [])
        if not isinstance(items, list):
            problems.append(Problem("schema", file, gettext_noop("'%(key)s' must be a list."), {"key": key}))
            continue
        for item in items:
            path = item.get("path") if isinstance(item, dict) else None
            if not isinstance(path, str) or _path_problem(path):
                problems.append(
                    Problem(
                        "schema",
                        file,
                        gettext_noop("Each entry of '%(key)s' needs a safe relative 'path'."),
                        {"key": key},
                    )
                )
                continue
            if f"{folder}/{path}" not in members:
                problems.append(
                    Problem(
                        "preloaded_file",
                        f"{folder}/{path}",
                        gettext_noop("This file is listed in %(library)s but is missing."),
                        {"library": file},
                    )
                )
    core = data.get("coreApi")
    if core is not None:
        major = _version(core.get("majorVersion")) if isinstance(core, dict) else None
        minor = _version(core.get("minorVersion")) if isinstance(core, dict) else None
        if major is None or minor is None:
            problems.append(Problem("schema", file, gettext_noop("'coreApi' needs majorVersion and minorVersion.")))
        elif (major, minor) > CORE_API:
            problems.append(
                Problem(
                    "core_api",
                    file,
                    gettext_noop("This library needs H5P core %(needed)s; this site supports up to %(supported)s."),
                    {"needed": f"{major}.{minor}", "supported": f"{CORE_API[0]}.{CORE_API[1]}"},
                )
            )
    return len(problems) == before


def _runnable(library_json: dict) -> bool:
    return library_json.get("runnable") in (1, True, "1")


def _json_limit(name: str) -> int | None:
    """The size limit of a JSON file this validator parses, or None for a file it only counts."""
    if name == "content/content.json":
        return limit("H5P_MAX_CONTENT_JSON_BYTES", 16 * MIB)
    parts = name.split("/")
    if (
        name == "h5p.json"
        or (len(parts) == 2 and parts[0] != "content" and parts[1] in ("library.json", "semantics.json"))
        or (len(parts) == 3 and parts[0] != "content" and parts[1] == "language" and parts[2].endswith(".json"))
    ):
        return limit("H5P_MAX_JSON_BYTES", MIB)
    return None


def package_validate(
    *, fileobj: IO[bytes], archive_bytes: int, installed: InstalledLookup | None = None
) -> ValidatedPackage:
    """Validate an opened `.h5p` file; `archive_bytes` is its real size on disk (for the overall ratio)."""
    installed = installed or (lambda name, major, minor: None)
    try:
        zf = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageInvalid(
            [Problem("archive", "", gettext_noop("This file is not a valid H5P (zip) package."))]
        ) from None
    with zf:
        infos = zf.infolist()
        max_files = limit("H5P_MAX_FILES", 5000)
        if len(infos) > max_files:
            raise PackageInvalid(
                [
                    Problem(
                        "file_count",
                        "",
                        gettext_noop("The package holds more than %(limit)s files."),
                        {"limit": max_files},
                    )
                ]
            )
        problems, wanted, notices = _check_names(infos)
        kept, complete = _read_all_counted(zf, wanted, archive_bytes, problems)
        if not complete:  # past the total size, or a damaged archive: what is left unread is unknown
            raise PackageInvalid(problems, notices=notices)
        return _check_structure(wanted, kept, installed, problems, notices)


def _read_all_counted(
    zf: zipfile.ZipFile, wanted: list[zipfile.ZipInfo], archive_bytes: int, problems: list[Problem]
) -> tuple[dict[str, bytes], bool]:
    """Phase 3: read every member once, counting real bytes; keep only the JSON this validator parses.

    A member over its own limit is noted and the next one is read; past the total (or the overall ratio)
    or on a damaged archive the reading stops. Returns the kept bytes and whether every member was read.
    """
    max_total = limit("H5P_MAX_TOTAL_BYTES", 128 * MIB)
    max_ratio = limit("H5P_MAX_RATIO", 100)
    ratio_floor = limit("H5P_RATIO_MIN_BYTES", MIB)
    total = 0
    kept: dict[str, bytes] = {}
    for info in wanted:
        name = info.filename
        keep_limit = _json_limit(name)
        counter = _Counter()
        try:
            data = member_read(
                zf,
                info,
                archive_bytes=archive_bytes,
                keep=keep_limit is not None,
                keep_limit=keep_limit,
                counter=counter,
            )
        except _LimitExceeded as exceeded:
            problems.append(exceeded.problem)  # this member is read no further; the others still are
            continue
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            problems.append(Problem("archive", "", gettext_noop("The package is damaged and cannot be unpacked.")))
            return kept, False
        total += counter.bytes
        if keep_limit is not None:
            kept[name] = data
        if total > max_total:
            problems.append(
                Problem(
                    "total_size",
                    name,
                    gettext_noop("The unpacked package is larger than %(limit)s MB."),
                    {"limit": max_total // MIB},
                )
            )
            return kept, False
        if total > ratio_floor and total / max(1, archive_bytes) > max_ratio:
            problems.append(
                Problem(
                    "ratio",
                    name,
                    gettext_noop(
                        "The package is packed more than %(limit)s times smaller than it really is (a zip bomb)."
                    ),
                    {"limit": max_ratio},
                )
            )
            return kept, False
    return kept, True


def _check_language_files(folder: str, names: set[str], kept: dict[str, bytes], problems: list[Problem]) -> None:
    """language/*.json of one library: named like nl.json or pt-br.json, each a JSON object."""
    prefix = f"{folder}/language/"
    for name in sorted(n for n in names if n.startswith(prefix)):
        base = name[len(prefix) :]
        if "/" in base:
            continue  # deeper folders are plain library files
        if not LANGUAGE_FILE.match(base):
            problems.append(
                Problem(
                    "language_file",
                    name,
                    gettext_noop("A language file must be called after its language, like nl.json or pt-br.json."),
                )
            )
            continue
        if name not in kept:
            continue  # too large: already reported
        data = _parse_json(name, kept[name], problems, rule="language_file")
        if data is not None and not isinstance(data, dict):
            problems.append(Problem("language_file", name, gettext_noop("This file must contain a JSON object.")))


def _check_structure(
    wanted: list[zipfile.ZipInfo],
    kept: dict[str, bytes],
    installed: InstalledLookup,
    problems: list[Problem],
    notices: list[Problem],
) -> ValidatedPackage:
    """Phase 4: JSON, folder names, preloaded files, dependency closure, main library, core API.

    Adds to the problems of the earlier phases; a file already reported there (too large, say) is not
    reported again as missing."""
    reported = {problem.file for problem in problems}
    names = {info.filename for info in wanted}
    if "h5p.json" not in kept and "h5p.json" not in reported:
        problems.append(Problem("missing_file", "h5p.json", gettext_noop("The package has no h5p.json.")))
    if "content/content.json" not in kept and "content/content.json" not in reported:
        problems.append(
            Problem("missing_file", "content/content.json", gettext_noop("The package has no content/content.json."))
        )
    folders: dict[str, list[str]] = {}
    for name in names:
        top, _, rest = name.partition("/")
        if rest and top != "content":
            folders.setdefault(top, []).append(name)
    h5p_json = _parse_json("h5p.json", kept["h5p.json"], problems) if "h5p.json" in kept else None
    content_json = (
        _parse_json("content/content.json", kept["content/content.json"], problems)
        if "content/content.json" in kept
        else None
    )
    if "content/content.json" in kept and content_json is not None and not isinstance(content_json, dict):
        problems.append(
            Problem("schema", "content/content.json", gettext_noop("This file must contain a JSON object."))
        )
    libraries: dict[tuple[str, int, int], PackageLibrary] = {}
    broken: set[str] = set()  # library folders with a problem of their own: not reported again as missing
    for folder, members in sorted(folders.items()):
        before = len(problems)
        file = f"{folder}/library.json"
        data = None
        if file not in kept:
            if file not in reported:
                problems.append(Problem("missing_file", file, gettext_noop("This library folder has no library.json.")))
        else:
            data = _parse_json(file, kept[file], problems)
            if data is not None and _check_library_json(folder, data, names, problems):
                # Dependencies of every library are parsed here, so a bad entry is reported once per file.
                _dependency_refs(data.get("preloadedDependencies"), file, "preloadedDependencies", problems)
        semantics = f"{folder}/semantics.json"
        if semantics in kept:
            _parse_json(semantics, kept[semantics], problems)
        _check_language_files(folder, names, kept, problems)
        if len(problems) > before or data is None or any(name.startswith(f"{folder}/") for name in reported):
            broken.add(folder)
        else:
            library = PackageLibrary(folder=folder, library_json=data, members=sorted(members))
            libraries[library.key] = library
    roots = _check_h5p_json(h5p_json, problems) if h5p_json is not None else []

    closure: list[tuple[str, int, int]] = []
    resolved: dict[tuple[str, int, int], dict] = {}
    visiting: set[tuple[str, int, int]] = set()

    def visit(ref: LibraryRef, needed_by: str) -> None:
        if ref.key in resolved or ref.key in visiting:
            return  # H5P allows cycles among preloaded dependencies; each library loads once.
        if ref.key in libraries:
            data, file = libraries[ref.key].library_json, f"{ref.folder}/library.json"
        elif ref.folder in broken:
            return  # in the package, with its own problems listed already
        else:
            data, file = installed(*ref.key), f"{ref.folder}/library.json"
        if data is None:
            problems.append(
                Problem(
                    "dependency",
                    needed_by,
                    gettext_noop("The library %(library)s is needed but is neither in the package nor installed."),
                    {"library": ref.folder},
                )
            )
            return
        visiting.add(ref.key)
        for dep in _dependency_refs(data.get("preloadedDependencies"), file, "preloadedDependencies", []):
            visit(dep, file)
        visiting.discard(ref.key)
        resolved[ref.key] = data
        closure.append(ref.key)

    for ref in roots:
        visit(ref, "h5p.json")
    main_key = None
    if isinstance(h5p_json, dict) and isinstance(h5p_json.get("mainLibrary"), str) and roots:
        main_name = h5p_json["mainLibrary"]
        main = [ref for ref in roots if ref.machine_name == main_name]
        if not main:
            problems.append(
                Problem(
                    "main_library",
                    "h5p.json",
                    gettext_noop("The main library %(library)s is not among the dependencies."),
                    {"library": main_name},
                )
            )
        else:
            main_key = main[0].key
            if main_key in resolved and not _runnable(resolved[main_key]):
                problems.append(
                    Problem(
                        "main_library",
                        f"{main[0].folder}/library.json",
                        gettext_noop("The main library %(library)s cannot run on its own (runnable is 0)."),
                        {"library": main[0].folder},
                    )
                )
    content_members = sorted(name for name in names if name == "h5p.json" or name.startswith("content/"))
    package = ValidatedPackage(
        h5p_json=h5p_json if isinstance(h5p_json, dict) else {},
        content_json=content_json,
        libraries=libraries,
        content_members=content_members,
        closure=closure,
        main_library=main_key,
        notices=notices,
    )
    if problems:
        raise PackageInvalid(problems, notices=notices, package=package if isinstance(h5p_json, dict) else None)
    return package
