"""A strict validator for uploaded `.h5p` packages (stdlib zipfile + json, no dependency).

`package_validate` reads the archive once, member by member, and either returns a `ValidatedPackage`
(what to store, and the parsed h5p.json, content.json and library.json files) or raises
`PackageInvalid` with a list of `Problem`s. Nothing is written anywhere: `h5p.services` decides what
to store after this has passed. The checks run in phases and stop after the first phase that finds a
problem, so a zip-slip archive is never decompressed and a zip bomb never reaches the JSON parser:

1. archive: a readable zip, not encrypted, at most H5P_MAX_FILES members.
2. names: no absolute path, drive letter, `..`, backslash, NUL or control character; no symlink; no
   duplicate name (also not when only upper/lower case differs); only `h5p.json`, `content/` and library
   folders at the top level; each file's extension on the official whitelist (the content list under
   `content/` and for `h5p.json`, the library list = content + js css svg xml inside library folders).
   Any file or folder whose name starts with `.` or `_` (`.DS_Store`, `__MACOSX/`) is skipped, as the
   H5P specification does for libraries: it is name-checked but never read or stored.
3. sizes: every member is decompressed and its bytes counted as they arrive (header sizes are never
   trusted): H5P_MAX_FILE_BYTES per file, H5P_MAX_TOTAL_BYTES in all, and H5P_MAX_RATIO for
   uncompressed/compressed per member and for the whole archive (members and totals under
   H5P_RATIO_MIN_BYTES are exempt: a ratio on a few kilobytes means nothing and cannot hurt).
4. JSON and structure: h5p.json, content/content.json and every library.json parse and carry their
   required keys; a library folder is named `<machineName>-<major>.<minor>`; every preloadedJs/Css file
   exists in its folder; the dependency closure of h5p.json resolves within the package or among the
   installed libraries; the main library is among the dependencies and runnable; coreApi <= 1.28.

Problem messages are written with gettext_noop and rendered with `Problem.as_dict()` in the active
language; `problem_message` renders a stored problem again in the language of whoever reads it.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
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
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.rule}: {p.file}" for p in problems))
        self.problems = problems


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
    main_library: tuple[str, int, int]


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


def _check_names(infos: list[zipfile.ZipInfo]) -> tuple[list[Problem], list[zipfile.ZipInfo]]:
    """Phase 2; returns the problems and the members to read (files that are not skipped)."""
    problems: list[Problem] = []
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
                problems.append(
                    Problem(
                        "layout", name, gettext_noop("Only h5p.json, content/ and library folders may be at the top.")
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
    return problems, wanted


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
    counter: _Counter | None = None,
) -> bytes:
    """Decompress one member, counting the bytes that really arrive; raise _LimitExceeded past a limit.

    The compressed size comes from the header; it is capped by the real archive size, so a lie can only
    make the ratio look worse, never better. Returns the bytes only when `keep` is true.
    """
    max_file = limit("H5P_MAX_FILE_BYTES", 32 * MIB)
    max_ratio = limit("H5P_MAX_RATIO", 100)
    ratio_floor = limit("H5P_RATIO_MIN_BYTES", MIB)
    compressed = max(1, min(info.compress_size, archive_bytes))
    read = 0
    kept = bytearray()
    with zf.open(info) as stream:
        while chunk := stream.read(READ_CHUNK):
            read += len(chunk)
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


def _parse_json(name: str, data: bytes, problems: list[Problem]) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        problems.append(Problem("json", name, gettext_noop("This file is not valid JSON.")))
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
        problems, wanted = _check_names(infos)
        if problems:
            raise PackageInvalid(problems[:MAX_PROBLEMS])
        try:
            kept = _read_all_counted(zf, wanted, archive_bytes)
        except _LimitExceeded as exceeded:
            raise PackageInvalid([exceeded.problem]) from None
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise PackageInvalid(
                [Problem("archive", "", gettext_noop("The package is damaged and cannot be unpacked."))]
            ) from None
        return _check_structure(wanted, kept, installed)


def _read_all_counted(zf: zipfile.ZipFile, wanted: list[zipfile.ZipInfo], archive_bytes: int) -> dict[str, bytes]:
    """Phase 3: read every member once, counting real bytes; keep only the JSON this validator parses."""
    max_total = limit("H5P_MAX_TOTAL_BYTES", 128 * MIB)
    max_ratio = limit("H5P_MAX_RATIO", 100)
    ratio_floor = limit("H5P_RATIO_MIN_BYTES", MIB)
    total = 0
    kept: dict[str, bytes] = {}
    for info in wanted:
        name = info.filename
        keep = name in ("h5p.json", "content/content.json") or (name.count("/") == 1 and name.endswith("/library.json"))
        counter = _Counter()
        data = member_read(zf, info, archive_bytes=archive_bytes, keep=keep, counter=counter)
        total += counter.bytes
        if keep:
            kept[name] = data
        if total > max_total:
            raise _LimitExceeded(
                Problem(
                    "total_size",
                    name,
                    gettext_noop("The unpacked package is larger than %(limit)s MB."),
                    {"limit": max_total // MIB},
                )
            )
        if total > ratio_floor and total / max(1, archive_bytes) > max_ratio:
            raise _LimitExceeded(
                Problem(
                    "ratio",
                    name,
                    gettext_noop(
                        "The package is packed more than %(limit)s times smaller than it really is (a zip bomb)."
                    ),
                    {"limit": max_ratio},
                )
            )
    return kept


def _check_structure(
    wanted: list[zipfile.ZipInfo], kept: dict[str, bytes], installed: InstalledLookup
) -> ValidatedPackage:
    """Phase 4: JSON, folder names, preloaded files, dependency closure, main library, core API."""
    problems: list[Problem] = []
    names = {info.filename for info in wanted}
    if "h5p.json" not in kept:
        problems.append(Problem("missing_file", "h5p.json", gettext_noop("The package has no h5p.json.")))
    if "content/content.json" not in kept:
        problems.append(
            Problem("missing_file", "content/content.json", gettext_noop("The package has no content/content.json."))
        )
    folders: dict[str, list[str]] = {}
    for name in names:
        top, _, rest = name.partition("/")
        if rest and top != "content":
            folders.setdefault(top, []).append(name)
    for folder in folders:
        if f"{folder}/library.json" not in kept:
            problems.append(
                Problem(
                    "missing_file", f"{folder}/library.json", gettext_noop("This library folder has no library.json.")
                )
            )
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
    for folder, members in sorted(folders.items()):
        file = f"{folder}/library.json"
        if file not in kept:
            continue
        data = _parse_json(file, kept[file], problems)
        if data is None:
            continue
        if _check_library_json(folder, data, names, problems):
            library = PackageLibrary(folder=folder, library_json=data, members=sorted(members))
            libraries[library.key] = library
    roots = _check_h5p_json(h5p_json, problems) if h5p_json is not None else []
    if problems:
        raise PackageInvalid(problems[:MAX_PROBLEMS])

    for library in libraries.values():
        # Dependencies of every library are parsed here, so a bad entry is reported once per file.
        _dependency_refs(
            library.library_json.get("preloadedDependencies"),
            f"{library.folder}/library.json",
            "preloadedDependencies",
            problems,
        )
    if problems:
        raise PackageInvalid(problems[:MAX_PROBLEMS])

    closure: list[tuple[str, int, int]] = []
    resolved: dict[tuple[str, int, int], dict] = {}
    visiting: set[tuple[str, int, int]] = set()

    def visit(ref: LibraryRef, needed_by: str) -> None:
        if ref.key in resolved or ref.key in visiting:
            return  # H5P allows cycles among preloaded dependencies; each library loads once.
        if ref.key in libraries:
            data, file = libraries[ref.key].library_json, f"{ref.folder}/library.json"
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
    elif main[0].key in resolved and not _runnable(resolved[main[0].key]):
        problems.append(
            Problem(
                "main_library",
                f"{main[0].folder}/library.json",
                gettext_noop("The main library %(library)s cannot run on its own (runnable is 0)."),
                {"library": main[0].folder},
            )
        )
    if problems:
        raise PackageInvalid(problems[:MAX_PROBLEMS])
    content_members = sorted(name for name in names if name == "h5p.json" or name.startswith("content/"))
    return ValidatedPackage(
        h5p_json=h5p_json,
        content_json=content_json,
        libraries=libraries,
        content_members=content_members,
        closure=closure,
        main_library=main[0].key,
    )
