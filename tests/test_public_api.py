"""The public surface changes only on purpose."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import overlap
from builders import make_accounts


def test_the_public_names_are_exactly_these():
    assert sorted(overlap.__all__) == [
        "DedupeResult",
        "Ecosystem",
        "IngestResult",
        "InputError",
        "LinkResult",
        "MatchConfig",
        "MatchModel",
        "OverlapError",
        "Ranker",
        "Recommender",
        "co_sell",
        "dedupe",
        "default_model",
        "link",
        "load_ecosystem",
        "new_accounts",
        "normalise",
        "overlap_matrix",
        "read_accounts",
        "resolve_companies",
        "scorecard",
    ]


def test_importing_overlap_does_not_import_the_web_stack():
    code = "import sys, overlap; print(any(m in sys.modules for m in ('fastapi', 'uvicorn')))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_package_docstring_names_exactly_the_public_names():
    assert overlap.__doc__ is not None
    named = set(re.findall(r"``(\w+)``", overlap.__doc__))
    assert named == set(overlap.__all__)


def test_link_and_dedupe_return_typed_dataclasses_of_public_fields_only():
    fields = {
        result: {field.name: field.type for field in dataclasses.fields(result)}
        for result in (overlap.LinkResult, overlap.DedupeResult)
    }
    assert fields == {
        overlap.LinkResult: {
            "matches": "pl.DataFrame",
            "unsure": "pl.DataFrame",
            "candidates": "int",
            "review": "pl.DataFrame",
        },
        overlap.DedupeResult: {"clusters": "pl.DataFrame", "candidates": "int"},
    }


def test_link_gives_its_matches_the_pairs_to_review_and_how_many_pairs_it_compared():
    vendor = make_accounts([{"id": "v1", "name": "Kestrel Foods", "country": "US"}])
    partner = make_accounts([{"id": "p1", "name": "Kestrel Harbor Foods", "country": "US"}])
    result = overlap.link(vendor, partner)
    assert result.candidates == 1
    assert result.matches.columns == ["vendor_id", "partner_id", "score", "reason"]
    assert result.matches.is_empty()
    unsure = result.unsure.row(0, named=True)
    assert result.unsure.height == 1
    assert (unsure["vendor_id"], unsure["partner_id"]) == ("v1", "p1")
    assert 0.02 < unsure["score"] < 0.5
    assert unsure["reason"] == (
        "every word of 'Kestrel Foods' is in 'Kestrel Harbor Foods'; 'harbor' is not generic; "
        "both in US"
    )


def test_dedupe_gives_every_record_its_cluster_and_how_many_pairs_it_compared():
    frame = make_accounts(
        [{"id": "a", "name": "Kestrel Foods Inc"}, {"id": "b", "name": "KESTREL FOODS"}]
    )
    result = overlap.dedupe(frame)
    assert result.clusters.columns == ["id", "cluster_id", "score"]
    assert result.clusters["cluster_id"].to_list() == ["a", "a"]
    assert result.candidates == 1
