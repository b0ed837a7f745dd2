"""Jobs of the public app: deleting citizens' views past their organisation's retention period."""

from __future__ import annotations

from django_tasks import task

from lsoplan.public.services import delete_expired_citizen_views


@task()
def purge_expired_citizen_views() -> int:
    """What ``lsoplan citizen-views purge --queue`` enqueues; each deletion is audited."""
    return delete_expired_citizen_views()
