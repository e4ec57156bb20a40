from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxesConfig(AppConfig):
    name = "sandboxes"
    verbose_name = _("Simulators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from progress.activities import activity_kind_register, activity_resolver_register
        from progress.links import activity_link_provider_register

        from .activities import SIMULATOR_KIND, scenario_activity_resolve
        from .selectors import scenario_links, scenario_tried_key

        activity_resolver_register(scenario_activity_resolve)
        activity_kind_register(SIMULATOR_KIND)
        activity_link_provider_register(scenario_links)

        from learn.personal import personal_part_register, personal_user

        # The "tried" mark on the practice list is a personal part of a shared cached page.
        personal_part_register(
            "tried", lambda request, arg: scenario_tried_key(user=personal_user(request), scenario_key=arg)
        )

        # The practice list and simulator pages are cached (anonymous and signed-in): an edited
        # scenario retires them at once, like a published page.
        from django.db.models.signals import post_delete, post_save

        from .models import Scenario

        post_save.connect(_scenario_changed, sender=Scenario, dispatch_uid="sandboxes-scenario-cache")
        post_delete.connect(_scenario_changed, sender=Scenario, dispatch_uid="sandboxes-scenario-cache-delete")


def _scenario_changed(sender, **kwargs):
    from learn.page_cache import page_cache_invalidate

    page_cache_invalidate()
