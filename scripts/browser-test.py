#!/usr/bin/env python3
"""The live dashboard in a real browser: headless Chromium (Debian's package) driven by Playwright
(PyPI, with the system browser; Playwright's own browser download is not used).

Starts `leeway demo` with an admin key and a trader key, opens the dashboard and checks that
  * the page loads and runs with no request leaving the machine (any non-loopback request fails
    the test, and is blocked);
  * margin-called accounts appear in the at-risk list with a grace countdown that decreases;
  * a mark posted through the API produces a new event in the feed within a second;
  * the account view shows positions and the margin report, and the what-if cure answers,
    marked as hypothetical;
  * a trader key sees only its own accounts (the list, the feed, the account view of another
    account is refused);
saves screenshots, and stops the demo with SIGINT (it must exit 0, having flushed its journal).

    python3 scripts/browser-test.py [--binary PATH] [--accounts 2000] [--speed 60] [--out DIR]
"""
import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

ADMIN_KEY = "browser-admin-key-0123456789"
TRADER_KEY = "browser-trader-key-0123456789"
TRADER_ACCOUNT = "t944"  # margin-called early in the sample crash (seed 1), so its feed is not empty
OTHER_ACCOUNT = "t5"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class Demo:
    """A running `leeway demo`, its output read line by line."""

    def __init__(self, binary, accounts, speed, work):
        config = os.path.join(work, "config.json")
        with open(config, "w") as handle:
            json.dump({"keys": [{"key": ADMIN_KEY, "role": "admin"},
                                {"key": TRADER_KEY, "role": "trader", "accounts": [TRADER_ACCOUNT]}]}, handle)
        self.process = subprocess.Popen(
            [binary, "demo", "--port", "0", "--accounts", str(accounts), "--speed", str(speed),
             "--config", config, "--data", os.path.join(work, "data")],
            stdout=subprocess.PIPE, stderr=open(os.path.join(work, "demo.log"), "w"), text=True)
        self.lines = queue.Queue()
        self.output = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, prefix, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(prefix) or prefix in line:
                return line
        raise AssertionError(f"demo never said {prefix!r}; output so far:\n" + "\n".join(self.output))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise AssertionError("demo did not stop within 60 s of SIGINT")
        time.sleep(0.3)
        return self.process.returncode


def api(base, path, key, body=None):
    request = urllib.request.Request(base + path, data=body.encode() if body else None,
                                     headers={"Authorization": "Bearer " + key})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("  ok:", message)


FRAMES = {}  # event seq → when its WebSocket frame reached the browser (time.time())


def watch_frames(socket):
    def received(payload):
        try:
            FRAMES[json.loads(payload)["seq"]] = time.time()
        except (ValueError, KeyError, TypeError):
            pass
    socket.on("framereceived", received)


def guard_network(page, left):
    """Blocks and records every request (and WebSocket) to a host other than loopback."""
    def route(route_request):
        host = urllib.parse.urlsplit(route_request.request.url).hostname or ""
        if route_request.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route_request.continue_()
        else:
            left.append(route_request.request.url)
            route_request.abort()
    page.route("**/*", route)
    page.on("websocket", lambda socket: None if (urllib.parse.urlsplit(socket.url).hostname or "") in LOOPBACK
            else left.append(socket.url))


def enter_key(page, key):
    page.wait_for_selector("#key-dialog[open]", timeout=10_000)
    page.fill("#key-input", key)
    page.click("#key-submit")
    page.wait_for_selector("#key-dialog", state="hidden", timeout=5_000)


def countdown_decreases(page):
    """A margin-called account's countdown, read twice 1.5 s apart, went down."""
    page.wait_for_selector('#at-risk tr[data-phase="margin_call"] .countdown[data-remaining-ms]', timeout=120_000)
    for _ in range(20):
        rows = page.eval_on_selector_all('#at-risk tr[data-phase="margin_call"]',
                                         "rows => rows.map(r => [r.dataset.account, Number(r.querySelector('.countdown').dataset.remainingMs)])")
        candidates = [(account, left) for account, left in rows if left >= 2_500]
        if candidates:
            account, first = candidates[0]
            page.wait_for_timeout(1_500)
            second = page.eval_on_selector_all(f'#at-risk tr[data-account="{account}"][data-phase="margin_call"] .countdown',
                                               "cells => cells.map(c => Number(c.dataset.remainingMs))")
            if second:
                text = page.inner_text(f'#at-risk tr[data-account="{account}"] .countdown')
                check(second[0] < first, f"{account}'s grace countdown went from {first} ms to {second[0]} ms (shows {text!r})")
                return account
        page.wait_for_timeout(500)
    raise AssertionError("no margin-called account stayed in the list long enough to watch its countdown")


def posted_mark_reaches_feed(page, base):
    """A mark posted through the API (admin key) shows one of its events in the feed within 1 s."""
    status, markets = api(base, "/v1/markets", ADMIN_KEY)
    market = markets["markets"][0]
    for factor in (0.97, 0.94, 0.9, 0.85):
        price = f"{float(market['mark']) * factor:.2f}"
        posted = time.time()
        status, result = api(base, "/v1/commands", ADMIN_KEY, json.dumps({"type": "mark", "market": market["market"], "price": price}))
        answered = time.time()
        check(status == 200, f"POST /v1/commands mark {price} answered {status} in {answered - posted:.2f} s")
        events = [event for outcome in result["results"] for event in outcome["events"] if event.get("account")]
        if not events:
            continue
        # The mark's first event (the stream sends them in order), filtered by its account so that
        # the demo's own traffic cannot push it out of the feed's newest rows.
        event = events[0]
        page.fill("#feed-account", event["account"])
        page.wait_for_selector(f'#feed li[data-seq="{event["seq"]}"]', timeout=5_000)
        elapsed = time.time() - answered
        frame = FRAMES.get(event["seq"])
        arrival = f"; its frame reached the browser {frame - answered:+.2f} s after the answer" if frame else ""
        check(elapsed <= 1.0, f"the mark's {event['type']} event #{event['seq']} for {event['account']} was in the feed "
              f"{elapsed:.2f} s after the POST was answered ({time.time() - posted:.2f} s after it was sent{arrival})")
        page.fill("#feed-account", "")
        return
    raise AssertionError("no posted mark produced an account event")


def account_view_and_what_if(page, base):
    """Opens an account that holds a position and is not about to lose it (the least risky of the
    at-risk list, which holds only accounts with positions)."""
    status, overview = api(base, "/v1/dashboard/overview?limit=50", ADMIN_KEY)
    account = overview["at_risk"][-1]["account"]
    page.fill("#open-account", account)
    page.click("#open-form button")
    page.wait_for_selector("#account-panel:not([hidden]) #account-report tr", timeout=5_000)
    check(page.inner_text("#account-id") == account, f"the account view shows {account}")
    check(page.locator("#account-positions tbody tr").count() >= 1, f"{account}'s positions are listed")
    check("maintenance margin" in page.inner_text("#account-report"), "the margin report is shown")
    page.fill("#what-if-deposit", "100000")
    page.click("#what-if-submit")
    page.wait_for_selector("#what-if-result:not([hidden])", timeout=5_000)
    banner = page.inner_text("#what-if-result .banner")
    check("HYPOTHETICAL" in banner, f"the what-if answer is marked hypothetical ({banner!r})")
    check(page.inner_text('#what-if-report tr[data-field="phase"] td.num') in ("healthy", "warning", "margin_call", "deleveraging"),
          "the what-if report names the phase the account would have")


def trader_sees_only_its_accounts(browser, url, left, out):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    guard_network(page, left)
    page.goto(url)
    enter_key(page, TRADER_KEY)
    # Polled from here, not with wait_for_function: its predicate runs through eval in the page,
    # which the dashboard's Content-Security-Policy (script-src 'self') rightly refuses.
    deadline = time.monotonic() + 10
    while not (page.text_content("#scope") or "") and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    check(page.inner_text("#scope") == "your accounts only", "a trader key's page says it shows its own accounts only")
    page.wait_for_timeout(2_500)
    shown = page.eval_on_selector_all("#at-risk tbody tr", "rows => rows.map(r => r.dataset.account)")
    check(set(shown) <= {TRADER_ACCOUNT}, f"the trader's at-risk list holds only {TRADER_ACCOUNT} ({shown})")
    check(page.inner_text("#accounts") == "1", "the trader's counts are over its one account")
    feed = page.eval_on_selector_all("#feed li", "items => items.map(i => JSON.parse(i.title).account)")
    check(feed and all(account == TRADER_ACCOUNT for account in feed), f"the trader's feed has {TRADER_ACCOUNT}'s events and no other's ({len(feed)})")
    page.fill("#open-account", OTHER_ACCOUNT)
    page.click("#open-form button")
    page.wait_for_selector("#account-error:not([hidden])", timeout=5_000)
    check(f"may not read account {OTHER_ACCOUNT}" in page.inner_text("#account-error"), f"the trader cannot open {OTHER_ACCOUNT}")
    status = page.evaluate(f"fetch('/v1/accounts/{OTHER_ACCOUNT}', {{headers: {{Authorization: 'Bearer {TRADER_KEY}'}}}}).then(r => r.status)")
    check(status == 403, f"the API refuses {OTHER_ACCOUNT} to the trader key ({status})")
    page.screenshot(path=os.path.join(out, "dashboard-trader.png"), full_page=True)
    context.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the leeway executable (default: swift build's)")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--speed", type=float, default=60)
    parser.add_argument("--out", default="browser-test-output", help="directory for screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = options.binary or os.path.join(
        subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=root, text=True).strip(), "leeway")
    os.makedirs(options.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="leeway-browser-")
    demo = Demo(binary, options.accounts, options.speed, work)
    left = []
    try:
        url = demo.wait_for("Dashboard: ", 60).split()[1]
        base = url.rstrip("/")
        demo.wait_for("seeded ", 120)
        print("dashboard at", url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=options.chromium, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            guard_network(page, left)
            page.on("websocket", watch_frames)
            page.goto(url)
            enter_key(page, ADMIN_KEY)
            page.wait_for_selector("#connection.on", timeout=10_000)
            check(True, "the page loaded and its event stream is live")
            countdown_decreases(page)
            page.wait_for_timeout(2_000)
            page.screenshot(path=os.path.join(options.out, "dashboard.png"), full_page=False)
            page.screenshot(path=os.path.join(options.out, "dashboard-full.png"), full_page=True)
            posted_mark_reaches_feed(page, base)
            page.wait_for_selector(".market .liq-map rect.bin", timeout=10_000)
            check(page.locator(".market .liq-map rect.bin").count() > 0, "the liquidation map has bars")
            account_view_and_what_if(page, base)
            page.screenshot(path=os.path.join(options.out, "dashboard-account.png"), full_page=True)
            check(not errors, f"no script errors ({errors})")
            trader_sees_only_its_accounts(browser, url, left, options.out)
            browser.close()
        check(not left, f"no request left the machine ({left})")
    finally:
        status = demo.stop()
    check(status == 0, f"the demo stopped cleanly on SIGINT (exit {status})")
    check(any("stopped cleanly" in line for line in demo.output), "the demo said it flushed its journal")
    print(f"browser test passed; screenshots in {options.out}")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print("FAILED:", failure, file=sys.stderr)
        sys.exit(1)
