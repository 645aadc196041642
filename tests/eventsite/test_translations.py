"""The compiled catalogues are committed so no machine needs GNU gettext.
These tests fail when a .mo file no longer matches its .po file."""

import gettext
import io
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(
    p for p in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def catalogue(mo_bytes: bytes) -> dict:
    translations = gettext.GNUTranslations(io.BytesIO(mo_bytes))
    # The header ("" key) carries creation dates that msgfmt and polib write differently.
    return {key: value for key, value in translations._catalog.items() if key != ""}


def test_there_is_an_english_catalogue():
    assert any(p.parts[-3] == "en" for p in PO_FILES)


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path, tmp_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run make messages"
    expected = tmp_path / "expected.mo"
    polib.pofile(str(po_path)).save_as_mofile(str(expected))

    assert catalogue(mo_path.read_bytes()) == catalogue(expected.read_bytes()), (
        f"{mo_path.relative_to(ROOT)} is stale: run make messages"
    )


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    po = polib.pofile(str(po_path))

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
