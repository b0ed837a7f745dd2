"""Models of the publicdata app."""
