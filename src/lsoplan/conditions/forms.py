from __future__ import annotations

from typing import Any

from django import forms

from lsoplan.conditions.models import Capability, Risk
from lsoplan.lib import markup
from lsoplan.programmes.models import ProgrammeVersion


class RiskForm(forms.ModelForm):
    likelihood = forms.TypedChoiceField(label="Sannolikhet", coerce=int)
    consequence = forms.TypedChoiceField(label="Konsekvens", coerce=int)

    class Meta:
        model = Risk
        fields = ["title", "event_type", "custom_type", "description", "likelihood", "consequence"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "description": "Formatering: - punkt, 1. numrerad punkt, **fetstil**, [länk](https://…)."
        }

    def clean_description(self) -> str:
        text: str = self.cleaned_data.get("description") or ""
        found = markup.problems(text)
        if found:
            raise forms.ValidationError(found)
        return text

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = [  # type: ignore[attr-defined]
            (i, f"{i} – {label}") for i, label in enumerate(version.likelihood_labels, start=1)
        ]
        self.fields["consequence"].choices = [  # type: ignore[attr-defined]
            (i, f"{i} – {label}") for i, label in enumerate(version.consequence_labels, start=1)
        ]


class VulnerabilityForm(forms.Form):
    description = forms.CharField(label="Sårbarhet", widget=forms.Textarea(attrs={"rows": 2}))


class CapabilityForm(forms.ModelForm):
    class Meta:
        model = Capability
        fields = ["risk", "kind", "readiness", "description", "planned", "resources"]
        labels = {"description": "Nuvarande förmåga", "planned": "Planerad förmåga under programperioden"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = Risk.objects.filter(version=version)  # type: ignore[attr-defined]
        self.fields["risk"].required = False
