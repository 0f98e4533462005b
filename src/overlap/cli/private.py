"""``overlap private``: match with a partner without either list leaving its machine.

``encode`` and ``match`` work on keyed Bloom-filter encodings; ``psi offer``, ``reply``
and ``finish`` are the three steps of private set intersection, which both parties run,
exchanging the offers and then the replies as files. The state file of ``offer`` holds
the party's secret scalar: it stays on its machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from overlap.cli.output import console
from overlap.schema import NORMALISED_SCHEMA, SharingLevel

private_app = typer.Typer(help="Private matching: PSI on exact keys, Bloom-filter encodings.")
psi_app = typer.Typer(help="Private set intersection: offer, reply, finish (both parties).")
private_app.add_typer(psi_app, name="psi")

Output = Annotated[Path, typer.Option("-o", "--output", help="File to write.")]
State = Annotated[
    Path, typer.Option(help="This party's PSI state (secret: never send it).", dir_okay=False)
]
NO_SALT = "none"


def _normalised(path: Path) -> pl.DataFrame:
    from overlap.ingest import read_accounts
    from overlap.private.keys import normalised

    return normalised(read_accounts(path).accounts)


@private_app.command()
def encode(
    list_file: Annotated[Path, typer.Argument(help="Your account list.")],
    secret_file: Annotated[
        Path, typer.Option(help="The secret agreed with the other party out of band.")
    ],
    output: Output,
    salt: Annotated[
        str,
        typer.Option(
            help=f"Normalised column to salt with, as agreed, or {NO_SALT!r}: every record "
            "of both lists must fill it, else pairs without it never compare."
        ),
    ] = "country_code",
    flip: Annotated[
        float, typer.Option(help="Probability of flipping each bit.", min=0, max=0.5)
    ] = 0.02,
) -> None:
    """Write one keyed, hardened encoding per account: its id and filters, no plaintext."""
    from overlap.private.bloom import Encoding, encode
    from overlap.private.files import read_secret, write_encodings

    if salt != NO_SALT and salt not in NORMALISED_SCHEMA:
        raise typer.BadParameter(f"not a normalised column: {salt!r}", param_hint="--salt")
    encoding = Encoding(salt=None if salt == NO_SALT else salt, flip=flip)
    encoded = encode(_normalised(list_file), read_secret(secret_file), encoding=encoding)
    write_encodings(encoded, output)
    console.print(f"{len(encoded.ids):,} accounts encoded to {output}")


@private_app.command("match")
def match_encodings(
    vendor_file: Annotated[Path, typer.Argument(help="The vendor's encodings (.clk.jsonl).")],
    partner_file: Annotated[Path, typer.Argument(help="The partner's encodings (.clk.jsonl).")],
    output: Output,
    threshold: Annotated[float, typer.Option(help="Lowest match probability.", min=0, max=1)] = 0.5,
    adapt: Annotated[
        bool, typer.Option(help="Refine the model by EM on these lists (3+ filled fields).")
    ] = False,
) -> None:
    """Match two lists' encodings: vendor_id,partner_id,score, best first."""
    from overlap.private.files import read_encodings
    from overlap.private.model import match

    pairs = match(
        read_encodings(vendor_file), read_encodings(partner_file), threshold=threshold, adapt=adapt
    )
    pairs.write_csv(output)
    console.print(f"{pairs.height:,} matched pairs written to {output}")


@psi_app.command()
def offer(
    list_file: Annotated[Path, typer.Argument(help="Your account list.")],
    state: State,
    output: Output,
    level: Annotated[
        SharingLevel, typer.Option(help="counts: how many are shared; overlap: which of yours.")
    ] = SharingLevel.COUNTS,
) -> None:
    """Step 1: blind your keys; send OUTPUT to the other party, keep STATE."""
    from overlap.private import psi
    from overlap.private.files import write_message, write_state
    from overlap.private.keys import exact_keys

    party, message = psi.offer(exact_keys(_normalised(list_file)), mode=level)
    write_state(party, state)
    write_message(message, output)
    console.print(f"offer of {sum(len(i) for i in party.ids.values()):,} accounts: {output}")


@psi_app.command()
def reply(
    their_offer: Annotated[Path, typer.Argument(help="The other party's offer.")],
    state: State,
    output: Output,
) -> None:
    """Step 2: blind the other party's offer in turn; send OUTPUT back."""
    from overlap.private import psi
    from overlap.private.files import read_message, read_state, write_message

    write_message(psi.reply(read_state(state), read_message(their_offer, step="offer")), output)
    console.print(f"reply written to {output}")


@psi_app.command()
def finish(
    their_offer: Annotated[Path, typer.Argument(help="The other party's offer.")],
    their_reply: Annotated[Path, typer.Argument(help="The other party's reply to your offer.")],
    state: State,
    output: Output,
) -> None:
    """Step 3: what you learn: counts per population pair, or which of your accounts."""
    from overlap.private import psi
    from overlap.private.files import read_message, read_state

    result = psi.finish(
        read_state(state),
        read_message(their_offer, step="offer"),
        read_message(their_reply, step="reply"),
    )
    result.write_csv(output)
    console.print(result if result.height <= 20 else f"{result.height:,} rows written to {output}")
