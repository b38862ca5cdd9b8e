from __future__ import annotations

import importlib
import pkgutil

import pytest

import corpus_search


def modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(corpus_search.__path__, "corpus_search.")]


@pytest.mark.parametrize("name", modules())
def test_every_public_name_is_exported_and_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr}"
