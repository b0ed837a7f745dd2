"""Editable kinds of the programme document: chapter texts (the chapters themselves are the
prescribed MSBFS 2021:1 structure, so they are edited but not deleted)."""

from __future__ import annotations

from django.urls import reverse

from lsoplan.programmes import services
from lsoplan.programmes.forms import FORMATTING_HELP, ChapterForm
from lsoplan.programmes.models import Chapter
from lsoplan.web.editing import Kind

KINDS = [
    Kind(
        slug="chapter",
        noun="kapiteltext",
        label="kapitlet",
        neuter=True,
        stage="dokument",
        queryset=lambda: Chapter.objects.select_related("version__programme"),
        form=ChapterForm,
        form_kwargs=lambda o: {"initial": {"text": o.text}},
        update=services.update_chapter,
        delete=None,
        back=lambda o: reverse("version_chapters", kwargs={"pk": o.version_id}),
        edit_route="kapitel/<int:pk>/andra/",
        template="programmes/chapter_form.html",  # formatting help and a preview
        extra={"formatting_help": FORMATTING_HELP},
    ),
]
