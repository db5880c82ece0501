"""Validation results as text (people), JSON (scripts) or JUnit XML (CI test reports).

In JUnit each package is a test suite and each check run on it a test case, passed
ones included, so a CI system lists what was proven as well as what failed. Errors
are failures; warnings are printed in ``system-out`` (``--strict`` has already made
them errors). The output holds no times or dates, so it is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from lxml import etree

from srm_package.validate.findings import PackageResult, Severity


def has_errors(results: Sequence[PackageResult]) -> bool:
    return any(result.errors for result in results)


def _totals(results: Sequence[PackageResult]) -> tuple[int, int]:
    return sum(len(r.errors) for r in results), sum(len(r.warnings) for r in results)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_text(results: Sequence[PackageResult]) -> str:
    lines = []
    for result in results:
        if result.findings:
            status = f"{_plural(len(result.errors), 'error')}, {_plural(len(result.warnings), 'warning')}"
        else:
            status = "ok"
        lines.append(f"{result.path} ({result.kind}): {status}, {_plural(len(result.checks), 'check')}")
        lines += [f"  {finding}" for finding in result.findings]
    errors, warnings = _totals(results)
    failed = sum(1 for r in results if r.errors)
    verdict = "all passed" if not errors else f"{failed} failed"
    lines.append(f"{_plural(len(results), 'package')}: {verdict}; {_plural(errors, 'error')}, "
                 f"{_plural(warnings, 'warning')}")
    return "\n".join(lines) + "\n"


def format_json(results: Sequence[PackageResult], strict: bool) -> str:
    errors, warnings = _totals(results)
    payload = {
        "ok": not errors,
        "strict": strict,
        "errors": errors,
        "warnings": warnings,
        "packages": [
            {
                "path": r.path,
                "kind": r.kind,
                "ok": not r.errors,
                "checks": list(r.checks),
                "findings": [f.as_dict() for f in r.findings],
            }
            for r in results
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def format_junit(results: Sequence[PackageResult]) -> bytes:
    suites = etree.Element("testsuites", name="srm-package validate")
    total_tests = total_failures = 0
    for result in results:
        suite = etree.SubElement(suites, "testsuite", name=result.path)
        properties = etree.SubElement(suite, "properties")
        etree.SubElement(properties, "property", name="kind", value=result.kind)
        failures = 0
        for check in result.checks:
            case = etree.SubElement(suite, "testcase", name=check, classname=result.path)
            found = result.findings_of(check)
            errors = [f for f in found if f.severity is Severity.ERROR]
            warnings = [f for f in found if f.severity is Severity.WARNING]
            if errors:
                failures += 1
                failure = etree.SubElement(case, "failure", message=errors[0].message, type=check)
                failure.text = "\n".join(str(f) for f in errors)
            if warnings:
                etree.SubElement(case, "system-out").text = "\n".join(str(f) for f in warnings)
        suite.set("tests", str(len(result.checks)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += len(result.checks)
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)
