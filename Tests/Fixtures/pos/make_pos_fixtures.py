"""Point-of-sale fixtures for Tandem's importers, written without Tandem.

Run with any Python 3 (standard library only):  python3 Tests/Fixtures/pos/make_pos_fixtures.py

- acme-867.x12: an EDI X12 867 (004010) report as the NEMRA/X12 guides describe it: "*" elements,
  ">" components, "~" terminators each followed by CRLF; two PTD loops (branches 101 and 205), a
  transfer, a return (QTY*61), cost (UIT ..DI) and resale (UIT ..RS) per line, a line in May.
- acme-867-pipes.x12: the same report with "|" elements, "^" components and a newline terminator.
- acme-867-oneline.x12: the same with "'" as terminator, all on one line.
- acme-nemra.csv: the NEMRA minimum layout as Excel's "CSV UTF-8" writes it (BOM, CRLF), with two
  title rows above the header, "$1,234.50" amounts, "(12.00)" credits and US dates.
- workspace/: the Tandem bundle the tests import first; locations.csv and products.csv: the mappings.
- expected.json: the monthly sell-through, cost and gross profit per branch and product line,
  computed here from the same line data.
"""
import csv, io, json, os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

# (branch id, invoice date, catalog, upc, qty, unit cost, unit resale, ptd type, qty code)
LINES = [
    ("101", "20240412", "LT2X4-40-840", "012345678905", 24, 18.50, 27.75, "SS", "39"),
    ("101", "20240412", "EXIT-LED-RW", "012345678912", 10, 31.00, 44.95, "SS", "39"),
    ("101", "20240418", "LT2X4-40-840", "012345678905", 2, 18.50, 27.75, "SS", "61"),   # returned
    ("205", "20240422", "HB-150W-50K", "012345678929", 6, 96.00, 139.00, "SS", "39"),
    ("205", "20240425", "HB-150W-50K", "012345678929", 4, 96.00, 0, "TD", "39"),        # transfer, not a sale
    ("205", "20240502", "EXIT-LED-RW", "012345678912", 3, 31.00, 44.95, "DS", "39"),
]
BRANCHES = {"101": ("acme-dallas", "ACME DALLAS"), "205": ("acme-fort-worth", "ACME FORT WORTH")}
PRODUCTS = [("LT", "troffers"), ("EXIT", "emergency"), ("012345678929", "high-bay")]


def product_line(catalog, upc):
    for product, line in PRODUCTS:
        if product == upc:
            return line
    for product, line in sorted(PRODUCTS, key=lambda p: -len(p[0])):
        if catalog.replace("-", "").upper().startswith(product.replace("-", "").upper()):
            return line
    return ""


def x12(element="*", component=">", terminator="~\r\n"):
    body = [
        "GS*PT*ACMEELEC*VOLTLINE*20240503*0930*123*X*004010",
        "ST*867*0001",
        "BPT*00*POS202404*20240503*SS",
        "CUR*SE*USD",
        "DTM*090*20240401",
        "DTM*091*20240531",
        "N1*DS*ACME ELECTRIC SUPPLY*91*ACME01",
        "N1*SU*VOLTLINE MANUFACTURING*92*VOLT",
    ]
    st_index = 1
    by_ptd = []
    for line in LINES:
        key = (line[0], line[7])
        if not by_ptd or by_ptd[-1][0] != key:
            by_ptd.append((key, []))
        by_ptd[-1][1].append(line)
    for (branch, ptd), items in by_ptd:
        body += [f"PTD*{ptd}", "REF*IV*INV" + branch + items[0][1], f"N1*DB*{BRANCHES[branch][1]}*92*{branch}", "N4*DALLAS*TX*75207"]
        for n, (b, date, cat, upc, qty, cost, resale, _, code) in enumerate(items, 1):
            body += [f"QTY*{code}*{qty}*EA", f"LIN*{n}*VP*{cat}*UP*{upc}", f"UIT*EA*{cost:.2f}*DI"]
            if resale:
                body.append(f"UIT*EA*{resale:.2f}*RS")
            body += [f"PID*F****ITEM {cat}", f"DTM*003*{date}"]
    body.append(f"CTT*{len(LINES)}")
    count = len(body) - st_index + 1  # ST .. SE inclusive, SE added below
    body.append(f"SE*{count}*0001")
    body += ["GE*1*123", "IEA*1*000000123"]
    isa = "ISA*00*          *00*          *ZZ*ACMEELEC       *ZZ*VOLTLINE       *240503*0930*U*00401*000000123*0*P*" + component
    assert len(isa) == 105, len(isa)
    segments = [isa] + body
    text = ""
    for s in segments:
        s = s.replace("*", element) if element != "*" else s
        if s.startswith("ISA"):
            s = s[:-1] + component
        text += s + terminator
    return text


def nemra():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["Acme Electric Supply - POS Report", "", "", "", "", "", "", "", "", "", ""])
    w.writerow(["Period: April-May 2024", "", "", "", "", "", "", "", "", "", ""])
    w.writerow(["Distributor Name", "Branch #", "Branch Name", "Ship To Zip", "Invoice #", "Invoice Date", "Mfr Cat #",
                "UPC", "Qty Shipped", "Ext Cost", "Ext Price", "Type"])
    for (b, date, cat, upc, qty, cost, resale, ptd, code) in LINES:
        sign = -1 if code == "61" else 1
        us_date = f"{date[4:6]}/{date[6:8]}/{date[0:4]}"
        ext_cost = sign * qty * cost
        ext_price = sign * qty * resale
        money = lambda v: f"(${abs(v):,.2f})" if v < 0 else f"${v:,.2f}"
        kind = "T" if ptd == "TD" else ("R" if code == "61" else ("D" if ptd == "DS" else "S"))
        w.writerow(["Acme Electric Supply", b, BRANCHES[b][1].title(), "75207", "INV" + b + date, us_date, cat, upc,
                    qty, money(ext_cost), money(ext_price) if resale else "", kind])
    return "\ufeff" + out.getvalue()


def expected():
    totals = defaultdict(lambda: {"sell_through": 0.0, "cost": 0.0, "lines": 0})
    for (b, date, cat, upc, qty, cost, resale, ptd, code) in LINES:
        if ptd == "TD":
            continue
        sign = -1 if code == "61" else 1
        key = (f"{date[0:4]}-{date[4:6]}", BRANCHES[b][0], product_line(cat, upc))
        totals[key]["sell_through"] += sign * qty * resale
        totals[key]["cost"] += sign * qty * cost
        totals[key]["lines"] += 1
    rows = []
    for (period, branch, line), t in sorted(totals.items()):
        rows.append({"period": period, "branch_key": branch, "product_line": line,
                     "sell_through_amount": round(t["sell_through"], 2),
                     "distributor_gross_profit": round(t["sell_through"] - t["cost"], 2), "lines": t["lines"]})
    return {"generator": "make_pos_fixtures.py", "manufacturer_key": "home", "currency": "USD", "rows": rows,
            "transfers_left_out": 1}


def write(name, text, newline=""):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline=newline) as f:
        f.write(text)


os.makedirs(os.path.join(HERE, "workspace"), exist_ok=True)
write("workspace/organizations.csv", "key,name,kind,country,currency,is_home\nhome,Voltline Manufacturing,manufacturer,US,USD,true\n"
      "acme,\"Acme Electric Supply\",distributor,US,USD,false\n")
write("workspace/branches.csv", "key,organization_key,name,city,country\n" + "".join(
    f"{key},acme,{name.title()},Dallas,US\n" for key, name in BRANCHES.values()))
write("locations.csv", "location,branch_key\n" + "".join(f"{loc},{key}\n" for loc, (key, _) in BRANCHES.items()))
write("products.csv", "product,product_line\n" + "".join(f"{p},{l}\n" for p, l in PRODUCTS))
write("acme-867.x12", x12())
write("acme-867-pipes.x12", x12("|", "^", "\n"))
write("acme-867-oneline.x12", x12("*", ">", "'"))
write("acme-nemra.csv", nemra())
write("expected.json", json.dumps(expected(), indent=1) + "\n")
