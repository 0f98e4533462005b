"""Reading account lists: formats, encodings, header dialects, typed values, bad input."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal, assert_series_equal

from overlap import schema
from overlap.errors import (
    ConfigError,
    DuplicateIdError,
    EmptyFileError,
    MappingError,
    UnreadableFileError,
)
from overlap.ingest import (
    REJECTED_SCHEMA,
    IngestResult,
    accounts_from_frame,
    detect_mapping,
    read_accounts,
    read_mapping_file,
)
from overlap.ingest.values import number, plain_number, split_location

CHICAGO = Path(__file__).parents[1] / ".." / "shared/data/real/chicago_early_childhood_sites.csv"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def column(result: IngestResult, field: str) -> list[object]:
    return result.accounts[field].to_list()


# --- formats and encodings -----------------------------------------------------------


def test_comma_separated_utf8_file_gives_the_account_schema(
    tmp_path: Path, accounts: Callable[[list[dict[str, Any]]], pl.DataFrame]
) -> None:
    path = write(
        tmp_path, "crm.csv", "Account Name,Website\nAcme Inc,acme.com\nBeta GmbH,beta.de\n"
    )
    result = read_accounts(path)
    expected = accounts(
        [{"name": "Acme Inc", "website": "acme.com"}, {"name": "Beta GmbH", "website": "beta.de"}]
    ).with_columns(pl.Series(schema.ROW, [2, 3]))  # lines in the file, after the header
    assert_frame_equal(result.accounts, expected)
    assert result.mapping == {"Account Name": "name", "Website": "website"}
    assert result.rows_read == 2
    assert result.file == "crm.csv"
    assert result.rejected.schema == pl.Schema(REJECTED_SCHEMA)
    assert result.rejected.height == 0


def test_semicolon_separated_latin1_file_is_read(tmp_path: Path) -> None:
    text = (
        "Company;City;Country\nMüller GmbH;Köln;Deutschland\nSociété Générale, S.A.;Paris;France\n"
    )
    path = write(tmp_path, "partner.csv", text.encode("latin-1"))
    result = read_accounts(path)
    assert column(result, schema.NAME) == ["Müller GmbH", "Société Générale, S.A."]
    assert column(result, schema.COUNTRY) == ["Deutschland", "France"]


def test_windows_1252_characters_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Company\n“Smart” Café – Ltd\n".encode("cp1252"))
    assert column(read_accounts(path), schema.NAME) == ["“Smart” Café – Ltd"]


def test_text_a_system_once_decoded_with_the_wrong_encoding_is_repaired(tmp_path: Path) -> None:
    names = ["Société Générale", "Česká spořitelna", "Children’s Place", "Ångström AB"]
    written = [name.encode().decode("cp1252", errors="replace") for name in names[:2]]
    written += [names[2].encode().decode("mac_roman").encode().decode("mac_roman"), names[3]]
    assert written[:3] == ["SociÃ©tÃ© GÃ©nÃ©rale", "ÄŒeskÃ¡ spoÅ™itelna", "Children‚Äö√Ñ√¥s Place"]
    path = write(
        tmp_path,
        "list.csv",
        ("Company,City\n" + "".join(f"{n},Zürich\n" for n in written)).encode(),
    )
    assert column(read_accounts(path), schema.NAME) == names


def test_utf8_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "\ufeffCompany,City\nZürich AG,Zürich\n".encode())
    result = read_accounts(path)
    assert result.mapping == {"Company": "name", "City": "city"}
    assert column(result, schema.CITY) == ["Zürich"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_tab_separated_is_read(tmp_path: Path, encoding: str) -> None:
    text = "Account Name\tBilling City\nŁódź Systems\tŁódź\nAcme\tAustin\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # the codecs without a byte-order mark: add Excel's one
        data = ("\ufeff" + text).encode(encoding)
    result = read_accounts(write(tmp_path, "export.txt", data))
    assert column(result, schema.NAME) == ["Łódź Systems", "Acme"]
    assert column(result, schema.CITY) == ["Łódź", "Austin"]


def test_pipe_separated_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "list.txt", "Name|Domain|Country\nAcme|acme.com|US\n")
    result = read_accounts(path)
    assert result.mapping == {"Name": "name", "Domain": "website", "Country": "country"}


def test_tsv_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "list.tsv", "Company\tCountry\nAcme, Inc.\tUSA\n")
    assert column(read_accounts(path), schema.NAME) == ["Acme, Inc."]


def test_quoted_cells_with_line_breaks_and_delimiters_are_one_cell(tmp_path: Path) -> None:
    text = 'Id,Name,Address\n1,"Acme, Inc.","1 Main St\nSuite 200"\n2,Beta,"2 Elm, Austin"\n'
    result = read_accounts(write(tmp_path, "crm.csv", text))
    assert column(result, schema.NAME) == ["Acme, Inc.", "Beta"]
    assert column(result, schema.ADDRESS) == ["1 Main St\nSuite 200", "2 Elm, Austin"]
    assert column(result, schema.ROW) == [2, 4]  # the line where each record starts


def test_title_rows_above_the_header_are_skipped_and_counted_in_rows(tmp_path: Path) -> None:
    text = "Account export 2026-11-01\n\nAccount Name,Website\nAcme,acme.com\n\nBeta,beta.io\n"
    result = read_accounts(write(tmp_path, "crm.csv", text))
    assert result.mapping == {"Account Name": "name", "Website": "website"}
    assert column(result, schema.NAME) == ["Acme", "Beta"]
    assert column(result, schema.ROW) == [4, 6]
    assert result.rows_read == 2


def test_header_without_a_known_name_is_found_by_its_width(tmp_path: Path) -> None:
    text = "Report: partners\nFoo,Bar,Baz\n1,2,\n4,5,\n"  # data rows end in empty cells
    with pytest.raises(MappingError) as error:
        read_accounts(write(tmp_path, "odd.csv", text))
    assert "'Foo', 'Bar', 'Baz'" in str(error.value)


def test_xlsx_first_non_empty_sheet_is_read_with_sheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "accounts.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Notes")
    sheet = book.add_worksheet("Accounts")
    sheet.write(0, 0, "Account export")
    sheet.write_row(2, 0, ["Account ID", "Account Name", "Annual Revenue", "Created Date"])
    sheet.write_row(3, 0, ["00123", "Acme", 1_200_000])
    sheet.write_datetime(
        3, 3, dt.datetime(2024, 1, 5), book.add_format({"num_format": "yyyy-mm-dd"})
    )
    sheet.write_row(4, 0, [7, "Beta", "$2,500"])
    book.close()
    result = read_accounts(path)
    assert column(result, schema.ID) == ["00123", "7"]
    assert column(result, schema.ROW) == [4, 5]
    assert column(result, schema.ANNUAL_REVENUE) == [1_200_000.0, 2_500.0]
    assert column(result, schema.CREATED_DATE) == [dt.date(2024, 1, 5), None]


def test_xlsx_accounts_are_read_from_the_sheet_that_holds_them_not_a_cover_sheet(
    tmp_path: Path,
) -> None:
    path = tmp_path / "partner.xlsx"
    book = xlsxwriter.Workbook(path)
    cover = book.add_worksheet("Summary")
    cover.write_column(0, 0, ["Partner account report", "Generated 2026-11-01", "Rows: 2"])
    sheet = book.add_worksheet("Accounts")
    sheet.write_row(0, 0, ["Account ID", "Account Name", "Website"])
    sheet.write_row(1, 0, ["A-1", "Acme Corp", "acme.com"])
    book.close()
    result = read_accounts(path)
    assert column(result, schema.NAME) == ["Acme Corp"]
    assert column(result, schema.ROW) == [2]


def test_parquet_file_is_read_with_typed_columns_as_text(tmp_path: Path) -> None:
    path = tmp_path / "list.parquet"
    pl.DataFrame(
        {"Id": [10, 11], "Company": ["Acme", "Beta"], "Employees": [50, None]}
    ).write_parquet(path)
    result = read_accounts(path)
    assert column(result, schema.ID) == ["10", "11"]
    assert column(result, schema.EMPLOYEES) == [50, None]
    assert column(result, schema.ROW) == [1, 2]


def test_json_lines_file_is_read_and_lists_are_joined(tmp_path: Path) -> None:
    lines = [
        {"name": "Acme", "products": ["Atlas Edge", "Atlas Secure"]},
        {"name": "Beta", "products": []},
    ]
    path = write(tmp_path, "list.jsonl", "\n".join(json.dumps(line) for line in lines))
    result = read_accounts(path)
    assert column(result, schema.PRODUCTS) == ["Atlas Edge; Atlas Secure", None]


# --- header dialects -----------------------------------------------------------------


def test_salesforce_account_export_headers_map() -> None:
    headers = [
        "Account ID", "Account Name", "Website", "Phone", "Billing Street", "Billing City",
        "Billing State/Province", "Billing Zip/Postal Code", "Billing Country", "Industry",
        "Employees", "Annual Revenue", "Type", "Account Owner", "Opportunity Stage",
        "Opportunity Amount", "Close Date", "Created Date", "Products", "D-U-N-S Number",
        "Shipping Country",
    ]  # fmt: skip
    assert detect_mapping(headers) == {
        "Account ID": "id", "Account Name": "name", "Website": "website", "Phone": "phone",
        "Billing Street": "address", "Billing City": "city", "Billing State/Province": "state",
        "Billing Zip/Postal Code": "postal_code", "Billing Country": "country",
        "Industry": "industry", "Employees": "employees", "Annual Revenue": "annual_revenue",
        "Type": "status", "Account Owner": "owner", "Opportunity Stage": "stage",
        "Opportunity Amount": "amount", "Close Date": "close_date",
        "Created Date": "created_date", "Products": "products", "D-U-N-S Number": "registry_id",
    }  # fmt: skip


def test_hubspot_company_export_headers_map() -> None:
    headers = [
        "Record ID", "Company name", "Company Domain Name", "Website URL", "Country/Region",
        "State/Region", "City", "Postal Code", "Street Address", "Phone Number",
        "Number of Employees", "Annual Revenue", "Lifecycle Stage", "Company owner", "Industry",
    ]  # fmt: skip
    assert detect_mapping(headers) == {
        "Record ID": "id", "Company name": "name", "Website URL": "website",
        "Country/Region": "country", "State/Region": "state", "City": "city",
        "Postal Code": "postal_code", "Street Address": "address", "Phone Number": "phone",
        "Number of Employees": "employees", "Annual Revenue": "annual_revenue",
        "Lifecycle Stage": "status", "Company owner": "owner", "Industry": "industry",
    }  # fmt: skip


def test_dynamics_account_export_headers_map() -> None:
    headers = [
        "Account Name", "accountid", "Address 1: Street 1", "Address 1: City",
        "Address 1: State/Province", "Address 1: ZIP/Postal Code", "Address 1: Country/Region",
        "Main Phone", "Relationship Type", "Number of Employees", "Annual Revenue", "Owner",
    ]  # fmt: skip
    assert detect_mapping(headers) == {
        "Account Name": "name", "accountid": "id", "Address 1: Street 1": "address",
        "Address 1: City": "city", "Address 1: State/Province": "state",
        "Address 1: ZIP/Postal Code": "postal_code", "Address 1: Country/Region": "country",
        "Main Phone": "phone", "Relationship Type": "status",
        "Number of Employees": "employees", "Annual Revenue": "annual_revenue", "Owner": "owner",
    }  # fmt: skip


def test_pipedrive_organization_export_headers_map() -> None:
    headers = [
        "Organization - ID", "Organization - Name", "Organization - Website",
        "Organization - Country", "Organization - Address", "Organization - Label",
        "Organization - Industry",
    ]  # fmt: skip
    assert detect_mapping(headers) == {
        "Organization - ID": "id", "Organization - Name": "name",
        "Organization - Website": "website", "Organization - Country": "country",
        "Organization - Address": "address", "Organization - Label": "status",
        "Organization - Industry": "industry",
    }  # fmt: skip


def test_zoho_account_export_headers_map() -> None:
    headers = ["Account Name", "Account Number", "Billing Code", "Account Type", "Account Owner"]
    assert detect_mapping(headers) == {
        "Account Name": "name", "Account Number": "id", "Billing Code": "postal_code",
        "Account Type": "status", "Account Owner": "owner",
    }  # fmt: skip


def test_plain_list_headers_map_ignoring_case_spaces_and_punctuation() -> None:
    headers = ["COMPANY", "web", "e_mail", "Tel.", "zip", "LEI", "Relationship", "Notes"]
    assert detect_mapping(headers) == {
        "COMPANY": "name", "web": "website", "e_mail": "email", "Tel.": "phone",
        "zip": "postal_code", "LEI": "registry_id", "Relationship": "status",
    }  # fmt: skip


def test_chicago_header_maps_id_not_true_id_and_site_name_not_program_or_agency() -> None:
    header = (
        '"True Id","Id","Source","Site name","Address","Zip","Phone","Fax","Program Name",'
        '"Length of Day","IDHS Provider ID","Agency","Neighborhood","Funded Enrollment",'
        '"Program Option","Number per Site EHS","Number per Site HS","Director",'
        '"Head Start Fund","Eearly Head Start Fund","CC fund","Progmod","Website",'
        '"Executive Director","Center Director","ECE Available Programs","NAEYC Valid Until",'
        '"NAEYC Program Id","Email Address","Ounce of Prevention Description",'
        '"Purple binder service type","Column","Column2"'
    )
    headers = [cell.strip('"') for cell in header.split(",")]
    assert detect_mapping(headers) == {
        "Id": "id", "Site name": "name", "Address": "address", "Zip": "postal_code",
        "Phone": "phone", "Website": "website", "Email Address": "email",
    }  # fmt: skip


def test_headers_qualified_by_the_list_they_come_from_map() -> None:
    headers = ["vendor_id", "partner_account_name", "HQ Country", "company_website", "Notes"]
    assert detect_mapping(headers) == {
        "vendor_id": "id", "partner_account_name": "name", "HQ Country": "country",
        "company_website": "website",
    }  # fmt: skip


def test_in_a_partners_deal_list_the_end_customer_is_the_account() -> None:
    headers = ["Partner Name", "Partner Account ID", "End Customer Name", "End User Website"]
    assert detect_mapping(headers) == {
        "Partner Account ID": "id", "End Customer Name": "name", "End User Website": "website",
    }  # fmt: skip


def test_an_alias_written_two_ways_keeps_the_rank_of_its_first_spelling() -> None:
    # "Website" and "Web Site" share a key; "Website URL" is listed between them
    assert detect_mapping(["Website URL", "Website"]) == {"Website": "website"}
    assert detect_mapping(["Business Phone", "Téléphone"]) == {"Téléphone": "phone"}


def test_dynamics_logical_names_map() -> None:
    headers = ["accountid", "name", "websiteurl", "emailaddress1", "telephone1"]
    headers += ["address1_line1", "address1_city", "address1_stateorprovince"]
    headers += ["address1_postalcode", "address1_country"]
    assert detect_mapping(headers) == {
        "accountid": "id", "name": "name", "websiteurl": "website", "emailaddress1": "email",
        "telephone1": "phone", "address1_line1": "address", "address1_city": "city",
        "address1_stateorprovince": "state", "address1_postalcode": "postal_code",
        "address1_country": "country",
    }  # fmt: skip


def test_dynamics_record_ids_and_common_headers_in_other_languages_map() -> None:
    headers = ["(Do Not Modify) Account", "(Do Not Modify) Row Checksum", "Firmenname"]
    headers += ["Straße", "PLZ", "Ort", "Land", "Téléphone"]
    assert detect_mapping(headers) == {
        "(Do Not Modify) Account": "id", "Firmenname": "name", "Straße": "address",
        "PLZ": "postal_code", "Ort": "city", "Land": "country", "Téléphone": "phone",
    }  # fmt: skip


def test_a_note_or_number_after_a_header_is_no_part_of_it() -> None:
    assert detect_mapping(["Account ID (18)", "Company Name (Legal)", "Website [primary]"]) == {
        "Account ID (18)": "id",
        "Company Name (Legal)": "name",
        "Website [primary]": "website",
    }


def test_a_header_as_written_wins_over_one_that_needs_its_qualifier_dropped() -> None:
    assert detect_mapping(["Partner Name", "Partner ID", "Name", "Id"]) == {
        "Name": "name",
        "Id": "id",
    }


def test_a_qualifier_alone_or_owner_fields_are_no_account_field() -> None:
    assert detect_mapping(["Account Owner ID", "Parent Account ID", "Partners"]) == {}


def test_an_unknown_header_naming_ids_is_the_id_when_each_row_has_its_own(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "person_id,Lat,Name\n2909,0.0,Acme\n3574,0.0,Beta\n")
    result = read_accounts(path)
    assert result.mapping == {"person_id": "id", "Name": "name"}
    assert column(result, schema.ID) == ["2909", "3574"]


def test_a_header_ending_in_a_number_sign_names_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Company,Acct #\nAcme,A-7\nBeta,B-9\n")
    assert column(read_accounts(path), schema.ID) == ["A-7", "B-9"]
    assert detect_mapping(["Account #", "Account Name"]) == {
        "Account #": "id",
        "Account Name": "name",
    }


def test_a_first_column_of_one_word_per_row_is_the_id_when_no_header_names_one(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "list.csv", "recid,Company\n0015g00000XyZ,Acme\n0015g00000XyW,Beta\n")
    assert column(read_accounts(path), schema.ID) == ["0015g00000XyZ", "0015g00000XyW"]


def test_a_first_column_of_several_words_or_repeated_cells_is_no_id(tmp_path: Path) -> None:
    words = write(tmp_path, "words.csv", "Segment,Company\nMid Market,Acme\nEnterprise,Beta\n")
    repeated = write(tmp_path, "repeated.csv", "Tier,Company\nGold,Acme\nGold,Beta\n")
    assert column(read_accounts(words), schema.ID) == ["1", "2"]
    assert column(read_accounts(repeated), schema.ID) == ["1", "2"]


def test_a_header_naming_ids_shared_by_rows_is_no_id(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "True Id,Name\n7,Acme\n7,ACME Inc\n")
    result = read_accounts(path)
    assert schema.ID not in result.mapping.values()
    assert column(result, schema.ID) == ["1", "2"]


def test_a_header_an_explicit_mapping_ignores_is_no_id(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "person_id,Name\n2909,Acme\n3574,Beta\n")
    result = read_accounts(path, mapping={"person_id": "ignore"})
    assert column(result, schema.ID) == ["1", "2"]


def test_billing_columns_win_over_shipping_columns() -> None:
    assert detect_mapping(["Shipping Country", "Billing Country", "Name"]) == {
        "Billing Country": "country",
        "Name": "name",
    }


@pytest.mark.skipif(not CHICAGO.exists(), reason="the real Chicago file is not present")
def test_real_chicago_file_reads_every_row_with_its_line() -> None:
    result = read_accounts(CHICAGO)
    assert result.rows_read == result.accounts.height == 3337
    assert result.accounts.row(0, named=True)[schema.ROW] == 2
    assert result.accounts[schema.ID].is_unique().all()
    assert result.accounts[schema.NAME].null_count() == 0


# --- explicit mapping ----------------------------------------------------------------


def test_explicit_mapping_overrides_detection_for_the_headers_it_names(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Name,Partner Name,Id\nwrong,Acme,1\n")
    result = read_accounts(path, mapping={"Partner Name": "name", "Name": "ignore"})
    assert result.mapping == {"Partner Name": "name", "Id": "id"}
    assert column(result, schema.NAME) == ["Acme"]
    assert result.ignored == ("Name",)


def test_explicit_mapping_with_unknown_header_names_it_and_lists_the_headers(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "list.csv", "Company,City\nAcme,Austin\n")
    with pytest.raises(MappingError) as error:
        read_accounts(path, mapping={"Firm": "name"})
    assert "'Firm'" in str(error.value)
    assert "list.csv" in str(error.value)
    assert "'Company', 'City'" in str(error.value)


def test_explicit_mapping_with_unknown_field_lists_the_valid_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Company,City\nAcme,Austin\n")
    with pytest.raises(MappingError) as error:
        read_accounts(path, mapping={"City": "town"})
    assert "'town'" in str(error.value)
    assert "postal_code" in str(error.value)


def test_mapping_file_is_a_json_object(tmp_path: Path) -> None:
    path = write(tmp_path, "map.json", '{"Partner Name": "name"}')
    assert read_mapping_file(path) == {"Partner Name": "name"}
    with pytest.raises(MappingError, match=r"map\.json"):
        read_mapping_file(write(tmp_path, "map.json", '["name"]'))


# --- values ----------------------------------------------------------------------------


def test_ids_are_stripped_text_exactly_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Id,Company\n 00123 ,Acme\nA-7,Beta\n")
    assert column(read_accounts(path), schema.ID) == ["00123", "A-7"]


def test_without_an_id_column_ids_are_data_row_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "list.csv", "Title\n\nCompany\nAcme\nBeta\n")
    assert column(read_accounts(path), schema.ID) == ["1", "2"]


def test_cells_are_stripped_and_placeholders_become_null(tmp_path: Path) -> None:
    text = "Company,Website,City\n  Acme  , N/A ,-\nBeta,none,?\n"
    result = read_accounts(write(tmp_path, "list.csv", text))
    assert column(result, schema.NAME) == ["Acme", "Beta"]
    assert column(result, schema.WEBSITE) == [None, None]
    assert column(result, schema.CITY) == [None, None]


def test_money_and_counts_are_parsed_from_their_usual_spellings() -> None:
    cells = pl.Series(
        ["$1,200,000", "1.200.000,50 €", "USD 1.2M", "(500)", "500k", "1,5", "50-200", "n/a", "3e6"]
    )
    parsed = pl.select(number(pl.lit(cells))).to_series()
    expected = [1_200_000.0, 1_200_000.5, 1_200_000.0, -500.0, 500_000.0, 1.5, None, None, 3e6]
    assert_series_equal(parsed, pl.Series(expected), check_names=False)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1200", 1200.0),
        ("$1,200,000.50", 1_200_000.5),
        (" 1,200 ", 1200.0),
        ("€ 15", 15.0),
        # a decimal comma, even before end spaces, is left to the full parser
        ("1,5", None),
        ("1,5 ", None),
        ("1,5\u00a0", None),
        ("12,5000", None),
        ("1.200.000,50 €", None),
        ("n/a", None),
    ],
)
def test_the_quick_number_pass_reads_plain_spellings_only(
    cell: str, expected: float | None
) -> None:
    assert pl.select(plain_number(pl.lit(cell, pl.String))).item() == expected


def test_typed_columns_are_parsed_in_the_account_frame(tmp_path: Path) -> None:
    text = (
        "Company,Employees,Annual Revenue,Amount,Close Date,Created Date\n"
        'Acme,"1,200",$1.2M,"€ 15.000,00",31/01/2026,2025-03-04T10:00:00Z\n'
        'Beta,500+,-,12 500,02/03/2026,"Mar 4, 2025"\n'
    )
    result = read_accounts(write(tmp_path, "list.csv", text))
    assert column(result, schema.EMPLOYEES) == [1200, 500]
    assert column(result, schema.ANNUAL_REVENUE) == [1_200_000.0, None]
    assert column(result, schema.AMOUNT) == [15_000.0, 12_500.0]
    # 31/01 only reads day first, so the whole column is day first
    assert column(result, schema.CLOSE_DATE) == [dt.date(2026, 1, 31), dt.date(2026, 3, 2)]
    assert column(result, schema.CREATED_DATE) == [dt.date(2025, 3, 4), dt.date(2025, 3, 4)]


def test_slashed_dates_are_month_first_when_nothing_says_otherwise() -> None:
    frame = pl.DataFrame({"Company": ["A", "B"], "Close Date": ["02/03/2026", "12/31/2026"]})
    result = accounts_from_frame(frame)
    assert column(result, schema.CLOSE_DATE) == [dt.date(2026, 2, 3), dt.date(2026, 12, 31)]


def test_relationship_free_text_maps_onto_the_statuses() -> None:
    said = [
        "Customer - Direct", "Customer - Channel", "Prospect", "customer", "opportunity",
        "lead", "marketingqualifiedlead", "salesqualifiedlead", "Customer", "Former customer",
        "churned", "Partner", "Reseller", "Client", "Hot lead", "Investor", None,
    ]  # fmt: skip
    result = accounts_from_frame(pl.DataFrame({"Company": "Acme", "Type": said}))
    assert column(result, schema.STATUS) == [
        "customer", "customer", "prospect", "customer", "opportunity", "prospect", "prospect",
        "prospect", "customer", "churned", "churned", "partner", "partner", "customer",
        "opportunity", None, None,
    ]  # fmt: skip


def test_open_opportunity_stage_without_status_means_opportunity() -> None:
    frame = pl.DataFrame(
        {
            "Account Name": ["A", "B", "C", "D"],
            "Type": [None, None, None, "Prospect"],
            "Stage": ["Negotiation", "Closed Lost", "Closed Won", "Proposal"],
        }
    )
    result = accounts_from_frame(frame)
    assert column(result, schema.STATUS) == ["opportunity", None, "customer", "prospect"]
    assert column(result, schema.STAGE) == ["Negotiation", "Closed Lost", "Closed Won", "Proposal"]


def test_location_is_split_into_city_state_and_country_when_they_have_no_column() -> None:
    frame = pl.DataFrame(
        {
            "Company": ["A", "B", "C", "D"],
            "Location": ["Austin, TX", "Lyon, France", "Munich, Bavaria, Germany", "Paris"],
        }
    )
    result = accounts_from_frame(frame)
    assert result.mapping == {"Company": "name", "Location": "location"}
    assert column(result, schema.CITY) == ["Austin", "Lyon", "Munich", "Paris"]
    assert column(result, schema.STATE) == ["TX", None, "Bavaria", None]
    assert column(result, schema.COUNTRY) == [None, "France", "Germany", None]


def test_location_does_not_override_a_country_column() -> None:
    frame = pl.DataFrame({"Company": ["A"], "Country": ["US"], "Location": ["Lyon, France"]})
    result = accounts_from_frame(frame)
    assert (column(result, schema.CITY), column(result, schema.COUNTRY)) == (["Lyon"], ["US"])


def test_split_location_reads_a_state_code_as_a_state() -> None:
    city, state, country = split_location(pl.col("x"))
    frame = pl.DataFrame({"x": ["Sacramento, CA", "Toronto, Canada"]})
    assert frame.select(city.alias("city"), state.alias("state"), country).rows() == [
        ("Sacramento", "CA", None),
        ("Toronto", None, "Canada"),
    ]


def test_web_or_email_cells_go_to_website_or_email_per_value(tmp_path: Path) -> None:
    text = "Company,Web/Email\nAcme,https://acme.com\nBeta,sales@beta.io\nGamma,mailto:hi@g.org\n"
    result = read_accounts(write(tmp_path, "agency.csv", text))
    assert result.mapping["Web/Email"] == "website"
    assert column(result, schema.WEBSITE) == ["https://acme.com", None, None]
    assert column(result, schema.EMAIL) == [None, "sales@beta.io", "hi@g.org"]


def test_rows_without_name_website_or_email_are_rejected_with_a_reason(tmp_path: Path) -> None:
    text = "Company,Website,City\nAcme,,Austin\n n/a ,-,Lyon\n,beta.io,\n"
    result = read_accounts(write(tmp_path, "list.csv", text))
    assert column(result, schema.NAME) == ["Acme", None]
    expected = pl.DataFrame(
        {
            schema.ROW: [3],
            schema.REASON: ["no name and no website or e-mail"],
            schema.NAME: ["n/a"],
            schema.WEBSITE: ["-"],
            schema.EMAIL: [None],
        },
        schema=REJECTED_SCHEMA,
    )
    assert_frame_equal(result.rejected, expected)
    assert result.rows_read == 3


def test_a_name_that_is_a_web_address_is_the_website_where_there_is_none(tmp_path: Path) -> None:
    # CRMs name the companies they create from a domain after it
    text = "Company name,Company Domain Name\nacme.com,\nbluepeak.io,bluepeak.com\nN.V.NUTRICIA,\n"
    result = read_accounts(write(tmp_path, "hubspot.csv", text))
    # a name with dots but no public suffix is no web address
    assert column(result, schema.WEBSITE) == ["acme.com", "bluepeak.com", None]


def test_a_placeholder_name_without_website_or_email_is_rejected(tmp_path: Path) -> None:
    text = "Company,Website\nTest Account,\nINDIVIDUAL,acme.com\nTesting Labs,\n"
    result = read_accounts(write(tmp_path, "list.csv", text))
    assert column(result, schema.NAME) == ["INDIVIDUAL", "Testing Labs"]
    assert result.rejected[schema.REASON].to_list() == [
        "a name that stands for no company, and no website or e-mail"
    ]


def test_the_totals_row_of_a_spreadsheet_is_no_account(tmp_path: Path) -> None:
    text = "Company,Country,Employees\nAcme,US,10\nTotal S.A.,FR,20\nGrand Total,,30\n"
    result = read_accounts(write(tmp_path, "list.csv", text))
    assert column(result, schema.NAME) == ["Acme", "Total S.A."]
    assert result.rejected[schema.NAME].to_list() == ["Grand Total"]


SALESFORCE_REPORT = """Account Name,Website,Billing Country
Acme Corp,acme.com,US
Bluepeak,bluepeak.de,DE

"Grand Totals (2 records)"

"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."
"Generated By:  Jane Doe  11/1/2026 10:00 AM"
"Kestrel Foods Inc."
"""


def test_a_report_footer_below_the_accounts_is_left_out_with_a_reason(tmp_path: Path) -> None:
    result = read_accounts(write(tmp_path, "report.csv", SALESFORCE_REPORT))
    assert column(result, schema.NAME) == ["Acme Corp", "Bluepeak"]
    assert result.rejected[schema.ROW].to_list() == [5, 7, 8, 9]
    assert result.rejected[schema.NAME][-1] == "Kestrel Foods Inc."
    assert result.rejected[schema.REASON].str.starts_with("a report footer").all()


def test_a_list_of_names_alone_keeps_its_names_after_a_blank_line(tmp_path: Path) -> None:
    result = read_accounts(write(tmp_path, "names.csv", "Company\nAcme\n\nBluepeak\n"))
    assert column(result, schema.NAME) == ["Acme", "Bluepeak"]


def test_rows_without_an_id_are_rejected_when_the_list_has_ids(tmp_path: Path) -> None:
    result = read_accounts(write(tmp_path, "list.csv", "Id,Company\n1,Acme\n,Beta\n"))
    assert result.rejected[schema.REASON].to_list() == ["no id in column 'Id'"]


def test_accounts_from_frame_checks_a_frame_like_a_file() -> None:
    frame = pl.DataFrame({"Company": ["Acme", None], "Employees": [10, 20]})
    result = accounts_from_frame(frame, file="upload")
    assert column(result, schema.EMPLOYEES) == [10]
    assert result.rejected[schema.ROW].to_list() == [2]
    assert result.file == "upload"


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "  \n\n \t\n"])
def test_empty_file_raises_empty_file_error_naming_the_file(tmp_path: Path, content: str) -> None:
    with pytest.raises(EmptyFileError, match=r"empty\.csv"):
        read_accounts(write(tmp_path, "empty.csv", content))


def test_header_without_rows_raises_empty_file_error(tmp_path: Path) -> None:
    with pytest.raises(EmptyFileError, match=r"header\.csv.*no data rows"):
        read_accounts(write(tmp_path, "header.csv", "Company,Website\n"))


def test_missing_name_column_raises_mapping_error_with_headers_and_a_fix(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as error:
        read_accounts(write(tmp_path, "list.csv", "Partner,Region\nAcme,EMEA\n"))
    message = str(error.value)
    assert "list.csv" in message
    assert "'Partner', 'Region'" in message
    assert "Account Name" in message
    assert '--map "Header=name"' in message


def test_duplicate_ids_raise_naming_the_id_and_both_rows(tmp_path: Path) -> None:
    text = "Id,Company\nA1,Acme\nB2,Beta\nA1,Acme Corp\nB2,Beta Ltd\n"
    with pytest.raises(DuplicateIdError) as error:
        read_accounts(write(tmp_path, "crm.csv", text))
    message = str(error.value)
    assert "crm.csv" in message
    assert "'A1'" in message
    assert "row 2" in message
    assert "row 4" in message
    assert "column 'Id'" in message
    assert '--map "Id=ignore"' in message


def test_a_line_written_twice_to_the_letter_is_read_once(tmp_path: Path) -> None:
    text = "Id,Company\nA1,Acme\nB2,Beta\nA1,Acme\n"
    result = read_accounts(write(tmp_path, "crm.csv", text))
    assert column(result, schema.ID) == ["A1", "B2"]
    assert result.rejected[schema.ROW].to_list() == [4]
    assert result.rejected[schema.REASON].to_list() == ["the same line again, cell for cell"]


def test_an_account_written_once_per_contact_is_read_once(tmp_path: Path) -> None:
    text = "Account ID,Account Name,Contact,Phone\nA1,Acme,Jo,\nA1,ACME ,Bo,555-0100\nB2,Beta,Al,\n"
    result = read_accounts(write(tmp_path, "contacts.csv", text))
    assert column(result, schema.ID) == ["A1", "B2"]
    assert result.rejected[schema.ROW].to_list() == [3]
    assert result.rejected[schema.REASON].str.starts_with("the id and name of an earlier").all()


def test_ragged_row_raises_unreadable_file_error_naming_the_row(tmp_path: Path) -> None:
    text = "Company,City\nAcme,Austin\nBeta,Lyon,France\n"
    with pytest.raises(UnreadableFileError) as error:
        read_accounts(write(tmp_path, "ragged.csv", text))
    assert error.value.row == 3
    assert "ragged.csv" in str(error.value)
    assert "3 cells" in str(error.value)


def test_missing_file_raises_unreadable_file_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"nowhere\.csv.*not found"):
        read_accounts(tmp_path / "nowhere.csv")


def test_binary_file_with_csv_name_raises_unreadable_file_error(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    with pytest.raises(UnreadableFileError, match=r"photo\.csv.*binary"):
        read_accounts(path)


def test_workbook_named_csv_is_reported_as_a_zip(tmp_path: Path) -> None:
    path = write(tmp_path, "book.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(40))
    with pytest.raises(UnreadableFileError, match="zip archive"):
        read_accounts(path)


def test_truncated_xlsx_raises_unreadable_file_error(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    book = xlsxwriter.Workbook(whole)
    book.add_worksheet().write_row(0, 0, ["Company", "City"])
    book.close()
    path = write(tmp_path, "cut.xlsx", whole.read_bytes()[:300])
    with pytest.raises(UnreadableFileError, match=r"cut\.xlsx"):
        read_accounts(path)


def test_unsupported_format_lists_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as error:
        read_accounts(write(tmp_path, "list.pdf", "%PDF-1.4"))
    assert "list.pdf" in str(error.value)
    assert ".xlsx" in str(error.value)


def test_a_status_given_on_reading_is_the_status_of_the_records_that_give_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("Company,Status\nAcme,Prospect\nBeta,\nGamma,\nDelta,Foo\n")
    result = read_accounts(path, status="customer")
    # a status not understood is not overwritten: it is reported, and stays unknown
    assert result.accounts[schema.STATUS].to_list() == ["prospect", "customer", "customer", None]
    assert read_accounts(path).accounts[schema.STATUS].to_list() == ["prospect", None, None, None]


def test_a_status_given_on_reading_must_be_one_of_the_statuses(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("Company\nAcme\n")
    with pytest.raises(ConfigError, match="customer, opportunity"):
        read_accounts(path, status="client")
