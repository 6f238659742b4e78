"""The package ships everything it needs (subpackages, catalogs, migrations)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_setuptools() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "bot").rglob("__init__.py")
    }
    assert on_disk <= listed, (
        f"add to pyproject.toml [tool.setuptools] packages: {on_disk - listed}"
    )
    assert config["package-dir"]["bot._locales"] == "locales"


def test_every_catalog_folder_is_listed_so_that_setuptools_does_not_warn() -> None:
    # A folder with package data that is not a listed package makes every install print a
    # screenful of "is absent from the `packages` configuration".
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {
        ".".join(("bot._locales", *path.parent.relative_to(ROOT / "locales").parts))
        for path in (ROOT / "locales").rglob("*.po")
    }
    assert folders
    assert folders <= set(config["packages"])
    assert all(config["package-data"][folder] == ["*.po"] for folder in folders)


def test_no_compiled_catalogs_are_committed() -> None:
    assert list((ROOT / "locales").rglob("*.mo")) == []
