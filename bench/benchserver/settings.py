"""The portal's production settings, with what the benchmark adds: its own URLs (the
portal's and two bare views), the template of the bare view, and a middleware that counts
each response's queries. Everything else is the portal's, read from the environment that
bench/national.py gives gunicorn."""

from pathlib import Path

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "benchserver.urls"
# Outermost, so that the session's and the user's queries are counted too.
MIDDLEWARE = ["benchserver.middleware.count_queries", *MIDDLEWARE]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]
