#!/usr/bin/env python3
"""Checks `tandem assess --format json` (or, with --coverage, `tandem coverage --format json`)
against the contracts of FORMATS.md."""
import json
import sys

CLASSES = {"transactional", "relationship", "deep_relationship", "partnership_candidate", "partnership", "partnership_at_risk"}
CRITERIA = {"commitment", "common_goal", "combined_assets", "shared_risk", "interdependence"}

def fail(message):
    print(f"error: {sys.argv[1]}: {message}", file=sys.stderr)
    sys.exit(1)

if sys.argv[1] == "--coverage":
    sys.argv.pop(1)
    rows = json.load(open(sys.argv[1]))
    if not isinstance(rows, list) or not rows:
        fail("expected a non-empty list of branches")
    for row in rows:
        for field in ("branch_key", "territory_code", "inside_sales", "outside_sales", "single_threaded", "gaps"):
            if field not in row:
                fail(f"{row.get('branch_key')}: no {field}")
        for field in ("inside_sales", "outside_sales"):
            if row[field] is not None and not isinstance(row[field], (int, float)):
                fail(f"{row['branch_key']}: {field} {row[field]!r}")
        if not isinstance(row["single_threaded"], bool) or not isinstance(row["gaps"], list):
            fail(f"{row['branch_key']}: single_threaded or gaps")
    print(f"ok: {len(rows)} branches follow FORMATS.md")
    sys.exit(0)

assessments = json.load(open(sys.argv[1]))
if not isinstance(assessments, list) or not assessments:
    fail("expected a non-empty list of assessments")
for item in assessments:
    key = item.get("organization_key")
    if not isinstance(key, str) or not key:
        fail(f"an assessment without organization_key: {item}")
    if item.get("classification") not in CLASSES:
        fail(f"{key}: classification {item.get('classification')!r}")
    criteria = item.get("criteria", {})
    if set(criteria) != CRITERIA:
        fail(f"{key}: criteria {sorted(criteria)}")
    for name, criterion in criteria.items():
        if criterion.get("result") not in {"pass", "partial", "fail"} or not isinstance(criterion.get("evidence"), list):
            fail(f"{key}: criterion {name}: {criterion}")
    seeker = item.get("order_seeker", {})
    if not isinstance(seeker.get("flagged"), bool) or not isinstance(seeker.get("evidence"), list):
        fail(f"{key}: order_seeker {seeker}")
    if not isinstance(item.get("order_seeker_people"), list):
        fail(f"{key}: order_seeker_people")
    relationships = item.get("relationships", {})
    for field in ("strong", "total", "strongest"):
        if not isinstance(relationships.get(field), (int, float)):
            fail(f"{key}: relationships.{field}")
print(f"ok: {len(assessments)} assessments follow FORMATS.md")
