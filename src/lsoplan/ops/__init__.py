"""Running lsoplan in production: serving, login throttling, single sign-on, backup and restore."""
