"""The practitioner console in headless Chromium against the real stack: a level-4 disclosure and a level-1
request for a person arrive, the practitioner signs in, sees the level-4 one first with its descriptors,
takes it and replies; the parent's page shows the reply; hand back and the bot answers again. Parents'
HTML renders as text. By SMS, a reply reaches the fake Twilio API and an opted-out number gets nothing."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, STAFF_PASSWORD, Chat, make_user
from tests.e2e.test_sms import Phone

LEVEL4 = "my 5 year old has bruises on his arms and says his dad punched him"
HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> can I talk to a real person'


@pytest.fixture(scope="module")
def staff(stack):
    make_user(stack, "console-sam", "practitioner")
    make_user(stack, "console-admin", "admin")
    make_user(stack, "console-comms", "comms")


def new_page(browser, errors: list[str], **context):
    page = browser.new_context(**context).new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def parent_says(page, text: str) -> None:
    page.fill("#chat-input", text)
    page.click("#chat-send")


def conversation_id(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('fh-chat')).conversation_id")


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/console")
    page.fill("#signin-username", username)
    page.fill("#signin-password", STAFF_PASSWORD)
    page.click("#signin-submit")


def queue_row(page, cid: str):
    return page.locator(f'.queue tr[data-id="{cid}"]')


def test_level_4_first_take_reply_hand_back(browser, base_url, staff, http):
    SCREENSHOTS.mkdir(exist_ok=True)
    errors: list[str] = []
    phone = {"viewport": {"width": 390, "height": 844}}

    urgent_parent = new_page(browser, errors, **phone)
    urgent_parent.goto(f"{base_url}/")
    expect(urgent_parent.locator("#chat-log .msg--bot").first).to_contain_text("not a person")
    parent_says(urgent_parent, LEVEL4)
    expect(urgent_parent.locator("#chat-log .msg--bot").last).to_contain_text("999")
    urgent_id = conversation_id(urgent_parent)

    asking_parent = new_page(browser, errors, **phone)
    asking_parent.goto(f"{base_url}/")
    expect(asking_parent.locator("#chat-log .msg--bot").first).to_contain_text("not a person")
    parent_says(asking_parent, "I want to talk to a real person")
    expect(asking_parent.locator("#chat-log .msg--bot").last).to_contain_text("passed your messages", timeout=30_000)
    person_id = conversation_id(asking_parent)

    console = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    sign_in(console, base_url, "console-sam")
    expect(console.locator("#staff-bar")).to_contain_text("console-sam")
    expect(queue_row(console, urgent_id)).to_be_visible()
    expect(queue_row(console, person_id)).to_be_visible()
    ids = console.locator(".queue tbody tr").evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert ids.index(urgent_id) < ids.index(person_id)
    # Only danger or level 4 may stand above a level-4 conversation.
    above = console.locator(".queue tbody tr").evaluate_all(
        f"rows => rows.slice(0, {ids.index(urgent_id)}).map(r => r.cells[0].textContent)")
    assert all("Danger" in tags or "Level 4" in tags for tags in above)
    expect(queue_row(console, urgent_id)).to_contain_text("Level 4")
    expect(console.locator("#count-queued strong")).not_to_have_text("0")
    console.screenshot(path=SCREENSHOTS / "10-console-queue.png", full_page=True)

    queue_row(console, urgent_id).locator(".queue__open").click()
    expect(console.locator("#concerns")).to_contain_text("Suspected non-accidental injury")
    expect(console.locator("#concerns")).to_contain_text("Level 4")
    expect(console.locator("#transcript")).to_contain_text(LEVEL4)
    expect(console.locator("#conversation")).not_to_contain_text("null")  # optional parts left out, not printed
    console.click("#take")
    expect(console.locator("#conversation-status")).to_contain_text("Taken by console-sam")
    console.fill("#reply-text", "Hello, I'm Sam from the Family Hubs team. Is your son safe right now?")
    console.click("#reply-send")
    expect(console.locator("#transcript li").last).to_contain_text("Is your son safe right now?")
    console.screenshot(path=SCREENSHOTS / "11-console-conversation.png", full_page=True)

    # The parent's page shows the reply (it polls) and says a person is replying.
    expect(urgent_parent.locator("#chat-log .msg--practitioner").last).to_contain_text("Is your son safe right now?", timeout=15_000)
    expect(urgent_parent.locator("#chat-status")).to_contain_text("A person from the Family Hubs team is replying")
    urgent_parent.screenshot(path=SCREENSHOTS / "12-parent-sees-reply.png", full_page=True)

    # While the practitioner has it, the bot is silent.
    bot_before = urgent_parent.locator("#chat-log .msg--bot").count()
    parent_says(urgent_parent, "yes he is asleep now")
    expect(console.locator("#transcript")).to_contain_text("yes he is asleep now", timeout=15_000)
    assert urgent_parent.locator("#chat-log .msg--bot").count() == bot_before

    console.click("#hand-back")
    expect(console.locator("#conversation-status")).to_contain_text("The assistant is answering")
    expect(urgent_parent.locator("#chat-log .msg--bot").last).to_contain_text("automated assistant again", timeout=15_000)
    expect(urgent_parent.locator("#chat-status")).to_have_text("")
    answered = urgent_parent.locator("#chat-log .msg--bot").count()
    parent_says(urgent_parent, "what is a family hub")
    expect(urgent_parent.locator("#chat-log .msg--bot")).to_have_count(answered + 1, timeout=30_000)
    expect(urgent_parent.locator("#chat-log .msg--bot").last).to_contain_text("hub")
    urgent_parent.screenshot(path=SCREENSHOTS / "13-bot-answers-after-hand-back.png", full_page=True)
    assert errors == []


def test_a_parents_html_is_shown_as_text_and_runs_nothing(browser, base_url, staff, http):
    chat = Chat(http)
    chat.say(HOSTILE)
    errors: list[str] = []
    console = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    console.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(console, base_url, "console-sam")
    queue_row(console, chat.id).locator(".queue__open").click()
    expect(console.locator("#transcript")).to_contain_text("<script>window.__xss = 1</script>")
    expect(console.locator("#transcript")).to_contain_text('<img src=x onerror="window.__xss = 2">')
    assert console.locator("#transcript img, #transcript script").count() == 0
    assert console.evaluate("window.__xss") is None
    console.screenshot(path=SCREENSHOTS / "14-console-hostile-text.png", full_page=True)
    assert errors == [] and dialogs == []


def test_a_comms_user_cannot_open_conversations_and_every_view_is_audited(browser, base_url, staff, http):
    chat = Chat(http)
    chat.say("I want to speak to a person please")
    comms = http.post("/api/auth/token", data={"username": "console-comms", "password": STAFF_PASSWORD}).json()["access_token"]
    assert http.get("/api/conversations", headers={"Authorization": f"Bearer {comms}"}).status_code == 403
    assert http.get(f"/api/conversations/{chat.id}", headers={"Authorization": f"Bearer {comms}"}).status_code == 403

    errors: list[str] = []
    page = new_page(browser, errors)
    sign_in(page, base_url, "console-comms")
    expect(page.locator("#app")).to_contain_text("cannot use this page")

    practitioner = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    sign_in(practitioner, base_url, "console-sam")
    queue_row(practitioner, chat.id).locator(".queue__open").click()
    expect(practitioner.locator("#transcript")).to_contain_text("speak to a person")

    admin = http.post("/api/auth/token", data={"username": "console-admin", "password": STAFF_PASSWORD}).json()["access_token"]
    entries = http.get("/api/audit", params={"conversation_id": chat.id}, headers={"Authorization": f"Bearer {admin}"}).json()["entries"]
    assert ("console-sam", "view_conversation") in [(e["actor"], e["action"]) for e in entries]
    assert errors == []


def test_by_sms_a_reply_reaches_the_phone_and_an_opted_out_number_gets_nothing(browser, stack, base_url, http, staff):
    token = http.post("/api/auth/token", data={"username": "console-sam", "password": STAFF_PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    texting, stopped = Phone(stack, http), Phone(stack, http)
    errors: list[str] = []
    console = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    try:
        texting.text("can I talk to a real person")
        # Honest waiting by SMS too (the clock is frozen on a Monday afternoon, when the team is working).
        assert "until 5pm" in texting.wait_for(1)[0]
        [conversation] = http.get("/api/conversations", params={"phone": texting.number}, headers=headers).json()["conversations"]
        sign_in(console, base_url, "console-sam")
        console.select_option("#filter-channel", "sms")
        queue_row(console, conversation["conversation_id"]).locator(".queue__open").click()
        expect(console.locator("#reply-form")).to_contain_text("by text message")
        console.fill("#reply-text", "Hi, this is Sam at Harmony. How can I help?")
        console.click("#reply-send")
        expect(console.locator("#transcript li").last).to_contain_text("How can I help?", timeout=15_000)
        assert "Hi, this is Sam at Harmony. How can I help?" in texting.wait_for(3)
        expect(console.locator("#transcript li").last).to_contain_text("texted", timeout=15_000)
        console.screenshot(path=SCREENSHOTS / "15-console-sms-reply.png", full_page=True)

        stopped.text("I need to talk to someone")
        stopped.wait_for(1)
        stopped.text("STOP")
        received = len(stopped.wait_for(2))
        [conversation] = http.get("/api/conversations", params={"phone": stopped.number}, headers=headers).json()["conversations"]
        queue_row(console, conversation["conversation_id"]).locator(".queue__open").click()
        expect(console.locator("#sms-warning")).to_contain_text("texted STOP")
        console.fill("#reply-text", "Are you OK?")
        console.click("#reply-send")
        expect(console.locator("#transcript li").last).to_contain_text("not sent: the parent texted STOP", timeout=15_000)
        time.sleep(2)  # the SMS worker polls every 0.5 s: long enough for a text that should not go
        assert len(stopped.received()) == received
        assert errors == []
    finally:
        texting.close()
        stopped.close()
