"""Other CRMs' CSV exports for Tandem's crm-csv importer, written with Python's csv module.

Run: python3 Tests/Fixtures/crm/make_crm_fixtures.py   (standard library only)

The exports use the column names HubSpot and Salesforce write; the mapping files say which
column is which. They are imported into ../foreign/workspace (people hanna, omar, dirk, li, juergen).
"""
import csv, os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, header, rows, bom=False, crlf=True):
    with open(os.path.join(HERE, name), "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n" if crlf else "\n")
        w.writerow(header)
        w.writerows(rows)


# HubSpot: "Export contacts" (UTF-8 with BOM, CRLF).
write("hubspot-contacts.csv",
      ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title", "Country/Region", "Lifecycle Stage"],
      [["101", "Dirk", "Brandt", "DIRK@acme.example", "", "Acme, Inc.", "Head of Sales", "United States", "customer"],
       ["102", "Maya", "Okafor", "maya.okafor@acme.example", "+1 555 0177", "Acme, Inc.", "Inside Sales Representative", "United States", "customer"],
       ["103", "Lars", "Holm", "lars@nordlicht.example", "", "Nordlicht Elektro GmbH", "Einkauf / Purchasing", "Germany", "lead"],
       ["104", "Ana", "Lima", "ana@sol-distribuidora.example", "+55 11 5555 0100", "Sol Distribuidora Ltda", "Owner", "Brazil", "lead"]],
      bom=True)
with open(os.path.join(HERE, "hubspot-contacts.mapping"), "w") as f:
    f.write("# HubSpot contacts export\nrecords: contacts\nname: First Name + Last Name\nemail: Email\nphone: Phone Number\n"
            "organization: Company Name\ntitle: Job Title\ncountry: Country/Region\n")

# HubSpot: "Export companies".
write("hubspot-companies.csv", ["Record ID", "Company name", "Type", "Country/Region", "Currency"],
      [["9001", "Acme Inc", "", "United States", "USD"],
       ["9002", "Sol Distribuidora Ltda", "Distributor", "Brazil", "BRL"],
       ["9003", "Brightline Rep Group", "Rep agency", "US", "USD"]])
with open(os.path.join(HERE, "hubspot-companies.mapping"), "w") as f:
    f.write("records: companies\nkey: Record ID\nname: Company name\nkind: Type\ncountry: Country/Region\ncurrency: Currency\n")

# Salesforce: activities report (tasks and events), LF line ends, US dates.
write("salesforce-activities.csv",
      ["Activity ID", "Subject", "Type", "Date", "Assigned", "Contact Email", "Duration (Minutes)"],
      [["00T1", "Quarterly review, pricing", "Meeting", "03/14/2026", "hanna@voltline.example", "dirk@acme.example; li@acme.example", "60"],
       ["00T2", "Follow-up call", "Call", "2026-03-20 09:30", "Omar Haddad", "dirk@acme.example", "15"],
       ["00T3", "Quote for 400 troffers", "Quote", "2026-04-02", "hanna@voltline.example", "Li Wei", ""],
       ["00T4", "Intro e-mail", "Email", "04/05/2026", "hanna@voltline.example", "someone@unknown.example", ""],
       ["00T5", "Lunch", "Other", "04/09/2026", "nobody@unknown.example", "", ""]],
      crlf=False)
with open(os.path.join(HERE, "salesforce-activities.mapping"), "w") as f:
    f.write("records: activities\nkey: Activity ID\nsummary: Subject\nkind: Type\ndate: Date\ninitiator: Assigned\n"
            "participants: Contact Email\nduration_minutes: Duration (Minutes)\n")
