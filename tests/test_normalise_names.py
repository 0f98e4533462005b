"""Company names: name_clean spells a name one way, name_core drops its legal forms."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.normalise import name_clean, name_core
from overlap.normalise.name_notes import noted_country, without_place_notes
from overlap.normalise.names import core_and_country


def clean(name: str | None) -> str | None:
    return pl.select(name_clean(pl.lit(name, pl.String))).item()


def core(name: str | None) -> str | None:
    return pl.select(name_core(pl.lit(name, pl.String))).item()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # accents, special letters and case fold away
        ("Société Générale", "societe generale"),
        ("Müller", "muller"),
        ("Straße Bau", "strasse bau"),
        ("Søren Ærø", "soren aero"),
        ("Łódź Œuvre", "lodz oeuvre"),
        ("ＡＣＭＥ", "acme"),
        # "&", "+", "und", "et", "y" are all written "and"
        ("Ernst & Young", "ernst and young"),
        ("Barnes+Noble", "barnes and noble"),
        # ... but between the letters of a short name they are part of it
        ("AB+E Networks", "abe networks"),
        ("A&B Plumbing", "a and b plumbing"),
        ("AT&T", "att"),
        ("AT and T", "att"),
        ("Moët et Chandon", "moet and chandon"),
        ("Müller und Söhne", "muller and sohne"),
        ("Garcia y Asociados", "garcia and asociados"),
        ("Generation Y", "generation y"),
        # apostrophes vanish without a space; other punctuation is a space
        ("Macy's", "macys"),
        ("PHILIPS'", "philips"),
        ("McDonald’s", "mcdonalds"),
        ("* AGILENT TECHNOLOGIES, INC.", "agilent technologies inc"),
        ("Coca-Cola", "coca cola"),
        ("Acme (Holdings)", "acme holdings"),
        ("  Acme \t  Corp  ", "acme corp"),
        # dotted and spaced legal forms collapse into one token
        ("Philips N.V.", "philips nv"),
        ("Philips N. V.", "philips nv"),
        ("Philips NV", "philips nv"),
        ("Acme S.A.R.L.", "acme sarl"),
        ("Fiat S. p. A.", "fiat spa"),
        ("Fiat S.p.A.", "fiat spa"),
        ("Orlen Sp. z o.o.", "orlen sp z oo"),
        ("Grupo Bimbo S.A.B. de C.V.", "grupo bimbo sab de cv"),
        ("Acme L.L.C.", "acme llc"),
        ("Maersk A/S", "maersk as"),
        ("Acme S.à r.l.", "acme sarl"),
        ("Çelik Yapı A.Ş.", "celik yapi as"),
        # ... and so do letters written apart, or with stray punctuation between them
        ("Unilever N V", "unilever nv"),
        ("Unilever N..V", "unilever nv"),
        ("DSM N,V.", "dsm nv"),
        ("Orlen Sp. z o o", "orlen sp z oo"),
        # initials read as one word, however they are written
        ("A. O. Smith", "ao smith"),
        ("A O Smith", "ao smith"),
        ("D S M N.V.", "dsm nv"),
        ("J P Morgan Chase", "jp morgan chase"),
        ("T-Mobile", "t mobile"),
        # spelled-out legal forms are written as their abbreviation
        ("Acme Corporation", "acme corp"),
        ("Mars, Incorporated", "mars inc"),
        ("Acme Limited", "acme ltd"),
        ("The Coca-Cola Company", "the coca cola co"),
        ("Siemens Aktiengesellschaft", "siemens ag"),
        ("Acme Gesellschaft mit beschränkter Haftung", "acme gmbh"),
        ("Toyota Kabushiki Kaisha", "toyota kk"),
        ("Tata Private Limited", "tata pvt ltd"),
        ("Acme Public Limited Company", "acme plc"),
        # abbreviations are expanded, as whole words only
        ("Acme Intl. Mfg. Co.", "acme international manufacturing co"),
        ("SHINKO ELECTRIC IND. CO., LTD.", "shinko electric industries co"),
        ("TOKYU CONST. CO., LTD.", "tokyu construction co"),
        ("Acme Int'l", "acme international"),
        ("Acme Svcs", "acme services"),
        ("Warner Bros", "warner brothers"),
        ("Acme Tech", "acme technology"),
        ("Acme Technologies", "acme technologies"),
        ("Marlowe Pharma Ltd", "marlowe pharmaceuticals ltd"),
        ("Bluepeak Eng. Ltd", "bluepeak engineering ltd"),
        ("Home of Life Community Dev. Corp.", "home of life community development corp"),
        ("Intlx", "intlx"),
        ("Công ty Đặng Phước Thịnh", "cong ty dang phuoc thinh"),
        # a web address written as the name, or in it
        ("www.kestrelfoods.com", "kestrelfoods"),
        ("Booking.com B.V.", "booking bv"),
        ("A.O. Smith", "ao smith"),
        # HTML entities a web export left behind
        ("Procter &amp; Gamble", "procter and gamble"),
        ("Macy&#39;s", "macys"),
        # Greek and Cyrillic are transliterated; other scripts are kept
        ("任天堂", "任天堂"),
        ("Газпром", "gazprom"),
        ("Ελληνικά Πετρέλαια", "ellinika petrelaia"),
        ("Київстар", "kiivstar"),
        # the marks of a record not to use are dropped, in brackets or after a dash at the end
        ("Tidewater Farms LLC (old)", "tidewater farms llc"),
        ("MARLOWE DENTAL GROUP [DUPLICATE]", "marlowe dental group"),
        ("Halvorsen Marine A/S - DO NOT USE", "halvorsen marine as"),
        ("Kestrel Foods (2)", "kestrel foods"),
        ("ZZZ - Kestrel Foods", "kestrel foods"),
        ("zz_Kestrel Foods", "kestrel foods"),
        ("Old Navy", "old navy"),
        ("Studio 54", "studio 54"),
        ("Jazz Pharmaceuticals", "jazz pharmaceuticals"),
        ("Closed Loop Partners", "closed loop partners"),
        # what the company is, after "a" behind its legal form, is no part of its name
        ("ACME INC AN OHIO CORP", "acme inc"),
        ("Casa a Roma", "casa a roma"),
        # a second name after the first is left out: the first is the legal or current one
        ("Acme Holdings LLC dba Acme Widgets", "acme holdings llc"),
        ("Acme Holdings LLC, D/B/A: Acme Widgets", "acme holdings llc"),
        ("Meta Platforms (formerly Facebook)", "meta platforms"),
        ("Acme Inc. (f/k/a Beta Inc.)", "acme inc"),
        ("Smith & Co t/a Smith Plumbing", "smith and co"),
        ("Acme Corp a/k/a Acme Widgets", "acme corp"),
        ("Acme Corp, A.K.A. Acme Widgets", "acme corp"),
        ("Acme Corp (acquired by Beta Inc)", "acme corp"),
        # ... and so are its initials in brackets, an alias of the name they follow
        ("International Business Machines Corp (IBM)", "international business machines corp"),
        ("Kestrel Foods (XYZ)", "kestrel foods xyz"),
        # ... and its own words, its web address and its stock ticker
        ("ACME CORP (ACME)", "acme corp"),
        ("Howard Area Community Center - Howard Area", "howard area community center"),
        ("Acme Inc - acme.com", "acme inc"),
        ("Acme Inc (https://www.acme.com/)", "acme inc"),
        ("Acme Corp (NYSE: ACME)", "acme corp"),
        ("Acme Corp (Acme Holdings)", "acme corp acme holdings"),
        # ... and so is whom the mail goes to
        ("Acme Corp c/o Smith Accounting", "acme corp"),
        ("Acme Corp, Attn: Accounts Payable", "acme corp"),
        ("Attention Media", "attention media"),
        ("Dbase Systems", "dbase systems"),
        ("Kaka Foods", "kaka foods"),
        # nothing left is null, and so is a name that stands for no company
        ("", None),
        ("Test Account", None),
        ("N.A.", None),
        ("private individual", None),
        ("***", None),
        (None, None),
    ],
)
def test_name_clean_spells_a_name_one_way(name: str | None, expected: str | None) -> None:
    assert clean(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("3M", "3m"),
        ("3M CO", "3m"),
        ("3M Company", "3m"),
        ("A. O. Smith", "ao smith"),
        ("SMITH A O CORP", "smith ao"),
        ("KONINKLIJKE PHILIPS ELECTRONICS N.V.", "philips electronics"),
        ("N.V. Philips' Gloeilampenfabrieken", "philips gloeilampenfabrieken"),
        ("Société Générale S.A.", "societe generale"),
        ("Müller GmbH & Co. KG", "muller"),
        ("The Coca-Cola Company", "coca cola"),
        ("Ernst & Young LLP", "ernst young"),
        ("Ernst and Young", "ernst young"),
        ("Barnes Noble", "barnes noble"),
        ("Marsh & McLennan Companies", "marsh mclennan"),
        ("Abbott Laboratories", "abbott labs"),
        ("Abbott Labs", "abbott labs"),
        ("Acme Intl. Mfg. Co.", "acme international manufacturing"),
        ("Nokia Oyj", "nokia"),
        ("Volvo AB", "volvo"),
        ("Hennes & Mauritz AB (publ)", "hennes mauritz"),
        ("Maersk A/S", "maersk"),
        ("Equinor ASA", "equinor"),
        ("ASML Holding N. V.", "asml holding"),
        ("Toyota K.K.", "toyota"),
        ("BHP Pty Ltd", "bhp"),
        ("BHP Proprietary Limited", "bhp"),
        ("Orlen Sp. z o.o.", "orlen"),
        ("Grupo Bimbo S.A.B. de C.V.", "grupo bimbo"),
        ("Cemex, S.A. de C.V.", "cemex"),
        ("Tata Consultancy Services Pvt. Ltd.", "tata consultancy services"),
        ("Tata Consultancy Services Private Limited", "tata consultancy services"),
        ("* AGILENT TECHNOLOGIES, INC.", "agilent technologies"),
        ("Macy's, Inc.", "macys"),
        ("Airbus SAS", "airbus"),
        ("Fiat S.p.A.", "fiat"),
        ("Acme S.R.L.", "acme"),
        ("Petronas Sdn. Bhd.", "petronas"),
        ("DBS Pte. Ltd.", "dbs"),
        ("Siemens Aktiengesellschaft", "siemens"),
        ("Akzo Nobel NV Naamlooze Vennootschap", "akzo nobel"),
        ("Sears, Roebuck and Co.", "sears roebuck"),
        ("Acme Corp. Ltd", "acme"),
        ("PT Bank Central Asia Tbk", "bank central asia"),
        ("OOO Gazprom", "gazprom"),
        ("NV Energy", "nv energy"),  # no company called Energy
        ("Kabushiki Kaisha Toshiba", "toshiba"),
        ("Aktiebolaget Volvo (publ)", "volvo"),
        ("AB Plumbing", "ab plumbing"),
        ("Studio 54", "studio 54"),
        ("1st National Bank", "first national bank"),
        ("株式会社東芝", "東芝"),
        ("東芝(株)", "東芝"),
        ("腾讯控股有限公司", "腾讯控股"),
        ("삼성전자 주식회사", "삼성전자"),
        ("AT&T Inc.", "att"),
        ("P&G", "p g"),
        ("Gazprom ООО", "gazprom"),
        ("ПАО Газпром", "gazprom"),
        ("Citibank, N.A.", "citibank"),
        ("Home Depot, The", "home depot"),
        # what a comma puts after the legal form is a note, not the name
        ("UNILEVER N.V., ROTTERDAM", "unilever"),
        ("KONINKLIJKE PHILIPS ELECTRONICS N.V., EINDHOVEN, NL", "philips electronics"),
        ("Acme, Inc., Boston, MA", "acme"),
        ("Smith & Associates, PC, Attorneys at Law", "smith associates"),
        ("Bank of America, Charlotte", "bank of america charlotte"),
        ("PHILIPS ELECTRONICS N.V. TE EINDHOVEN.", "philips electronics"),
        ("Stichting Te Werk", "stichting te werk"),
        # and so is an address pasted after it, a tail with a number and no legal form
        ("Acme GmbH Hauptstraße 5", "acme"),
        ("Acme Inc 123 Main St, Boston", "acme"),
        ("Acme Pty Ltd ACN 123 456 789", "acme"),
        ("Studio 5 Ltd", "studio five"),
        ("Company 3 Ltd", "co three"),
        # legal forms go only at the end (or the start, where written first)
        ("Co-operative Bank", "co operative bank"),
        ("Inc Magazine Group", "inc magazine group"),
        ("Acme (Holdings) Ltd", "acme holdings"),
        # a name that is nothing but legal forms keeps its clean form
        ("The Company", "the co"),
        ("AB", "ab"),
        ("Inc.", "inc"),
        (None, None),
    ],
)
def test_name_core_drops_legal_forms_and_the(name: str | None, expected: str | None) -> None:
    assert core(name) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("3M", "3M CO"),
        ("Ernst & Young LLP", "Ernst and Young"),
        ("A & B", "A+B"),
        ("Acme International Manufacturing Company", "ACME INTL. MFG. CO."),
        ("Philips N.V.", "Philips NV"),
        ("Müller GmbH", "MULLER G.m.b.H."),
        ("A. O. Smith", "AO Smith"),
        ("I.B.M. Corp", "IBM Corporation"),
        ("Unilever N.V., Rotterdam", "UNILEVER N V"),
        ("Acme Inc. a Delaware corporation", "ACME INC"),
        ("Maasland N.V. a Dutch Limited Co", "Maasland"),
        ("Compagnie de Saint-Gobain", "Compagnie de St. Gobain"),
        ("Northwind Distribution Inc", "Northwind Distrib."),
        ("Harbor Insurance Agency", "Harbor Ins Agcy"),
        ("7-Eleven, Inc.", "Seven-Eleven"),
        ("21st Century Fox", "Twenty-First Century Fox"),
        # the Dutch honorific, abbreviated or misspelt by a letter
        ("Koninklijke Philips N.V.", "KONINKL. PHILIPS NV"),
        ("Koninklijke Philips N.V.", "Koninklike Philips NV"),
        ("Koninklijke Philips N.V.", "KONINKLIJE PHILIPS"),
    ],
)
def test_spellings_of_one_company_share_a_core(one: str, other: str) -> None:
    assert core(one) == core(other)


@pytest.mark.parametrize(
    ("name", "expected_core", "country"),
    [
        ("IBM Deutschland GmbH", "ibm", "DE"),
        ("SAP UK Ltd", "sap", "GB"),
        ("Kestrel Logistics New Zealand Limited", "kestrel logistics", "NZ"),
        ("Nestlé España S.A.", "nestle", "ES"),
        # the country is part of the name after "of", "do", "de", or alone with a common word
        ("Bank of Ireland", "bank of ireland", None),
        ("Banco do Brasil S.A.", "banco do brasil", None),
        ("Air India", "air india", None),
        ("Deutschland", "deutschland", None),
        ("Toys R Us", "toys r us", None),
        ("Acme", "acme", None),
    ],
)
def test_a_subsidiarys_country_after_its_groups_name_is_kept_apart(
    name: str, expected_core: str, country: str | None
) -> None:
    result = pl.select(core_and_country(name_clean(pl.lit(name)))).item()
    assert (result["core"], result["country"]) == (expected_core, country)


@pytest.mark.parametrize(
    ("name", "expected_core", "country"),
    [
        ("Acme Corp (UK)", "acme", "GB"),
        ("Acme Ltd - EMEA", "acme", None),
        ("Acme (Germany) GmbH - APAC", "acme", "DE"),
        ("Acme Inc. | France", "acme", "FR"),
        ("Acme Inc \u2013 North America", "acme", None),
        # a state's name or code, and a code that is both, note no country
        ("Acme Corp (Texas)", "acme", None),
        ("Acme GmbH [DE]", "acme", None),
        ("Acme Corp (Georgia)", "acme", None),
        # what the record is to the CRM's user, alone or beside a place
        ("Acme Corp (HQ)", "acme", None),
        ("Acme Corp (Parent Customer)", "acme", None),
        ("Acme Corp - Accounts Payable", "acme", None),
        ("Acme Corp [Parent Account]", "acme", None),
        ("Acme Ltd (UK Head Office)", "acme", "GB"),
        ("Acme Inc - EMEA HQ", "acme", None),
        ("Acme Corp - AP Dept", "acme", None),
    ],
)
def test_a_note_of_the_records_place_is_no_part_of_the_name(
    name: str, expected_core: str, country: str | None
) -> None:
    assert core(name) == expected_core
    assert pl.select(noted_country(pl.lit(name))).item() == country


@pytest.mark.parametrize(
    "name",
    [
        "Acme (Holdings) Ltd",
        "Acme - Widgets",
        "Acme (Pty) Ltd",
        "Coca-Cola",
        "Acme (S.A.)",
        "Acme - Main Street Bakery",
    ],
)
def test_a_note_that_names_no_place_stays_and_notes_no_country(name: str) -> None:
    assert pl.select(without_place_notes(pl.lit(name))).item() == name
    assert pl.select(noted_country(pl.lit(name))).item() is None


@pytest.mark.parametrize(
    ("name", "expected_core"),
    [
        # the state of incorporation the SEC writes after a name: no part of it, and no country
        ("APPLIED MATERIALS INC /DE", "applied materials"),
        ("BANK OF AMERICA CORP /DE/", "bank of america"),
        ("COSTCO WHOLESALE CORP /NEW", "costco wholesale"),
        ("VERTEX PHARMACEUTICALS INC / MA", "vertex pharmaceuticals"),
        ("DEVON ENERGY CORP/DE", "devon energy"),
        ("Contemporary Amperex Technology Co., Limited/ADR", "contemporary amperex technology"),
        # a share class
        ("Alphabet Inc. (Class A)", "alphabet"),
        ("Fox Corp Class B", "fox"),
        ("Brown-Forman Corp Series B", "brown forman"),
        # a slash inside a legal form or a name stays
        ("Maersk A/S", "maersk"),
        ("AC/DC Ltd", "ac dc"),
        ("World Class Cleaning", "world class cleaning"),
    ],
)
def test_what_a_registry_or_an_exchange_writes_after_a_name_is_no_part_of_it(
    name: str, expected_core: str
) -> None:
    assert core(name) == expected_core
    assert pl.select(noted_country(pl.lit(name))).item() is None


def test_a_short_word_near_an_honorific_is_part_of_the_name() -> None:
    assert core("Konink Bank") == "konink bank"
