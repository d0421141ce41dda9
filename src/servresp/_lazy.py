"""Lazy exports: a package names its public API up front and imports a module on first use.

Used where importing eagerly would start durable_rules (the engine) for commands that never
evaluate anything (`check`, `show`, `docs`). `dir()` and `help()` still list every name.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["callable_stage", "lazy_exports"]


def lazy_exports(package: str, where: Mapping[str, str],
                 public: Iterable[str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for ``package``: name → where it is defined.

    ``where`` maps a name to its module (the attribute of the same name), to
    ``"module:attribute"`` (another name there), or to ``"module:"`` (the module itself).
    """
    names = sorted(set(public) | set(where))

    def __getattr__(name: str) -> Any:  # noqa: ANN401, N807 - a module's own hook
        spec = where.get(name)
        if spec is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, colon, attribute = spec.partition(":")
        module = importlib.import_module(module_name)
        value = getattr(module, attribute if colon else name) if attribute or not colon else module
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:  # noqa: N807 - a module's own hook
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__


class _CallableStage(types.ModuleType):
    """A stage's package that, called, runs the stage's main function."""

    __main_function__: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - the function's own types
        """Call the main function named by ``__main_function__`` (``module:function``)."""
        module, _, function = self.__main_function__.partition(":")
        return getattr(importlib.import_module(module), function)(*args, **kwargs)


def callable_stage(package: str, main_function: str) -> None:
    """Make ``package`` callable as ``main_function`` (``"module:function"``, imported on call).

    ``servresp.trace`` is then both the trace stage and, called, `servresp.trace.tracer.trace`:
    importing the package, which Python binds to ``servresp.trace``, never hides the function.
    """
    module = sys.modules[package]
    module.__class__ = _CallableStage
    module.__main_function__ = main_function  # type: ignore[attr-defined]
