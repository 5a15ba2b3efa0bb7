#!/usr/bin/env python3
"""Generate foreign (non-Tandem) vCard / iCalendar fixtures and their manifest.

How to run (from the repository root):

    python3 -m venv /tmp/fixvenv
    /tmp/fixvenv/bin/pip install -r Tests/Fixtures/foreign/requirements.txt
    /tmp/fixvenv/bin/python Tests/Fixtures/foreign/make_fixtures.py

Package versions used (pinned in requirements.txt next to this script):
    vobject==0.9.9, icalendar==7.3.2, recurring-ical-events==3.8.2,
    python-dateutil==2.9.0.post0 (plus their dependencies: x-wr-timezone==2.0.1,
    pytz==2026.6, tzdata==2026.6, six==1.17.0, click==8.5.1, typing_extensions==4.16.0),
    run with CPython 3.11.7.

Output is deterministic: no current time, no randomness.  All files are written next
to this script.  The vCards are built and serialized with `vobject`, the calendar with
`icalendar` (Calendar.to_ical()).  expected.json is computed by parsing the written
files back with the same libraries (vobject.readComponents, icalendar.Calendar.from_ical
+ recurring_ical_events.of(cal).between(...)), never from Tandem code.

Deviation noted: vobject 0.9.9 only has a vCard 3.0 behaviour.  For contacts-4.vcf the
VERSION property is set explicitly to "4.0" (vobject then keeps it instead of writing
3.0) and the 3.0 serializer is used; for the properties used here (FN, N, ORG, TITLE,
EMAIL, TEL;VALUE=uri, KIND, ADR, URL) that output is valid vCard 4.0 syntax.  CRLF from
the serializer is then converted to LF for that file, as requested.
"""

import csv
import datetime as dt
import json
import os
import sys
from importlib.metadata import version as pkg_version
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import vobject
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
DTSTAMP = dt.datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)  # fixed, not "now"


def out(*parts):
    return os.path.join(HERE, *parts)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------
# Workspace
# ---------------------------------------------------------------------------

ORGANIZATIONS = [
    # key, name, kind, country, currency, is_home
    ("home", "Voltline Manufacturing", "manufacturer", "US", "USD", "true"),
    ("acme", "Acme, Inc.", "distributor", "US", "USD", "false"),
    ("nord", "Nordlicht Elektro GmbH", "distributor", "DE", "EUR", "false"),
]

PEOPLE = [
    # key, name, email, phone, country   (org affiliation: see PEOPLE_ORG)
    ("hanna", "Hanna Berg", "hanna@voltline.example", "+1-555-0101", "US"),
    ("omar", "Omar Haddad", "omar@voltline.example", "+1-555-0102", "US"),
    ("dirk", "Dirk Brandt", "dirk@acme.example", "+1-555-0110", "US"),
    ("li", "Li Wei", "li@acme.example", "+1-555-0111", "US"),
    ("juergen", "Jürgen Weiß", "juergen@nordlicht.example", "+49-30-5550-1234", "DE"),
]
# employments.csv puts each person at PEOPLE_ORG's organization; the affiliations are also
# recorded in expected.json ("workspace.affiliations").
PEOPLE_ORG = {"hanna": "home", "omar": "home", "dirk": "acme", "li": "acme", "juergen": "nord"}


def write_workspace():
    os.makedirs(out("workspace"), exist_ok=True)
    with open(out("workspace", "organizations.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "name", "kind", "country", "currency", "is_home"])
        w.writerows(ORGANIZATIONS)
    with open(out("workspace", "people.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "name", "email", "phone", "country"])
        w.writerows(PEOPLE)
    with open(out("workspace", "employments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["person_key", "organization_key", "function", "start_date"])
        w.writerows([(k, PEOPLE_ORG[k], "other", "2020-01-01") for k, *_ in PEOPLE])


# ---------------------------------------------------------------------------
# vCards
# ---------------------------------------------------------------------------

DIRK_NOTE = (
    "Met at the Chicago distributor summit, 2025; prefers e-mail over phone.\n"
    "Territories: Illinois, Indiana, Ohio; also handles key accounts in Michigan.\n"
    "Pricing agreed: tier B, net 45; rebate 2% above 500 units per quarter, "
    "reviewed every January. Do not call before 9:00 CT."
)
SOEREN_NOTE = (
    "Zuständig für Großhandelskunden in Süddeutschland und Österreich; "
    "spricht Deutsch, Englisch und Türkisch. Rückruf bitte über die Zentrale, "
    "Durchwahl wird im März geändert. Grüße aus Nürnberg — “Qualität über Menge”."
)


def card3(fn, family, given, *, org=None, title=None, emails=(), tels=(), adr=None, note=None):
    c = vobject.vCard()  # vobject's vCard behaviour is 3.0: writes VERSION:3.0
    c.add("n").value = vobject.vcard.Name(family=family, given=given)
    c.add("fn").value = fn
    if org is not None:
        c.add("org").value = list(org)
    if title is not None:
        c.add("title").value = title
    for value, types in emails:
        e = c.add("email")
        e.value = value
        e.type_param = list(types)
    for value, types in tels:
        t = c.add("tel")
        t.value = value
        t.type_param = list(types)
    if adr is not None:
        a = c.add("adr")
        a.value = vobject.vcard.Address(**adr)
        a.type_param = ["WORK"]
    if note is not None:
        c.add("note").value = note
    return c


def build_contacts3():
    return [
        # 1. matches workspace person dirk by e-mail (different case); ORG with \, and \;
        card3("Dirk Brandt", "Brandt", "Dirk",
              org=["Acme, Inc.", "Sales; East"], title="Head of Sales, East",
              emails=[("Dirk@ACME.example", ["INTERNET", "WORK", "PREF"]),
                      ("dirk.brandt@home.example", ["INTERNET", "HOME"])],
              tels=[("+1-555-0110", ["WORK", "VOICE"]), ("+1-555-0190", ["CELL"])],
              adr=dict(street="200 W Madison St, Suite 1200", city="Chicago", region="IL",
                       code="60606", country="USA"),
              note=DIRK_NOTE),
        # 2. no e-mail, same name + organization as workspace person li
        card3("Li Wei", "Wei", "Li", org=["Acme, Inc."], title="Purchasing Manager",
              tels=[("+1-555-0111", ["WORK"])]),
        # 3. non-ASCII name, long non-ASCII NOTE (folds inside multi-byte text), new person at nord
        card3("Sören Groß-Öztürk", "Groß-Öztürk", "Sören",
              org=["Nordlicht Elektro GmbH", "Vertrieb Süd"], title="Key-Account-Manager Süddeutschland",
              emails=[("soeren.gross@nordlicht.example", ["INTERNET", "WORK"])],
              tels=[("+49 911 5550 7788", ["WORK"])],
              adr=dict(street="Königstraße 17, Hinterhaus", city="Nürnberg", region="Bayern",
                       code="90402", country="DE"),
              note=SOEREN_NOTE),
        # 4. only a name (N + FN, N being mandatory in vCard 3.0), no ORG, no e-mail
        card3("Sam Rivers", "Rivers", "Sam"),
        # 5. new organization not in the workspace; first of two cards with the same e-mail
        card3("Priya Natarajan", "Natarajan", "Priya",
              org=["BrightGrid Solar Ltd."], title="Procurement Lead",
              emails=[("priya@brightgrid.example", ["INTERNET", "WORK", "PREF"])],
              adr=dict(street="14 Wharf Road", city="London", code="N1 7GR", country="United Kingdom")),
        # 6. second person at the same new organization
        card3("Tomás Ruiz", "Ruiz", "Tomás",
              org=["BrightGrid Solar Ltd."], title="Installer Network Manager",
              emails=[("tomas.ruiz@brightgrid.example", ["INTERNET", "WORK"]),
                      ("tomas.r@mail.example", ["INTERNET", "HOME"])]),
        # 7. duplicate within the file: same e-mail as card 5, different details
        card3("Priya Natarajan", "Natarajan", "Priya",
              org=["BrightGrid Solar Ltd."], title="VP Procurement",
              emails=[("priya@brightgrid.example", ["INTERNET", "WORK"])],
              tels=[("+44 20 5550 0142", ["WORK"])]),
        # 8. new person at existing org "Acme, Inc." with a different unit; HOME e-mail only
        card3("Amélie Dubois-Lefèvre", "Dubois-Lefèvre", "Amélie",
              org=["Acme, Inc.", "Service; EMEA"], title="Field Service Engineer",
              emails=[("amelie.dubois@example.org", ["INTERNET", "HOME"])],
              adr=dict(street="8 rue de la Paix", city="Lyon", code="69002", country="France")),
    ]


SCENARIOS3 = [
    "email matches workspace person dirk case-insensitively (Dirk@ACME.example); ORG has escaped comma and semicolon plus a unit; long folded NOTE",
    "no e-mail; same name and organization as workspace person li (dedupe by name+org)",
    "non-ASCII name; long non-ASCII NOTE folded inside multi-byte text; new person at existing org nord (unit 'Vertrieb Süd')",
    "name only (N+FN), no ORG, no e-mail",
    "new organization 'BrightGrid Solar Ltd.' not in workspace; first of two cards with priya@brightgrid.example",
    "second person at the same new organization",
    "duplicate within file: same e-mail as card 5 with different title/phone",
    "new person at existing organization 'Acme, Inc.' (unit 'Service; EMEA'); HOME e-mail only",
]


def card4(fn, *, kind, family=None, given=None, org=None, title=None, emails=(), tels=(), adr=None, url=None):
    c = vobject.vCard()
    c.add("version").value = "4.0"  # vobject has no 4.0 behaviour; explicit VERSION is kept as-is
    c.add("fn").value = fn
    if family is not None:
        c.add("n").value = vobject.vcard.Name(family=family, given=given)
    c.add("kind").value = kind
    if org is not None:
        c.add("org").value = list(org)
    if title is not None:
        c.add("title").value = title
    for value, types in emails:
        e = c.add("email")
        e.value = value
        e.type_param = list(types)
    for value, types in tels:
        t = c.add("tel")
        t.value = value
        t.value_param = "uri"
        t.type_param = list(types)
    if adr is not None:
        a = c.add("adr")
        a.value = vobject.vcard.Address(**adr)
        a.type_param = ["work"]
    if url is not None:
        c.add("url").value = url
    return c


def build_contacts4():
    return [
        card4("Ana Costa", kind="individual", family="Costa", given="Ana",
              org=["Kestrel Power Systems Ltd"], title="Channel Partner Manager",
              emails=[("ana.costa@kestrel.example", ["work"])],
              tels=[("tel:+1-555-0150", ["work", "voice"])]),
        card4("Kestrel Power Systems Ltd", kind="org",
              org=["Kestrel Power Systems Ltd"],
              emails=[("sales@kestrel.example", ["work"])],
              tels=[("tel:+1-555-0159", ["work"])],
              adr=dict(street="1 Harbour Exchange Square", city="London", code="E14 9GE",
                       country="United Kingdom"),
              url="https://kestrel.example/"),
        card4("Jürgen Weiß", kind="individual", family="Weiß", given="Jürgen",
              org=["Nordlicht Elektro GmbH", "Einkauf"], title="Leiter Einkauf",
              emails=[("juergen@nordlicht.example", ["work"])],
              tels=[("tel:+49-30-5550-1234", ["work"])]),
    ]


SCENARIOS4 = [
    "KIND:individual at a new organization 'Kestrel Power Systems Ltd'",
    "KIND:org: an organization card, not a person",
    "KIND:individual matching workspace person juergen by e-mail (exact)",
]


def serialize_cards(cards):
    return "".join(c.serialize() for c in cards)  # vobject emits CRLF and folds at 75 octets


def write_vcards():
    text3 = serialize_cards(build_contacts3())
    assert "\r\n" in text3
    write_bytes(out("contacts-3.vcf"), b"\xef\xbb\xbf" + text3.encode("utf-8"))  # UTF-8 BOM + CRLF

    text4 = serialize_cards(build_contacts4()).replace("\r\n", "\n")  # LF line endings
    write_bytes(out("contacts-4.vcf"), text4.encode("utf-8"))


def manifest_vcards(filename, scenarios, workspace_index):
    with open(out(filename), "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig")  # strips the BOM if present
    cards = []
    for i, c in enumerate(vobject.readComponents(text)):
        def vals(name):
            return [p.value for p in c.contents.get(name, [])]

        def one(name):
            v = vals(name)
            return v[0] if v else None

        emails = vals("email")
        org = one("org")
        n = one("n")
        fn = one("fn")
        entry = {
            "index": i,
            "version": one("version"),
            "fn": fn,
            "n": None if n is None else {
                "family": n.family, "given": n.given, "additional": n.additional,
                "prefix": n.prefix, "suffix": n.suffix},
            "emails": emails,
            "email_types": [p.params.get("TYPE", []) for p in c.contents.get("email", [])],
            "org": list(org) if org is not None else None,
            "title": one("title"),
            "tels": vals("tel"),
            "kind": one("kind"),
            "note": one("note"),
            "adr_countries": [a.country for a in vals("adr")],
            "scenario": scenarios[i],
            "workspace_match": workspace_match(fn, emails, org, workspace_index),
        }
        cards.append(entry)
    assert len(cards) == len(scenarios), (filename, len(cards))
    return {
        "file": filename,
        "bom": raw.startswith(b"\xef\xbb\xbf"),
        "line_endings": "CRLF" if b"\r\n" in raw else "LF",
        "folded_lines": count_folds(raw),
        "card_count": len(cards),
        "cards": cards,
    }


def workspace_match(fn, emails, org, idx):
    """Plain rules, documented in README: e-mail (case-insensitive) first, then exact name + first ORG component."""
    for e in emails:
        key = idx["by_email"].get(e.lower())
        if key:
            return {"by": "email", "person": key}
    if org:
        key = idx["by_name_org"].get((fn, org[0]))
        if key:
            return {"by": "name+org", "person": key}
    return None


def count_folds(raw):
    return sum(1 for line in raw.replace(b"\r\n", b"\n").split(b"\n") if line.startswith((b" ", b"\t")))


# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------

def berlin(y, mo, d, h, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=BERLIN)


def address(email, cn=None, **params):
    a = vCalAddress(email)
    if cn:
        a.params["CN"] = cn
    for k, v in params.items():
        a.params[k.upper()] = v
    return a


def berlin_vtimezone():
    # Hand-built like Outlook / Google exports: one STANDARD and one DAYLIGHT
    # subcomponent, each with a yearly RRULE.
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    tz.add("x-lic-location", "Europe/Berlin")
    st = TimezoneStandard()
    st.add("tzname", "CET")
    st.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))
    st.add("tzoffsetfrom", dt.timedelta(hours=2))
    st.add("tzoffsetto", dt.timedelta(hours=1))
    st.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"}))
    dl = TimezoneDaylight()
    dl.add("tzname", "CEST")
    dl.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))
    dl.add("tzoffsetfrom", dt.timedelta(hours=1))
    dl.add("tzoffsetto", dt.timedelta(hours=2))
    dl.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"}))
    tz.add_component(st)
    tz.add_component(dl)
    return tz


def new_event(uid, summary, start, *, end=None, duration=None, organizer=None, attendees=(),
              categories=None, description=None, status=None, location=None):
    e = Event()
    e.add("uid", uid)
    e.add("dtstamp", DTSTAMP)
    e.add("dtstart", start)
    if end is not None:
        e.add("dtend", end)
    if duration is not None:
        e.add("duration", duration)
    e.add("summary", summary)
    if location:
        e.add("location", location)
    if description:
        e.add("description", description)
    if categories:
        e.add("categories", categories)
    if status:
        e.add("status", status)
    if organizer is not None:
        e.add("organizer", organizer)
    for a in attendees:
        e.add("attendee", a, encode=0)
    return e


REVIEW_DESCRIPTION = (
    "Agenda: 1) Q1 sell-through by region (Midwest, Northeast; DACH via Nordlicht), "
    "2) rebate tiers for 2026, 3) co-marketing budget; 4) open RMAs.\n"
    "Please bring the latest forecast, including backlog and inventory on hand. "
    "Dial-in for remote participants will be sent separately — Grüße, Hanna."
)


def build_calendar():
    cal = Calendar()
    cal.add("prodid", "-//Tandem test fixtures//make_fixtures.py (python icalendar 7.3.2)//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add_component(berlin_vtimezone())

    hanna = address("mailto:hanna@voltline.example", "Hanna Berg")
    omar = address("mailto:omar@voltline.example", "Omar Haddad")

    # 1. single meeting, Berlin time, attendees incl. unknown stranger
    cal.add_component(new_event(
        "review-2026q1@fixtures.example",
        "Q1 business review: Acme, Nordlicht; pricing & rebates",
        berlin(2026, 2, 10, 14, 0), end=berlin(2026, 2, 10, 15, 30),
        organizer=hanna,
        attendees=[
            address("mailto:dirk@acme.example", "Dirk Brandt", partstat="ACCEPTED",
                    role="REQ-PARTICIPANT", rsvp="TRUE"),
            address("MAILTO:Li@Acme.example", "Li Wei", partstat="NEEDS-ACTION",
                    role="REQ-PARTICIPANT"),
            address("mailto:stranger@elsewhere.example", "Unknown Stranger", partstat="TENTATIVE",
                    role="OPT-PARTICIPANT"),
        ],
        categories=["Business review"], description=REVIEW_DESCRIPTION,
        status="CONFIRMED", location="Voltline HQ, Room 3; Chicago"))

    # 2. UTC event with DURATION instead of DTEND
    cal.add_component(new_event(
        "call-dirk-0312@fixtures.example", "Call with Dirk",
        dt.datetime(2026, 3, 12, 16, 0, tzinfo=UTC), duration=dt.timedelta(minutes=45),
        organizer=omar,
        attendees=[address("mailto:dirk@acme.example", "Dirk Brandt", partstat="ACCEPTED")]))

    # 3. all-day, multi-day event (DTEND is exclusive)
    cal.add_component(new_event(
        "tradeshow-2026@fixtures.example", "Trade show",
        dt.date(2026, 5, 5), end=dt.date(2026, 5, 8),
        categories=["Event"], location="Messe Hannover"))

    # 4. weekly series across the DST change (2026-03-29), with EXDATE and an override
    weekly = new_event(
        "weekly-sync@fixtures.example", "Weekly pipeline sync",
        berlin(2026, 3, 3, 10, 0), end=berlin(2026, 3, 3, 10, 30),
        organizer=hanna,
        attendees=[address("mailto:juergen@nordlicht.example", "Jürgen Weiß", partstat="ACCEPTED")])
    weekly.add("rrule", vRecur({"FREQ": "WEEKLY", "COUNT": 10, "BYDAY": "TU"}))
    weekly.add("exdate", berlin(2026, 3, 17, 10, 0))
    cal.add_component(weekly)
    override = new_event(
        "weekly-sync@fixtures.example", "Weekly pipeline sync (moved to noon)",
        berlin(2026, 4, 14, 12, 0), end=berlin(2026, 4, 14, 12, 30),
        organizer=hanna,
        attendees=[address("mailto:juergen@nordlicht.example", "Jürgen Weiß", partstat="ACCEPTED")])
    override.add("recurrence-id", berlin(2026, 4, 14, 10, 0))
    override.add("sequence", 1)
    cal.add_component(override)

    # 5a. monthly series with UNTIL in UTC
    monthly = new_event(
        "monthly-forecast@fixtures.example", "Monthly forecast call",
        berlin(2026, 2, 15, 16, 0), end=berlin(2026, 2, 15, 17, 0),
        organizer=omar,
        attendees=[address("mailto:li@acme.example", "Li Wei")])
    monthly.add("rrule", vRecur({"FREQ": "MONTHLY", "BYMONTHDAY": 15,
                                 "UNTIL": dt.datetime(2026, 7, 31, 23, 59, 59, tzinfo=UTC)}))
    cal.add_component(monthly)

    # 5b. floating time (no TZID, no Z)
    cal.add_component(new_event(
        "floating-lunch@fixtures.example", "Lunch with Jürgen (local time)",
        dt.datetime(2026, 6, 10, 12, 0), end=dt.datetime(2026, 6, 10, 13, 30),
        attendees=[address("mailto:juergen@nordlicht.example", "Jürgen Weiß")]))

    # 6. cancelled event
    cal.add_component(new_event(
        "cancelled-demo@fixtures.example", "Product demo for Acme (cancelled)",
        berlin(2026, 6, 18, 15, 0), end=berlin(2026, 6, 18, 16, 0),
        organizer=hanna,
        attendees=[address("mailto:dirk@acme.example", "Dirk Brandt", partstat="DECLINED")],
        status="CANCELLED"))

    # 7. no attendees, organizer not in the workspace
    cal.add_component(new_event(
        "webinar-grid@fixtures.example", "Webinar: grid storage outlook 2026",
        berlin(2026, 9, 15, 10, 0), end=berlin(2026, 9, 15, 11, 0),
        organizer=address("mailto:webinars@grid-events.example", "Grid Events"),
        categories=["Webinar", "Event"]))

    # 8. open-ended daily series (INTERVAL=2, no COUNT/UNTIL), crosses DST end 2026-10-25
    daily = new_event(
        "standup@fixtures.example", "Partner desk stand-up",
        berlin(2026, 10, 5, 8, 30), end=berlin(2026, 10, 5, 8, 45),
        organizer=omar,
        attendees=[address("mailto:hanna@voltline.example", "Hanna Berg")])
    daily.add("rrule", vRecur({"FREQ": "DAILY", "INTERVAL": 2}))
    cal.add_component(daily)
    return cal


WINDOW_FROM = dt.date(2026, 1, 1)
WINDOW_TO = dt.date(2026, 12, 31)  # inclusive


def iso_time(value):
    """-> (string, all_day, floating)"""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.isoformat(), False, True
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), False, False
    return value.isoformat(), True, False


def email_of(addr):
    s = str(addr)
    if s.lower().startswith("mailto:"):
        s = s[len("mailto:"):]
    return s.lower()


def manifest_calendar():
    with open(out("calendar.ics"), "rb") as f:
        raw = f.read()
    cal = Calendar.from_ical(raw)
    start = dt.datetime.combine(WINDOW_FROM, dt.time(0), tzinfo=UTC)
    stop = dt.datetime.combine(WINDOW_TO + dt.timedelta(days=1), dt.time(0), tzinfo=UTC)
    # recurring_ical_events puts a RECURRENCE-ID on every occurrence it returns, also on
    # single (non-recurring) events; the manifest reports null for those.
    recurring_uids = {str(ev.get("UID")) for ev in cal.walk("VEVENT")
                      if ev.get("RRULE") is not None or ev.get("RDATE") is not None
                      or ev.get("RECURRENCE-ID") is not None}
    occurrences = []
    for occ in recurring_ical_events.of(cal).between(start, stop):
        s, all_day, floating = iso_time(occ.start)
        e, _, _ = iso_time(occ.end)
        uid = str(occ.get("UID"))
        rid = occ.get("RECURRENCE-ID")
        attendees = occ.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        entry = {
            "uid": uid,
            "recurring": uid in recurring_uids,
            "recurrence_id": iso_time(rid.dt)[0] if rid is not None and uid in recurring_uids else None,
            "start": s,
            "end": e,
            "all_day": all_day,
            "floating": floating,
            "tzid": (occ.get("DTSTART").params.get("TZID") if occ.get("DTSTART") is not None else None),
            "summary": str(occ.get("SUMMARY")),
            "categories": list(occ.categories),
            "organizer": email_of(occ.get("ORGANIZER")) if occ.get("ORGANIZER") is not None else None,
            "attendees": [email_of(a) for a in attendees],
            "status": str(occ.get("STATUS")) if occ.get("STATUS") is not None else None,
        }
        occurrences.append(entry)
    occurrences.sort(key=lambda o: (o["start"], o["uid"]))

    # Source VEVENT components as written in the file (one per VEVENT block).
    components = []
    for ev in cal.walk("VEVENT"):
        rid = ev.get("RECURRENCE-ID")
        components.append({
            "uid": str(ev.get("UID")),
            "summary": str(ev.get("SUMMARY")),
            "rrule": ev.get("RRULE").to_ical().decode() if ev.get("RRULE") is not None else None,
            "recurrence_id": iso_time(rid.dt)[0] if rid is not None else None,
            "status": str(ev.get("STATUS")) if ev.get("STATUS") is not None else None,
        })

    per_uid = {}
    for o in occurrences:
        per_uid[o["uid"]] = per_uid.get(o["uid"], 0) + 1

    cancelled = [o for o in occurrences if o["status"] == "CANCELLED"]
    return {
        "file": "calendar.ics",
        "line_endings": "CRLF" if b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"") else "mixed/LF",
        "folded_lines": count_folds(raw),
        "window": {"from": WINDOW_FROM.isoformat(), "to": WINDOW_TO.isoformat()},
        "window_semantics": (
            "dates inclusive, UTC days; computed as recurring_ical_events.of(cal).between("
            f"{start.isoformat()}, {stop.isoformat()}) (stop exclusive)"),
        "recurrence_id_semantics": (
            "original start of the occurrence (same format as start) for events of a recurring series "
            "(RRULE/RDATE or overridden by RECURRENCE-ID); null for single events"),
        "sort": "occurrences sorted by the 'start' string (lexicographic), then 'uid'",
        "time_format": (
            "timed: ISO 8601 UTC 'YYYY-MM-DDTHH:MM:SSZ'; all-day: 'YYYY-MM-DD' (end = DTEND, exclusive); "
            "floating: naive local 'YYYY-MM-DDTHH:MM:SS' with floating=true"),
        "cancelled_handling": {
            "note": ("recurring_ical_events does not filter by STATUS; cancelled events are returned "
                     "as occurrences and are listed here with status CANCELLED"),
            "returned_by_library": bool(cancelled),
            "uids": sorted({o["uid"] for o in cancelled}),
        },
        "vevent_components": components,
        "occurrence_count": len(occurrences),
        "occurrences_per_uid": dict(sorted(per_uid.items())),
        "occurrences": occurrences,
    }


def write_calendar():
    cal = build_calendar()
    write_bytes(out("calendar.ics"), cal.to_ical())  # icalendar: CRLF, folded at 75 octets


# ---------------------------------------------------------------------------

def main():
    write_workspace()
    write_vcards()
    write_calendar()

    idx = {
        "by_email": {email.lower(): key for key, _, email, _, _ in PEOPLE},
        "by_name_org": {(name, dict((k, n) for k, n, *_ in ORGANIZATIONS)[PEOPLE_ORG[key]]): key
                        for key, name, *_ in PEOPLE},
    }
    manifest = {
        "generator": {
            "script": "make_fixtures.py",
            "python": sys.version.split()[0],
            "packages": {p: pkg_version(p) for p in
                         ("vobject", "icalendar", "recurring-ical-events", "python-dateutil")},
        },
        "workspace": {
            "organizations": "workspace/organizations.csv",
            "people": "workspace/people.csv",
            "affiliations": [{"person": k, "organization": PEOPLE_ORG[k]} for k, *_ in PEOPLE],
            "match_rules": "e-mail case-insensitive first, else exact FN + first ORG component equals person name + organization name",
        },
        "vcards": {
            "contacts-3.vcf": manifest_vcards("contacts-3.vcf", SCENARIOS3, idx),
            "contacts-4.vcf": manifest_vcards("contacts-4.vcf", SCENARIOS4, idx),
        },
        "calendar": manifest_calendar(),
    }
    with open(out("expected.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
