"""A parent in headless Chromium: greeting, nearest hub, and the quick exit. Screenshots are saved."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    # No internet here: the neutral site is answered locally, so the test sees the page leave.
    page.route(f"{NEUTRAL_SITE}**", lambda route: route.fulfill(status=200, content_type="text/html", body="<title>BBC Weather</title><h1>Weather</h1>"))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def send(page, text: str) -> None:
    page.fill("#chat-input", text)
    page.click("#chat-send")


def test_a_parent_chats_finds_their_hub_and_leaves_quickly(page, base_url):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(f"{base_url}/")
    bot = page.locator("#chat-log .msg--bot")
    expect(bot.first).to_contain_text("not a person")

    send(page, "hello")
    expect(bot).to_have_count(2)
    expect(bot.nth(1)).to_contain_text("not a person")
    page.screenshot(path=SCREENSHOTS / "01-greeting.png", full_page=True)

    send(page, "which hub is nearest to Foleshill")
    expect(bot).to_have_count(3)
    expect(bot.nth(2)).to_contain_text("Families for All")
    page.screenshot(path=SCREENSHOTS / "02-nearest-hub.png", full_page=True)

    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{NEUTRAL_SITE}**")
    expect(page.locator("h1")).to_have_text("Weather")
    page.screenshot(path=SCREENSHOTS / "03-after-quick-exit.png")
    page.go_back()  # the exit replaced the chat in history, so Back must not return to it
    assert not page.url.startswith(base_url)


def test_buttons_are_real_buttons_and_the_exit_button_works(page, base_url):
    page.goto(f"{base_url}/")
    find = page.get_by_role("button", name="Find my nearest hub")
    expect(find).to_be_visible()
    find.click()
    expect(page.locator("#chat-log .msg--bot").last).to_contain_text("postcode")
    page.get_by_role("button", name="Exit this page").click()
    page.wait_for_url(f"{NEUTRAL_SITE}**")
