"""Domains: the registrable domain of a website or e-mail address, or null."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.normalise import domain_from, domain_label


def domain(value: str | None) -> str | None:
    return pl.select(domain_from(pl.lit(value, pl.String))).item()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.Acme.co.uk/about?x=1", "acme.co.uk"),
        ("http://acme.com:8080", "acme.com"),
        ("http://acme.com#top", "acme.com"),
        ("ftp://files.acme.com", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("www2.acme.com", "acme.com"),
        ("acme.com/", "acme.com"),
        ("ACME.COM", "acme.com"),
        (" acme.com ", "acme.com"),
        ("acme.com.", "acme.com"),
        ("//acme.com/x", "acme.com"),
        ("HTTPS://WWW.ACME.COM/", "acme.com"),
        ("https://user:secret@shop.acme.com/", "acme.com"),
        ("http://münchen.de", "münchen.de"),
        ("xn--mnchen-3ya.de", "xn--mnchen-3ya.de"),
        ("acme.рф", "acme.рф"),
    ],
)
def test_a_website_gives_its_registrable_domain(value: str, expected: str) -> None:
    assert domain(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jane@acme.com", "acme.com"),
        ("jane@sales.acme.de", "acme.de"),
        ("Jane.Doe@Acme.COM", "acme.com"),
        ("mailto:jane@acme.de", "acme.de"),
        ("Jane Doe <jane@acme.com>", "acme.com"),
    ],
)
def test_an_email_address_gives_its_registrable_domain(value: str, expected: str) -> None:
    assert domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "acme.com; acme.de",
        "https://www.acme.com | https://www.acme.de",
        "jane@acme.com, bob@acme.de",
        "Acme Inc. acme.com acme.de",
        "Jane Doe <jane@acme.com>; Bob <bob@acme.de>",
    ],
)
def test_of_several_addresses_in_one_cell_the_first_is_read(value: str) -> None:
    assert domain(value) == "acme.com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sales.acme.co.uk", "acme.co.uk"),
        ("www.acme.com.au", "acme.com.au"),
        ("shop.acme.co.jp", "acme.co.jp"),
        ("acme.com.br", "acme.com.br"),
        ("a.b.c.acme.org", "acme.org"),
        ("x.schools.nsw.edu.au", "x.schools.nsw.edu.au"),
        # private section: a site on a shared host is its own domain
        ("foo.blogspot.com", "foo.blogspot.com"),
        ("acme.myshopify.com", "acme.myshopify.com"),
        # wildcard rule *.ck and its exception !www.ck
        ("a.b.ck", "a.b.ck"),
        ("www.ck", "www.ck"),
    ],
)
def test_multi_label_public_suffixes_are_kept_whole(value: str, expected: str) -> None:
    assert domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "jane@gmail.com",
        "jane@googlemail.com",
        "jane@hotmail.fr",
        "jane@yahoo.co.uk",
        "jane@yahoo.com",
        "jane@gmx.at",
        "jane@web.de",
        "jane@orange.fr",
        "jane@outlook.com",
        "jane@icloud.com",
        "jane@qq.com",
        "jane@proton.me",
    ],
)
def test_a_free_mail_address_gives_null(value: str) -> None:
    assert domain(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("gmail.com", "gmail.com"), ("https://www.orange.fr", "orange.fr"), ("zoho.com", "zoho.com")],
)
def test_a_mail_provider_website_is_its_own_domain(value: str, expected: str) -> None:
    assert domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "https://www.facebook.com/acmebakery",
        "linkedin.com/company/acme-plumbing/",
        "https://sites.google.com/view/kestrel",
        "https://www.google.de/maps/place/Acme",
        "yelp.co.uk/biz/acme-cafe",
        "bit.ly/3xYz",
    ],
)
def test_a_page_on_a_social_network_or_directory_gives_null(value: str) -> None:
    # every company with such a page would otherwise share facebook.com
    assert domain(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.facebook.com/", "facebook.com"),
        ("jane@linkedin.com", "linkedin.com"),
        ("https://acme.wordpress.com/about", "acme.wordpress.com"),
        ("acme.jimdofree.com", "acme.jimdofree.com"),
    ],
)
def test_a_network_site_itself_and_a_customer_subdomain_of_a_site_host_are_domains(
    value: str, expected: str
) -> None:
    assert domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "n/a",
        "N/A",
        "none",
        "-",
        "no website",
        "unknown",
        "http://www.example.com",
        "example.org",
        "jane@example.co.uk",
        "test@test.com",
        None,
    ],
)
def test_a_placeholder_gives_null(value: str | None) -> None:
    assert domain(value) is None


@pytest.mark.parametrize(
    "value", ["co.uk", "com", "localhost", "acme.local", "acme.con", "192.168.0.1"]
)
def test_a_host_without_a_registrable_domain_gives_null(value: str) -> None:
    assert domain(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("acme.com", "acme"), ("acme.co.uk", "acme"), ("acme-tools.de", "acmetools"), (None, None)],
)
def test_a_domain_label_is_the_domain_without_its_suffix_and_hyphens(value, expected) -> None:
    assert pl.select(domain_label(pl.lit(value, pl.String))).item() == expected
