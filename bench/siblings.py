"""The other benchmarks a national one builds on, each loaded from its file once: bench/
is not a package, and `proposals` would name the app."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent


@functools.cache
def sibling(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
