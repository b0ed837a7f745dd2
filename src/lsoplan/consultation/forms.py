"""Forms of the consultation: the party's response, the public comment, the planner's decision."""

from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.consultation import selectors
from lsoplan.consultation.models import RESPONSE_TEXT_MAX, Decision, Party, Response
from lsoplan.goals.models import PerformanceGoal, SafetyGoal
from lsoplan.programmes.models import Chapter, ProgrammeVersion


class AboutField(forms.ChoiceField):
    """What a response is about, as one choice ("kapitel-12"); ``target()`` gives the objects."""


def _about_choices(version: ProgrammeVersion) -> list[tuple[str, str]]:
    return [(key, label) for key, label, _ in selectors.targets(version)]


def split_about(version: ProgrammeVersion, key: str) -> dict[str, Any]:
    """{"chapter": …, "safety_goal": …, "performance_goal": …} for a choice key of the version."""
    found = {k: obj for k, _, obj in selectors.targets(version)}
    obj = found.get(key)
    return {
        "chapter": obj if isinstance(obj, Chapter) else None,
        "safety_goal": obj if isinstance(obj, SafetyGoal) else None,
        "performance_goal": obj if isinstance(obj, PerformanceGoal) else None,
    }


class ResponseForm(forms.Form):
    about = AboutField(label="Synpunkten gäller", required=False)
    text = forms.CharField(
        label="Synpunkt", widget=forms.Textarea(attrs={"rows": 8}), max_length=RESPONSE_TEXT_MAX
    )
    attachment = forms.FileField(
        label="Bilaga (frivillig)",
        required=False,
        help_text="En PDF- eller Word-fil (.pdf, .docx).",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        field = self.fields["about"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _about_choices(version)

    def target(self) -> dict[str, Any]:
        return split_about(self.version, self.cleaned_data.get("about") or "")


class PublicResponseForm(ResponseForm):
    author = forms.CharField(
        label="Namn eller organisation (frivilligt)",
        required=False,
        max_length=200,
        help_text="Du behöver inte ange vem du är.",
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by robots; must stay empty.
    website = forms.CharField(required=False, label="Lämna tomt", max_length=200)

    field_order = ["author", "about", "text", "attachment", "website"]


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "contact", "email"]
        labels = {"name": "Namn", "contact": "Kontaktperson", "email": "E-post (frivillig)"}


class PublicForm(forms.Form):
    public = forms.BooleanField(label="Allmän remiss: alla kan lämna synpunkter utan länk", required=False)


class ResponseEditForm(forms.Form):
    about = AboutField(label="Synpunkten gäller", required=False)
    text = forms.CharField(
        label="Synpunkt", widget=forms.Textarea(attrs={"rows": 8}), max_length=RESPONSE_TEXT_MAX
    )

    def __init__(self, *args: Any, instance: Response, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"about": selectors.key_of(instance), "text": instance.text})
        super().__init__(*args, **kwargs)
        self.version = instance.version
        field = self.fields["about"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _about_choices(instance.version)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Ställningstagande", choices=Decision.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label="Motivering", widget=forms.Textarea(attrs={"rows": 5}), max_length=RESPONSE_TEXT_MAX
    )
    changed_chapters = forms.ModelMultipleChoiceField(
        label="Ändrade kapitel i utkastet",
        queryset=Chapter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    changed_safety_goals = forms.ModelMultipleChoiceField(
        label="Ändrade säkerhetsmål",
        queryset=SafetyGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    changed_performance_goals = forms.ModelMultipleChoiceField(
        label="Ändrade prestationsmål",
        queryset=PerformanceGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, instance: Response, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "decision": instance.decision,
                "motivation": instance.motivation,
                "changed_chapters": list(instance.changed_chapters.all()),
                "changed_safety_goals": list(instance.changed_safety_goals.all()),
                "changed_performance_goals": list(instance.changed_performance_goals.all()),
            },
        )
        super().__init__(*args, **kwargs)
        v = instance.version_id
        for name, queryset in (
            ("changed_chapters", Chapter.objects.filter(version_id=v).order_by("order")),
            ("changed_safety_goals", SafetyGoal.objects.filter(version_id=v).order_by("code", "id")),
            (
                "changed_performance_goals",
                PerformanceGoal.objects.filter(version_id=v).order_by("code", "id"),
            ),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
