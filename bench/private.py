"""Private matching beside the plaintext engine: accuracy, cost at 100k x 100k, attacks.

    .venv/bin/python bench/private.py accuracy [--datasets samples_link,chicago_link,...]
    .venv/bin/python bench/private.py cost [--n 100000]
    .venv/bin/python bench/private.py attack
    .venv/bin/python bench/private.py fit      # refits src/overlap/private/default_model.json

accuracy: pairwise precision, recall and F1 of the plaintext engine (`overlap match`), PSI at
the overlap level (pairs joined on the tokens both parties learn) and the Bloom-filter
encodings, whose candidate_recall is the share of true pairs blocking brings together.
PSI's recall is also given on the true pairs that share a domain or registry id, beside
the plaintext engine's on the same pairs, with the share of true pairs they are.
cost: CPU seconds per side and bytes on the wire of PSI and of the encodings, on generated
lists. attack: the frequency attack of `frequency_attack.py` with and without hardening.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl

from datasets import LINK_DATASETS, SAMPLES, LinkTask
from frequency_attack import hit_rate, word_hit_rate
from metrics import link_scores
from overlap import schema
from overlap.ingest import read_accounts
from overlap.private import psi
from overlap.private.bloom import Encoded, Encoding, encode
from overlap.private.compare import LEFT, RIGHT, candidates
from overlap.private.keys import KeyKind, exact_keys, normalised
from overlap.private.model import PairModel, features, match
from overlap.schema import SharingLevel
from peers import run_link

MODEL = Path(__file__).resolve().parents[1] / "src/overlap/private/default_model.json"
DEFAULT = (
    "samples_link,chicago_link,patstat_link,us_sp500_sec_dev,india_nse_bse_dev,europe_lse_xetra_dev"
)


def patstat_link(root: Path) -> LinkTask:
    """Patent applicants split in two lists by person id parity; equal ``leuven_id`` match."""
    from datasets import PATSTAT, REAL, link_truth

    frame = pl.read_csv(REAL / PATSTAT, infer_schema=False)
    odd = pl.col("person_id").cast(pl.Int64) % 2 == 1
    root.mkdir(parents=True, exist_ok=True)
    paths = root / "patstat_vendor.csv", root / "patstat_partner.csv"
    sides = frame.filter(odd), frame.filter(~odd)
    for side, path in zip(sides, paths, strict=True):
        side.select(
            pl.col("person_id").alias("Id"), pl.col("person_name").alias("Company Name")
        ).write_csv(path)
    left, right = (
        s.select(pl.col("person_id").alias("id"), pl.col("leuven_id").alias("entity_id"))
        for s in sides
    )
    truth = link_truth(left, right, partner_name=paths[1].name)
    return LinkTask("patstat_link", paths[0], (paths[1],), truth, "odd ids against even ids")


def _encoding_for(vendor: pl.DataFrame, partner: pl.DataFrame) -> Encoding:
    """The settings both parties would agree on: salt by country only when both lists fill it.

    A salt must be on every record of both sides: a token salted with "US" on one side and
    with nothing on the other sets other bits, and the pair no longer compares.
    """
    both = all(f[schema.COUNTRY_CODE].null_count() <= 0.05 * f.height for f in (vendor, partner))
    return Encoding() if both else Encoding(salt=None)


def psi_pairs(vendor: pl.DataFrame, partner: pl.DataFrame) -> pl.DataFrame:
    """PSI at the overlap level between two parties, pairs joined on their shared tokens."""
    a, offer_a = psi.offer(exact_keys(vendor), mode=SharingLevel.OVERLAP)
    b, offer_b = psi.offer(exact_keys(partner), mode=SharingLevel.OVERLAP)
    mine = psi.finish(a, offer_b, psi.reply(b, offer_a))
    theirs = psi.finish(b, offer_a, psi.reply(a, offer_b))
    return (
        mine.join(theirs, on=psi.MATCH_TOKEN)
        .select(
            pl.col(schema.ID).alias(schema.VENDOR_ID), pl.col("id_right").alias(schema.PARTNER_ID)
        )
        .unique()
    )


def _exact_truth(vendor: pl.DataFrame, partner: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """True pairs that share a domain or a registry id."""
    kinds = [KeyKind.DOMAIN, KeyKind.REGISTRY]
    v, p = exact_keys(vendor), exact_keys(partner)
    shared = pl.concat(
        v.select(pl.col(schema.ID).alias(schema.VENDOR_ID), pl.col(k).alias("_k"))
        .drop_nulls()
        .join(p.select(pl.col(schema.ID).alias(schema.PARTNER_ID), pl.col(k).alias("_k")), on="_k")
        .select(schema.VENDOR_ID, schema.PARTNER_ID)
        for k in kinds
    )
    return truth.join(shared.unique(), on=[schema.VENDOR_ID, schema.PARTNER_ID], how="semi")


def accuracy(names: list[str]) -> None:
    secret = secrets.token_bytes(32)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            make = patstat_link if name == "patstat_link" else LINK_DATASETS[name]
            task = make(Path(tmp) / name)
            if task is None:
                print(f"{name}: not built, skipped")
                continue
            plain = run_link("overlap", task.vendor, task.partners, Path(tmp), timeout=None)
            vendor = normalised(read_accounts(task.vendor).accounts)
            rows = []
            for partner_path in task.partners:
                truth = task.truth.filter(pl.col("partner") == partner_path.name).select(
                    schema.VENDOR_ID, schema.PARTNER_ID
                )
                partner = normalised(read_accounts(partner_path).accounts)
                encoding = _encoding_for(vendor, partner)
                encoded = (
                    encode(vendor, secret, encoding=encoding),
                    encode(partner, secret, encoding=encoding),
                )
                bloom, adapted = match(*encoded), match(*encoded, adapt=True)
                found = (
                    plain.output.filter(pl.col("partner") == partner_path.name)
                    if plain.output is not None
                    else None
                )
                candidate = link_scores(_named(*encoded, candidates(*encoded)), truth)
                exact = _exact_truth(vendor, partner, truth)
                psi_found = psi_pairs(vendor, partner)
                for tool, pairs in (
                    ("plaintext", found),
                    ("psi", psi_found),
                    ("bloom", bloom),
                    ("bloom+em", adapted),
                ):
                    if pairs is None:
                        continue
                    s, e = link_scores(pairs, truth), link_scores(pairs, exact)
                    rows.append(
                        {
                            "partner": partner_path.name,
                            "tool": tool,
                            "precision": s.precision,
                            "recall": s.recall,
                            "f1": s.f1,
                            "recall_exact": e.recall,
                            "exact_share": exact.height / max(truth.height, 1),
                            "true": truth.height,
                            "candidate_recall": candidate.recall if "bloom" in tool else None,
                        }
                    )
            with pl.Config(tbl_rows=50, tbl_cols=20, float_precision=3, tbl_width_chars=200):
                print(f"\n{name} ({task.note})")
                print(pl.DataFrame(rows))


def cost(n: int) -> None:
    from overlap.samples import generate_linkage_pair

    left, right, truth = generate_linkage_pair(n, overlap=0.3, seed=0)
    vendor, partner = normalised(left), normalised(right)
    cpu = {"vendor": 0.0, "partner": 0.0}

    def timed(side: str, step, *args, **kwargs):
        start = time.process_time()
        out = step(*args, **kwargs)
        cpu[side] += time.process_time() - start
        return out

    for side, frame in (("vendor", vendor), ("partner", partner)):
        timed(side, exact_keys, frame)
    a, offer_a = timed("vendor", lambda: psi.offer(exact_keys(vendor), mode="overlap"))
    b, offer_b = timed("partner", lambda: psi.offer(exact_keys(partner), mode="overlap"))
    reply_b = timed("partner", psi.reply, b, psi.Message.from_json(offer_a.to_json(), step="offer"))
    reply_a = timed("vendor", psi.reply, a, psi.Message.from_json(offer_b.to_json(), step="offer"))
    timed("vendor", psi.finish, a, offer_b, reply_a)
    timed("partner", psi.finish, b, offer_a, reply_b)
    wire = sum(len(m.to_json()) for m in (offer_a, offer_b, reply_a, reply_b))
    print(
        f"PSI {n:,} x {n:,} (overlap level): CPU vendor {cpu['vendor']:.1f} s, "
        f"partner {cpu['partner']:.1f} s; on the wire {wire / 1e6:.1f} MB (4 JSON messages)"
    )
    secret = secrets.token_bytes(32)
    cpu = {"vendor": 0.0, "partner": 0.0}
    enc_v = timed("vendor", encode, vendor, secret)
    enc_p = timed("partner", encode, partner, secret)
    with tempfile.TemporaryDirectory() as tmp:
        from overlap.private.files import write_encodings

        path = Path(tmp) / "partner.clk.jsonl"
        timed("partner", write_encodings, enc_p, path)
        size = path.stat().st_size
    start = time.process_time()
    pairs = match(enc_v, enc_p)
    matching = time.process_time() - start
    scores = link_scores(pairs, truth)
    print(
        f"Bloom {n:,} x {n:,}: encode CPU vendor {cpu['vendor']:.1f} s, partner "
        f"{cpu['partner']:.1f} s; one side's encodings on the wire {size / 1e6:.1f} MB; "
        f"matching CPU {matching:.1f} s ({pairs.height:,} pairs: precision "
        f"{scores.precision:.3f}, recall {scores.recall:.3f})"
    )


def _named(left: Encoded, right: Encoded, pairs: pl.DataFrame) -> pl.DataFrame:
    """``vendor_id, partner_id`` of row pairs of two encoded lists."""
    return pl.DataFrame(
        {
            schema.VENDOR_ID: np.array(left.ids, dtype=object)[pairs[LEFT].to_numpy()],
            schema.PARTNER_ID: np.array(right.ids, dtype=object)[pairs[RIGHT].to_numpy()],
        },
        schema={schema.VENDOR_ID: pl.String, schema.PARTNER_ID: pl.String},
    )


def _labelled(
    vendor: pl.DataFrame, partner: pl.DataFrame, truth: pl.DataFrame, secret: bytes
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the candidate pairs of two normalised lists."""
    encoding = _encoding_for(vendor, partner)
    enc_v = encode(vendor, secret, encoding=encoding, rng=np.random.default_rng(0))
    enc_p = encode(partner, secret, encoding=encoding, rng=np.random.default_rng(1))
    pairs = candidates(enc_v, enc_p)
    named = _named(enc_v, enc_p, pairs)
    label = truth.select(schema.VENDOR_ID, schema.PARTNER_ID, pl.lit(True).alias("_y"))
    y = named.join(label, on=[schema.VENDOR_ID, schema.PARTNER_ID], how="left")["_y"]
    return features(enc_v, enc_p, pairs), y.fill_null(False).to_numpy()


def fit() -> None:
    """Fit the pair model on the generated samples and, as the plaintext model is fitted
    (``matching.train``), on the real development splits (never the test splits), which
    carry ``REAL_SHARE`` of the weight."""
    from overlap.matching.train import REAL_LISTS, REAL_SHARE

    samples = LINK_DATASETS["samples_link"](SAMPLES)
    assert samples is not None, "generate the samples first: make samples"
    tasks = [(samples, p) for p in samples.partners]
    for name in REAL_LISTS:
        task = LINK_DATASETS[name](Path())
        assert task is not None, f"build {name} first: bench/real_lists.py"
        tasks.append((task, task.partners[0]))
    secret = secrets.token_bytes(32)
    xs, ys, real = [], [], []
    for task, path in tasks:
        vendor = normalised(read_accounts(task.vendor).accounts)
        partner = normalised(read_accounts(path).accounts)
        truth = task.truth.filter(pl.col("partner") == path.name)
        x, y = _labelled(vendor, partner, truth, secret)
        xs.append(x)
        ys.append(y)
        real.append(np.full(len(y), task is not samples))
    is_real = np.concatenate(real)
    weight = np.where(is_real, REAL_SHARE / is_real.sum(), (1 - REAL_SHARE) / (~is_real).sum())
    model = PairModel().fit(np.concatenate(xs), np.concatenate(ys), weight=weight * len(weight))
    model.save(MODEL)
    print(json.dumps(model.to_dict(), indent=2))


def attack() -> None:
    print("Share of the 20 most common names re-identified from their name (bigrams) and")
    print("words filters; the words filter is counted (never balanced) by design")
    for label, encoding in (
        ("no hardening", Encoding(salt=None, balanced=False, flip=0.0)),
        ("salt only", Encoding(flip=0.0, balanced=False)),
        ("balancing only", Encoding(salt=None, flip=0.0)),
        ("flips only", Encoding(salt=None, balanced=False)),
        ("all (default)", Encoding()),
    ):
        rates = [
            hit_rate(encoding, near=near, field=field)
            for field in ("name", "words")
            for near in (1.0, 0.9)
        ]
        print(
            f"{label:16} name: exact-pattern {rates[0]:.2f}, near-pattern {rates[1]:.2f}   "
            f"words: exact-pattern {rates[2]:.2f}, near-pattern {rates[3]:.2f}"
        )
    print("\nShare of the 20 most common name words re-identified from the keyed words by")
    print("how many accounts send each key (word_keys), by the most accounts a sent word has")
    for cap in (10**9, 50, 20, 10, 5):
        rates = [
            word_hit_rate(replace(e, max_holders=cap)) for e in (Encoding(salt=None), Encoding())
        ]
        label = "no cap" if cap == 10**9 else f"at most {cap}"
        print(f"{label:16} unsalted {rates[0]:.2f}, salted by country {rates[1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["accuracy", "cost", "attack", "fit"])
    parser.add_argument("--datasets", default=DEFAULT)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.what == "accuracy":
        accuracy(args.datasets.split(","))
    elif args.what == "cost":
        cost(args.n)
    elif args.what == "fit":
        fit()
    else:
        attack()
    return 0


if __name__ == "__main__":
    sys.exit(main())
