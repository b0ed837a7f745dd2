"""Forms of the people page; the services decide (name taken, password too weak, last admin)."""

from __future__ import annotations

from django import forms

from lsoplan.accounts.models import Role


class PersonForm(forms.Form):
    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        help_text="Små bokstäver, siffror och . @ + - _. Sparas med små bokstäver.",
    )
    first_name = forms.CharField(label="Förnamn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)
    email = forms.EmailField(label="E-post", required=False)
    role = forms.ChoiceField(label="Roll", choices=Role.choices, initial=Role.LASARE)
    password = forms.CharField(
        label="Första lösenord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Minst 10 tecken, inte likt användarnamnet. Lämna över det personligen eller per "
        "telefon, inte i samma e-post som användarnamnet.",
    )
    password_again = forms.CharField(
        label="Lösenordet en gång till",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "Lösenorden är inte likadana.")
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Roll", choices=Role.choices)
