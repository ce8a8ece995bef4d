"""The benchmark's WSGI application: the portal at the clock bench/national.py sets
(BENCH_NOW, an ISO date and time), ticking from there, in every gunicorn worker."""

import datetime
import os

import time_machine

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchserver.settings")
time_machine.travel(
    datetime.datetime.fromisoformat(os.environ["BENCH_NOW"]), tick=True
).start()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
