"""Bad input to the pages is answered with 4xx, never 500: ids too large for the database, odd
query values, a broken multipart body, a file named to smuggle a header parameter; downloads
name their files as RFC 6266 says (non-ASCII included)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.async_api import expect
from sqlmodel import Session, select

from bot.storage.models import CaseFile
from tests.utils.browser import chromium
from tests.utils.harness import BotHarness
from tests.web.conftest import ZOE, signed_in
from tests.web.test_pages import PDF, _zoes_and_not

HUGE = "9" * 20  # beyond SQLite's and PostgreSQL's 64-bit integers


async def test_oversized_ids_and_odd_values_are_not_found(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        for path in (f"/app/pupils/{HUGE}", f"/app/files/{HUGE}",
                     f"/app/pupils/{mine.id}?older={HUGE}", f"/app/pupils/{mine.id}?older=-5",
                     f"/app/pupils/{mine.id}?older=x", f"/app/pupils?page={HUGE}"):  # fmt: skip
            answer = await page.request.get(site + path)
            assert answer.status < 500, (path, answer.status)
        assert (await page.request.get(f"{site}/app/pupils/{HUGE}")).status == 404
        token = await page.locator("input[name=csrf]").first.get_attribute("value")
        for path in (f"/app/agenda/{HUGE}", f"/app/pupils/{HUGE}/files"):
            answer = await page.request.post(site + path, form={"csrf": token or "", "action": "d"})
            assert answer.status == 404, (path, answer.status)


async def test_a_broken_multipart_body_is_a_bad_request(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(f"{site}/app/pupils/{mine.id}")
        token = await page.locator("input[name=csrf]").first.get_attribute("value")
        body = (
            f'--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
            '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4 cut off"
        ).encode()
        for content_type in ("multipart/form-data; boundary=xyz", "multipart/form-data"):
            answer = await page.request.post(
                f"{site}/app/pupils/{mine.id}/files", data=body,
                headers={"Content-Type": content_type},
            )  # fmt: skip
            assert 400 <= answer.status < 500, (content_type, answer.status)
    session.expire_all()
    assert session.exec(select(CaseFile)).all() == []


# aiohttp warns that it cannot read the odd name: the refusal is what is tested.
@pytest.mark.filterwarnings("ignore::aiohttp.BadContentDispositionHeader")
async def test_odd_file_names_are_refused_politely_or_downloaded_by_rfc_6266(
    bot: BotHarness, site: str, session: Session
) -> None:
    mine, _other = _zoes_and_not(session)
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        await page.goto(f"{site}/app/pupils/{mine.id}")
        # A name the form parser cannot read (Chromium's picker sends it as it is): a clear
        # refusal, nothing filed, never a 500.
        await page.set_input_files("input[name=file]", files=[
            {"name": "a;b=c; filename=evil.html", "mimeType": "application/pdf", "buffer": PDF}
        ])  # fmt: skip
        async with page.expect_response(lambda r: r.url.endswith("/files")) as posting:
            await page.get_by_role("button", name="Bewaren").click()
        assert (await posting.value).status == 400
        await expect(page.locator(".message")).to_contain_text("Geef het bestand een andere naam")
        # Any other name, Dutch letters included, is filed and comes back with its name.
        await page.goto(f"{site}/app/pupils/{mine.id}")
        name = "verslag één.pdf"
        await page.set_input_files("input[name=file]", files=[
            {"name": name, "mimeType": "application/pdf", "buffer": PDF}])  # fmt: skip
        await page.get_by_role("button", name="Bewaren").click()
        await expect(page.locator(".notice")).to_have_text(
            "Het bestand is bij het dossier bewaard."
        )
        session.expire_all()
        [stored] = session.exec(select(CaseFile)).all()
        assert stored.file_name == name
        answer = await page.request.get(f"{site}/app/files/{stored.id}")
        assert answer.status == 200
        disposition = answer.headers["content-disposition"]
        assert disposition == (
            f"attachment; filename=\"verslag n.pdf\"; filename*=UTF-8''{quote(name, safe='')}"
        )
        async with page.expect_download() as downloading:
            await page.get_by_role("link", name=name).click()
        assert (await downloading.value).suggested_filename == name


async def test_redirects_and_failures_carry_the_security_headers(
    bot: BotHarness, site: str, session: Session
) -> None:
    async with chromium() as browser:
        page = await signed_in(browser, bot, ZOE, site)
        token = await page.locator("input[name=csrf]").first.get_attribute("value")
        search = await page.request.post(
            f"{site}/app/pupils", form={"csrf": token or "", "q": "x"}, max_redirects=0
        )
        assert search.status == 303
        assert search.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors" in search.headers["content-security-policy"]


async def test_a_form_that_never_arrives_is_dropped(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The body is announced and never sent: the server gives up after FORM_SECONDS (shortened
    # here) with 408 instead of holding the connection — whatever the machine's speed.
    import asyncio

    from bot.web import server

    monkeypatch.setattr(server, "FORM_SECONDS", 0.5)
    host, port = site.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST /app/pupils HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nq=".encode()
    )
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), timeout=30)
    writer.close()
    assert status.startswith(b"HTTP/1.1 408")
