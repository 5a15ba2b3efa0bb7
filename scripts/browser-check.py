#!/usr/bin/env python3
"""Walks Tandem's main journeys in a real browser (Debian's chromium, headless, through
selenium) on a served demo, crawls every page reachable from the dashboard, and saves a
screenshot of each kind of page at desktop and phone widths.

Usage: browser-check.py BASE ADMIN_EMAIL ADMIN_PASSWORD GUEST_EMAIL GUEST_PASSWORD SHOTS_DIR
Checks every expectation, prints each that fails, and exits non-zero when any did."""
import concurrent.futures
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

BASE, ADMIN, ADMIN_PW, GUEST, GUEST_PW, SHOTS = sys.argv[1:7]
os.makedirs(SHOTS, exist_ok=True)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)
    return condition


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def sign_in(driver, email, password):
    driver.get(BASE + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    # The first page after signing in may compute the assessment: wait until it is there.
    deadline = time.time() + 60
    while time.time() < deadline:
        if not driver.current_url.startswith(BASE + "/login") and driver.find_elements(By.TAG_NAME, "h1"):
            return
        time.sleep(0.2)


def wait_for(driver, text, seconds=60):
    """Waits until the page holds `text`: an import's answer streams, so it may still be arriving."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if text in driver.page_source:
            return True
        time.sleep(0.2)
    return False


def h1(driver):
    """The page's heading, once the page has one (a page may still be arriving)."""
    deadline = time.time() + 30
    while not driver.find_elements(By.TAG_NAME, "h1") and time.time() < deadline:
        time.sleep(0.2)
    found = driver.find_elements(By.TAG_NAME, "h1")
    return found[0].text if found else ""


def shoot(driver, name, path):
    """Opens `path` at desktop and phone widths, saves both screenshots, checks the console."""
    for width, label in [(1280, "desktop"), (390, "phone")]:
        driver.set_window_size(width, 900)
        driver.get(BASE + path)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 6000))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{label}.png"))
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(label == "desktop" or overflow <= 1, f"{name}: the page is {overflow}px wider than a phone screen")
        errors = console_errors(driver)
        check(not errors, f"{name} ({label}): console errors {errors}")
    driver.set_window_size(1280, 900)


def dealings(driver):
    match = re.search(r"Their dealings \((\d+)\)", driver.page_source)
    return int(match.group(1)) if match else -1


started = time.time()
driver = browser()
try:
    # 1. The dashboard, after signing in.
    sign_in(driver, ADMIN, ADMIN_PW)
    check(h1(driver) == "Dashboard", f"after signing in: {h1(driver)!r}")
    check(driver.find_elements(By.CSS_SELECTOR, "svg.heatmap rect"), "the dashboard shows no coverage heat map")
    errors = console_errors(driver)
    check(not errors, f"dashboard console: {errors}")
    shoot(driver, "dashboard", "/")

    # 2. Drill into an organization from the portfolio.
    driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=portfolio] tbody a[href^='/organizations/']").click()
    organization = driver.current_url[len(BASE):]
    check(driver.find_elements(By.ID, "tests"), f"{organization}: no five tests")
    shoot(driver, "organization", organization)

    # 3. Open a relationship ("why?").
    driver.get(BASE + organization)
    driver.find_element(By.CSS_SELECTOR, "a[href^='/relationships/']").click()
    relationship = driver.current_url[len(BASE):]
    before = dealings(driver)
    check(before > 0 and driver.find_elements(By.CSS_SELECTOR, "svg.chart.line"), f"{relationship}: no dealings or no strength chart")
    shoot(driver, "relationship", relationship)
    driver.get(BASE + relationship)

    # 4. Log an interaction from it and see the relationship change.
    driver.find_element(By.PARTIAL_LINK_TEXT, "Log an interaction between them").click()
    check(driver.find_element(By.ID, "who-0").get_attribute("value") != "", "the log form is not filled in")
    Select(driver.find_element(By.ID, "kind")).select_by_value("call")
    driver.find_element(By.CSS_SELECTOR, "form.log button[type=submit]").click()
    # The click may return before the answer is in (the page after it may reload the workspace).
    check(wait_for(driver, "The interaction was logged."), "no notice after logging")
    check(driver.current_url.startswith(BASE + relationship.split("?")[0]), f"after logging: {driver.current_url}")
    check(dealings(driver) == before + 1, f"dealings went from {before} to {dealings(driver)}")
    shoot(driver, "log-interaction", "/interactions/new")

    # 5. Import a bundle with a bad row: the message, and nothing applied.
    bad = tempfile.mkdtemp()
    with open(os.path.join(bad, "organizations.csv"), "w") as f:
        f.write("key,name,kind\nbrowser-org,Browser Test GmbH,distributor\n")
    with open(os.path.join(bad, "people.csv"), "w") as f:
        f.write("key,name,email\nbrowser-p1,Ok Person,\nbrowser-p2,,bad@example.com\n")
    driver.get(BASE + "/import")
    driver.find_element(By.ID, "files").send_keys(os.path.join(bad, "organizations.csv") + "\n" + os.path.join(bad, "people.csv"))
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_for(driver, "Import another")
    check("Nothing was imported" in driver.page_source and "people.csv:3: name: required value is missing" in driver.page_source,
          "the import page does not show the bad row")
    driver.save_screenshot(os.path.join(SHOTS, "import-refused-desktop.png"))
    driver.get(BASE + "/search?q=Browser+Test")
    check("Browser Test GmbH" not in driver.page_source, "a refused import left its organization behind")
    shoot(driver, "import", "/import")

    # 5b. Contacts written by another tool: a preview that changes nothing, then the import, then the duplicates page.
    contacts = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "foreign", "contacts-3.vcf"))
    driver.get(BASE + "/import")
    driver.find_element(By.ID, "files").send_keys(contacts)
    driver.find_element(By.NAME, "dry_run").click()
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_for(driver, "Import another")
    check("Preview: nothing was changed" in driver.page_source and "Would create" in driver.page_source,
          "the preview of a vCard file does not say what it would do")
    driver.save_screenshot(os.path.join(SHOTS, "import-preview-desktop.png"))
    driver.get(BASE + "/search?q=Natarajan")
    check("Priya Natarajan" not in driver.page_source, "a preview changed the workspace")
    driver.get(BASE + "/import")
    driver.find_element(By.ID, "files").send_keys(contacts)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_for(driver, "Import another")
    check("Imported" in driver.page_source and "Created" in driver.page_source, "the vCard import did not say what it created")
    driver.get(BASE + "/search?q=Natarajan")
    check("Priya Natarajan" in driver.page_source, "the imported contact is not found")
    shoot(driver, "duplicates", "/duplicates")
    check(h1(driver) == "Likely duplicates", f"the duplicates page says {h1(driver)!r}")

    # 6. The other pages, for their screenshots and console.
    for name, path in [("territories", "/territories"), ("search", "/search?q=an")]:
        shoot(driver, name, path)
    driver.get(BASE + "/territories")
    territory = driver.find_element(By.CSS_SELECTOR, "ul.tree a[href^='/territories/']").get_attribute("href")[len(BASE):]
    shoot(driver, "territory", territory)
    driver.get(BASE + relationship)
    person = driver.find_element(By.CSS_SELECTOR, "h1 a[href^='/people/']").get_attribute("href")[len(BASE):]
    shoot(driver, "person", person)
    driver.get(BASE + "/")
    partnership = driver.find_element(By.CSS_SELECTOR, "a[href^='/partnerships/']").get_attribute("href")[len(BASE):]
    shoot(driver, "partnership", partnership)

    # 7. Every page reachable from the dashboard answers 200 (the crawl runs outside the browser, in parallel).
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    seen, frontier, bad_pages, crawled = {"/"}, ["/"], [], 0
    link = re.compile(r'href="(/[^"/][^"]*|/)"')

    def fetch(path):
        request = urllib.request.Request(BASE + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                kind = response.headers.get("Content-Type", "")
                return path, response.status, response.read().decode("utf-8", "replace") if "text/html" in kind else ""
        except urllib.error.HTTPError as error:
            return path, error.code, ""

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        while frontier:
            found = []
            for path, status, body in pool.map(fetch, frontier):
                crawled += 1
                if status != 200:
                    bad_pages.append((path, status))
                for target in link.findall(body):
                    target = target.replace("&amp;", "&")
                    if target.startswith(("/api/", "/tandem.")) or target in seen:
                        continue
                    seen.add(target)
                    found.append(target)
            frontier = found
    check(not bad_pages, f"pages that do not answer 200: {bad_pages[:20]} ({len(bad_pages)} in all)")
    print(f"crawled {crawled} pages reachable from the dashboard", flush=True)
    # The console of up to five crawled pages of every kind (the kinds share their markup and script).
    by_kind = {}
    for path in sorted(seen):
        by_kind.setdefault(path.split("?")[0].split("/")[1] if path != "/" else "", []).append(path)
    sample = [path for paths in by_kind.values() for path in paths[:: max(1, len(paths) // 5)][:5]]
    console_errors(driver)
    for path in sample:
        driver.get(BASE + path)
        errors = console_errors(driver)
        check(not errors, f"{path}: console errors {errors}")
    print(f"no console errors on {len(sample)} sampled pages of {len(by_kind)} kinds", flush=True)
finally:
    driver.quit()

# 8. A partner guest: their partnerships' shared pages only.
driver = browser()
try:
    sign_in(driver, GUEST, GUEST_PW)
    check(h1(driver) == "Your partnerships", f"guest start page: {h1(driver)!r}")
    check(not driver.find_elements(By.CSS_SELECTOR, "a[href='/territories']"), "a guest is shown the territories")
    driver.find_element(By.CSS_SELECTOR, "main a[href^='/partnerships/']").click()
    shared = driver.current_url[len(BASE):]
    check(not driver.find_elements(By.ID, "risks") and not driver.find_elements(By.CSS_SELECTOR, "a[href^='/organizations/']"),
          "a guest sees risks or links to the home company's pages")
    for internal in ["Internal notes", "(internal)", "Order-seeker", "order-seeker", "classification"]:
        check(internal not in driver.page_source, f"a guest's partnership page shows {internal!r}")
    shoot(driver, "guest-partnership", shared)
    driver.get(BASE + organization)
    check("Not Found" in driver.title, f"a guest opened {organization}: {driver.title}")
    console_errors(driver)  # the 404 just asked for is logged as an error: drained here
    shoot(driver, "guest-start", "/")
finally:
    driver.quit()

print(f"browser check: {len(failures)} failure(s) in {time.time() - started:.0f} s; screenshots in {SHOTS}")
sys.exit(1 if failures else 0)
