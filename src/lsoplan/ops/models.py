"""Failed login attempts, kept in the database so that every worker and server sees the same count."""

from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    """One failed login: the name tried and the client address. Old rows are pruned on each write."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address", "at"]), models.Index(fields=["username", "address"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} från {self.address}"
