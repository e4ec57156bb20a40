"""Test data made by each test: people with roles, the page tree, help points, scenarios, groups, programmes.

A test says what it needs, e.g.::

    tree = site_tree("nl", "ar")
    module, (first, second) = module_with_lessons(tree.catalogue["nl"], [text(), question()], [text()])
    learner, pin = learner_with_pin()

Nothing here reads the demo content (lessons/demo); the demo loaders have their own tests.
"""

from .groups import coach_group
from .help_points import HelpPointFactory, help_point_translation
from .pages import (
    LANGUAGES,
    Course,
    HelpPointsPageFactory,
    HomePageFactory,
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    SiteTree,
    fresh,
    image,
    locale,
    module_with_lessons,
    question,
    simulator,
    site_tree,
    text,
    tip,
    translated_module,
    translation,
    translations,
    warning,
)
from .scenarios import scenario
from .training import (
    DepartmentFactory,
    ProgrammeFactory,
    StaffMemberFactory,
    TeamFactory,
    programme_item,
    required_of,
)
from .users import (
    PASSWORD,
    CoachFactory,
    CoordinatorFactory,
    EditorFactory,
    ManagerFactory,
    UserFactory,
    editor_with_admin_language,
    learner_with_pin,
)

__all__ = [
    "PASSWORD",
    "LANGUAGES",
    "Course",
    "CoachFactory",
    "CoordinatorFactory",
    "DepartmentFactory",
    "EditorFactory",
    "HelpPointFactory",
    "HelpPointsPageFactory",
    "HomePageFactory",
    "LessonPageFactory",
    "ManagerFactory",
    "ModuleIndexPageFactory",
    "ModulePageFactory",
    "ProgrammeFactory",
    "SiteTree",
    "StaffMemberFactory",
    "TeamFactory",
    "UserFactory",
    "coach_group",
    "editor_with_admin_language",
    "fresh",
    "help_point_translation",
    "image",
    "learner_with_pin",
    "locale",
    "module_with_lessons",
    "programme_item",
    "question",
    "required_of",
    "scenario",
    "simulator",
    "site_tree",
    "text",
    "tip",
    "translated_module",
    "translation",
    "translations",
    "warning",
]
