"""The corpus: one module per federation behaviour, each defining ``CASE``."""

from __future__ import annotations

import importlib
import pkgutil

from tests.federation.support.case import Case


def all_cases() -> list[Case]:
    """Every case in this package, in module-name order; names must be unique."""
    cases: list[Case] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        case = getattr(loaded, "CASE", None)
        if not isinstance(case, Case):
            raise TypeError(f"{loaded.__name__} defines no CASE")
        cases.append(case)
    names = [case.name for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"case names used twice: {sorted(duplicates)}")
    return cases


def case_named(name: str) -> Case:
    for case in all_cases():
        if case.name == name:
            return case
    raise KeyError(name)
