"""Settings as a new process reads them: they are read once per process, so a test of how
the environment sets them asks a fresh one."""

import json
import os
import subprocess
import sys

from django.conf import settings


def fresh_setting(expression: str, **environ: str):
    """The value of `expression` (over `settings`, JSON-serialisable) in a new process
    whose environment is this one's with `environ`."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", **environ}
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout
    return json.loads(output)
