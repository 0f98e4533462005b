"""Registrable domains of websites and e-mail addresses, by the Public Suffix List.

"https://www.Acme.co.uk/about?x=1" -> "acme.co.uk", "jane@sales.acme.de" -> "acme.de".
The suffix list is the snapshot bundled with tldextract (no network), ICANN and
private sections both, so that "shop.myshopify.com" is one shop and not Shopify.
Rules of more than four labels (cloud endpoints) are left out.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import NamedTuple

import polars as pl
import tldextract

_MAX_SUFFIX_LABELS = 4

# Values people type when they have no website or address: null for websites too.
PLACEHOLDER_DOMAINS = frozenset(
    {"test.com", "domain.com", "none.com", "noemail.com", "nomail.com", "no-email.com"}
)
PLACEHOLDER_FAMILIES = frozenset({"example"})  # example.com, example.org, example.co.uk

# The host ends at a port, path, query, fragment, or the next address of a list.
_HOST = r"^[^/?#:\s;,<>]+"


class _SuffixRules(NamedTuple):
    suffixes: pl.Series  # every public suffix, including the parents of wildcards
    wildcards: pl.Series  # "ck" for the rule "*.ck": every label under it is a suffix
    exceptions: pl.Series  # "www.ck" for the rule "!www.ck": not a suffix after all


class _FreeMail(NamedTuple):
    domains: frozenset[str]
    families: frozenset[str]  # "yahoo" for "yahoo.*"


@cache
def _suffix_rules() -> _SuffixRules:
    # No fetching and no cache: the snapshot in the package. tldextract has no public
    # accessor for the rules themselves.
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    rules = extractor._get_tld_extractor().tlds_incl_private
    suffixes, wildcards, exceptions = set(), set(), set()
    for rule in rules:
        if rule.startswith("!"):
            exceptions.add(rule[1:])
        elif rule.startswith("*."):
            wildcards.add(rule[2:])
            suffixes.add(rule[2:])
        else:
            suffixes.add(rule)

    def series(names: set[str], max_labels: int) -> pl.Series:
        spelled = (names | {_punycode(name) for name in names}) - {""}
        # One list value: ``is_in`` reads it as the set to look in.
        return pl.Series([name for name in spelled if name.count(".") < max_labels]).implode()

    return _SuffixRules(
        series(suffixes, _MAX_SUFFIX_LABELS),
        series(wildcards, _MAX_SUFFIX_LABELS - 1),
        series(exceptions, _MAX_SUFFIX_LABELS),
    )


def _punycode(name: str) -> str:
    """The ASCII spelling of an internationalised suffix ("рф" -> "xn--p1ai"); "" if none."""
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


@cache
def _free_mail() -> _FreeMail:
    text = resources.files("overlap.normalise").joinpath("free_mail.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    entries = [line for line in lines if line and not line.startswith("#")]
    return _FreeMail(
        frozenset(entry for entry in entries if not entry.endswith(".*")),
        frozenset(entry.removesuffix(".*") for entry in entries if entry.endswith(".*")),
    )


def _registrable(host: pl.Expr) -> pl.Expr:
    """Struct with the registrable domain of a lower-case host and its first label.

    "sales.acme.co.uk" -> {"domain": "acme.co.uk", "name": "acme"}; both null for
    a host that is a public suffix itself ("co.uk") or has no known one
    ("localhost", "acme.local", an IP address).
    """
    rules = _suffix_rules()
    longest = _MAX_SUFFIX_LABELS + 1
    # Struct fields hold the steps, so that each is computed once.
    steps = pl.struct(labels=host.str.split("."))
    steps = steps.struct.with_fields(
        count=pl.field("labels").list.len(),
        **{
            f"label{k}": pl.field("labels").list.get(-k, null_on_oob=True)
            for k in range(1, longest + 1)
        },
    )
    # tail{k}: the last k labels; null when the host has fewer.
    tails = {
        f"tail{k}": pl.concat_str([pl.field(f"label{j}") for j in range(k, 0, -1)], separator=".")
        for k in range(1, longest + 1)
    }
    steps = steps.struct.with_fields(**tails)
    # The number of labels of the longest public suffix that ends the host.
    suffix_cases = []
    for k in range(_MAX_SUFFIX_LABELS, 0, -1):
        tail = pl.field(f"tail{k}")
        is_suffix = tail.is_in(rules.suffixes)
        if k > 1:
            parent = pl.field(f"tail{k - 1}")
            is_suffix |= parent.is_in(rules.wildcards) & ~tail.is_in(rules.exceptions)
        suffix_cases.append(pl.when(is_suffix).then(k))
    steps = steps.struct.with_fields(suffix=pl.coalesce(suffix_cases))
    # One label more than the suffix, if the host has it.
    domain, name = [], []
    for k in range(1, longest):
        found = (pl.field("suffix") == k) & (pl.field("count") > k)
        domain.append(pl.when(found).then(pl.field(f"tail{k + 1}")))
        name.append(pl.when(found).then(pl.field(f"label{k + 1}")))
    return steps.struct.with_fields(domain=pl.coalesce(domain), name=pl.coalesce(name))


def domain_from(expr: pl.Expr) -> pl.Expr:
    """The registrable domain of a URL, bare host or e-mail address; null if none.

    Scheme, user info, "www.", port, path, query and fragment are dropped, and the
    host is cut to its registrable domain: "https://www.Acme.co.uk/about?x=1" ->
    "acme.co.uk", "mailto:jane@sales.acme.de" -> "acme.de". Placeholders ("n/a",
    "none", "example.com") give null, and so does an e-mail address at a free-mail
    provider ("jane@gmail.com"); the provider's own website ("gmail.com") does not.
    """
    free_mail = _free_mail()
    steps = pl.struct(text=expr.str.strip_chars().str.to_lowercase())
    # After the scheme ("https://", "mailto:", "//"), and after the last "@": the
    # domain of an e-mail address, or the host after user info.
    after_scheme = (
        pl.field("text").str.strip_prefix("mailto:").str.strip_prefix("//").str.split("://")
    )
    host = after_scheme.list.last().str.split("@").list.last()
    host = host.str.extract(_HOST, 0).str.strip_chars(".")
    steps = steps.struct.with_fields(
        is_email=pl.field("text").str.contains("@", literal=True), host=host
    )
    steps = steps.struct.with_fields(found=_registrable(pl.field("host")))
    domain = pl.field("found").struct.field("domain")
    name = pl.field("found").struct.field("name")
    placeholder = domain.is_in(PLACEHOLDER_DOMAINS) | name.is_in(PLACEHOLDER_FAMILIES)
    mailbox = domain.is_in(free_mail.domains) | name.is_in(free_mail.families)
    keep = ~placeholder & ~(pl.field("is_email") & mailbox)
    return steps.struct.with_fields(result=pl.when(keep).then(domain)).struct.field("result")
