"""The synthetic Jena demo city pack, generated deterministically from documented facts.

Use :func:`ensure_demo_pack` to get a valid pack in the cache (built on first use), or
:func:`build_demo_pack` to write one into a folder of your choice.
"""

from data.demo.generator import (
    DEFAULT_SEED,
    GENERATOR_VERSION,
    build_demo_pack,
    demo_pack_dir,
    ensure_demo_pack,
)

__all__ = [
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "build_demo_pack",
    "demo_pack_dir",
    "ensure_demo_pack",
]
