"""The validator on its own: each malicious package fails with its rule and file; the minimal one passes."""

import io

import pytest

from h5p.validation import PackageInvalid, package_validate

from . import builders


def validate(data: bytes, installed=None):
    return package_validate(fileobj=io.BytesIO(data), archive_bytes=len(data), installed=installed)


def rejection(data: bytes, installed=None) -> list[tuple[str, str]]:
    with pytest.raises(PackageInvalid) as error:
        validate(data, installed)
    return [(p.rule, p.file) for p in error.value.problems]


def test_minimal_package_is_valid():
    package = validate(builders.minimal_package())
    assert package.main_library == (builders.LIBRARY, 1, 0)
    assert package.closure == [(builders.LIBRARY, 1, 0)]
    assert package.content_members == ["content/content.json", "h5p.json"]
    assert package.libraries[(builders.LIBRARY, 1, 0)].members == [
        f"{builders.FOLDER}/library.json",
        f"{builders.FOLDER}/oefenvraag.css",
        f"{builders.FOLDER}/oefenvraag.js",
    ]
    assert package.content_json["answers"][0] == {"text": "Verzenden", "correct": True}


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (builders.zip_slip_package, ("path", "content/../../evil.txt")),
        (builders.absolute_path_package, ("path", "/tmp/evil.txt")),
        (builders.backslash_package, ("path", "content\\..\\evil.txt")),
        (builders.symlink_package, ("symlink", "content/passwd.txt")),
        (builders.nul_name_package, ("path", "content/a.txt")),
        (builders.duplicate_package, ("duplicate", "content/content.json")),
        (builders.case_duplicate_package, ("duplicate", "content/image.png")),
        (builders.zip_bomb_package, ("ratio", "content/bomb.txt")),
        (builders.extension_package, ("extension", "content/evil.php")),
        (lambda: builders.extension_package("content/x.svg"), ("extension", "content/x.svg")),
        (lambda: builders.extension_package(f"{builders.FOLDER}/run.sh"), ("extension", f"{builders.FOLDER}/run.sh")),
        (builders.missing_preloaded_package, ("preloaded_file", f"{builders.FOLDER}/oefenvraag.js")),
        (builders.broken_json_package, ("json", "content/content.json")),
        (lambda: builders.broken_json_package("h5p.json"), ("json", "h5p.json")),
        (
            lambda: builders.broken_json_package(f"{builders.FOLDER}/library.json"),
            ("json", f"{builders.FOLDER}/library.json"),
        ),
        (builders.wrong_folder_package, ("folder_name", f"{builders.LIBRARY}-1.1/library.json")),
        (builders.unresolvable_dependency_package, ("dependency", f"{builders.FOLDER}/library.json")),
        (builders.not_runnable_package, ("main_library", f"{builders.FOLDER}/library.json")),
        (builders.content_only_package, ("dependency", "h5p.json")),
    ],
)
def test_malicious_and_broken_packages_are_rejected_with_rule_and_file(build, expected):
    assert expected in rejection(build())


def test_svg_is_allowed_in_a_library_but_not_in_content():
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    in_library = builders.minimal_files()
    in_library[f"{builders.FOLDER}/icon.svg"] = svg
    package = validate(builders.zip_bytes(in_library))
    assert package is not None

    in_content = builders.minimal_files()
    in_content["content/icon.svg"] = svg
    assert ("extension", "content/icon.svg") in rejection(builders.zip_bytes(in_content))


def test_not_a_zip_is_rejected():
    assert rejection(b"this is not a zip") == [("archive", "")]


def test_limits_count_the_bytes_that_arrive(settings):
    settings.H5P_MAX_FILE_BYTES = 1000
    assert ("file_size", f"{builders.FOLDER}/oefenvraag.js") in rejection(builders.minimal_package())
    settings.H5P_MAX_FILE_BYTES = 32 * 1024 * 1024
    settings.H5P_MAX_TOTAL_BYTES = 2000
    assert rejection(builders.minimal_package())[0][0] == "total_size"
    settings.H5P_MAX_TOTAL_BYTES = 128 * 1024 * 1024
    settings.H5P_MAX_FILES = 3
    assert rejection(builders.minimal_package()) == [("file_count", "")]


def test_a_lying_header_size_does_not_pass():
    """Headers that claim fewer bytes than a member holds make the archive fail, never slip bytes by."""
    assert rejection(builders.lying_size_package()) == [("archive", "")]


def test_skipped_names_are_neither_read_nor_stored():
    files = builders.minimal_files()
    files["__MACOSX/._h5p.json"] = b"junk"
    files[f"{builders.FOLDER}/.DS_Store"] = b"junk"
    package = validate(builders.zip_bytes(files))
    stored = package.content_members + package.libraries[(builders.LIBRARY, 1, 0)].members
    assert not any("MACOSX" in name or "DS_Store" in name for name in stored)


def test_dependencies_resolve_against_installed_libraries():
    library = builders.library_json()
    package = validate(
        builders.content_only_package(), installed=lambda *key: library if key == (builders.LIBRARY, 1, 0) else None
    )
    assert package.closure == [(builders.LIBRARY, 1, 0)]
    assert package.libraries == {}


def test_newer_core_api_is_rejected():
    import json

    files = builders.minimal_files()
    files[f"{builders.FOLDER}/library.json"] = json.dumps(
        builders.library_json(coreApi={"majorVersion": 1, "minorVersion": 29})
    ).encode()
    assert ("core_api", f"{builders.FOLDER}/library.json") in rejection(builders.zip_bytes(files))


def test_messages_follow_the_language():
    from django.utils import translation

    with pytest.raises(PackageInvalid) as error:
        validate(builders.extension_package())
    problem = error.value.problems[0]
    with translation.override("en"):
        assert "not allowed" in problem.as_dict()["message"]


def test_top_level_files_the_reference_library_ignores_are_skipped_and_named():
    package = validate(builders.stray_top_level_package())
    assert [(n.rule, n.file) for n in package.notices] == [("ignored", "H5P_CONTENT_HERE"), ("ignored", "readme.txt")]
    assert package.notices[0].as_dict()["message"]
    assert "H5P_CONTENT_HERE" not in package.content_members and "readme.txt" not in package.content_members


def test_an_unsafe_top_level_name_is_still_refused():
    files = [*builders.minimal_files().items(), ("readme.txt", b"a"), ("README.TXT", b"b")]
    assert ("duplicate", "README.TXT") in rejection(builders.zip_bytes(files))


def test_language_files_are_parsed_and_checked():
    good = validate(builders.language_files_package(**{"nl.json": b'{"semantics": []}', "pt-br.json": b"{}"}))
    assert f"{builders.FOLDER}/language/nl.json" in good.libraries[(builders.LIBRARY, 1, 0)].members
    # The reference library's own copy of the English strings starts with a dot: skipped.
    validate(builders.language_files_package(**{".en.json": b"not json"}))
    file = f"{builders.FOLDER}/language/nl.json"
    assert rejection(builders.language_files_package(**{"nl.json": b'{"semantics": ['})) == [("language_file", file)]
    assert rejection(builders.language_files_package(**{"nl.json": b"[1, 2]"})) == [("language_file", file)]
    assert rejection(builders.language_files_package(**{"nl_BE!.json": b"{}"})) == [
        ("language_file", f"{builders.FOLDER}/language/nl_BE!.json")
    ]


def test_a_language_file_over_the_json_limit_is_not_parsed(settings):
    settings.H5P_MAX_JSON_BYTES = 2000
    big = b'{"x": "' + b"a" * 5000 + b'"}'
    file = f"{builders.FOLDER}/language/nl.json"
    assert rejection(builders.language_files_package(**{"nl.json": big})) == [("json_size", file)]


def test_every_problem_is_listed_not_the_first_only():
    problems = rejection(builders.two_broken_libraries_package())
    # Each once: the broken main library is not reported again as a missing dependency.
    assert sorted(problems) == [
        ("json", "H5P.Extra-1.0/library.json"),
        ("preloaded_file", f"{builders.FOLDER}/oefenvraag.js"),
    ]
    # Problems of different kinds (an unsafe name, a bad extension, broken JSON) come together too.
    files = [
        *builders.minimal_files().items(),
        ("content/../../evil.txt", b"x"),
        ("content/evil.php", b"x"),
        ("content/content.json", b"{"),
    ]
    files = [(name, data) for name, data in files if not (name == "content/content.json" and data != b"{")]
    mixed = rejection(builders.zip_bytes(files))
    assert {
        ("path", "content/../../evil.txt"),
        ("extension", "content/evil.php"),
        ("json", "content/content.json"),
    } <= set(mixed)


def test_json_is_size_checked_before_it_is_parsed(settings, monkeypatch):
    from h5p import validation

    parsed = []
    real_loads = validation.json.loads
    monkeypatch.setattr(validation.json, "loads", lambda text: parsed.append(len(text)) or real_loads(text))
    settings.H5P_MAX_CONTENT_JSON_BYTES = 1000
    big = builders.minimal_files(question="x" * 5000)
    problems = rejection(builders.zip_bytes(big))
    assert problems == [("json_size", "content/content.json")]
    assert all(size < 1000 for size in parsed)  # the big file never reached the parser
    settings.H5P_MAX_CONTENT_JSON_BYTES = 16 * 1024 * 1024
    settings.H5P_MAX_JSON_BYTES = 100
    assert ("json_size", "h5p.json") in rejection(builders.minimal_package())


def test_json_is_parsed_with_a_depth_limit(settings):
    with pytest.raises(PackageInvalid) as error:
        validate(builders.deep_json_package(depth=5000))
    problem = error.value.problems[0]
    assert (problem.rule, problem.file) == ("json", "content/content.json")
    assert "100" in problem.as_dict()["message"]
    settings.H5P_MAX_JSON_DEPTH = 10
    assert ("json", f"{builders.FOLDER}/library.json") not in rejection(builders.deep_json_package(depth=20))
    # Brackets inside strings do not count.
    validate(builders.minimal_package(question="[[[[[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{"))
