"""What real CRM exports do to a matcher: small lists built to hold one hazard each.

    .venv/bin/python bench/hazards.py

Each case writes a vendor and a partner CSV as people export them, runs the library as
`overlap match` does (read_accounts, then link), and prints the true pairs, the matches,
the wrong ones and the missed ones, or the error that refused a list. The cases are made
up here, not taken from the labelled real data, so no rule is tuned to them by looking at it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import polars as pl

from overlap.errors import InputError
from overlap.ingest import read_accounts
from overlap.matching.pipeline import link

FIRST = ("Acme", "Bluepeak", "Cedar", "Delta", "Falcon", "Granite", "Harbor", "Juniper")
FIRST += ("Kestrel", "Lumen", "Maple", "Nimbus", "Orchid", "Quorra", "Tidewater", "Zephyr")
TRADES = ("Bakery", "Plumbing", "Dental", "Logistics", "Analytics", "Roofing", "Studio")
COMPANIES = [f"{first} {trade}" for first in FIRST for trade in TRADES]


class Case(NamedTuple):
    vendor: str  # CSV text
    partner: str
    truth: set[tuple[str, str]]  # (vendor id, partner id)


def csv(header: str, rows: list[tuple[str, ...]]) -> str:
    """CSV text of ``rows`` under ``header``, a field holding a comma quoted."""

    def field(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if "," in value or '"' in value else value

    return "\n".join([header, *(",".join(map(field, row)) for row in rows)]) + "\n"


def placeholder_names() -> Case:
    """Rows nobody named, in both lists, beside a few real companies."""
    fillers = ("Test Account", "Individual", "N.A.", "Private", "TEST ACCOUNT", "Unknown")
    vendor = [(f"v{k}", fillers[k % len(fillers)], "Boston") for k in range(1000)]
    partner = [(f"p{k}", fillers[(k + 1) % len(fillers)], "Boston") for k in range(1000)]
    vendor += [(f"vr{k}", name, "Boston") for k, name in enumerate(COMPANIES[:20])]
    partner += [(f"pr{k}", f"{name} Inc", "Boston") for k, name in enumerate(COMPANIES[:20])]
    truth = {(f"vr{k}", f"pr{k}") for k in range(20)}
    return Case(csv("id,name,city", vendor), csv("id,name,city", partner), truth)


def reseller_domain() -> Case:
    """A reseller's list: every account with its rep's e-mail and a made-up phone."""
    vendor = [
        (f"v{k}", name, f"{name.lower().replace(' ', '')}.com", "000-000-0000")
        for k, name in enumerate(COMPANIES[:80])
    ]
    partner = [
        (f"p{k}", f"{name} LLC", f"rep{k}@resellerco.com", "000-000-0000")
        for k, name in enumerate(COMPANIES[40:])
    ]
    truth = {(f"v{k + 40}", f"p{k}") for k in range(40)}
    return Case(csv("id,name,website,phone", vendor), csv("id,name,email,phone", partner), truth)


def company_offices() -> Case:
    """One company's offices, each an account on its domain: they stay one company."""
    cities = ("Boston", "Denver", "Austin", "Chicago", "Seattle", "Miami", "Atlanta", "Dallas")
    vendor = [("v1", "Acme Corp", "https://www.acme.com")]
    partner = [(f"p{k}", f"Acme Corp - {city}", "acme.com") for k, city in enumerate(cities)]
    truth = {("v1", f"p{k}") for k in range(len(cities))}
    return Case(csv("id,name,website", vendor), csv("id,name,website", partner), truth)


def social_pages() -> Case:
    """Websites that are pages on social networks: unlike companies share facebook.com."""
    hosts = ("https://www.facebook.com/", "linkedin.com/company/", "https://sites.google.com/view/")
    vendor = [
        (f"v{k}", name, hosts[k % 3] + name.lower().replace(" ", ""), "US")
        for k, name in enumerate(COMPANIES[0::2])
    ]
    partner = [
        (f"p{k}", name, hosts[k % 3] + name.lower().replace(" ", "-"), "US")
        for k, name in enumerate(COMPANIES[1::2])
    ]
    header = "id,name,website,country"
    return Case(csv(header, vendor), csv(header, partner), set())


def named_by_domain() -> Case:
    """Companies a CRM created from a domain, named after it, beside the vendor's accounts."""
    vendor = [
        (f"v{k}", f"{name} Inc", name.lower().replace(" ", "") + ".com")
        for k, name in enumerate(COMPANIES[:10])
    ]
    partner = [
        (f"p{k}", name.lower().replace(" ", "") + ".com") for k, name in enumerate(COMPANIES[:10])
    ]
    truth = {(f"v{k}", f"p{k}") for k in range(10)}
    return Case(csv("id,name,website", vendor), csv("Record ID,Company name", partner), truth)


def spelled_two_ways(pairs: list[tuple[str, str, str]]) -> Case:
    """Each (vendor's spelling, partner's spelling, country) one company in both lists."""
    vendor = [(f"v{k}", a, country) for k, (a, _, country) in enumerate(pairs)]
    partner = [(f"p{k}", b, country) for k, (_, b, country) in enumerate(pairs)]
    truth = {(f"v{k}", f"p{k}") for k in range(len(pairs))}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def written_out_umlauts() -> Case:
    """German and Nordic names with their umlauts in one list, written out in the other."""
    pairs = [
        ("Müller Maschinenbau GmbH", "Mueller Maschinenbau", "DE"),
        ("Björnsson Bygg AB", "Bjoernsson Bygg", "SE"),
        ("Schäfer Logistik GmbH", "Schaefer Logistik", "DE"),
        ("Köhler Druck KG", "Koehler Druck", "DE"),
        ("Jürgens Elektro GmbH", "Juergens Elektro", "DE"),
        ("Größner Bau GmbH", "Groessner Bau", "DE"),
    ]
    return spelled_two_ways(pairs)


def crm_marks() -> Case:
    """Names marked by the CRM's users as records not to use."""
    marks = ("(old)", "[DUPLICATE]", "- DO NOT USE", "(inactive)", "- Closed", "{dup}")
    vendor = [(f"v{k}", name, "Denver") for k, name in enumerate(COMPANIES[:6])]
    partner = [(f"p{k}", f"{COMPANIES[k]} {marks[k]}", "Denver") for k in range(6)]
    truth = {(f"v{k}", f"p{k}") for k in range(6)}
    return Case(csv("id,name,city", vendor), csv("id,name,city", partner), truth)


def report_footer() -> Case:
    """A CRM report's footer below the accounts names the exporting company."""
    vendor = [(f"v{k}", name, "US") for k, name in enumerate(COMPANIES[:10])]
    # no id column: rows are numbered, as a report without ids is
    partner_rows = csv("Account Name,Billing Country", [(COMPANIES[3], "US")])
    footer = '\n"Grand Totals (1 records)"\n\n"Generated By:  Jane Doe"\n' + f'"{COMPANIES[7]}"\n'
    return Case(csv("id,name,country", vendor), partner_rows + footer, {("v3", "1")})


def one_domain_two_countries() -> Case:
    """A partner lists the local company of a vendor account abroad, at the group's domain;
    and namesakes abroad without a website, which are other companies."""
    vendor = [
        (f"v{k}", name, name.lower().replace(" ", "") + ".com", "US")
        for k, name in enumerate(COMPANIES[:20])
    ]
    vendor += [(f"vn{k}", name, "", "US") for k, name in enumerate(COMPANIES[20:40])]
    partner = [
        (f"p{k}", f"{name} Ltd", "www." + name.lower().replace(" ", "") + ".com", "GB")
        for k, name in enumerate(COMPANIES[:20])
    ]
    partner += [(f"pn{k}", f"{name} Ltd", "", "GB") for k, name in enumerate(COMPANIES[20:40])]
    truth = {(f"v{k}", f"p{k}") for k in range(20)}
    header = "id,name,website,country"
    return Case(csv(header, vendor), csv(header, partner), truth)


def subsidiaries() -> Case:
    """A partner lists a vendor account's subsidiary abroad, named for its country ("Acme
    Deutschland GmbH"), without a website, and for some accounts three more ("Acme Japan
    KK"); and two subsidiaries of one group in two countries, which are two accounts. A
    subsidiary is a family match of its group (to review), not the company: no pair is a
    match."""
    abroad = (("Deutschland GmbH", "DE"), ("UK Ltd", "GB"), ("France SAS", "FR"))
    vendor = [(f"v{k}", f"{name} Inc", "US") for k, name in enumerate(COMPANIES[:12])]
    partner = [
        (f"p{k}", f"{name} {abroad[k % 3][0]}", abroad[k % 3][1])
        for k, name in enumerate(COMPANIES[:12])
    ]
    more = (("Japan KK", "JP"), ("Australia Pty Ltd", "AU"), ("Canada Inc", "CA"))
    partner += [
        (f"p{k}{code}", f"{name} {form}", code)
        for k, name in enumerate(COMPANIES[:4])
        for form, code in more
    ]
    vendor += [
        (f"vs{k}", f"{name} Deutschland GmbH", "DE") for k, name in enumerate(COMPANIES[12:20])
    ]
    partner += [(f"ps{k}", f"{name} France SAS", "FR") for k, name in enumerate(COMPANIES[12:20])]
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), set())


def second_names() -> Case:
    """Names that carry a second one: "Acme Bakery LLC dba Sunrise Treats", "(formerly ...)"."""
    ways = ("dba", "DBA:", "d/b/a", "(formerly", "t/a", "aka", "(f/k/a")
    vendor = [(f"v{k}", f"{name} LLC", "US") for k, name in enumerate(COMPANIES[:14])]
    partner = [
        (f"p{k}", f"{name} LLC {ways[k % len(ways)]} {COMPANIES[-1 - k]}", "US")
        for k, name in enumerate(COMPANIES[:14])
    ]
    truth = {(f"v{k}", f"p{k}") for k in range(14)}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


ACCENTED = ("Société Lumière", "Müller Bäckerei", "Crème Pâtisserie", "Ødegaard Rørlegger")
ACCENTED += ("Señor Taco", "Citroën Garage", "Åström Måleri", "Česká Pekárna")


def mojibake() -> Case:
    """A partner list whose accented names some system once decoded as Windows-1252."""
    vendor = [(f"v{k}", name, "FR") for k, name in enumerate(ACCENTED)]
    garbled = [name.encode().decode("cp1252", errors="replace") for name in ACCENTED]
    partner = [(f"p{k}", name, "FR") for k, name in enumerate(garbled)]
    truth = {(f"v{k}", f"p{k}") for k in range(len(ACCENTED))}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def other_scripts() -> Case:
    """Greek and Cyrillic names in one list, in Latin letters in the other (by more than
    one transliteration scheme: "Лукойл" is "Lukoil" or "Lukoyl")."""
    pairs = [
        ("ПАО Газпром", "PAO Gazprom", "RU"),
        ("ООО Ромашка", "OOO Romashka", "RU"),
        ("Київстар", "Kyivstar", "UA"),
        ("Ελληνικά Πετρέλαια", "Ellinika Petrelaia", "GR"),
        ("Северсталь", "Severstal", "RU"),
        ("Лукойл", "Lukoil", "RU"),
    ]
    return spelled_two_ways(pairs)


def qualified_headers() -> Case:
    """Lists whose headers name their side: "vendor_id", "partner_account_name"."""
    vendor = [(f"V-{k}", name, "US") for k, name in enumerate(COMPANIES[:10])]
    partner = [(f"P-{k}", f"{name} Inc", "US") for k, name in enumerate(COMPANIES[:10])]
    truth = {(f"V-{k}", f"P-{k}") for k in range(10)}
    return Case(
        csv("vendor_id,vendor_name,hq_country", vendor),
        csv("partner_id,partner_account_name,hq_country", partner),
        truth,
    )


def place_notes() -> Case:
    """Names noting the country or region of the record ("Acme Corp (UK)", "Acme - EMEA"),
    in a partner list without a country column; beside namesakes in another country."""
    notes = ("(UK)", "- EMEA", "(Germany)", "[US]", "\u2013 APAC", "(North America)", "- France")
    countries = ("GB", "FR", "DE", "US", "SG", "CA", "FR")
    vendor = [
        (f"v{k}", f"{name} Ltd", countries[k % len(notes)]) for k, name in enumerate(COMPANIES[:14])
    ]
    partner = [
        (f"p{k}", f"{name} {notes[k % len(notes)]}") for k, name in enumerate(COMPANIES[:14])
    ]
    # the same names noted with a country other than the vendor's: namesakes abroad
    vendor += [(f"vn{k}", name, "US") for k, name in enumerate(COMPANIES[20:27])]
    partner += [(f"pn{k}", f"{name} (Germany)") for k, name in enumerate(COMPANIES[20:27])]
    truth = {(f"v{k}", f"p{k}") for k in range(14)}
    return Case(csv("id,name,country", vendor), csv("id,name", partner), truth)


def word_forms() -> Case:
    """A name's words in the plural in one list, in the singular in the other."""
    words = ("Technologies", "Systems", "Services", "Solutions", "Partners", "Industries")
    words += ("Holdings", "Brands", "Labs", "Networks")
    singular = {"Technologies": "Technology", "Industries": "Industry"}
    pairs = [
        (f"{first} {word} Inc", f"{first} {singular.get(word, word[:-1])}", "US")
        for first, word in zip(FIRST, words, strict=False)
    ]
    return spelled_two_ways(pairs)


def letters_apart() -> Case:
    """Initials and legal forms written letter by letter, and notes after the legal form:
    "A. O. Smith" / "AO Smith", "Kestrel N V" / "Kestrel N.V.", "Acme, Inc., Boston, MA"."""
    pairs = [
        ("A. O. Smith Corporation", "AO Smith", "US"),
        ("J.B. Hunt Transport", "JB Hunt Transport Inc", "US"),
        ("D S M Kunststoffen", "DSM Kunststoffen B.V.", "NL"),
        ("H & R Block", "H&R Block Inc", "US"),
        ("Kestrel Logistics N.V.", "KESTREL LOGISTICS N V", "NL"),
        ("Bluepeak Analytics B.V.", "Bluepeak Analytics B,V.", "NL"),
        ("Lumen Roofing, Inc.", "Lumen Roofing, Inc., Denver, CO", "US"),
        ("Harbor Dental Ltd", "Harbor Dental Ltd., London", "GB"),
        ("Maple Bakery S.A.", "Maple Bakery S A, Madrid", "ES"),
        ("Orchid Studio Sp. z o.o.", "Orchid Studio Sp z o o", "PL"),
    ]
    return spelled_two_ways(pairs)


def words_joined() -> Case:
    """Names written with their words apart in one list and joined in the other ("Stone
    Shore Dental" / "StoneShore Dental", "Oak Ridge View" / "Oakridgeview"); beside
    companies of the same joined words in another trade."""
    words = [("Stone", "Shore"), ("Red", "Fern"), ("Silver", "Lake"), ("North", "Gate")]
    words += [
        ("Clear", "View"),
        ("Sun", "Harbor"),
        ("Oak", "Ridge", "View"),
        ("Blue", "Sky", "Data"),
    ]
    vendor = [
        (f"v{k}", f"{' '.join(parts)} {TRADES[k % 4]} Inc", "US") for k, parts in enumerate(words)
    ]
    partner = [
        (
            f"p{k}",
            f"{''.join(parts) if k % 2 else ''.join(parts).capitalize()} {TRADES[k % 4]}",
            "US",
        )
        for k, parts in enumerate(words)
    ]
    vendor += [
        (f"vo{k}", f"{' '.join(parts)} {TRADES[6]}", "US") for k, parts in enumerate(words[:4])
    ]
    partner += [
        (f"po{k}", f"{''.join(parts)} {TRADES[5]}", "US") for k, parts in enumerate(words[:4])
    ]
    truth = {(f"v{k}", f"p{k}") for k in range(len(words))}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def acronyms() -> Case:
    """Large accounts named by their initials in the partner list, at their own website;
    beside companies that merely share initials, without one."""
    pairs = [
        ("International Business Machines Corporation", "IBM", "ibm.com"),
        ("United Parcel Service, Inc.", "UPS", "ups.com"),
        ("Bayerische Motoren Werke AG", "BMW AG", "bmw.de"),
        ("Hewlett Packard Enterprise", "HPE", "hpe.com"),
        ("Archer-Daniels-Midland Company", "ADM", "adm.com"),
        ("Tata Consultancy Services Limited", "TCS", "tcs.com"),
    ]
    others = [
        ("Blue Mountain Capital", "BMC Software"),
        ("Advanced Micro Devices", "AMD Logistics"),
        ("Kestrel Marlowe Group", "KMG Engineering"),
    ]
    header = "id,name,website"
    vendor = [(f"v{k}", name, site) for k, (name, _, site) in enumerate(pairs)]
    partner = [(f"p{k}", short, f"www.{site}") for k, (_, short, site) in enumerate(pairs)]
    vendor += [(f"vo{k}", name, "") for k, (name, _) in enumerate(others)]
    partner += [(f"po{k}", name, "") for k, (_, name) in enumerate(others)]
    truth = {(f"v{k}", f"p{k}") for k in range(len(pairs))}
    return Case(csv(header, vendor), csv(header, partner), truth)


def role_notes() -> Case:
    """Names noting what the record is to the CRM's user: "Acme Corp (HQ)", "Acme - Billing",
    "Acme Ltd (UK Head Office)"; beside names whose brackets hold part of the name."""
    notes = ("(HQ)", "- Accounts Payable", "[Parent Account]", "(Head Office)", "- Billing")
    notes += ("(Customer)", "- Corporate", "(US) - HQ")
    vendor = [(f"v{k}", f"{name} Inc", "US") for k, name in enumerate(COMPANIES[:8])]
    partner = [(f"p{k}", f"{COMPANIES[k]} {note}", "US") for k, note in enumerate(notes)]
    vendor += [(f"vw{k}", name, "US") for k, name in enumerate(COMPANIES[30:34])]
    partner += [(f"pw{k}", f"{name} (Widgets)", "US") for k, name in enumerate(COMPANIES[40:44])]
    truth = {(f"v{k}", f"p{k}") for k in range(len(notes))}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def names_noted_again() -> Case:
    """Names followed by the company's name again in a note: its first word, its web
    address, its stock ticker ("Acme Corp (ACME)", "Acme Inc - acme.com", "Acme Corp (NYSE:
    ACM)"), or the department the record is for ("Acme Corp - AP Dept"); beside companies of
    the same first word and another trade, noted so as well."""

    def notes(name: str) -> tuple[str, ...]:
        first = name.split()[0]
        slug = name.lower().replace(" ", "")
        return (f"({first.upper()})", f"- {slug}.com", f"(NYSE: {first[:3].upper()})")

    vendor = [(f"v{k}", f"{name} Inc", "US") for k, name in enumerate(COMPANIES[:9])]
    partner = [
        (f"p{k}", f"{name} {notes(name)[k % 3]}", "US") for k, name in enumerate(COMPANIES[:9])
    ]
    vendor.append(("v9", f"{COMPANIES[9]} Inc", "US"))
    partner.append(("p9", f"{COMPANIES[9]} Corp - AP Dept", "US"))
    others = [f"{FIRST[k + 10]} {TRADES[0]}" for k in range(3)]
    vendor += [(f"vo{k}", name, "US") for k, name in enumerate(others)]
    partner += [
        (f"po{k}", f"{FIRST[k + 10]} {TRADES[1]} {notes(name)[k]}", "US")
        for k, name in enumerate(others)
    ]
    truth = {(f"v{k}", f"p{k}") for k in range(10)}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def pasted_addresses() -> Case:
    """Names with the street address pasted after the legal form ("Acme Inc 120 Main St",
    "Acme GmbH Hauptstraße 5"); beside companies of the same first word and another trade,
    their addresses pasted too."""
    forms = ("Inc", "GmbH", "Ltd.", "LLC", "B.V.", "S.A.", "Pty Ltd", "Corp.")
    streets = ("120 Main St", "Hauptstraße 5", "Unit 4, Harbour Road", "1400 Elm Street")
    streets += ("Keizersgracht 221", "Calle Mayor 12", "ABN 51 824 753 556", "Suite 300")
    countries = ("US", "DE", "GB", "US", "NL", "ES", "AU", "US")
    vendor = [(f"v{k}", name, countries[k]) for k, name in enumerate(COMPANIES[:8])]
    partner = [(f"p{k}", f"{COMPANIES[k]} {forms[k]} {streets[k]}", countries[k]) for k in range(8)]
    # the first word of another trade: another company, its address pasted as well
    vendor += [(f"vo{k}", f"{FIRST[k + 8]} {TRADES[0]}", "US") for k in range(4)]
    partner += [
        (f"po{k}", f"{FIRST[k + 8]} {TRADES[1]} {forms[k]} {streets[k]}", "US") for k in range(4)
    ]
    truth = {(f"v{k}", f"p{k}") for k in range(8)}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def mailbox_websites() -> Case:
    """Small businesses whose website is their mailbox provider ("gmail.com"): unlike
    companies of one first word share it in one city; beside companies at a mailbox
    provider in one list and at their own site in the other."""
    mailboxes = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")
    header = "id,name,website,city"
    vendor = [
        (f"vu{k}", f"{first} {TRADES[0]}", mailboxes[k % 4], "Boston")
        for k, first in enumerate(FIRST[:8])
    ]
    partner = [
        (f"pu{k}", f"{first} {TRADES[1]}", f"www.{mailboxes[k % 4]}", "Boston")
        for k, first in enumerate(FIRST[:8])
    ]
    same = [f"{first} {TRADES[2]}" for first in FIRST[8:]]
    vendor += [(f"v{k}", name, mailboxes[k % 4], "Denver") for k, name in enumerate(same)]
    partner += [
        (f"p{k}", f"{name} LLC", name.lower().replace(" ", "-") + ".com", "Denver")
        for k, name in enumerate(same)
    ]
    truth = {(f"v{k}", f"p{k}") for k in range(len(same))}
    return Case(csv(header, vendor), csv(header, partner), truth)


def one_word_apart() -> Case:
    """Companies one distinctive word apart ("State Bank" / "Central Bank of India") or bridged
    by a record sharing a word with both ("B & A Ltd"); brands alone against their names."""
    vendor = ["Sage", "Cisco", "Amazon", "Keller", "Bajaj Auto Limited", "State Bank of India"]
    vendor += ["Bajaj Finance Limited", "Reliance Industries Limited", "Baba Arts Ltd"]
    partner = ["Sage Group PLC", "CISCO SYSTEMS INC", "AMAZON COM INC", "Keller Group plc"]
    partner += ["Bajaj Auto Ltd", "Central Bank of India", "Bajaj Housing Finance Ltd"]
    partner += ["Reliance Chemotex Industries Ltd", "B & A Ltd", "SBI Life Insurance Co Ltd"]
    rows = [[(f"{side}{k}", name) for k, name in enumerate(names)] for side, names in
            (("v", vendor), ("p", partner))]  # fmt: skip
    truth = {(f"v{k}", f"p{k}") for k in range(5)}
    return Case(csv("id,name", rows[0]), csv("id,name", rows[1]), truth)


def words_said_twice() -> Case:
    """Names that say a word twice ("Kestrel & Kestrel") against one that says it once
    beside another word ("Kestrel Logistics"), and against the same name written otherwise."""
    twice = [f"{first} & {first}" for first in FIRST[:6]]
    vendor = [(f"v{k}", name, "US") for k, name in enumerate(twice)]
    partner = [(f"p{k}", f"{name.replace('&', 'and')} Inc", "US") for k, name in enumerate(twice)]
    partner += [(f"po{k}", f"{FIRST[k]} {TRADES[k % 7]} PLC", "US") for k in range(6, 12)]
    vendor += [(f"vo{k}", f"{FIRST[k]} & {FIRST[k]}", "US") for k in range(6, 12)]
    truth = {(f"v{k}", f"p{k}") for k in range(len(twice))}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


def names_an_edit_apart() -> Case:
    """A registry holding a brand's company, its group's companies and another company whose
    one-word name is a letter away ("Hitachi", "Hitachi Metals", "Mitachi"), against the
    brand alone: the other company is no misspelling of the brand."""
    brands = FIRST[12:18]
    partner, vendor = [], []
    for k, brand in enumerate(brands):
        other = ("M" if brand[0] != "M" else "N") + brand[1:]
        partner += [(f"p{k}", f"{brand} Ltd", "JP"), (f"q{k}", f"{other} Co Ltd", "JP")]
        partner += [(f"g{k}{j}", f"{brand} {TRADES[j]} Corp", "JP") for j in range(3)]
        vendor.append((f"v{k}", brand, "JP"))
    truth = {(f"v{k}", f"p{k}") for k in range(len(brands))}
    return Case(csv("id,name,country", vendor), csv("id,name,country", partner), truth)


CASES: dict[str, Callable[[], Case]] = {
    "placeholder names": placeholder_names,
    "reseller e-mail domain": reseller_domain,
    "one company's offices": company_offices,
    "social network pages": social_pages,
    "websites at a mailbox provider": mailbox_websites,
    "named by their domain": named_by_domain,
    "umlauts written out": written_out_umlauts,
    "CRM marks in names": crm_marks,
    "report footer": report_footer,
    "one domain, two countries": one_domain_two_countries,
    "subsidiaries abroad": subsidiaries,
    "second names (dba, formerly)": second_names,
    "mis-decoded accents": mojibake,
    "Greek and Cyrillic": other_scripts,
    "headers naming the side": qualified_headers,
    "place notes in names": place_notes,
    "notes of the record's role": role_notes,
    "names noted again": names_noted_again,
    "addresses pasted into names": pasted_addresses,
    "singular and plural words": word_forms,
    "letters written apart": letters_apart,
    "words written apart or joined": words_joined,
    "acronyms at their website": acronyms,
    "one distinctive word apart": one_word_apart,
    "a word said twice": words_said_twice,
    "one-word names an edit apart": names_an_edit_apart,
}


def run(case: Case, folder: Path) -> tuple[int, int, int, str]:
    """(matches, wrong matches, missed true pairs, error) of `overlap match` on the case's
    lists; a list it refuses gives no match and its error."""
    (folder / "vendor.csv").write_text(case.vendor, encoding="utf-8")
    (folder / "partner.csv").write_text(case.partner, encoding="utf-8")
    try:
        vendor = read_accounts(folder / "vendor.csv").accounts
        partner = read_accounts(folder / "partner.csv").accounts
    except InputError as error:
        return 0, 0, len(case.truth), type(error).__name__
    found = set(link(vendor, partner).matches.select("vendor_id", "partner_id").iter_rows())
    return len(found), len(found - case.truth), len(case.truth - found), ""


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, build in CASES.items():
            case = build()
            rows.append((name, len(case.truth), *run(case, Path(folder))))
    table = pl.DataFrame(
        rows, schema=["case", "true pairs", "matches", "wrong", "missed", "error"], orient="row"
    )
    with pl.Config(
        tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True, tbl_rows=len(rows)
    ):
        print(table)


if __name__ == "__main__":
    main()
