"""Pure Python domain logic: no Django imports allowed here (checked in CI)."""
