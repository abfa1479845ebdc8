"""The index and search: schema, building and updating, the query language, the engine.

whoosh.reading takes `cached_property` from the package of that name, which imports asyncio
(about 20 ms of every start) for coroutines whoosh never uses. Unless that package is already
loaded, whoosh gets the standard library's `functools.cached_property` under its name, which
does the same for whoosh's one use (a reader's set of deleted documents); any other name asked
of it loads the real package in its place.
"""

from __future__ import annotations

import functools
import sys
import types


def _real_package(name: str):
    if name.startswith("__"):  # asked by the import system (__path__ ...): not a name of the package
        raise AttributeError(name)
    import importlib

    del sys.modules["cached_property"]
    return getattr(importlib.import_module("cached_property"), name)


if "cached_property" not in sys.modules:
    _shim = types.ModuleType("cached_property", "functools.cached_property for whoosh.reading (search/__init__.py)")
    _shim.cached_property = functools.cached_property
    _shim.__getattr__ = _real_package
    sys.modules["cached_property"] = _shim
