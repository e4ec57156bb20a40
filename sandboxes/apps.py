from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxesConfig(AppConfig):
    name = "sandboxes"
    verbose_name = _("Simulators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from progress.activities import activity_resolver_register
        from progress.attempts import attempt_judge_register
        from progress.links import activity_link_provider_register

        from .activities import scenario_activity_resolve, scenario_attempt_judge
        from .selectors import scenario_links

        activity_resolver_register(scenario_activity_resolve)
        activity_link_provider_register(scenario_links)
        attempt_judge_register("simulator", scenario_attempt_judge)
