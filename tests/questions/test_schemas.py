"""XSD-valid output of every family for the course with every type, and our own validator's
verdict on every package built from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from srm_package.cli import main
from tests.questions.common import ALL_TYPES, entries

QTI_FULL = "qti12/domainProfile_4/ims_qtiasiv1p2.xsd"
QTI_CC = "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd"


def _valid(schemas: Path, rel: str, document: bytes) -> None:
    schema = etree.XMLSchema(etree.parse(str(schemas / rel)))
    if not schema.validate(etree.fromstring(document)):
        raise AssertionError("\n".join(f"line {e.line}: {e.message}" for e in schema.error_log))


def test_every_qti_document_is_valid(schemas):
    canvas = [data for name, data in entries("canvas-qti").items() if name.count("/") == 1
              and "assessment_meta" not in name]
    cartridge = entries("cc")
    banks = [data for target in ("scorm12", "scorm2004") for name, data in entries(target).items()
             if name.startswith("qti/")]
    canvas_part = [data for name, data in cartridge.items() if name.startswith("non_cc_assessments/")]
    for document in canvas + banks + canvas_part:
        _valid(schemas, QTI_FULL, document)
    (cc_part,) = [data for name, data in cartridge.items() if name.endswith("/assessment_qti.xml")]
    _valid(schemas, QTI_FULL, cc_part)
    _valid(schemas, QTI_CC, cc_part)


@pytest.mark.parametrize("target", ["scorm12", "scorm2004", "canvas-qti", "cc", "moodle-xml", "html"])
def test_validate_passes_every_package_with_the_schemas(tmp_path, schemas, target):
    dist = tmp_path / "dist"
    built = CliRunner().invoke(main, ["build", str(ALL_TYPES), "-o", str(dist), "-t", target])
    assert built.exit_code == 0, built.output
    checked = CliRunner().invoke(main, ["validate", str(dist), "--schemas", str(schemas), "--strict"])
    assert checked.exit_code == 0, checked.output
