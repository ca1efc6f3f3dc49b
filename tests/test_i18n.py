"""Every visible UI string exists in German and English."""

import string

import pytest

from dashboard.i18n import LANGS, STRINGS, t


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_and_same_placeholders(key):
    texts = STRINGS[key]
    assert set(texts) == set(LANGS), key
    fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in LANGS]
    assert all(texts[lang].strip() for lang in LANGS)
    assert fields[0] == fields[1], f"{key}: placeholders differ between languages"


def test_unknown_key_or_language_fails_loudly():
    with pytest.raises(KeyError, match="nope"):
        t("nope", "de")
    with pytest.raises(KeyError, match="fr"):
        t("nav.map", "fr")


def test_layouts_use_only_known_keys():
    # every t("…") call in the dashboard names a key that exists
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "dashboard"
    used = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
        for prefix in re.findall(r"\bt\(\s*f\"([a-z0-9_.]+)\{", path.read_text(encoding="utf-8")):
            assert any(k.startswith(prefix) for k in STRINGS), prefix
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, missing


@pytest.mark.parametrize(
    "payload, expected", [("en", "en"), ("de", "de"), ("fr", "de"), (None, "de"), (["en"], "de")]
)
def test_language_from_a_browser_payload(payload, expected):
    from dashboard.i18n import language

    assert language(payload) == expected
