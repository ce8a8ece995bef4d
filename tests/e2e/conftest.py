"""Browser journeys: Playwright drives Debian's chromium against the live test server."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Every page is read on a phone: no page may be wider than these screens.
PHONE_WIDTHS = (390, 320)
# The Nu Html Checker, from the npm package `vnu-jar` (installed by `npm ci`).
VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium") or not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


# What the browser refused under the Content-Security-Policy, per page: an inline script
# or style, a resource from elsewhere. Every page of every journey is held to none.
CSP_VIOLATIONS: dict = {}


def _watch_the_policy(page) -> None:
    refused = CSP_VIOLATIONS.setdefault(page, [])
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def assert_the_policy_held(page) -> None:
    refused = CSP_VIOLATIONS.get(page, [])
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def new_page(browser, live_server):
    contexts = []
    pages = []

    def open_page(user=None, javascript=True):
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session,
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        page = context.new_page()
        _watch_the_policy(page)
        pages.append(page)
        return page

    yield open_page
    refused = [text for page in pages for text in CSP_VIOLATIONS.pop(page, [])]
    for context in contexts:
        context.close()
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture(scope="session")
def axe():
    return Axe()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def html_checker():
    """The Nu Html Checker as a local web service, one per test worker.

    Started once (a JVM takes seconds), it answers each page in milliseconds. It
    listens on 127.0.0.1 only; nothing leaves the machine.
    """
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is missing: the Nu Html Checker needs it (apt-get install -y default-jre-headless)"
        )
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci`")
    port = _free_port()
    process = subprocess.Popen(
        [java, "-Xss16m", "-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/?out=json"

    def errors(html: str) -> list[str]:
        request = urllib.request.Request(
            url,
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        # Our own checker on 127.0.0.1 over http: no other scheme reaches here.
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [
            f"line {message.get('lastLine', '?')}: {message['message']} "
            f"[{message.get('extract', '').strip()}]"
            for message in messages
            if message["type"] in ("error", "non-document-error")
        ]

    deadline = time.monotonic() + 60
    while True:
        try:
            errors("<!DOCTYPE html><html lang=en><title>up</title></html>")
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("The Nu Html Checker did not start")
            time.sleep(0.25)
    yield errors
    process.terminate()
    process.wait(timeout=10)


# The elements sticking out past the right edge, for the failure message.
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const node of document.querySelectorAll("body *")) {
    if (node.getBoundingClientRect().right <= width + 0.5) continue;
    if (found.some((outer) => outer.contains(node))) continue;
    let clipped = false;
    for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
    }
    if (clipped) continue;
    found.push(node);
  }
  return found.slice(0, 8).map((node) => node.tagName.toLowerCase()
    + (node.id ? "#" + node.id : "")
    + (typeof node.className === "string" && node.className.trim()
       ? "." + node.className.trim().split(/\\s+/).join(".") : "")
    + " (" + Math.round(node.getBoundingClientRect().right) + "px)");
}"""


def assert_fits_phones(page) -> None:
    """No horizontal scrolling of the page at a phone's width (a table may scroll
    inside its own container, never the page)."""
    size = page.viewport_size
    try:
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                culprits = page.evaluate(_OVERFLOWING)
                pytest.fail(
                    f"{page.url} is {wide}px wide at {width}px: {', '.join(culprits)}"
                )
    finally:
        page.set_viewport_size(size)


@pytest.fixture
def assert_accessible(axe, html_checker):
    """The page passes axe at WCAG 2.1 AA, the Nu Html Checker, and fits a phone."""

    def check(page):
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": WCAG_21_AA}},
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        invalid = html_checker(page.content())
        assert not invalid, f"{page.url} is not valid HTML:\n" + "\n".join(invalid)
        assert_fits_phones(page)
        assert_the_policy_held(page)

    return check
