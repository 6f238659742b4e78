"""Both front ends stay thin: a callback (or a page) parses the update (or the request), calls
a use case in `bot.services` (or `bot.reports`) off the event loop, and renders the answer.

Held here, so that it does not grow back: no code in `bot/handlers/` or `bot/web/` opens a
database session or imports the database, and no callback (a function that takes the update, the context, a pressed
button or a message) is longer than 25 lines, its signature and docstring not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
HANDLERS = BOT / "handlers"
MAX_LINES = 25
TELEGRAM_TYPES = {"Update", "BotContext", "CallbackQuery", "Message"}
DATABASE_MODULES = ("sqlmodel", "sqlalchemy", "bot.storage.db")


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _is_callback(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = function.args
    annotations = [
        a.annotation for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    ]
    return any(isinstance(a, ast.Name) and a.id in TELEGRAM_TYPES for a in annotations)


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines from the first statement after the docstring to the end of the function."""
    body = function.body
    first = body[0]
    if (
        len(body) > 1
        and isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        first = body[1]
    assert function.end_lineno is not None
    return function.end_lineno - first.lineno + 1


def opens_session(tree: ast.AST) -> bool:
    """A call of `….session(…)`: the unit of work belongs to the use cases."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "session"
        for node in ast.walk(tree)
    )


def database_imports(tree: ast.AST) -> list[str]:
    """The database modules imported here."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return [n for n in names if n.startswith(DATABASE_MODULES)]


FILES = sorted(HANDLERS.glob("*.py"))
TREES = {path.name: ast.parse(path.read_text(encoding="utf-8")) for path in FILES}


PAGES = {
    path.name: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(BOT.glob("web/*.py"))
}


@pytest.mark.parametrize("name", sorted(TREES))
def test_no_handler_opens_a_session_or_imports_the_database(name: str) -> None:
    tree = TREES[name]
    assert not opens_session(tree)
    assert database_imports(tree) == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_page_opens_a_session_or_imports_the_database(name: str) -> None:
    tree = PAGES[name]
    assert not opens_session(tree)
    assert database_imports(tree) == []


@pytest.mark.parametrize("name", sorted(TREES))
def test_every_callback_is_short(name: str) -> None:
    long = {
        function.name: body_lines(function)
        for function in _functions(TREES[name])
        if _is_callback(function) and body_lines(function) > MAX_LINES
    }
    assert long == {}


def test_the_checks_see_what_they_must() -> None:
    # Without this the checks above would pass on files they cannot read.
    code = (
        '''
async def handler(update: Update, context: BotContext) -> None:
    """Doc."""
    with context.services.session() as session:
        pass
'''
        + "    x = 1\n" * MAX_LINES
    )
    tree = ast.parse(code)
    [function] = _functions(tree)
    assert _is_callback(function)
    assert body_lines(function) == MAX_LINES + 2
    assert opens_session(tree)
    assert database_imports(ast.parse("from sqlmodel import Session")) == ["sqlmodel"]
    assert len([f for tree in TREES.values() for f in _functions(tree) if _is_callback(f)]) > 60
    assert {"pages.py", "forms.py", "server.py"} <= set(PAGES)
