"""Pages without login (remiss links, the public remiss) are throttled per client address.

A fixed window per address and kind ("view", "post") in Django's cache: cheap, and enough to stop
a script guessing links or flooding the planner with responses. With the default local-memory
cache each server process counts on its own; a shared cache (Redis, database) makes it global.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from lsoplan.ops.throttle import client_address

TOO_MANY = "För många förfrågningar från din adress. Vänta några minuter och försök igen."


def allow(request: HttpRequest, kind: str) -> bool:
    """Count this request; False when the address has used up the window's allowance."""
    limit = (
        settings.LSOPLAN_REMISS_POSTS_PER_WINDOW
        if kind == "post"
        else settings.LSOPLAN_REMISS_VIEWS_PER_WINDOW
    )
    key = f"lsoplan:remiss:{kind}:{client_address(request)}"
    window = settings.LSOPLAN_REMISS_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
