"""PostgreSQL: leave half of each page of the incident table free, so that a re-import's updates
stay on their page (HOT updates: no new index entries, the old version pruned in place). A
re-import of a million rows took 3.8 times as long as the first import with full pages; with room
on the page the update itself is 2–3 times faster (docs/incidents-benchmark.md). The table takes
twice the disk space. SQLite has no such setting; nothing to do there."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _fillfactor(value: int) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE incidents_incident SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_statistics_copy_keeps_latest_alarm")]

    operations = [migrations.RunPython(_fillfactor(50), _fillfactor(100))]
