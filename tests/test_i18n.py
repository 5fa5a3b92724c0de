from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "mamori" / "locale"


def test_every_message_has_a_japanese_translation():
    po = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags)]
    assert untranslated == [], (
        "translate these in mamori/locale/ja/LC_MESSAGES/django.po, then `make messages`"
    )


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid: e.msgstr for e in po if not e.obsolete} == {e.msgid: e.msgstr for e in mo if e.msgid}
