"""Ecosystem folders whose causal structure is drawn at random, seed by seed.

    .venv/bin/python bench/worlds.py SEED OUTDIR [--accounts N --partners P --deals D]
                                                [--leaky-lists]

Each seed draws which drivers make a partner work a deal and win it, and how strongly:
the relationship (the partner lists the account), latent affinities of each partner to
industries, regions, segments and products (in ``world.json`` only, never a column),
capacity, network effects of past joint wins in the account's industry, role fit by
stage (new logo or expansion), certification (mattering for some products only), a
partner that hurts win rates, confounding by segment and deal size, and the length of
the history. Partners gain the accounts they work, so their lists grow with the deals.

The folder is in the samples' layout. Partner lists are snapshots exported before the
test period (``as_of`` in partners.csv: two per partner), so they carry no trace of the
test deals; ``--leaky-lists`` instead writes one undated list per partner as exported at
the end, with every account gained through deals. ``ground_truth.csv`` names each
record's company; ``world.json`` holds the drawn structure and, per won partner deal of
the test period (from the median creation date, as ``overlap backtest --cutoff 0.5``),
the world's own probability that each partner worked it: the oracle.
"""

from __future__ import annotations

import argparse
import heapq
import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

INDUSTRIES = (
    "Technology",
    "Manufacturing",
    "Healthcare",
    "Finance",
    "Retail",
    "Energy",
    "Education",
    "Logistics",
)
COUNTRIES = ("United States", "Germany", "France", "United Kingdom", "Canada", "Japan")
SEGMENTS = ("smb", "mid", "enterprise")
EMPLOYEES = ((5, 100), (100, 1000), (1000, 20000))
PRODUCTS = ("Platform", "Data Hub", "Analytics", "Connect", "Secure", "Workflow")
PRICES = (48000.0, 36000.0, 24000.0, 18000.0, 30000.0, 15000.0)
ROLES = ("sell", "service", "advise", "manage", "build")
ROLE_FIT = {"sell": (1.0, 0.0), "advise": (1.0, 0.3), "service": (0.2, 1.0), "manage": (0.0, 1.0)}
"""Fit of each role to a new logo and to an expansion deal (``build``: neither)."""
START = date(2021, 1, 1)
DRIVERS = (
    "relationship",
    "affinity",
    "capacity",
    "network",
    "role_fit",
    "certification",
    "harmful_partner",
    "confounding",
)


@dataclass(frozen=True)
class Structure:
    """The drawn causal structure of one world (what ``world.json`` records)."""

    active: dict[str, bool]
    strength: dict[str, float]
    history_days: int
    cert_products: list[int]
    harmful: int | None
    affinity: dict[str, np.ndarray]
    quality: np.ndarray
    capacity: np.ndarray

    def as_json(self, partner_ids: list[str]) -> dict[str, Any]:
        return {
            "active": self.active,
            "strength": self.strength,
            "history_days": self.history_days,
            "cert_products": [PRODUCTS[j] for j in self.cert_products],
            "harmful_partner": None if self.harmful is None else partner_ids[self.harmful],
            "affinity": {k: v.round(3).tolist() for k, v in self.affinity.items()},
            "quality": self.quality.round(3).tolist(),
            "capacity": self.capacity.round(3).tolist(),
        }


def draw_structure(rng: np.random.Generator, n_partners: int) -> Structure:
    """Which drivers act in this world, and how strongly."""
    active = {d: bool(rng.random() < 0.7) for d in DRIVERS}
    strength = {d: float(rng.uniform(0.3, 2.0)) if active[d] else 0.0 for d in DRIVERS}
    dims = {"industry": len(INDUSTRIES), "region": len(COUNTRIES), "segment": 3}
    affinity = {k: rng.normal(0, 1, (n_partners, n)) for k, n in dims.items()}
    affinity["product"] = rng.normal(0, 1, (n_partners, len(PRODUCTS)))
    n_cert = int(rng.integers(1, len(PRODUCTS)))
    return Structure(
        active=active,
        strength=strength,
        history_days=int(rng.integers(540, 1460)),
        cert_products=sorted(rng.choice(len(PRODUCTS), n_cert, replace=False).tolist()),
        harmful=int(rng.integers(n_partners)) if active["harmful_partner"] else None,
        affinity=affinity,
        quality=rng.normal(0, 0.4, n_partners),
        capacity=rng.gamma(2.0, 1.0, n_partners),
    )


@dataclass(frozen=True)
class Companies:
    """The world's companies: the first ``n_vendor`` are the vendor's accounts."""

    industry: np.ndarray
    country: np.ndarray
    segment: np.ndarray
    employees: np.ndarray
    n_vendor: int


def draw_companies(rng: np.random.Generator, n_vendor: int) -> Companies:
    n = n_vendor + n_vendor // 2
    segment = rng.choice(3, n, p=[0.55, 0.3, 0.15])
    low, high = np.array(EMPLOYEES).T
    employees = rng.integers(low[segment], high[segment])
    return Companies(
        rng.integers(len(INDUSTRIES), size=n),
        rng.integers(len(COUNTRIES), size=n),
        segment,
        employees,
        n_vendor,
    )


def affinity(s: Structure, companies: Companies) -> np.ndarray:
    """Partner x company affinity, products aside."""
    a = s.affinity
    total = (
        a["industry"][:, companies.industry]
        + a["region"][:, companies.country]
        + a["segment"][:, companies.segment]
    )
    return s.strength["affinity"] * total / 2.0


@dataclass
class Partners:
    ids: list[str]
    roles: list[str]
    certified: np.ndarray  # partner x product


def draw_partners(rng: np.random.Generator, n: int) -> Partners:
    certified = rng.random((n, len(PRODUCTS))) < 0.35
    return Partners(
        [f"PRT-{i + 1:03d}" for i in range(n)], rng.choice(ROLES, n).tolist(), certified
    )


def simulate(
    rng: np.random.Generator,
    s: Structure,
    companies: Companies,
    partners: Partners,
    n_deals: int,
) -> tuple[pl.DataFrame, np.ndarray, dict[int, np.ndarray]]:
    """The deals, when each partner started listing each company (days; inf: never) and,
    per won partner deal, the world's probability of each partner (by deal row)."""
    n_p, n_c, n_v = len(partners.ids), len(companies.industry), companies.n_vendor
    base_listing = affinity(s, companies) + rng.normal(-2.2, 1.0, (n_p, 1))
    since = np.where(
        rng.random((n_p, n_c)) < 1 / (1 + np.exp(-base_listing)),
        -rng.integers(1, 720, (n_p, n_c)).astype(np.float64),
        np.inf,
    )
    created = np.sort(rng.integers(0, s.history_days, n_deals))
    weight = np.array([1.0, 1.6, 2.5])[companies.segment[:n_v]]
    accounts = rng.choice(n_v, n_deals, p=weight / weight.sum())
    products = rng.integers(len(PRODUCTS), size=n_deals)
    segment = companies.segment[accounts]
    size = rng.lognormal(0, 0.5, n_deals) * np.array([0.3, 1.0, 3.0])[segment]
    amount = (np.array(PRICES)[products] * size).round(-2)
    close = created + rng.integers(20, 200, n_deals)
    conf = s.strength["confounding"]
    involve = 1 / (1 + np.exp(-(rng.uniform(-0.6, 0.6) + conf * (segment - 1))))
    partnered = rng.random(n_deals) < involve
    outcome = np.zeros(n_deals, dtype=bool)
    chosen = np.full(n_deals, -1)
    customer_since = np.full(n_c, np.inf)
    industry_wins = np.zeros((n_p, len(INDUSTRIES)))
    pending: list[tuple[int, int, int]] = []  # (close day, partner, industry) of won deals
    oracle: dict[int, np.ndarray] = {}
    role_fit = np.array([ROLE_FIT.get(r, (0.0, 0.0)) for r in partners.roles])
    cert_matters = np.isin(np.arange(len(PRODUCTS)), s.cert_products)
    harm = np.zeros(n_p)
    if s.harmful is not None:
        harm[s.harmful] = -s.strength["harmful_partner"] - 0.5
    for d in range(n_deals):
        day, a, j = created[d], accounts[d], products[d]
        while pending and pending[0][0] < day:
            _, p, i = heapq.heappop(pending)
            industry_wins[p, i] += 1
        listed = (since[:, a] <= day).astype(np.float64)
        stage = int(customer_since[a] < day)  # 0: new logo, 1: expansion
        aff = _deal_affinity(s, companies, a, j)
        cert = partners.certified[:, j] * cert_matters[j]
        st = s.strength
        utility = (
            st["relationship"] * 1.5 * listed
            + aff
            + st["capacity"] * np.log(s.capacity)
            + st["network"] * np.log1p(industry_wins[:, companies.industry[a]])
            + st["role_fit"] * role_fit[:, stage]
            + st["certification"] * cert
        )
        choice = np.exp(utility - utility.max())
        choice /= choice.sum()
        win_logit = (
            -0.3
            - conf * 0.5 * (segment[d] - 1)
            - conf * 0.3 * np.log(size[d])
            + s.quality
            + 0.6 * aff
            + st["certification"] * 0.8 * cert
            + st["relationship"] * 0.5 * listed
            + harm
        )
        p_win = 1 / (1 + np.exp(-win_logit))
        if partnered[d]:
            p = int(rng.choice(n_p, p=choice))
            chosen[d] = p
            outcome[d] = rng.random() < p_win[p]
            since[p, a] = min(since[p, a], day + 7)  # the partner now knows the account
            posterior = choice * p_win
            if outcome[d]:
                oracle[d] = posterior / posterior.sum()
                heapq.heappush(pending, (int(close[d]), p, int(companies.industry[a])))
        else:
            outcome[d] = rng.random() < 1 / (1 + np.exp(-(-0.6 - conf * 0.5 * (segment[d] - 1))))
        if outcome[d]:
            customer_since[a] = min(customer_since[a], close[d])
    deals = pl.DataFrame(
        {
            "deal_id": [f"DL-{d + 1:06d}" for d in range(n_deals)],
            "account_id": [account_id(a) for a in accounts],
            "product": [f"Atlas {PRODUCTS[j]}" for j in products],
            "amount": amount,
            "created_date": [START + timedelta(days=int(x)) for x in created],
            "close_date": [START + timedelta(days=int(x)) for x in close],
            "outcome": np.where(outcome, "won", "lost"),
            "partner_id": [partners.ids[p] if p >= 0 else None for p in chosen],
            "partner_touch_date": [
                START + timedelta(days=int(x) + 7) if p >= 0 else None
                for x, p in zip(created, chosen, strict=True)
            ],
        }
    )
    return deals, since, oracle


def _deal_affinity(s: Structure, companies: Companies, a: int, j: int) -> np.ndarray:
    """Per partner: its affinity to company ``a`` and product ``j``."""
    x = s.affinity
    total = (
        x["industry"][:, companies.industry[a]]
        + x["region"][:, companies.country[a]]
        + x["segment"][:, companies.segment[a]]
        + x["product"][:, j]
    )
    return s.strength["affinity"] * total / 2.0


def account_id(company: int) -> str:
    return f"ACC-{company + 1:06d}"


def company_name(company: int) -> str:
    return f"Company {company + 1:06d} Ltd"


def domain(company: int) -> str:
    return f"company{company + 1:06d}.example.com"


def write_world(
    seed: int,
    directory: Path,
    *,
    n_accounts: int = 3000,
    n_partners: int = 12,
    n_deals: int = 4000,
    leaky_lists: bool = False,
) -> Path:
    """Draw world ``seed`` and write its folder into ``directory``; returns the folder.

    ``directory`` must be new, empty or an earlier world's folder (which is replaced).
    """
    rng = np.random.default_rng(seed)
    structure = draw_structure(rng, n_partners)
    companies = draw_companies(rng, n_accounts)
    partners = draw_partners(rng, n_partners)
    deals, since, oracle = simulate(rng, structure, companies, partners, n_deals)
    if (directory / "world.json").is_file():
        shutil.rmtree(directory)
    elif directory.exists() and any(directory.iterdir()):
        raise SystemExit(f"{directory} holds files but no world: give a new or empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    created = deals["created_date"].sort()
    cutoff = created[int(0.5 * (len(created) - 1))]
    _vendor(rng, companies, deals).write_csv(directory / "vendor_crm.csv")
    truth = [
        pl.DataFrame(
            {
                "file": "vendor_crm.csv",
                "id": [account_id(c) for c in range(n_accounts)],
                "entity_id": [str(c) for c in range(n_accounts)],
            }
        )
    ]
    starting = rng.random(since.shape) < 0.5  # a listed company's status before any deal
    exports: list[date | None] = (
        [None] if leaky_lists else [START + (cutoff - START) / 4, cutoff - timedelta(days=14)]
    )
    rows = []
    for p, pid in enumerate(partners.ids):
        for exported in exports:
            day = np.inf if exported is None else (exported - START).days
            listed = np.flatnonzero(np.isfinite(since[p]) & (since[p] <= day))
            won = deals.filter(
                pl.col("partner_id") == pid,
                pl.col("outcome") == "won",
                pl.col("close_date") < (exported or date.max),
            )["account_id"]
            gained = np.isin([account_id(c) for c in listed], won.to_list())
            name = f"partner_{pid.lower()}_{exported or 'end'}.csv"
            ids = [f"{pid}-{c + 1}" for c in listed]
            pl.DataFrame(
                {
                    "Record ID": ids,
                    "Company name": [company_name(c) for c in listed],
                    "Company Domain Name": [domain(c) for c in listed],
                    "Country/Region": [COUNTRIES[i] for i in companies.country[listed]],
                    "Industry": [INDUSTRIES[i] for i in companies.industry[listed]],
                    "Lifecycle Stage": np.where(
                        gained | starting[p, listed], "customer", "lead"
                    ).tolist(),
                }
            ).write_csv(directory / name)
            truth.append(
                pl.DataFrame({"file": name, "id": ids, "entity_id": [str(c) for c in listed]})
            )
            rows.append(
                {
                    "partner_id": pid,
                    "name": f"Partner {pid[4:]}",
                    "type": "reseller" if partners.roles[p] == "sell" else "system_integrator",
                    "role": partners.roles[p],
                    "tier": ("silver", "gold", "platinum")[min(int(structure.capacity[p]), 2)],
                    "certifications": ";".join(
                        f"Atlas {PRODUCTS[j]}" for j in np.flatnonzero(partners.certified[p])
                    ),
                    "points": int(structure.capacity[p] * 1000),
                    "file": name,
                    "as_of": exported,
                }
            )
    directory_frame = pl.DataFrame(rows)
    if leaky_lists:
        directory_frame = directory_frame.drop("as_of")
    directory_frame.write_csv(directory / "partners.csv")
    pl.DataFrame(
        {
            "product_id": [f"PRD-{j + 1:02d}" for j in range(len(PRODUCTS))],
            "name": [f"Atlas {x}" for x in PRODUCTS],
            "family": list(PRODUCTS),
            "list_price": list(PRICES),
        }
    ).write_csv(directory / "products.csv")
    deals.write_csv(directory / "deals.csv")
    pl.concat(truth).write_csv(directory / "ground_truth.csv")
    tests = [
        {
            "deal_id": deals["deal_id"][d],
            "partner_id": deals["partner_id"][d],
            "probabilities": dict(zip(partners.ids, probs.round(6).tolist(), strict=True)),
        }
        for d, probs in sorted(oracle.items())
        if deals["created_date"][d] >= cutoff
    ]
    world = {
        "seed": seed,
        "accounts": n_accounts,
        "partners": n_partners,
        "deals": n_deals,
        "leaky_lists": leaky_lists,
        "cutoff": str(cutoff),
        "structure": structure.as_json(partners.ids),
        "oracle": tests,
    }
    (directory / "world.json").write_text(json.dumps(world, indent=1))
    return directory


def _vendor(rng: np.random.Generator, companies: Companies, deals: pl.DataFrame) -> pl.DataFrame:
    """The vendor's CRM today: every account, a customer once it won a deal."""
    n = companies.n_vendor
    customers = set(deals.filter(pl.col("outcome") == "won")["account_id"])
    ids = [account_id(c) for c in range(n)]
    return pl.DataFrame(
        {
            "Account ID": ids,
            "Account Name": [company_name(c) for c in range(n)],
            "Website": [domain(c) for c in range(n)],
            "Billing Country": [COUNTRIES[i] for i in companies.country[:n]],
            "Industry": [INDUSTRIES[i] for i in companies.industry[:n]],
            "Employees": companies.employees[:n],
            "Type": ["Customer - Direct" if i in customers else "Prospect" for i in ids],
            "Created Date": [START - timedelta(days=int(x)) for x in rng.integers(1, 900, n)],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--accounts", type=int, default=3000)
    parser.add_argument("--partners", type=int, default=12)
    parser.add_argument("--deals", type=int, default=4000)
    parser.add_argument("--leaky-lists", action="store_true")
    args = parser.parse_args()
    folder = write_world(
        args.seed,
        args.outdir,
        n_accounts=args.accounts,
        n_partners=args.partners,
        n_deals=args.deals,
        leaky_lists=args.leaky_lists,
    )
    print(f"wrote world {args.seed} to {folder}")


if __name__ == "__main__":
    main()
