"""Drawing a review panel at random (随机抽取), pure: plain data in, plain data out.

No Django, no clock, no global random state: the same pool, application, sizes, load and seed give
the same panel on any machine, so a recorded draw can be re-run and compared (SPEC §4 "Expert
review": seeded, logged, reproducible). The caller (a service) builds the plain pool from the
models, records the seed, the snapshot hash and the whole result, and never replaces a draw.

An expert in ``pool`` is a mapping::

    {"id": 7, "active": True, "city": "370200", "province": "370000", "employer": "青岛大学",
     "specialities": ["LIFE"], "conflict_cities": ["320100"], "conflict_employers": ["南京大学"],
     "load_limit": 15, "can_lead": False}

``application``: ``{"id": 3, "city": "320100", "province": "320000", "speciality": "LIFE" or None,
"units": ["南京市工业和信息化局", …]}`` (``units``: the applicant's lead agency and partners, matched
against declared employers). ``load``: expert id → applications already assigned in the batch.

Exclusions, each with its reason code (the first that applies; labels in ``texts.DRAW_REASONS``):
``inactive``; ``declared_city`` (the applicant's city is one the expert declared); ``declared_employer``
(a declared employer is one of the applicant's units); ``employer_city`` (the expert's employer is
in the applicant's city); ``same_province`` (as the applicant); ``load_limit`` (already at the
limit); ``speciality`` (a domain group needs the domain). The eligible are ordered by load (least
first: the work is spread over the pool), ties broken by a seeded shuffle; the first ``size`` are
the panel, the next ``reserves`` the reserves in order; the leader (组长) is the first member who
``can_lead``, else the first member.
"""

from __future__ import annotations

import hashlib
import json
import random

REASONS = ("inactive", "declared_city", "declared_employer", "employer_city", "same_province", "load_limit",
           "speciality")


def _expert(entry):
    """The canonical form of one pool entry (sorted lists, defaults filled)."""
    return {
        "id": entry["id"], "active": bool(entry.get("active", True)), "city": entry.get("city") or "",
        "province": entry.get("province") or "", "employer": entry.get("employer") or "",
        "specialities": sorted(entry.get("specialities") or ()),
        "conflict_cities": sorted(entry.get("conflict_cities") or ()),
        "conflict_employers": sorted(entry.get("conflict_employers") or ()),
        "load_limit": int(entry.get("load_limit") or 0), "can_lead": bool(entry.get("can_lead", False)),
    }


def _application(application):
    return {"id": application.get("id"), "city": application.get("city") or "",
            "province": application.get("province") or "", "speciality": application.get("speciality") or None,
            "units": sorted(application.get("units") or ())}


def canonical_snapshot(*, pool, application, size, reserves, load):
    """Everything the draw depends on but the seed, in one canonical form."""
    return {
        "pool": sorted((_expert(e) for e in pool), key=lambda e: e["id"]),
        "application": _application(application), "size": int(size), "reserves": int(reserves),
        "load": {str(k): int(v) for k, v in sorted((load or {}).items(), key=lambda kv: str(kv[0]))},
    }


def snapshot_hash(**inputs):
    """SHA-256 of the canonical JSON of the draw's inputs (pool, application, sizes, load)."""
    return _hash(canonical_snapshot(**inputs))


def _hash(snapshot):
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exclusion(expert, application, load):
    """The reason code ``expert`` may not sit on ``application``'s panel, or None."""
    if not expert["active"]:
        return "inactive"
    if application["city"] and application["city"] in expert["conflict_cities"]:
        return "declared_city"
    if set(expert["conflict_employers"]) & set(application["units"]):
        return "declared_employer"
    if expert["city"] and expert["city"] == application["city"]:
        return "employer_city"
    if expert["province"] and expert["province"] == application["province"]:
        return "same_province"
    if load.get(expert["id"], 0) >= expert["load_limit"]:
        return "load_limit"
    if application["speciality"] and application["speciality"] not in expert["specialities"]:
        return "speciality"
    return None


def draw_panel(*, pool, application, size, reserves, seed, load=None):
    """Draw ``size`` members and ``reserves`` reserves for ``application`` from ``pool``.

    Returns ``{"members": [id…], "reserves": [id…], "leader": id | None, "excluded": [{"expert": id,
    "reason": code}…], "shortfall": int, "seed": seed, "pool_hash": hex}``; ``shortfall`` counts the
    members missing when too few experts are eligible (the caller refuses such a draw).
    """
    if size < 1 or reserves < 0:
        raise ValueError("size must be at least 1 and reserves not negative")
    return draw_snapshot(canonical_snapshot(pool=pool, application=application, size=size, reserves=reserves,
                                            load=load), seed=seed)


def draw_snapshot(snapshot, *, seed):
    """``draw_panel`` on inputs already in canonical form (``canonical_snapshot``'s result): the pool is
    put in canonical form and hashed once, not once for the draw and again for its record."""
    size, reserves = snapshot["size"], snapshot["reserves"]
    if size < 1 or reserves < 0:
        raise ValueError("size must be at least 1 and reserves not negative")
    app = snapshot["application"]
    loads = {e["id"]: snapshot["load"].get(str(e["id"]), 0) for e in snapshot["pool"]}
    excluded, eligible = [], []
    for expert in snapshot["pool"]:
        reason = exclusion(expert, app, loads)
        if reason:
            excluded.append({"expert": expert["id"], "reason": reason})
        else:
            eligible.append(expert)
    rng = random.Random(f"{seed}")  # a str seed is hashed the same way on every platform and version
    ties = {expert["id"]: rng.random() for expert in eligible}  # drawn in id order: reproducible
    ordered = sorted(eligible, key=lambda e: (loads[e["id"]], ties[e["id"]]))
    members, spare = ordered[:size], ordered[size:size + reserves]
    leader = next((e["id"] for e in members if e["can_lead"]), members[0]["id"] if members else None)
    return {
        "members": [e["id"] for e in members], "reserves": [e["id"] for e in spare], "leader": leader,
        "excluded": excluded, "shortfall": max(0, size - len(members)), "seed": seed,
        "pool_hash": _hash(snapshot),
    }
