"""Registrable domains of websites and e-mail addresses, by the Public Suffix List.

"https://www.Acme.co.uk/about?x=1" -> "acme.co.uk", "jane@sales.acme.de" -> "acme.de".
The suffix list is the snapshot bundled with tldextract (no network), ICANN and
private sections both, so that "shop.myshopify.com" is one shop and not Shopify.
Rules of more than four labels (cloud endpoints) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import NamedTuple

import polars as pl
import tldextract

from overlap.normalise.text import per_distinct

_MAX_SUFFIX_LABELS = 4

# Values people type when they have no website or address: null for websites too.
PLACEHOLDER_DOMAINS = frozenset(
    {"test.com", "domain.com", "none.com", "noemail.com", "nomail.com", "no-email.com"}
)
PLACEHOLDER_FAMILIES = frozenset({"example"})  # example.com, example.org, example.co.uk

# The host ends at a port, path, query, fragment, or the next address of a list:
# everything from the first of these characters on.
_AFTER_HOST = r"[/?#:\s;,<>][\s\S]*"
# A cell holding a list ("acme.com; acme.de", "https://acme.com | https://acme.de",
# "Jane Doe <jane@acme.com>"): its first item with a dot before a letter is the address.
_LIST_SIGNS = [";", ",", "|", " ", "\t", "\n"]
_FIRST_ADDRESS = r"([^;,|\s]*\.[^\W\d_][^;,|\s]*)"


class _SuffixRules(NamedTuple):
    suffixes: pl.Series  # every public suffix, including the parents of wildcards
    wildcards: pl.Series  # "ck" for the rule "*.ck": every label under it is a suffix
    exceptions: pl.Series  # "www.ck" for the rule "!www.ck": not a suffix after all
    # The last two labels of every suffix and wildcard of two labels or more: a host
    # whose last two labels are not among them has a suffix of one label at most.
    longer_ends: pl.Series


class _Hosts(NamedTuple):
    domains: frozenset[str]
    families: frozenset[str]  # "yahoo" for "yahoo.*"


@cache
def _suffix_rules() -> _SuffixRules:
    # No fetching and no cache: the snapshot in the package. tldextract has no public
    # accessor for the rules themselves.
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    rules = extractor._get_tld_extractor().tlds_incl_private
    # and the hosts the list leaves out whose every subdomain is a customer's own site
    suffixes, wildcards, exceptions = set(_listed("site_hosts.txt")), set(), set()
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

    suffix_rules = series(suffixes, _MAX_SUFFIX_LABELS)
    wildcard_rules = series(wildcards, _MAX_SUFFIX_LABELS - 1)
    ends = pl.concat([suffix_rules, wildcard_rules]).explode().str.extract(r"[^.]+\.[^.]+$", 0)
    longer_ends = ends.drop_nulls().unique()
    return _SuffixRules(
        suffix_rules,
        wildcard_rules,
        series(exceptions, _MAX_SUFFIX_LABELS),
        longer_ends.implode(),
    )


def _punycode(name: str) -> str:
    """The ASCII spelling of an internationalised suffix ("рф" -> "xn--p1ai"); "" if none."""
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def _listed(file: str) -> list[str]:
    """The entries of a list file of this package: a line each, "#" comments."""
    text = resources.files("overlap.normalise").joinpath(file).read_text("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


@cache
def _hosts(file: str) -> _Hosts:
    """Registrable domains, and families ("yahoo.*"), of a list file of this package."""
    entries = _listed(file)
    return _Hosts(
        frozenset(entry for entry in entries if not entry.endswith(".*")),
        frozenset(entry.removesuffix(".*") for entry in entries if entry.endswith(".*")),
    )


def _registrable(host: pl.Expr) -> pl.Expr:
    """The registrable domain of a lower-case host: "sales.acme.co.uk" -> "acme.co.uk".

    Null for a host that is a public suffix itself ("co.uk") or has no known one
    ("localhost", "acme.local", an IP address).
    """
    rules = _suffix_rules()
    # Struct fields hold the steps, so that each is computed once.
    steps = pl.struct(host=host, labels=host.str.split("."))
    steps = steps.struct.with_fields(
        last=pl.field("labels").list.get(-1, null_on_oob=True),
        second=pl.field("labels").list.get(-2, null_on_oob=True),
    )
    # Null for a host of one label.
    steps = steps.struct.with_fields(
        last_two=pl.concat_str(pl.field("second"), pl.field("last"), separator=".")
    )
    # Most hosts end in a suffix of one label ("acme.com"). The few whose last two labels
    # may end a longer suffix, or fall under a wildcard rule, are looked up label by label,
    # once per distinct host.
    maybe_longer = pl.field("last_two").is_in(rules.longer_ends)
    steps = steps.struct.with_fields(rare=maybe_longer | pl.field("last").is_in(rules.wildcards))
    steps = steps.struct.with_fields(
        rare_domain=per_distinct(
            pl.when(pl.field("rare")).then(pl.field("host")), _domain_by_labels
        )
    )
    domain = (
        pl.when(pl.field("rare"))
        .then(pl.field("rare_domain"))
        .when(pl.field("last").is_in(rules.suffixes))
        .then(pl.field("last_two"))
    )
    return steps.struct.with_fields(domain=domain).struct.field("domain")


def _domain_by_labels(host: pl.Expr) -> pl.Expr:
    """The registrable domain of a lower-case host, trying every suffix length."""
    rules = _suffix_rules()
    longest = _MAX_SUFFIX_LABELS + 1
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
    domain = [
        pl.when((pl.field("suffix") == k) & (pl.field("count") > k)).then(pl.field(f"tail{k + 1}"))
        for k in range(1, longest)
    ]
    return steps.struct.with_fields(domain=pl.coalesce(domain)).struct.field("domain")


def domain_from(expr: pl.Expr) -> pl.Expr:
    """The registrable domain of a URL, bare host or e-mail address; null if none.

    Scheme, user info, "www.", port, path, query and fragment are dropped, and the
    host is cut to its registrable domain: "https://www.Acme.co.uk/about?x=1" ->
    "acme.co.uk", "mailto:jane@sales.acme.de" -> "acme.de". Placeholders ("n/a",
    "none", "example.com") give null, and so does an e-mail address at a free-mail
    provider ("jane@gmail.com"), and a page on a social network or directory
    ("facebook.com/acme"); the provider's own website ("gmail.com", "facebook.com")
    does not. A site at a host that gives its customers subdomains is its own:
    "acme.wordpress.com" (the Public Suffix List's private section, and
    ``site_hosts.txt`` for hosts it leaves out). Of a list of addresses in one cell,
    the first is read ("acme.com; acme.de" -> "acme.com").
    """
    profiles = _hosts("profile_hosts.txt")
    text = expr.str.strip_chars().str.to_lowercase()
    listed = pl.when(text.str.contains_any(_LIST_SIGNS)).then(text)
    steps = pl.struct(text=pl.coalesce(listed.str.extract(_FIRST_ADDRESS, 1), text))
    # After the scheme ("https://", "mailto:", "//"), and after the last "@": the
    # domain of an e-mail address, or the host after user info. (After the last "@"
    # that follows the last "://" is after the last of either: one split.)
    after_scheme = pl.field("text").str.strip_prefix("mailto:").str.strip_prefix("//")
    address = after_scheme.str.split("://|@", literal=False).list.last()
    # Cut at the end of the host; an empty host (of "/about") has no domain either.
    host = address.str.replace(_AFTER_HOST, "").str.strip_chars(".")
    steps = steps.struct.with_fields(
        is_email=pl.field("text").str.contains("@", literal=True),
        host=host,
        has_path=address.str.contains(r"^[^/?#\s]+/+[^/?#\s]"),
    )
    steps = steps.struct.with_fields(domain=_registrable(pl.field("host")))
    domain = pl.field("domain")
    placeholder = domain.is_in(PLACEHOLDER_DOMAINS) | _in_family(domain, PLACEHOLDER_FAMILIES)
    mailbox = is_mailbox(domain)
    profile = domain.is_in(profiles.domains) | _in_family(domain, profiles.families)
    keep = ~placeholder & ~(pl.field("is_email") & mailbox) & ~(profile & pl.field("has_path"))
    return steps.struct.with_fields(result=pl.when(keep).then(domain)).struct.field("result")


def domain_label(domain: pl.Expr) -> pl.Expr:
    """A registrable domain without its public suffix and hyphens: "acme-tools.co.uk" ->
    "acmetools", the name a company's sites share under every country's suffix."""
    return domain.str.extract(r"^([^.]+)").str.replace_all("-", "")


def is_mailbox(domain: pl.Expr) -> pl.Expr:
    """True where a registrable domain is a mailbox provider's ("gmail.com", "yahoo.fr")."""
    free_mail = _hosts("free_mail.txt")
    return domain.is_in(free_mail.domains) | _in_family(domain, free_mail.families)


def _in_family(domain: pl.Expr, families: Iterable[str]) -> pl.Expr:
    """True where the domain's first label is one of ``families`` ("yahoo" for "yahoo.fr")."""
    names = "|".join(pl.escape_regex(family) for family in sorted(families))
    return domain.str.contains(f"^(?:{names})\\.")
