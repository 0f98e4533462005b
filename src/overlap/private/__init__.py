"""Privacy-preserving matching: find the overlap without either side handing over its list.

- ``keys``: the exact keys of an account (domain, core name with country, registry id);
- ``psi``: private set intersection of those keys (X25519 Diffie–Hellman), at the counts
  or the overlap level, per pair of populations;
- ``bloom``: keyed, hardened Bloom-filter encodings of names, domains, places and phones;
- ``compare`` and ``model``: LSH blocking and Dice on encodings, and the model that turns
  similarities into matches;
- ``files``: the secret, encodings, PSI messages and state as files.

SECURITY.md at the repository's root says who learns what.
"""
