from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: AppConfig, **kwargs: Any) -> None:
    from lsoplan.reference_sync import sync_reference_data

    sync_reference_data(using=kwargs.get("using", "default"))
    # The table of a database cache (LSOPLAN_CACHE_URL=db:…); nothing for the other caches.
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
    if kwargs.get("using", "default") == "default":
        from lsoplan.programmes.services import complete_draft_chapters

        # Drafts stored under an older chapter skeleton get its new chapters (audited).
        complete_draft_chapters()


class WebConfig(AppConfig):
    name = "lsoplan.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The web app is installed last, so by its post_migrate every reference table exists.
        post_migrate.connect(_sync, sender=self, dispatch_uid="lsoplan-reference-sync")
