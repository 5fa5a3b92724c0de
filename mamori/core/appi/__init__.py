"""APPI rules engine (pure Python, no Django): ``assess(facts) -> dict``."""

from mamori.core.appi.engine import VERSIONS, assess, version_for
from mamori.core.appi.facts import Facts, FactsError, parse_facts

__all__ = ["VERSIONS", "Facts", "FactsError", "assess", "parse_facts", "version_for"]
