"""The layering holds: each part of `bot` imports only the parts below it, and no module
imports itself back through others (a cycle).

Imports inside functions count too: a deferred import hides a cycle, it does not remove it.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bot"

# From the bottom up. A part may import itself and any part of a lower layer, nothing else.
LAYERS: list[set[str]] = [
    {"protocol", "clock", "i18n", "logs", "metrics"},  # pure rules and tools: nothing below
    {"storage"},  # tables, encryption, the engine and its migrations
    {"config", "texts"},  # settings; texts shared by the chat and the nudges
    {"services"},  # the use cases
    {"reports"},
    {"reminders"},  # planning and delivery: never the handlers
    {"views"},  # the presentation core: what both front ends show
    # The two front ends, side by side: the chat (Telegram) and the pages (Mini App and
    # browser). Neither imports the other: what both need lives in views or below.
    {"handlers", "web"},
    {"persistence"},  # PTB's persistence in the bot's database
    {"app", "rule_table", "alembic_env"},  # the application; the rule table
    {"local"},  # the local trial: the application on the built-in Bot API, the chat page
    {"cli"},  # the command line's command groups
    {"__main__"},  # the command line
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def _module(path: Path) -> str:
    return ".".join(("bot", *path.relative_to(ROOT).with_suffix("").parts)).removesuffix(
        ".__init__"
    )


def _part(module: str) -> str:
    if module == "bot.storage.migrations.env":
        return "alembic_env"  # run by Alembic's command line, never imported by the bot
    return module.split(".")[1]


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The modules of ours that this file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from bot.handlers import admin` imports the module bot.handlers.admin.
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {name for name in names if name in modules}
    return found


def _packages(module: str) -> set[str]:
    """The packages Python imports before this module: `bot.handlers` for bot.handlers.cancel."""
    parts = module.split(".")
    return {".".join(parts[:n]) for n in range(1, len(parts))}


def _graph() -> dict[str, set[str]]:
    paths = {_module(path): path for path in ROOT.rglob("*.py")}
    modules = set(paths)
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        imported = _imports(path, modules)
        # Importing bot.handlers.cancel runs bot/handlers/__init__.py first (and all it imports),
        # unless this module is itself inside bot.handlers: then that has already run.
        implied = {p for m in imported for p in _packages(m)} - _packages(module) - {module}
        graph[module] = (imported | implied) & modules - {module}
    return graph


GRAPH = _graph()


def test_every_part_of_the_bot_has_a_layer() -> None:
    assert {_part(module) for module in GRAPH if module != "bot"} <= set(RANK)


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m != "bot"))
def test_a_module_imports_only_its_own_part_and_the_layers_below(module: str) -> None:
    part = _part(module)
    upward = sorted(
        imported
        for imported in GRAPH[module]
        if imported != "bot" and _part(imported) != part and RANK[_part(imported)] >= RANK[part]
    )
    assert upward == []


def test_no_module_imports_itself_back() -> None:
    # A package imports its own modules (`bot.handlers` registers its features); a module of
    # the package importing the package back is the cycle this would hide, so it is counted.
    try:
        graphlib.TopologicalSorter(GRAPH).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' → '.join(error.args[1])}")


def test_the_front_ends_are_on_one_rank_and_see_each_other_as_a_sideways_import() -> None:
    assert RANK["handlers"] == RANK["web"]
    # The rule above forbids another part of the same rank; an import from web into the
    # handlers would be reported (this checks the rule, on a made-up edge).
    module, imported = "bot.web.pages", "bot.handlers.dossier"
    assert _part(imported) != _part(module)
    assert RANK[_part(imported)] >= RANK[_part(module)]


def test_the_layer_test_sees_an_upward_import_and_a_cycle() -> None:
    # The checks above would pass on an empty graph; here they see what they must.
    assert "bot.storage.db" in GRAPH["bot.config"]
    assert "bot.views.texts" in GRAPH["bot.handlers.start"]
    assert "bot.storage" in GRAPH["bot.config"]  # the package runs before its module
    cyclic = {"a": {"b"}, "b": {"a"}}
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter(cyclic).prepare()
