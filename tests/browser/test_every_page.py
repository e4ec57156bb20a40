"""Every page the site renders outside the Wagtail admin, for every role, passes axe-core (WCAG 2.2 A and AA).

The matrix: role (guest, learner, coach, programme coordinator, training manager, staff member) x language
(Dutch ltr, Arabic rtl) x width (320 px, 1280 px) x display preferences (off; on = largest text, high
contrast, less movement, more spacing). One test per combination opens one browser context, signs in once
and visits all the pages of that role. Each page must answer the expected status, load the stylesheet, have
no axe-core violation, and at 320 px not scroll sideways (a wide table may only scroll inside its own
focusable region).

Preferences are set where the site keeps them: on the user (`display_preferences`) for a signed-in person,
in localStorage (`oefenplein.display.v1`, read by learn/static/learn/js/preferences.js) for a guest.
"""

import json
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from .learners import Learner, in_db, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe, stylesheet_rules
from .test_coach_figures import coordinator_with_figures
from .test_inclusion_prefs import ALL_ON, KEY, sim_scenarios_loaded
from .test_training import manager_with_team

pytestmark = pytest.mark.browser

DIRECTIONS = {"nl": "ltr", "ar": "rtl"}
WIDTHS = (320, 1280)
PREFERENCES = {"off": None, "on": ALL_ON}
PREFERENCE_CLASSES = ["pref-text-larger", "pref-contrast", "pref-motion", "pref-spacing"]
SIMULATOR = "train"

# Horizontal overflow at narrow widths: the page must not scroll sideways. When it does, name the outermost
# elements that stick out (outside a deliberately scrollable region) so the report says what to fix.
OVERFLOW_JS = r"""() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width + 1) return {scrollWidth: root.scrollWidth, offenders: []};
    const scrolls = (el) => {
        const style = getComputedStyle(el);
        return ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) && el !== root && el !== document.body;
    };
    const offenders = [];
    const walk = (el) => {
        for (const child of el.children) {
            const r = child.getBoundingClientRect();
            const out = r.width > 0 && (r.right > width + 1 || r.left < -1);
            if (out) {
                offenders.push(`${child.tagName.toLowerCase()}${child.id ? '#' + child.id : ''}` +
                    `${child.className && typeof child.className === 'string' ? '.' + child.className.trim().split(/\s+/).join('.') : ''}` +
                    ` [${Math.round(r.left)}..${Math.round(r.right)}] ${(child.innerText || '').trim().slice(0, 40)}`);
                if (offenders.length > 12) return;
            }
            if (!scrolls(child)) walk(child);
        }
    };
    walk(document.body);
    return {scrollWidth: root.scrollWidth, offenders};
}"""


@dataclass
class Visit:
    """One page: a name, how to open it (a path, or a function of the page), and the status it must answer."""

    name: str
    path: str | None = None
    status: int = 200
    action: object = None
    wait_for: str | None = None


@dataclass
class World:
    """The people and the data the pages need, per language where the path has a language prefix."""

    learner: Learner
    coach: Learner
    coordinator: Learner
    manager: Learner
    staff: Learner
    pin_code: str
    pictures_code: str
    ids: dict = field(default_factory=dict)
    import_csv: str = ""
    token: str = ""
    usernames: list = field(default_factory=list)


def _password_user(prefix: str, *, group: str | None = None, name: str = ""):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    username, password = f"{prefix}-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"
    user = get_user_model().objects.create_user(username, password=password, display_name=name or prefix.title())
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user, Learner(username, password, str(user.public_id))


def _make_people_and_groups() -> dict:
    """A learner with a password, a coach with two code learners (PIN, pictures) in a group with an
    assignment and a sheet of sign-in cards. Committed (runs in its own thread)."""
    from django.utils import timezone

    from accounts import roles
    from accounts.models import SignInKind
    from accounts.services import learner_create
    from coaching import services
    from coaching.models import AssignmentKind, CardSheet, CardSheetSecrets, CardSheetStatus
    from lessons.models import HelpPoint, ModulePage

    _learner_user, learner = _password_user("learner", name="Lotte")
    coach_user, coach = _password_user("coach", group=roles.COACHES, name="An")
    pin = learner_create(coach=coach_user, display_name="Marie", language="nl", kind=SignInKind.PIN).learner
    pictures = learner_create(coach=coach_user, display_name="Yusuf", language="ar", kind=SignInKind.PICTURES).learner
    point = HelpPoint.objects.filter(locale__language_code="nl").first()
    group = services.group_create(coach=coach_user, name="Digibank Nekkerspoel, dinsdag", help_point=point)
    services.group_learners_add(coach=coach_user, group=group, learners=[pin, pictures])
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    assignment = services.assignment_create(
        coach=coach_user,
        group=group,
        kind=AssignmentKind.MODULE,
        target_key=module.translation_key,
        due=timezone.localdate() + timedelta(days=14),
        note="Samen in de les van dinsdag.",
    )
    sheet = CardSheet.objects.create(
        group=group,
        coach=coach_user,
        secrets=CardSheetSecrets.NEW,
        status=CardSheetStatus.READY,
        card_count=2,
        page_count=1,
        file_name="",
        finished_at=timezone.now(),
    )
    sheet.learners.add(pin, pictures)
    # Not used for a long time: the coach's page shows when the account will be deleted (accounts.retention).
    pin.inactivity_notice_at = timezone.now()
    pin.save(update_fields=["inactivity_notice_at"])
    return {
        "learner": learner,
        "coach": coach,
        "pin_code": pin.learner_sign_in.code,
        "pictures_code": pictures.learner_sign_in.code,
        "ids": {
            "group": group.pk,
            "assignment": assignment.pk,
            "sheet": sheet.pk,
            "pin_learner": pin.pk,
            "coach_user": coach_user.pk,
        },
        "usernames": [learner.username, coach.username],
    }


def _staff_of_team(team_pk: int) -> dict:
    """Give one staff member of the manager's team a password, so they can open their own training page."""
    from training.models import StaffMember, Team

    team = Team.objects.select_related("department").get(pk=team_pk)
    staff = StaffMember.objects.filter(team=team).select_related("user").order_by("pk").first()
    sheet_pk = None
    try:  # the staff sign-in card sheets (training/urls.py), when this version of the site has them
        from django.utils import timezone

        from training.models import CardSheetStatus, StaffCardSheet

        sheet = StaffCardSheet.objects.create(
            team=team,
            manager=team.managers.first(),
            status=CardSheetStatus.READY,
            card_count=1,
            page_count=1,
            finished_at=timezone.now(),
        )
        sheet.staff.add(staff)
        sheet_pk = sheet.pk
    except ImportError:
        pass
    password = f"oefen-{uuid.uuid4().hex}"
    staff.user.set_password(password)
    staff.user.save(update_fields=["password"])
    return {
        "staff": Learner(staff.user.username, password, str(staff.user.public_id)),
        "department": team.department_id,
        "staff_sheet": sheet_pk,
        "csv": (
            "personeelsnummer;naam;dienst;ploeg;startdatum\n"
            f"axe-{uuid.uuid4().hex[:6]};Nadia Ouali;{team.department.name};{team.name};2024-03-01\n"
            "axe bad number;;Onbekende dienst;Geen ploeg;morgen\n"
        ),
    }


def _clean(world: World) -> None:
    from django.contrib.auth import get_user_model

    from coaching.models import CoachGroup

    def clean():
        User = get_user_model()
        coach_pk = world.ids["coach_user"]
        # Committed by the server's thread, so no rollback removes it; the group outlives its coach
        # (coaches are many-to-many) and would show up in the tests that run after these.
        CoachGroup.objects.filter(pk=world.ids["group"]).delete()
        User.objects.filter(created_by_id=coach_pk).delete()
        User.objects.filter(username__in=world.usernames).delete()

    in_db(clean)


@pytest.fixture(scope="module")
def world(django_db_setup, site):
    sim_scenarios_loaded()
    with ExitStack() as stack:
        # The tests hash with MD5 (tests/conftest.py, per test): passwords made here must match that.
        stack.enter_context(override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]))
        coordinator = stack.enter_context(coordinator_with_figures())
        manager, team_pk, token = stack.enter_context(manager_with_team())
        made = in_db(_make_people_and_groups)
        staff = in_db(lambda: _staff_of_team(team_pk))
        world = World(
            learner=made["learner"],
            coach=made["coach"],
            coordinator=coordinator,
            manager=manager,
            staff=staff["staff"],
            pin_code=made["pin_code"],
            pictures_code=made["pictures_code"],
            ids={
                **made["ids"],
                "team": team_pk,
                "department": staff["department"],
                "staff_sheet": staff["staff_sheet"],
            },
            import_csv=staff["csv"],
            token=token,
            usernames=made["usernames"],
        )
        try:
            yield world
        finally:
            _clean(world)


# --- What each role opens --------------------------------------------------------------------------------


def _url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _answer_first_question(page, site, path):
    page.goto(site.absolute(path))
    question = page.locator("section.question").first
    question.locator("input[type=radio]").first.check()
    with page.expect_navigation() as navigation:
        question.locator("button[type=submit]").click()
    assert page.locator(".feedback[role=status]").count() == 1
    return navigation.value


def _learner_code_step(code: str):
    def open_step(page, site, language):
        page.goto(site.absolute(_url(language, "accounts:login")))
        form = page.locator("form").filter(has=page.locator("input[name=learner_code]"))
        form.locator("input[name=learner_code]").fill(code)
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").click()
        assert page.url.endswith(_url(language, "accounts:login_learner")), page.url
        return navigation.value

    return open_step


def _one_time_wrong(code: str):
    """The one-time sign-in page after a wrong one-time code: the error is shown."""

    def open_page(page, site, language):
        page.goto(site.absolute(_url(language, "accounts:login_one_time")))
        form = page.locator("form").filter(has=page.locator("input[name=one_time_code]"))
        form.locator("input[name=learner_code]").fill(code)
        form.locator("input[name=one_time_code]").fill("1234 5678")
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").click()
        assert page.locator("#one-time-error").count() == 1
        return navigation.value

    return open_page


def _code_locked(code: str) -> None:
    """Pause this learner code, as five wrong PINs do (the live server shares this process's cache)."""
    from accounts import throttle

    while not throttle.throttle_locked(scope=throttle.CODE, value=code):
        throttle.throttle_failure(scope=throttle.CODE, value=code)


def _with_locked_code(code: str, path_of):
    def open_page(page, site, language):
        _code_locked(code)
        return page.goto(site.absolute(path_of(language)))

    return open_page


def _one_time_made(learner_pk: int):
    def open_page(page, site, language):
        page.goto(site.absolute(_url(language, "coach_learners:one_time", pk=learner_pk)))
        form = page.locator('main form[action$="/one-time-code/"]')
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").click()
        assert page.locator(".callout-tip .code-text").count() == 1
        return navigation.value

    return open_page


def _staff_import_report(csv_text: str):
    def open_report(page, site, language):
        page.goto(site.absolute(_url(language, "training:staff_import")))
        form = page.locator("form").filter(has=page.locator("input[type=file]"))
        form.locator("input[type=file]").set_input_files(
            files=[{"name": "personeel.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")}]
        )
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").click()
        return navigation.value

    return open_report


def _learners_made(page, site, language, group_pk):
    page.goto(site.absolute(_url(language, "coaching:group_learners_create", pk=group_pk)))
    form = page.locator("form").filter(has=page.locator("textarea[name=names]"))
    form.locator("textarea[name=names]").fill("Amina\nBram")
    box = form.locator("input[name=card_sheet]")
    if box.count():
        box.set_checked(False)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    return navigation.value


def _hand_over_unknown(page, site, language):
    """The hand-over form with a user name that is no coach: the same answer as for an unknown name."""
    page.goto(site.absolute(_url(language, "accounts:delete")))
    form = page.locator("form").filter(has=page.locator("input[name=username]"))
    form.locator("input[name=username]").fill("nobody-by-this-name")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    assert page.locator(".field-error").count() == 1
    return navigation.value


def guest_pages(site, world: World, language: str) -> list[Visit]:
    pages = site.languages[language]
    lesson = pages.lesson
    return [
        Visit("home", pages.home),
        Visit("catalogue", pages.catalogue),
        Visit("catalogue-filtered", pages.catalogue + "?topic=safety"),
        Visit("module", pages.module),
        Visit("lesson", lesson),
        Visit("lesson-easy", lesson + "?version=easy"),
        Visit("lesson-feedback", action=lambda page, site, language: _answer_first_question(page, site, lesson)),
        Visit("help-points", pages.help),
        Visit("search-empty", _url(language, "search")),
        Visit("search-results", _url(language, "search") + f"?q={pages.search_word}"),
        Visit("search-no-results", _url(language, "search") + "?q=zzqxjwv"),
        Visit("sign-in", _url(language, "accounts:login")),
        Visit("sign-in-pin", action=_learner_code_step(world.pin_code)),
        Visit("sign-in-pictures", action=_learner_code_step(world.pictures_code)),
        Visit("sign-in-one-time", _url(language, "accounts:login_one_time")),
        Visit("sign-in-one-time-wrong", action=_one_time_wrong(world.pin_code)),
        Visit("display", _url(language, "accounts:display")),
        Visit("practice", _url(language, "sandboxes:practice")),
        Visit("simulator", _url(language, "sandboxes:play", slug=SIMULATOR), wait_for=".sim-coach .readaloud-button"),
        Visit("privacy", _url(language, "privacy")),
        Visit("certificate-check", _url(language, "training_public:verify", token=world.token)),
        Visit("certificate-check-unknown", _url(language, "training_public:verify", token="no-such-token"), 404),
        Visit("not-found", pages.not_found, 404),
        Visit("bad-request", pages.bad_request, 400),
    ]


def learner_pages(site, world: World, language: str) -> list[Visit]:
    pages = site.languages[language]
    return [
        Visit("home", pages.home),
        Visit("my-learning", _url(language, "progress:my_learning")),
        Visit("account", _url(language, "accounts:account")),
        Visit("display", _url(language, "accounts:display")),
        Visit("account-delete", _url(language, "accounts:delete")),
        Visit("lesson", pages.lesson),
        Visit("simulator", _url(language, "sandboxes:play", slug=SIMULATOR), wait_for=".sim-coach .readaloud-button"),
        Visit("forbidden", _url(language, "coaching:group_list"), 403),
    ]


def coach_pages(site, world: World, language: str) -> list[Visit]:
    group, learner = world.ids["group"], world.ids["pin_learner"]
    return [
        Visit("account", _url(language, "accounts:account")),
        Visit("coach-learners", _url(language, "coach_learners:list")),
        Visit("coach-learner-new", _url(language, "coach_learners:create")),
        Visit("coach-learner-card", _url(language, "coach_learners:card", pk=learner)),
        Visit("coach-learner-reset", _url(language, "coach_learners:reset", pk=learner)),
        Visit("coach-learner-delete", _url(language, "coach_learners:delete", pk=learner)),
        Visit(
            "coach-learner-one-time-locked",
            action=_with_locked_code(
                world.pin_code, lambda language: _url(language, "coach_learners:one_time", pk=learner)
            ),
        ),
        Visit("coach-learner-one-time-made", action=_one_time_made(learner)),
        Visit(
            "group-dashboard-locked",
            action=_with_locked_code(
                world.pin_code, lambda language: _url(language, "coaching:group_dashboard", pk=group)
            ),
        ),
        # The only coach of their learners: the delete page first asks who takes them over.
        Visit("account-delete-hand-over", _url(language, "accounts:delete")),
        Visit("account-delete-hand-over-error", action=_hand_over_unknown),
        Visit("groups", _url(language, "coaching:group_list")),
        Visit("group-new", _url(language, "coaching:group_create")),
        Visit("group-dashboard", _url(language, "coaching:group_dashboard", pk=group)),
        Visit("group-learners", _url(language, "coaching:group_learners", pk=group)),
        Visit("group-coaches", _url(language, "coaching:group_coaches", pk=group)),
        Visit("group-learners-new", _url(language, "coaching:group_learners_create", pk=group)),
        Visit("group-learners-made", action=lambda page, site, language: _learners_made(page, site, language, group)),
        Visit("assignment-new", _url(language, "coaching:assignment_create", pk=group)),
        Visit(
            "assignment-delete",
            _url(language, "coaching:assignment_delete", pk=group, assignment_pk=world.ids["assignment"]),
        ),
        Visit("card-sheets", _url(language, "coaching:group_card_sheets", pk=group)),
        Visit("card-sheet", _url(language, "coaching:card_sheet", pk=group, sheet_pk=world.ids["sheet"])),
    ]


def coordinator_pages(site, world: World, language: str) -> list[Visit]:
    return [Visit("programme-figures", _url(language, "figures:programme"))]


def manager_pages(site, world: World, language: str) -> list[Visit]:
    visits = [
        Visit("training-home", _url(language, "training:manager_home")),
        Visit("team", _url(language, "training:team_compliance", pk=world.ids["team"])),
        Visit("department", _url(language, "training:department_compliance", pk=world.ids["department"])),
        Visit("staff-import", _url(language, "training:staff_import")),
        Visit("staff-import-report", action=_staff_import_report(world.import_csv)),
        Visit("paper-reminders", _url(language, "training:paper_reminders")),
        Visit("certificates", _url(language, "training:certificate_list")),
    ]
    if world.ids["staff_sheet"]:
        team, sheet = world.ids["team"], world.ids["staff_sheet"]
        visits += [
            Visit("team-card-sheets", _url(language, "training:team_card_sheets", pk=team)),
            Visit("team-card-sheet", _url(language, "training:card_sheet", pk=team, sheet_pk=sheet)),
        ]
    return visits


def staff_pages(site, world: World, language: str) -> list[Visit]:
    return [Visit("my-training", _url(language, "training:my_training"))]


ROLES = {
    "guest": (None, guest_pages),
    "learner": ("learner", learner_pages),
    "coach": ("coach", coach_pages),
    "coordinator": ("coordinator", coordinator_pages),
    "manager": ("manager", manager_pages),
    "staff": ("staff", staff_pages),
}


def _preferences_store(person: Learner, preferences: dict | None) -> None:
    from django.contrib.auth import get_user_model

    from accounts.display import DEFAULTS, display_preferences_clean

    stored = display_preferences_clean(preferences or DEFAULTS)
    in_db(lambda: get_user_model().objects.filter(username=person.username).update(display_preferences=stored))


def _check(page, site, visit: Visit, language: str, width: int, preferences: dict | None) -> list[str]:
    """Open one page and return what is wrong with it (empty: nothing)."""
    response = visit.action(page, site, language) if visit.action is not None else page.goto(site.absolute(visit.path))
    where = f"{visit.name} {page.url}"
    if response is None or response.status != visit.status:
        return [f"{where}: answered {response and response.status}, expected {visit.status}"]
    if visit.wait_for:
        page.wait_for_selector(visit.wait_for)
    problems = []
    if html_lang_and_dir(page) != (language, DIRECTIONS[language]):
        problems.append(f"{where}: <html lang dir> is {html_lang_and_dir(page)}")
    if stylesheet_rules(page) <= 20:
        problems.append(f"{where}: the stylesheet did not load")
    classes = page.evaluate("document.documentElement.className").split()
    if preferences and classes != PREFERENCE_CLASSES:
        problems.append(f"{where}: the display preferences are not applied (classes {classes})")
    if not preferences and any(name.startswith("pref-") for name in classes):
        problems.append(f"{where}: display preferences applied while off (classes {classes})")
    if width <= 320:
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > width + 1:
            problems.append(
                f"{where}: scrolls sideways at {width}px (scrollWidth {overflow['scrollWidth']}); sticking out: "
                + "; ".join(overflow["offenders"])
            )
    foreign = page.request_log.foreign()
    if foreign:
        problems.append(f"{where}: requests left the site: {foreign}")
    violations = run_axe(page)
    if violations:
        problems.append(f"{where}: axe-core found\n{describe_violations(violations)}")
    return problems


@pytest.mark.parametrize("preference", list(PREFERENCES))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", list(DIRECTIONS))
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_passes_axe(db, chromium, site, world, role, language, width, preference):
    person_attribute, pages_of = ROLES[role]
    preferences = PREFERENCES[preference]
    person = getattr(world, person_attribute) if person_attribute else None
    if person is not None:
        _preferences_store(person, preferences)
    visits = pages_of(site, world, language)

    context = chromium.new_context(viewport={"width": width, "height": 900 if width > 320 else 640}, bypass_csp=True)
    context.set_default_timeout(20_000)
    try:
        if person is None and preferences:
            context.add_init_script(f"localStorage.setItem('{KEY}', {json.dumps(json.dumps(preferences))})")
        page = context.new_page()
        from .support import RequestLog

        page.request_log = RequestLog(site)
        page.on("request", page.request_log)
        if person is not None:
            sign_in(page, site, person, language=language)
        problems = []
        for visit in visits:
            try:
                problems += _check(page, site, visit, language, width, preferences)
            except Exception as error:  # noqa: BLE001 — one broken page must not hide the others
                problems.append(f"{visit.name}: {type(error).__name__}: {error}")
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s) for {role}/{language}/{width}px/preferences {preference}:\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize("language", list(DIRECTIONS))
def test_the_data_download_page_passes_axe(db, chromium, site, world, language):
    """my-data.html from "Download my data" is a page people open from their disk: readable, in their language."""

    def page_html():
        from django.contrib.auth import get_user_model

        from accounts.selectors import account_data_archive

        user = get_user_model().objects.get(username=world.staff.username)
        with translation.override(language):
            archive = account_data_archive(user=user, exported_at="2026-12-07T10:00:00+00:00")
        import zipfile

        with zipfile.ZipFile(archive) as opened:
            return opened.read("my-data.html").decode()

    html = in_db(page_html)
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.set_content(html)
        assert html_lang_and_dir(page) == (language, DIRECTIONS[language])
        assert page.locator("h2").count() >= 5  # profile, staff record, training, reminders, certificates...
        overflow = page.evaluate(OVERFLOW_JS)
        assert overflow["scrollWidth"] <= 321, overflow  # wide tables scroll inside their own region
        violations = run_axe(page)
        assert not violations, describe_violations(violations)
    finally:
        context.close()
