"""Write the sample world to disk, each partner list in its own real export format."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from overlap.samples.partners import PARTNERS
from overlap.samples.world import World, generate_world

# Letters Windows-1252 cannot hold, spelled the way such exports spell them.
_CP1252_FALLBACK = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ń": "n",
        "ś": "s",
        "ą": "a",
        "ę": "e",
        "ż": "z",
        "ź": "z",
        "ć": "c",
        "ő": "o",
        "ű": "u",
    }
)

FILE_HEADERS: dict[str, tuple[str, ...]] = {
    "partner_northgate_hubspot.csv": (
        "Record ID",
        "Company name",
        "Company Domain Name",
        "Country/Region",
        "State/Region",
        "City",
        "Street Address",
        "Postal Code",
        "Phone Number",
        "Lifecycle Stage",
        "Number of Employees",
        "Industry",
    ),
    "partner_meridian_dynamics.xlsx": (
        "Account Name",
        "accountid",
        "Address 1: Street 1",
        "Address 1: City",
        "Address 1: ZIP/Postal Code",
        "Address 1: Country/Region",
        "Main Phone",
        "Relationship Type",
        "Website",
    ),
    "partner_kessler_roux_accounts.csv": ("Company", "Web/Email", "Country", "Location", "Status"),
    "partner_brightline_customers.txt": ("Customer", "Domain", "Country", "Employees"),
    "partner_tessellate_pipedrive.parquet": (
        "Organization - ID",
        "Organization - Name",
        "Organization - Website",
        "Organization - Country",
        "Organization - Address",
        "Organization - Label",
    ),
    "partners.csv": (
        "partner_id",
        "name",
        "type",
        "role",
        "tier",
        "certifications",
        "points",
        "file",
    ),
    "products.csv": ("product_id", "name", "family", "list_price"),
    "deals.csv": (
        "deal_id",
        "account_id",
        "product",
        "amount",
        "created_date",
        "close_date",
        "outcome",
        "partner_id",
        "partner_touch_date",
    ),
    "ground_truth.csv": ("file", "id", "entity_id"),
}
"""The header row of every tabular sample file but the vendor's (``world.VENDOR_COLUMNS``)."""

XLSX_HEADER_ROW = 3
"""1-based row of the header in the Dynamics workbook (a title and a blank row above it)."""


def _xlsx(frame: pl.DataFrame, path: Path) -> None:
    with xlsxwriter.Workbook(path) as book:
        # A fixed creation time keeps the file byte-identical from run to run.
        book.set_properties({"created": datetime(2025, 6, 2, 9, 30), "author": "Meridian CRM"})
        sheet = book.add_worksheet("Accounts")
        sheet.write(0, 0, "Accounts export", book.add_format({"bold": True, "font_size": 14}))
        sheet.write_row(XLSX_HEADER_ROW - 1, 0, frame.columns, book.add_format({"bold": True}))
        for r, row in enumerate(frame.iter_rows(), start=XLSX_HEADER_ROW):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write_string(r, c, str(value))
        sheet.set_column(0, len(frame.columns) - 1, 24)


def write_world(world: World, directory: Path) -> list[Path]:
    """Write ``world``'s files into ``directory`` (created if missing); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def out(name: str) -> Path:
        path = directory / name
        written.append(path)
        return path

    vendor = world.vendor.drop("entity_id", "duplicate").with_columns(
        pl.col("Annual Revenue").cast(pl.Int64)
    )
    vendor.write_csv(out("vendor_crm.csv"), float_precision=2)
    for spec in PARTNERS:
        frame = world.partner_lists[spec.file]
        if spec.file.endswith(".xlsx"):
            _xlsx(frame, out(spec.file))
        elif spec.file.endswith(".parquet"):
            frame.write_parquet(out(spec.file))
        elif spec.type == "agency":
            text = frame.write_csv(separator=";", line_terminator="\r\n")
            data = text.translate(_CP1252_FALLBACK).encode("cp1252", errors="replace")
            out(spec.file).write_bytes(data)
        elif spec.type == "consultancy":
            # Excel's "Unicode Text": UTF-16 little-endian with a byte-order mark, tabs, CRLF.
            text = frame.write_csv(separator="\t", line_terminator="\r\n", quote_style="never")
            out(spec.file).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
        else:
            frame.write_csv(out(spec.file))
    world.partners.write_csv(out("partners.csv"))
    world.products.write_csv(out("products.csv"), float_precision=2)
    world.deals.write_csv(out("deals.csv"), float_precision=2)
    world.ground_truth.write_csv(out("ground_truth.csv"))
    out("README.md").write_text(readme(world), encoding="utf-8")
    return written


def write_samples(directory: Path, *, seed: int = 7) -> list[Path]:
    """Generate the sample ecosystem for ``seed`` and write it into ``directory``.

    Returns the files written: the vendor CRM export, five partner lists in five
    formats, the partner directory, the product catalogue, deals, the ground truth and
    a README describing them.
    """
    return write_world(generate_world(seed=seed), Path(directory))


def readme(world: World) -> str:
    """The ``README.md`` of the sample directory, with this world's row counts."""
    counts = {spec.file: world.partner_lists[spec.file].height for spec in PARTNERS}
    n_dup = int(world.vendor["duplicate"].sum())
    lines = [
        "# Sample partner ecosystem",
        "",
        "Generated by `overlap.samples.write_samples(Path('data/samples'), seed=7)`; do not",
        "edit by hand. Every company is fictional. `ground_truth.csv` says which real",
        "company (`entity_id`) each row of each account list is.",
        "",
        "The vendor sells the *Atlas* product line (`products.csv`).",
        "",
        "| file | what | rows |",
        "|---|---|---|",
        f"| `vendor_crm.csv` | the vendor's Salesforce account export (UTF-8 CSV); {n_dup} "
        f"accounts are entered twice under another spelling | {world.vendor.height} |",
    ]
    kinds = {
        "reseller": "HubSpot companies export (UTF-8 CSV)",
        "system_integrator": "Dynamics 365 accounts workbook (.xlsx, title and blank row "
        "above the header)",
        "agency": "semicolon-separated CSV in Windows-1252; `Web/Email` holds a website or a "
        "contact's e-mail",
        "consultancy": "Excel 'Unicode text' (UTF-16 LE, tab-separated), customers only",
        "technology": "Pipedrive organisations export (Parquet)",
    }
    for spec in PARTNERS:
        lines.append(
            f"| `{spec.file}` | {spec.name} ({spec.type}, role {spec.role}): "
            f"{kinds[spec.type]} | {counts[spec.file]} |"
        )
    lines += [
        f"| `partners.csv` | partner directory: type, role, tier, certifications, points, "
        f"list file | {world.partners.height} |",
        f"| `products.csv` | product catalogue | {world.products.height} |",
        f"| `deals.csv` | closed deals, with the partner involved if any | {world.deals.height} |",
        f"| `ground_truth.csv` | `file`, `id`, `entity_id` for every row of every account "
        f"list | {world.ground_truth.height} |",
        "",
        "Ids in `ground_truth.csv`: the file's id column (`Account ID`, `Record ID`,",
        "`accountid`, `Organization - ID`); for the two lists without one (Kessler & Roux,",
        "Brightline) the 1-based record number. The two HubSpot records with an id and",
        "nothing else are deliberately unusable; their `entity_id` is empty.",
        "",
        "Partner lists are written the way partners write: legal forms changed or dropped,",
        "abbreviations, typos, capitals, subsidiaries, branch cities, other country",
        "spellings and phone formats, missing websites, contact e-mails (some free-mail).",
        "Deals follow the causal model described in `overlap.samples.deals`: partner",
        "relationship, fitting role and product certification raise the win rate, while",
        "expansion deals and segment confound the naive comparison.",
        "",
        *_LAYOUT,
    ]
    return "\n".join(lines)


_LAYOUT = (
    "## The layout, for a folder of your own",
    "",
    "`overlap check`, `rank`, `recommend`, `report`, `serve --samples` and",
    '`overlap.load_ecosystem` read any folder laid out like this one (README.md, "Bring your',
    'own data", has the details):',
    "",
    "- required: the vendor's list `vendor_crm.csv` (or `vendor_crm.xlsx`, `.parquet`, ...);",
    "  `partners.csv` with `partner_id` and `file` (the partner's list), and optionally",
    "  `name`, `type`, `role`, `tier`, `points`, `certifications`, `status` (the status of",
    "  the records in that list that give none) and `as_of` (the list's export date: the",
    "  samples' lists have none); each partner's list, in any format",
    "  `overlap ingest` reads;",
    "- optional: `products.csv` (`product_id`, `name`; `family`, `list_price`) for the",
    "  product catalogue; `deals.csv` (`deal_id`, `account_id`, `outcome`; `product`,",
    "  `amount`, `created_date`, `close_date`, `partner_id`, `partner_touch_date`) for win",
    "  rates, attribution, partner lift and the backtest; `ground_truth.csv` (`file`, `id`,",
    "  `entity_id`) for `--truth`.",
    "",
)
