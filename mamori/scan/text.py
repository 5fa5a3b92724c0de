"""Free text (letters, inquiry logs, e-mail bodies): find occurrences of personal data."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from mamori.scan import patterns as P
from mamori.scan.readers import Limits, ScanError, line_too_long, over_limit

if TYPE_CHECKING:
    from mamori.scan.engine import TypeFound

IN_TEXT = {
    "email": re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    "phone": re.compile(r"(?<![\d-])(?:\+81[-\s]?|0)\d{1,4}(?:-\d{1,4}-|\(\d{1,4}\))\d{3,4}(?![\d-])"),
    "postal_code": re.compile(r"〒\s?\d{3}-?\d{4}|(?<![\d-])\d{3}-\d{4}(?![\d-])"),
    "credit_card": re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"),
    "my_number": re.compile(r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)"),
    "ip_address": re.compile(
        r"(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])"
    ),
    "birth_date": re.compile(
        r"(?:生年月日|誕生日|生まれ)[:：\s]*(?:(?:18|19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|"
        r"(?:明治|大正|昭和|平成|令和)(?:元|\d{1,2})年\d{1,2}月\d{1,2}日)"
    ),
    "address": re.compile(
        P.PREF_RE + r"[\u3040-\u30ff\u4e00-\u9fff]{1,10}?[市区町村郡][\u3040-\u30ff\u4e00-\u9fff]*\d"
    ),
}
PHONE_DIGITS = re.compile(P.RE["phone_digits"])


def scan_text(path: Path, encoding: str, limits: Limits | None = None) -> dict:
    """Count personal data in a text file, streamed line by line (no line over the limit)."""
    limits = limits or Limits()
    name_re = re.compile(P.name_patterns()["name_in_text"])
    signature_re = re.compile(P.name_patterns()["signature"])
    person_re = re.compile(P.PERSON_WORDS)
    unconfirmed: dict[str, int] = {}
    care = {cat: re.compile(pattern) for cat, pattern in P.SPECIAL_CARE_TERMS.items()}
    counts: dict[str, int] = {}
    samples: dict[str, list[str]] = {}
    categories: dict[str, int] = {}
    names: set[str] = set()
    emails: set[str] = set()
    lines = 0
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1024 * 1024)
            text = pending + decoder.decode(chunk, final=not chunk)
            if chunk:
                text, _, pending = text.rpartition("\n") if "\n" in text else ("", "", text)
                if over_limit(pending, limits):
                    raise ScanError(line_too_long(limits, lines + len(text.splitlines()) + 1))
            else:
                pending = ""
            for line in text.splitlines():
                lines += 1
                if over_limit(line, limits):
                    raise ScanError(line_too_long(limits, lines))
                folded = unicodedata.normalize("NFKC", line)
                for kind, pattern in IN_TEXT.items():
                    for m in pattern.finditer(folded):
                        value = m.group(0)
                        if kind == "phone" and not PHONE_DIGITS.match(P.digits(value)):
                            continue
                        if kind == "credit_card" and not P.credit_card_ok(value):
                            continue
                        if kind == "my_number" and not P.my_number_ok(value):
                            continue
                        if kind == "email":
                            emails.add(value.lower())
                        counts[kind] = counts.get(kind, 0) + 1
                        bucket = samples.setdefault(kind, [])
                        if len(bucket) < 3:
                            bucket.append(
                                P.mask(kind, re.sub(r"^(?:生年月日|誕生日|生まれ)[:：\s]*", "", value))
                            )
                found = [re.sub(P.NAME_SUFFIX, "", m.group(0)) for m in name_re.finditer(line)]
                signature = signature_re.match(line.strip())
                if signature:
                    found.append(re.sub(r"^\S*(?:部|課|室|係|センター)[ \u3000]+", "", signature.group(0)))
                for value in found:
                    names.add(re.sub(r"[\s\u3000]", "", value))
                    counts["person_name"] = counts.get("person_name", 0) + 1
                    bucket = samples.setdefault("person_name", [])
                    if len(bucket) < 3:
                        bucket.append(P.mask("person_name", value))
                # Special care is confirmed only with a person in the same sentence (a name or a
                # word such as 本人, 患者, 様); a keyword alone is 要確認.
                about_person = bool(found) or person_re.search(line) is not None
                for cat, pattern in care.items():
                    if pattern.search(line):
                        target = categories if about_person else unconfirmed
                        target[cat] = target.get(cat, 0) + 1
            if not chunk:
                break
    types: list[TypeFound] = [
        {"type": k, "count": v, "ratio": None, "samples": samples.get(k, [])}
        for k, v in sorted(counts.items())
    ]
    for found_categories, confirmed in ((categories, True), (unconfirmed, False)):
        if found_categories:
            types.append(
                {
                    "type": "special_care",
                    "count": sum(found_categories.values()),
                    "ratio": None,
                    "categories": found_categories,
                    "samples": [],
                    "confirmed": confirmed,
                }
            )
    if names:
        individuals, key = len(names), ["(本文):person_name"]
        people_range: list[int] | None = [len(names), max(len(names), counts.get("person_name", 0))]
        basis = "本文中の「様」「さん」や署名などで人と分かる氏名の異なる数で数えた推定です（敬称のない名前は数えません）"
    elif emails:
        individuals, key = len(emails), ["(本文):email"]
        people_range = [len(emails), len(emails) + counts.get("phone", 0)]
        basis = "本文中のメールアドレスの異なる数で数えた推定です（名前の書かれていない人は数えません）"
    else:
        individuals, key, people_range = None, [], None
        basis = "本文から人を数える手がかり（敬称付きの氏名やメールアドレス）が見つかりませんでした"
    type_counts = {t["type"]: t["count"] for t in types if t.get("confirmed", True)}
    return {
        "name": path.name,
        "header_row": None,
        "rows": lines,
        "columns": [{"name": "(本文)", "index": 0, "types": types}],
        "individuals": individuals,
        "individuals_key": key,
        "type_counts": type_counts,
        "special_care": sorted(categories),
        "special_care_unconfirmed": sorted(set(unconfirmed) - set(categories)),
        "individuals_exact": False,
        "individuals_range": people_range if individuals is not None else None,
        "individuals_basis": basis,
    }
