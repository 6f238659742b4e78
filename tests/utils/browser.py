"""Debian's Chromium, driven by Playwright: the browser of the tests of the bot's pages."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from playwright.async_api import Browser, async_playwright

# Without the background-networking flags Chromium tries Google's hosts at every start, which
# this machine's closed network refuses; --no-sandbox because CI runs as root.
_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str:
    """Debian's chromium (CHROMIUM overrides); .ci/run installs it. Missing, the test fails."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path is None:
        raise RuntimeError("Chromium is not installed: apt-get install chromium (or set CHROMIUM)")
    return path


@asynccontextmanager
async def chromium(*flags: str) -> AsyncIterator[Browser]:
    """A headless Chromium for one test (with `flags` besides ours)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=[*_FLAGS, *flags]
        )
        try:
            yield browser
        finally:
            await browser.close()
