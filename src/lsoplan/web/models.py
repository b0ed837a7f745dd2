"""The web app holds no models; this module exists so that post_migrate reaches its AppConfig."""
