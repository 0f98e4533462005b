"""Word lists the sample generator builds companies, addresses and phones from.

Plain data, no logic. Names are fictional but built the way real company names
are: a distinctive stem (coined brand, founder surname, place) plus an industry
word plus the legal form of the country. A few generic stems ("American",
"Delta", "First National Bank of ...") are shared on purpose so that different
companies share words: the hard negatives a matcher must keep apart.
"""

from __future__ import annotations

# Data tables, laid out by hand-width rather than one item per line.
# fmt: off

# --- countries ---------------------------------------------------------------
# code: (name as the vendor's CRM writes it, share of companies, web TLDs,
#        phone country code, national trunk prefix, language group)
COUNTRIES: dict[str, tuple[str, float, tuple[str, ...], str, str, str]] = {
    "US": ("United States", 0.4, (".com",), "1", "", "en"),
    "GB": ("United Kingdom", 0.1, (".co.uk", ".com"), "44", "0", "en"),
    "DE": ("Germany", 0.09, (".de", ".com"), "49", "0", "de"),
    "FR": ("France", 0.06, (".fr", ".com"), "33", "0", "fr"),
    "CA": ("Canada", 0.04, (".ca", ".com"), "1", "", "en"),
    "AU": ("Australia", 0.04, (".com.au",), "61", "0", "en"),
    "NL": ("Netherlands", 0.035, (".nl", ".com"), "31", "0", "nl"),
    "IT": ("Italy", 0.03, (".it", ".com"), "39", "", "it"),
    "ES": ("Spain", 0.03, (".es", ".com"), "34", "", "es"),
    "SE": ("Sweden", 0.02, (".se", ".com"), "46", "0", "nordic"),
    "CH": ("Switzerland", 0.02, (".ch", ".com"), "41", "0", "de"),
    "JP": ("Japan", 0.02, (".co.jp", ".jp", ".com"), "81", "0", "ja"),
    "DK": ("Denmark", 0.012, (".dk", ".com"), "45", "", "nordic"),
    "FI": ("Finland", 0.01, (".fi", ".com"), "358", "0", "nordic"),
    "NO": ("Norway", 0.01, (".no", ".com"), "47", "", "nordic"),
    "PL": ("Poland", 0.012, (".pl", ".com"), "48", "", "pl"),
    "BE": ("Belgium", 0.012, (".be", ".com"), "32", "0", "fr"),
    "IE": ("Ireland", 0.012, (".ie", ".com"), "353", "0", "en"),
    "AT": ("Austria", 0.012, (".at", ".com"), "43", "0", "de"),
}

# How partners write countries: the CRM spelling is always one of the options.
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "US": ("United States", "USA", "US", "U.S.", "United States of America"),
    "GB": ("United Kingdom", "UK", "GB", "Great Britain", "England"),
    "DE": ("Germany", "DE", "Deutschland"),
    "FR": ("France", "FR"),
    "CA": ("Canada", "CA"),
    "AU": ("Australia", "AU"),
    "NL": ("Netherlands", "The Netherlands", "NL", "Holland"),
    "IT": ("Italy", "IT", "Italia"),
    "ES": ("Spain", "ES", "España"),
    "SE": ("Sweden", "SE", "Sverige"),
    "CH": ("Switzerland", "CH", "Schweiz"),
    "JP": ("Japan", "JP"),
    "DK": ("Denmark", "DK", "Danmark"),
    "FI": ("Finland", "FI", "Suomi"),
    "NO": ("Norway", "NO", "Norge"),
    "PL": ("Poland", "PL", "Polska"),
    "BE": ("Belgium", "BE", "Belgique", "België"),
    "IE": ("Ireland", "IE"),
    "AT": ("Austria", "AT", "Österreich"),
}

# Legal forms by country with their shares; "" = none written.
LEGAL_FORMS: dict[str, tuple[tuple[str, float], ...]] = {
    "US": (
        ("Inc.", 0.45), ("LLC", 0.25), ("Corp.", 0.1), ("Corporation", 0.05), ("Co.", 0.03),
        ("L.P.", 0.02), ("", 0.1),
    ),
    "CA": (("Inc.", 0.5), ("Ltd.", 0.25), ("Corp.", 0.1), ("", 0.15)),
    "GB": (("Ltd", 0.6), ("Limited", 0.1), ("PLC", 0.1), ("LLP", 0.05), ("", 0.15)),
    "IE": (("Ltd", 0.55), ("Limited", 0.15), ("DAC", 0.05), ("PLC", 0.05), ("", 0.2)),
    "DE": (
        ("GmbH", 0.6), ("AG", 0.15), ("GmbH & Co. KG", 0.12), ("KG", 0.05), ("SE", 0.02),
        ("", 0.06),
    ),
    "AT": (("GmbH", 0.65), ("AG", 0.15), ("KG", 0.05), ("", 0.15)),
    "CH": (("AG", 0.5), ("GmbH", 0.25), ("SA", 0.15), ("", 0.1)),
    "FR": (("SAS", 0.45), ("S.A.", 0.2), ("SARL", 0.25), ("", 0.1)),
    "BE": (("NV", 0.3), ("SA", 0.2), ("BV", 0.25), ("SRL", 0.1), ("", 0.15)),
    "NL": (("B.V.", 0.75), ("N.V.", 0.1), ("", 0.15)),
    "IT": (("S.p.A.", 0.35), ("S.r.l.", 0.5), ("", 0.15)),
    "ES": (("S.A.", 0.4), ("S.L.", 0.45), ("", 0.15)),
    "SE": (("AB", 0.85), ("", 0.15)),
    "DK": (("A/S", 0.65), ("ApS", 0.25), ("", 0.1)),
    "NO": (("AS", 0.75), ("ASA", 0.1), ("", 0.15)),
    "FI": (("Oy", 0.75), ("Oyj", 0.1), ("", 0.15)),
    "PL": (("Sp. z o.o.", 0.7), ("S.A.", 0.2), ("", 0.1)),
    "JP": (("K.K.", 0.35), ("Co., Ltd.", 0.45), ("Inc.", 0.1), ("", 0.1)),
    "AU": (("Pty Ltd", 0.75), ("Ltd", 0.1), ("", 0.15)),
}

# Other ways partners write the same legal form ("" = dropped).
LEGAL_FORM_VARIANTS: dict[str, tuple[str, ...]] = {
    "": ("",),
    "Inc.": ("Inc", ", Inc.", "Incorporated", "INC", ""),
    "LLC": (", LLC", "L.L.C.", "llc", ""),
    "Corp.": ("Corp", "Corporation", ""),
    "Corporation": ("Corp.", "Corp", ""),
    "Co.": ("Company", "Co", ""),
    "L.P.": ("LP", ""),
    "Ltd.": ("Ltd", "Limited", ""),
    "Ltd": ("Ltd.", "Limited", "LTD", ""),
    "Limited": ("Ltd", "Ltd.", ""),
    "PLC": ("plc", "Plc", ""),
    "LLP": ("L.L.P.", ""),
    "DAC": ("Designated Activity Company", ""),
    "GmbH": ("GMBH", "G.m.b.H.", "Gmbh", ""),
    "AG": ("Aktiengesellschaft", ""),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH u. Co. KG", "GmbH", ""),
    "KG": ("", "Kommanditgesellschaft"),
    "SE": ("",),
    "SA": ("S.A.", ""),
    "S.A.": ("SA", "S.A", ""),
    "SAS": ("S.A.S.", "sas", ""),
    "SARL": ("S.A.R.L.", "Sàrl", ""),
    "SRL": ("S.R.L.", ""),
    "NV": ("N.V.", ""),
    "BV": ("B.V.", "BVBA", ""),
    "B.V.": ("BV", "B.V", ""),
    "N.V.": ("NV", ""),
    "S.p.A.": ("SpA", "S.P.A.", ""),
    "S.r.l.": ("Srl", "S.R.L.", ""),
    "S.L.": ("SL", "S.L.U.", ""),
    "AB": ("Aktiebolag", "(publ)", ""),
    "A/S": ("AS", ""),
    "ApS": ("",),
    "AS": ("A/S", ""),
    "ASA": ("AS", ""),
    "Oy": ("Oy Ab", ""),
    "Oyj": ("Oy", ""),
    "Sp. z o.o.": ("sp. z o.o.", "Sp.z o.o.", "Spółka z o.o.", ""),
    "K.K.": ("Kabushiki Kaisha", "KK", ""),
    "Co., Ltd.": ("Co. Ltd.", "Co Ltd", ""),
    "Pty Ltd": ("Pty. Ltd.", "Pty Limited", "Ltd", ""),
}

# Name of a subsidiary in a country, as in "Kestrel Deutschland GmbH".
SUBSIDIARY_WORD: dict[str, str] = {
    "US": "USA",
    "GB": "UK",
    "DE": "Deutschland",
    "FR": "France",
    "CA": "Canada",
    "AU": "Australia",
    "NL": "Nederland",
    "IT": "Italia",
    "ES": "España",
    "SE": "Sverige",
    "CH": "Schweiz",
    "JP": "Japan",
    "DK": "Danmark",
    "FI": "Finland",
    "NO": "Norge",
    "PL": "Polska",
    "BE": "Belgium",
    "IE": "Ireland",
    "AT": "Austria",
}

# --- industries ----------------------------------------------------------------
# Salesforce industry picklist value: (share, English name words)
INDUSTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Technology": (
        0.14,
        (
            "Software", "Systems", "Technologies", "Digital", "Networks", "Data", "Analytics",
            "Labs", "Cloud", "Computing", "Informatics", "Tech",
        ),
    ),
    "Manufacturing": (
        0.1,
        (
            "Manufacturing", "Industries", "Fabrication", "Components", "Plastics", "Metals",
            "Steel", "Tooling", "Precision Products",
        ),
    ),
    "Healthcare": (
        0.07,
        (
            "Health", "Healthcare", "Medical", "Diagnostics", "Clinics", "Care", "Dental",
            "Health Partners",
        ),
    ),
    "Biotechnology": (
        0.03,
        (
            "Biosciences", "Therapeutics", "Genomics", "Bio", "Pharma", "Pharmaceuticals",
            "Life Sciences",
        ),
    ),
    "Finance": (
        0.06,
        (
            "Capital", "Financial", "Investments", "Asset Management", "Advisors", "Securities",
            "Wealth Management", "Financial Group",
        ),
    ),
    "Banking": (0.03, ("Bank", "Bancorp", "Savings Bank", "Trust", "Credit Union")),
    "Insurance": (0.03, ("Insurance", "Assurance", "Mutual", "Underwriters", "Insurance Group")),
    "Transportation": (
        0.05,
        (
            "Logistics", "Freight", "Transport", "Shipping", "Express", "Air", "Airlines", "Cargo",
            "Fleet Services",
        ),
    ),
    "Retail": (0.06, ("Retail", "Stores", "Outfitters", "Supply", "Market", "Brands", "Goods")),
    "Food & Beverage": (
        0.04, ("Foods", "Farms", "Brewing", "Beverages", "Bakery", "Provisions", "Dairy"),
    ),
    "Energy": (
        0.04, ("Energy", "Power", "Solar", "Renewables", "Oil & Gas", "Resources", "Electric"),
    ),
    "Construction": (
        0.05,
        ("Construction", "Builders", "Contracting", "Homes", "Development", "Building Materials"),
    ),
    "Engineering": (0.04, ("Engineering", "Design", "Technical Services", "Engineers")),
    "Consulting": (
        0.05, ("Consulting", "Advisory", "Associates", "Partners", "Management", "Consultants"),
    ),
    "Telecommunications": (0.03, ("Telecom", "Communications", "Wireless", "Broadband")),
    "Media": (0.03, ("Media", "Publishing", "Studios", "Entertainment", "Broadcasting")),
    "Education": (0.02, ("Learning", "Academy", "Education", "Institute")),
    "Hospitality": (0.02, ("Hotels", "Hospitality", "Resorts", "Restaurants")),
    "Chemicals": (0.02, ("Chemicals", "Chemical", "Coatings", "Polymers", "Materials")),
    "Electronics": (
        0.03, ("Electronics", "Semiconductors", "Devices", "Instruments", "Controls", "Automation"),
    ),
    "Machinery": (0.02, ("Machinery", "Equipment", "Robotics", "Hydraulics", "Motors")),
    "Agriculture": (0.01, ("Agriculture", "Agri", "Seeds", "Grain")),
    "Apparel": (0.01, ("Apparel", "Textiles", "Clothing", "Footwear")),
    "Environmental": (0.01, ("Environmental", "Water", "Recycling", "Waste Solutions")),
}

# Local-language industry words (used for about half the companies of the language).
LOCAL_INDUSTRY_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "Technology": ("Informatik", "Software", "Systemhaus", "Datentechnik"),
        "Manufacturing": ("Werke", "Metallbau", "Kunststofftechnik", "Fertigungstechnik"),
        "Healthcare": ("Medizintechnik", "Gesundheit", "Kliniken"),
        "Finance": ("Vermögensverwaltung", "Finanz", "Beteiligungen"),
        "Insurance": ("Versicherung", "Versicherungen"),
        "Transportation": ("Logistik", "Spedition", "Transporte"),
        "Construction": ("Bau", "Bauunternehmung", "Hochbau"),
        "Engineering": ("Ingenieurbüro", "Technik", "Anlagenbau"),
        "Machinery": ("Maschinenbau", "Antriebstechnik"),
        "Energy": ("Energie", "Stadtwerke", "Solartechnik"),
        "Chemicals": ("Chemie",),
        "Food & Beverage": ("Brauerei", "Lebensmittel", "Feinkost"),
        "Electronics": ("Elektronik", "Elektrotechnik", "Messtechnik"),
        "Consulting": ("Unternehmensberatung", "Beratung"),
    },
    "fr": {
        "Technology": ("Informatique", "Logiciels", "Numérique"),
        "Manufacturing": ("Industries", "Métallurgie", "Plasturgie"),
        "Healthcare": ("Santé", "Médical"),
        "Finance": ("Finance", "Gestion"),
        "Insurance": ("Assurances", "Mutuelle"),
        "Transportation": ("Transports", "Logistique"),
        "Construction": ("Construction", "Bâtiment", "Travaux Publics"),
        "Engineering": ("Ingénierie", "Études Techniques"),
        "Energy": ("Énergie", "Énergies Renouvelables"),
        "Food & Beverage": ("Alimentaire", "Boulangerie", "Vins"),
        "Consulting": ("Conseil",),
    },
    "it": {
        "Manufacturing": ("Industrie", "Meccanica", "Plastica"),
        "Transportation": ("Trasporti", "Logistica"),
        "Construction": ("Costruzioni", "Edilizia"),
        "Engineering": ("Ingegneria", "Impianti"),
        "Food & Beverage": ("Alimentari", "Caseificio", "Vini"),
        "Insurance": ("Assicurazioni",),
        "Technology": ("Informatica", "Sistemi"),
    },
    "es": {
        "Construction": ("Construcciones", "Obras"),
        "Transportation": ("Transportes", "Logística"),
        "Engineering": ("Ingeniería",),
        "Food & Beverage": ("Alimentación", "Bodegas"),
        "Energy": ("Energía", "Renovables"),
        "Technology": ("Sistemas", "Informática"),
    },
    "nl": {
        "Construction": ("Bouw", "Bouwgroep"),
        "Transportation": ("Transport", "Logistiek"),
        "Engineering": ("Techniek", "Installatietechniek"),
        "Insurance": ("Verzekeringen",),
        "Technology": ("Automatisering", "ICT"),
    },
    "nordic": {
        "Construction": ("Bygg", "Byggnads"),
        "Transportation": ("Logistik", "Transport", "Shipping"),
        "Engineering": ("Teknik", "Teknikk"),
        "Manufacturing": ("Industri", "Mekaniska"),
        "Energy": ("Energi", "Kraft"),
    },
    "pl": {
        "Construction": ("Budownictwo",),
        "Transportation": ("Transport", "Logistyka"),
        "Technology": ("Informatyka", "Systemy"),
    },
}

INDUSTRY_QUALIFIERS = (
    "Advanced", "Applied", "Integrated", "Precision", "Global", "United", "Digital", "Strategic",
    "Premier", "Allied", "Pacific", "Coastal", "Northern", "Southern", "Western", "Central",
    "Metro", "International", "Modern", "Smart", "Industrial", "Specialty", "Professional",
)

THE_TAILS = ("Group", "Company", "Partners", "Organization", "Collective")

NAME_SUFFIXES = (
    "Group", "Holdings", "International", "Worldwide", "Partners", "Solutions", "Services",
    "Systems", "Company", "Enterprises",
)

# --- stems -----------------------------------------------------------------------
BRAND_PREFIXES = (
    "Blue", "North", "South", "East", "West", "Silver", "Gold", "Iron", "Stone", "Clear", "Bright",
    "Oak", "Pine", "Cedar", "Maple", "Red", "Green", "Black", "White", "Star", "Sun", "River",
    "Lake", "Harbor", "Summit", "High", "Deep", "Swift", "True", "Fair", "Crest", "Wind", "Storm",
    "Frost", "Ever", "Sky", "Cloud", "Copper", "Granite", "Elm", "Birch", "Willow", "Falcon",
    "Hawk", "Wolf", "Fox", "Bear", "Lion", "Ash", "Cobalt", "Amber", "Sterling", "Crown", "Kings",
    "Bay", "Glen", "Thorn", "Raven", "Bell", "Marsh", "Arrow", "Beacon", "Bold", "Brook", "Cliff",
    "Coral", "Dawn", "Eagle", "Ember", "Fern", "Flint", "Gray", "Hazel", "Holly", "Jade", "Juniper",
    "Lark", "Lime", "Mill", "Moss", "Noble", "Olive", "Pearl", "Quarry", "Rose", "Sage", "Shore",
    "Slate", "Spring", "Tide", "Vale",
)
BRAND_SUFFIXES = (
    "gate", "peak", "wind", "line", "field", "bridge", "stone", "well", "crest", "wood", "ridge",
    "view", "point", "haven", "ford", "brook", "vale", "mark", "port", "light", "water", "way",
    "side", "rock", "stream", "hill", "land", "shore", "wave", "path", "forge", "works", "star",
    "tree", "bourne", "mont", "stead", "wick", "dale", "hurst", "bury", "ton", "more", "leigh",
    "by", "wall", "gard", "spire", "bank", "cove", "glen",
)
# Coined brand names are a start and an ending: Corvanta, Delvira, Solentis.
COINED_STARTS = (
    "Cor", "Del", "Kel", "Sol", "Mar", "Nor", "Ter", "Val", "Ver", "Zen", "Al", "Ar", "Bel", "Cal",
    "Dar", "El", "Fen", "Gal", "Hal", "Lor", "Lum", "Mer", "Nex", "Or", "Pel", "Quin", "Ral", "Sar",
    "Tal", "Ves", "Xen", "Zar", "Av", "Cel", "Dyn", "Ev", "Gen", "Hel", "Jov", "Syn", "Tri", "Omn",
    "Vir", "Nov",
)
COINED_ENDINGS = (
    "anta", "ira", "ix", "entis", "evo", "via", "ova", "ara", "ion", "ium", "ex", "ora", "ano",
    "etta", "ics", "yx", "ant", "igo", "ada", "eon", "ance", "era", "ola", "ari", "ona", "esa",
    "ivo", "anda", "oro", "avia", "enza", "aris", "itas", "ondo",
)
BRANDS = (
    "Vantara", "Kestrel", "Altura", "Corvana", "Nexora", "Veridian", "Lumora", "Quantix", "Zephyra",
    "Orvex", "Calyx", "Solenne", "Axion", "Trivio", "Meridion", "Aurelia", "Brevia", "Cendra",
    "Delvio", "Elara", "Fenwick", "Galvani", "Helix", "Jovia", "Kairo", "Lunaris", "Magnova",
    "Nuvio", "Ostara", "Pyxis", "Quorra", "Rivena", "Sartori", "Tavora", "Ultris", "Valtus",
    "Wystan", "Xandor", "Yarrow", "Zenvia", "Arcadia", "Bellcourt", "Carrow", "Dunmore", "Everly",
    "Fairhaven", "Glenmore", "Hollis", "Ingram", "Juniper", "Kingsley", "Linden", "Mercer",
    "Norwood", "Oakley", "Quincy", "Radley", "Thorne", "Upton", "Vesper", "Whitmore", "Ashby",
    "Brampton", "Calloway", "Davenport", "Ellison", "Fenton", "Grayson", "Hadley", "Osprey",
    "Peregrine", "Merlin", "Sable", "Heron", "Corvid", "Lark", "Aldera", "Bravura", "Cirrus",
    "Dynamo", "Equinox", "Fulcrum", "Gemini", "Horizon", "Insignia", "Keystone", "Lodestar",
    "Momentum", "Nimbus", "Orion", "Paragon", "Quasar", "Radiant", "Sentinel", "Tandem", "Unity",
    "Vertex", "Zenith", "Acumen", "Catalyst", "Ardent", "Beacon", "Cornerstone", "Evergreen",
    "Frontier", "Landmark", "Meridian", "Northstar", "Pinnacle", "Vanguard", "Trillium", "Tessera",
    "Solara", "Ravena", "Ondra", "Mirova", "Kivra", "Ilvaro", "Haldor", "Gravis", "Fyra", "Estrel",
    "Dorvan", "Cavell", "Bexley",
)

# Founder surnames by language group.
SURNAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Marlowe", "Whitaker", "Prescott", "Hargrove", "Caldwell", "Bennett", "Holloway", "Ashford",
        "Thornton", "Kendrick", "Fairbanks", "Pemberton", "Langley", "Radcliffe", "Wexford",
        "Donovan", "Gallagher", "Brennan", "Sullivan", "Reyes", "Castillo", "Harrington",
        "Whitfield", "Carmichael", "Lockhart", "Merriweather", "Sinclair", "Abernathy", "Blackwell",
        "Crawford", "Dalton", "Everett", "Fletcher", "Garrison", "Hawthorne", "Irving", "Jennings",
        "Kirkland", "Lawson", "McAllister", "Nash", "O'Connell", "Patterson", "Quinlan",
        "Rutherford", "Stratton", "Townsend", "Vance", "Warrick", "Yates", "Baxter", "Chandler",
        "Dempsey", "Ellsworth", "Forsythe",
    ),
    "de": (
        "Brandt", "Krüger", "Vogel", "Hoffmann", "Schäfer", "Wagner", "Becker", "Zimmermann",
        "Hartmann", "Lindner", "Seidel", "Falkenberg", "Reinholt", "Weißmann", "Baumann", "Kessler",
        "Lehmann", "Neumann", "Richter", "Schröder", "Winkler", "Ziegler", "Eberhardt", "Fuchs",
        "Haas", "Kaiser", "Lorenz", "Möller", "Sommer", "Steiner",
    ),
    "fr": (
        "Marchand", "Lefèvre", "Dubois", "Moreau", "Girard", "Fontaine", "Rousseau", "Lambert",
        "Chevalier", "Delacroix", "Beaumont", "Bertrand", "Garnier", "Mercier", "Perrin", "Renaud",
        "Vasseur", "Leclerc", "Aubert", "Carpentier",
    ),
    "it": (
        "Bianchi", "Ferrari", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Conti", "Moretti",
        "Lombardi", "Barbieri", "Galli", "Fontana", "Rinaldi", "Caruso",
    ),
    "es": (
        "García", "Navarro", "Ortega", "Herrera", "Delgado", "Morales", "Vidal", "Serrano",
        "Castro", "Molina", "Ibáñez", "Soler",
    ),
    "nl": (
        "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "van den Berg", "Jansen", "Vermeulen", "Hendriks", "van Leeuwen",
    ),
    "nordic": (
        "Lindqvist", "Halvorsen", "Johansson", "Andersen", "Nielsen", "Lindgren", "Berg", "Dahl",
        "Holm", "Eriksson", "Virtanen", "Nyström", "Sørensen", "Lundberg", "Korhonen", "Strand",
        "Bergström", "Haugen",
    ),
    "pl": (
        "Nowak", "Kowalski", "Wiśniewski", "Zieliński", "Lewandowski", "Kamiński", "Wójcik",
        "Dąbrowski",
    ),
    "ja": (
        "Takeda", "Yamamoto", "Nakamura", "Sato", "Fujita", "Morita", "Kobayashi", "Ishikawa",
        "Matsuda", "Hayashi", "Okada", "Shimizu",
    ),
}

# Region words a company may be named after, by language group.
PLACES: dict[str, tuple[str, ...]] = {
    "en": (
        "Pacific", "Atlantic", "Midwest", "Great Lakes", "Cascade", "Gulf Coast", "Rocky Mountain",
        "Bay Area", "New England", "Chesapeake", "Sierra", "Hudson Valley", "Potomac", "Thames",
        "Pennine", "Highland", "Cotswold", "Yorkshire", "Tasman", "Cascadia", "Heartland",
        "Lone Star", "Piedmont", "Ozark", "Sonoran", "Blue Ridge",
    ),
    "de": ("Rhein", "Alpen", "Hanse", "Elbe", "Main", "Schwarzwald", "Bodensee", "Isar"),
    "fr": ("Provence", "Atlantique", "Rhône", "Alpes", "Bretagne", "Loire", "Normandie"),
    "it": ("Adriatica", "Tirrena", "Padana", "Alpina", "Toscana"),
    "es": ("Ibérica", "Cantábrica", "Mediterránea", "Levante"),
    "nl": ("Noordzee", "Delta", "Rijnmond", "Veluwe"),
    "nordic": ("Nordic", "Baltic", "Scandinavian", "Arctic", "Fjord"),
    "pl": ("Baltic", "Mazowsze", "Vistula"),
    "ja": ("Kanto", "Kansai", "Pacific", "Fuji"),
}

# Stems many unrelated companies share: the hard negatives ("American Airlines" is
# not "American Express"; "Delta Dental" is not "Delta Air").
GENERIC_STEMS = (
    "American", "United", "National", "General", "First", "Premier", "Global", "Continental",
    "Standard", "Royal", "Delta", "Summit", "Pioneer", "Liberty", "Apex", "Eagle", "Atlas",
    "Phoenix", "Alliance", "Capital", "Pacific", "Atlantic", "Universal", "Consolidated",
    "International", "Southern", "Northern", "Western", "Eastern", "Central",
)

# Local banks by language group: same words, different towns, different companies.
BANK_PATTERNS: dict[str, tuple[str, ...]] = {
    "en": (
        "First National Bank of {}", "{} Savings Bank", "Bank of {}", "{} Community Credit Union",
        "{} Trust Company", "Citizens Bank of {}",
    ),
    "de": ("Sparkasse {}", "Volksbank {}", "Stadtsparkasse {}"),
    "fr": ("Banque Populaire de {}", "Crédit Mutuel de {}"),
    "it": ("Banca di {}", "Cassa di Risparmio di {}"),
    "es": ("Caja Rural de {}", "Banco de {}"),
    "nl": ("Rabobank {}", "Spaarbank {}"),
    "nordic": ("{} Sparbank", "{} Sparebank"),
    "pl": ("Bank Spółdzielczy w {}",),
    "ja": ("Bank of {}", "{} Shinkin Bank"),
}

# --- addresses -------------------------------------------------------------------
# City, state/region, phone area code, postal template (# digit, @ letter).
CITIES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "US": (
        ("New York", "NY", "212", "100##"), ("Chicago", "IL", "312", "606##"),
        ("San Francisco", "CA", "415", "941##"), ("Los Angeles", "CA", "213", "900##"),
        ("Austin", "TX", "512", "787##"), ("Dallas", "TX", "214", "752##"),
        ("Houston", "TX", "713", "770##"), ("Boston", "MA", "617", "021##"),
        ("Seattle", "WA", "206", "981##"), ("Denver", "CO", "303", "802##"),
        ("Atlanta", "GA", "404", "303##"), ("Miami", "FL", "305", "331##"),
        ("Minneapolis", "MN", "612", "554##"), ("Phoenix", "AZ", "602", "850##"),
        ("Philadelphia", "PA", "215", "191##"), ("Charlotte", "NC", "704", "282##"),
        ("Columbus", "OH", "614", "432##"), ("Nashville", "TN", "615", "372##"),
        ("Portland", "OR", "503", "972##"), ("Salt Lake City", "UT", "801", "841##"),
        ("San Diego", "CA", "619", "921##"), ("Detroit", "MI", "313", "482##"),
        ("St. Louis", "MO", "314", "631##"), ("Pittsburgh", "PA", "412", "152##"),
        ("Raleigh", "NC", "919", "276##"), ("Indianapolis", "IN", "317", "462##"),
        ("Kansas City", "MO", "816", "641##"), ("San Jose", "CA", "408", "951##"),
        ("Newark", "NJ", "973", "071##"), ("Stamford", "CT", "203", "069##"),
        ("Springfield", "IL", "217", "627##"), ("Springfield", "MA", "413", "011##"),
        ("Cleveland", "OH", "216", "441##"), ("Milwaukee", "WI", "414", "532##"),
    ),
    "GB": (
        ("London", "England", "20", "EC1A #@@"), ("London", "England", "20", "SW1A #@@"),
        ("London", "England", "20", "E14 #@@"), ("Manchester", "England", "161", "M1 #@@"),
        ("Birmingham", "England", "121", "B3 #@@"), ("Leeds", "England", "113", "LS1 #@@"),
        ("Glasgow", "Scotland", "141", "G2 #@@"), ("Edinburgh", "Scotland", "131", "EH2 #@@"),
        ("Bristol", "England", "117", "BS1 #@@"), ("Cambridge", "England", "1223", "CB2 #@@"),
        ("Reading", "England", "118", "RG1 #@@"), ("Cardiff", "Wales", "29", "CF10 #@@"),
    ),
    "IE": (
        ("Dublin", "Leinster", "1", "D02 @###"), ("Cork", "Munster", "21", "T12 @###"),
        ("Galway", "Connacht", "91", "H91 @###"),
    ),
    "DE": (
        ("Berlin", "Berlin", "30", "10###"), ("München", "Bayern", "89", "80###"),
        ("Hamburg", "Hamburg", "40", "20###"), ("Frankfurt am Main", "Hessen", "69", "60###"),
        ("Köln", "Nordrhein-Westfalen", "221", "50###"),
        ("Stuttgart", "Baden-Württemberg", "711", "70###"),
        ("Düsseldorf", "Nordrhein-Westfalen", "211", "40###"),
        ("Leipzig", "Sachsen", "341", "04###"), ("Hannover", "Niedersachsen", "511", "30###"),
        ("Nürnberg", "Bayern", "911", "90###"), ("Dresden", "Sachsen", "351", "01###"),
    ),
    "AT": (
        ("Wien", "Wien", "1", "10#0"), ("Graz", "Steiermark", "316", "80#0"),
        ("Linz", "Oberösterreich", "732", "40#0"), ("Salzburg", "Salzburg", "662", "50#0"),
    ),
    "CH": (
        ("Zürich", "ZH", "44", "80##"), ("Genève", "GE", "22", "12##"),
        ("Basel", "BS", "61", "40##"), ("Bern", "BE", "31", "30##"),
        ("Lausanne", "VD", "21", "10##"),
    ),
    "FR": (
        ("Paris", "Île-de-France", "1", "750#@"), ("Lyon", "Auvergne-Rhône-Alpes", "4", "6900#"),
        ("Marseille", "Provence-Alpes-Côte d'Azur", "4", "1300#"),
        ("Toulouse", "Occitanie", "5", "31000"), ("Bordeaux", "Nouvelle-Aquitaine", "5", "33000"),
        ("Lille", "Hauts-de-France", "3", "59000"), ("Nantes", "Pays de la Loire", "2", "44000"),
        ("Strasbourg", "Grand Est", "3", "67000"), ("Rennes", "Bretagne", "2", "35000"),
    ),
    "BE": (
        ("Bruxelles", "Bruxelles-Capitale", "2", "10#0"), ("Antwerpen", "Vlaanderen", "3", "20#0"),
        ("Gent", "Vlaanderen", "9", "9000"), ("Liège", "Wallonie", "4", "4000"),
    ),
    "NL": (
        ("Amsterdam", "Noord-Holland", "20", "10## @@"),
        ("Rotterdam", "Zuid-Holland", "10", "30## @@"), ("Utrecht", "Utrecht", "30", "35## @@"),
        ("Den Haag", "Zuid-Holland", "70", "25## @@"),
        ("Eindhoven", "Noord-Brabant", "40", "56## @@"),
    ),
    "IT": (
        ("Milano", "Lombardia", "02", "201##"), ("Roma", "Lazio", "06", "001##"),
        ("Torino", "Piemonte", "011", "101##"), ("Bologna", "Emilia-Romagna", "051", "401##"),
        ("Firenze", "Toscana", "055", "501##"),
    ),
    "ES": (
        ("Madrid", "Madrid", "91", "280##"), ("Barcelona", "Cataluña", "93", "080##"),
        ("Valencia", "Comunidad Valenciana", "96", "460##"),
        ("Sevilla", "Andalucía", "95", "410##"), ("Bilbao", "País Vasco", "94", "480##"),
    ),
    "SE": (
        ("Stockholm", "Stockholms län", "8", "111 ##"),
        ("Göteborg", "Västra Götaland", "31", "411 ##"), ("Malmö", "Skåne", "40", "211 ##"),
        ("Uppsala", "Uppsala län", "18", "753 ##"),
    ),
    "DK": (
        ("København", "Hovedstaden", "3", "1###"), ("Aarhus", "Midtjylland", "8", "8000"),
        ("Odense", "Syddanmark", "6", "5000"),
    ),
    "NO": (
        ("Oslo", "Oslo", "2", "01##"), ("Bergen", "Vestland", "5", "50##"),
        ("Trondheim", "Trøndelag", "7", "70##"),
    ),
    "FI": (
        ("Helsinki", "Uusimaa", "9", "00100"), ("Espoo", "Uusimaa", "9", "02#00"),
        ("Tampere", "Pirkanmaa", "3", "33100"),
    ),
    "PL": (
        ("Warszawa", "mazowieckie", "22", "00-###"), ("Kraków", "małopolskie", "12", "30-###"),
        ("Wrocław", "dolnośląskie", "71", "50-###"), ("Gdańsk", "pomorskie", "58", "80-###"),
    ),
    "JP": (
        ("Tokyo", "Tokyo", "3", "100-####"), ("Osaka", "Osaka", "6", "530-####"),
        ("Yokohama", "Kanagawa", "45", "220-####"), ("Nagoya", "Aichi", "52", "450-####"),
        ("Fukuoka", "Fukuoka", "92", "810-####"),
    ),
    "CA": (
        ("Toronto", "ON", "416", "M5V #@#"), ("Vancouver", "BC", "604", "V6B #@#"),
        ("Montréal", "QC", "514", "H3B #@#"), ("Calgary", "AB", "403", "T2P #@#"),
        ("Ottawa", "ON", "613", "K1P #@#"),
    ),
    "AU": (
        ("Sydney", "NSW", "2", "2000"), ("Melbourne", "VIC", "3", "3000"),
        ("Brisbane", "QLD", "7", "4000"), ("Perth", "WA", "8", "6000"),
        ("Adelaide", "SA", "8", "5000"),
    ),
}

# Street templates by country; {n} is the house number.
STREETS: dict[str, tuple[str, ...]] = {
    "en": (
        "{n} Market Street", "{n} Main Street", "{n} Park Avenue", "{n} Oak Street",
        "{n} Commerce Drive", "{n} Industrial Parkway", "{n} Lakeview Boulevard",
        "{n} Technology Way", "{n} Riverside Drive", "{n} Madison Avenue", "{n} Washington Street",
        "{n} Elm Street", "{n} Corporate Center Drive", "{n} Harbor Road", "{n} 5th Avenue",
        "{n} Broadway", "{n} Pine Street, Suite 200", "{n} Center Street, Suite 400",
        "{n} Maple Lane", "{n} Executive Parkway",
    ),
    "GB": (
        "{n} High Street", "{n} Station Road", "{n} King Street", "{n} Church Lane",
        "{n} Victoria Road", "{n} Queen Street", "{n} Old Street", "{n} Park Lane",
        "{n} Canal Street", "Unit {n}, Riverside Business Park",
    ),
    "de": (
        "Hauptstraße {n}", "Bahnhofstraße {n}", "Friedrichstraße {n}", "Goethestraße {n}",
        "Schillerstraße {n}", "Industriestraße {n}", "Gartenweg {n}", "Lindenallee {n}",
        "Kaiserplatz {n}", "Mozartstraße {n}", "Am Hafen {n}", "Gewerbepark {n}",
    ),
    "fr": (
        "{n} rue de la République", "{n} avenue Victor Hugo", "{n} rue de Rivoli",
        "{n} boulevard Haussmann", "{n} rue Jean Jaurès", "{n} rue de la Paix",
        "{n} avenue Pasteur", "{n} rue Gambetta", "{n} place de la Gare",
    ),
    "nl": (
        "Keizersgracht {n}", "Herengracht {n}", "Stationsweg {n}", "Kerkstraat {n}", "Molenweg {n}",
        "Dorpsstraat {n}", "Industrieweg {n}",
    ),
    "it": (
        "Via Roma {n}", "Via Garibaldi {n}", "Corso Vittorio Emanuele II {n}", "Via Dante {n}",
        "Via Mazzini {n}", "Piazza Cavour {n}", "Via Verdi {n}",
    ),
    "es": (
        "Calle Mayor {n}", "Calle de Alcalá {n}", "Gran Vía {n}", "Calle de Serrano {n}",
        "Avenida Diagonal {n}", "Paseo de la Castellana {n}",
    ),
    "SE": ("Drottninggatan {n}", "Kungsgatan {n}", "Storgatan {n}", "Sveavägen {n}"),
    "DK": ("Vesterbrogade {n}", "Strandvejen {n}", "Bredgade {n}", "Østergade {n}"),
    "NO": ("Karl Johans gate {n}", "Storgata {n}", "Bryggen {n}"),
    "FI": ("Mannerheimintie {n}", "Aleksanterinkatu {n}", "Hämeenkatu {n}"),
    "pl": (
        "ul. Marszałkowska {n}", "ul. Piękna {n}", "ul. Długa {n}", "ul. Mokotowska {n}",
        "al. Jerozolimskie {n}",
    ),
    "ja": (
        "{n}-2 Marunouchi", "{n}-5 Nishi-Shinjuku", "{n}-1 Umeda", "{n}-3 Shiba",
        "{n}-7 Minatomirai",
    ),
}

# Free-mail providers: an address at one of these says nothing about the company.
FREE_MAIL = (
    "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "web.de", "orange.fr",
    "libero.it", "icloud.com",
)

FIRST_NAMES = (
    "james", "maria", "john", "anna", "david", "laura", "michael", "sophie", "thomas", "julia",
    "peter", "emma", "lukas", "claire", "marco", "elena", "jan", "sara", "oliver", "nina", "daniel",
    "hannah", "lars", "ingrid", "pierre", "camille",
)
LAST_NAMES = (
    "miller", "schmidt", "johnson", "martin", "rossi", "jansen", "nilsson", "brown", "meyer",
    "dubois", "garcia", "taylor", "weber", "bianchi", "larsen", "walsh",
)

ACCOUNT_OWNERS = (
    "Rachel Kim", "Marcus Webb", "Priya Raman", "Tom Gallagher", "Elena Vasquez", "Daniel Osei",
    "Hannah Fischer", "Luca Moretti", "Sophie Laurent", "Jack Thompson", "Aisha Khan", "Ben Carter",
    "Ingrid Solberg", "Kenji Watanabe", "Olivia Hart", "Stefan Brandt",
)
