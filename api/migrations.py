"""The store's tables, version by version: ``Store.migrate`` applies those it has not seen.

A change to the schema is a new entry at the end of ``MIGRATIONS``, never an edit of
one already shipped: databases in use have applied it.
"""

from __future__ import annotations

import polars as pl

from overlap import schema

_SQL_TYPES = {
    pl.String(): "VARCHAR",
    pl.Int64(): "BIGINT",
    pl.Float64(): "DOUBLE",
    pl.Date(): "DATE",
}


def _account_columns_sql() -> str:
    return ",\n    ".join(f'"{c}" {_SQL_TYPES[t]}' for c, t in schema.ACCOUNT_SCHEMA.items())


MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    f"""
    CREATE TABLE partners (
        partner_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        type VARCHAR,
        role VARCHAR,
        tier VARCHAR,
        points BIGINT,
        certifications VARCHAR[],
        sharing JSON NOT NULL
    );
    CREATE TABLE lists (
        list_id VARCHAR PRIMARY KEY,
        owner VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        uploaded_at TIMESTAMP NOT NULL,
        file_name VARCHAR,
        row_count BIGINT NOT NULL,
        UNIQUE (owner, version)
    );
    CREATE TABLE accounts (
        list_id VARCHAR NOT NULL,
        {_account_columns_sql()}
    );
    CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY,
        status VARCHAR NOT NULL,
        progress DOUBLE NOT NULL DEFAULT 0,
        stage VARCHAR,
        created_at TIMESTAMP NOT NULL,
        started_at TIMESTAMP,
        finished_at TIMESTAMP,
        error VARCHAR,
        lists JSON
    );
    CREATE TABLE companies (
        run_id VARCHAR NOT NULL,
        owner VARCHAR NOT NULL,
        id VARCHAR NOT NULL,
        company_id VARCHAR NOT NULL,
        score DOUBLE
    );
    CREATE TABLE feedback (
        vendor_id VARCHAR NOT NULL,
        partner_id VARCHAR NOT NULL,
        partner_account_id VARCHAR NOT NULL,
        decision VARCHAR NOT NULL,
        decided_by VARCHAR,
        decided_at TIMESTAMP NOT NULL,
        PRIMARY KEY (vendor_id, partner_id, partner_account_id)
    );
    CREATE TABLE api_keys (
        key_id VARCHAR PRIMARY KEY,
        secret_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        partner_id VARCHAR,
        created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
    );
    """,
    # 2: products and deals, which the rankings and scorecards read
    """
    CREATE TABLE products (
        product_id VARCHAR PRIMARY KEY, name VARCHAR, family VARCHAR, list_price DOUBLE
    );
    CREATE TABLE deals (
        deal_id VARCHAR PRIMARY KEY, account_id VARCHAR, product VARCHAR, amount DOUBLE,
        created_date DATE, close_date DATE, outcome VARCHAR, partner_id VARCHAR,
        partner_touch_date DATE
    );
    CREATE INDEX companies_run ON companies (run_id);
    CREATE INDEX accounts_list ON accounts (list_id);
    """,
    # 3: why each record is in its company (the reason of its best link there)
    """
    ALTER TABLE companies ADD COLUMN reason VARCHAR;
    """,
    # 4: the date each list version was exported on (its snapshot's date)
    """
    ALTER TABLE lists ADD COLUMN as_of DATE;
    """,
    # 5: a run's review queue: vendor-partner pairs not matched that a person should see
    """
    CREATE TABLE review (
        run_id VARCHAR NOT NULL,
        vendor_id VARCHAR NOT NULL,
        partner_id VARCHAR NOT NULL,
        partner_account_id VARCHAR NOT NULL,
        score DOUBLE,
        relation VARCHAR NOT NULL,
        why VARCHAR NOT NULL,
        reason VARCHAR
    );
    CREATE INDEX review_run ON review (run_id);
    """,
    # 6: one-time sign-in links of the web app, each for one key
    """
    CREATE TABLE sign_in_links (
        link_hash VARCHAR PRIMARY KEY,
        key_id VARCHAR NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        used_at TIMESTAMP
    );
    """,
    # 7_sessions: the web app's sessions, kept across restarts (by the hash of the cookie)
    """
    CREATE TABLE web_sessions (
        token_hash VARCHAR PRIMARY KEY,
        key_id VARCHAR NOT NULL,
        csrf VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL
    );
    """,
    # 8_private: private matching kept across restarts: the vendor's side of PSI sessions,
    # the encodings partners hand in, and the pairs matched on them per partner list version
    """
    CREATE TABLE private_psi_sessions (
        partner_id VARCHAR NOT NULL,
        session_id VARCHAR NOT NULL,
        state JSON NOT NULL,
        offer JSON NOT NULL,
        result JSON,
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        PRIMARY KEY (partner_id, session_id)
    );
    CREATE TABLE private_encodings (
        partner_id VARCHAR PRIMARY KEY,
        encodings BLOB NOT NULL,
        handed_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL
    );
    CREATE TABLE private_matches (
        owner VARCHAR NOT NULL,
        list_id VARCHAR NOT NULL,
        vendor_id VARCHAR NOT NULL,
        partner_id VARCHAR NOT NULL,
        score DOUBLE NOT NULL
    );
    """,
)
"""Schema changes in order; the store applies those past its ``schema_version``."""
