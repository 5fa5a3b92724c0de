"""The JNSA damage model and response-cost budget (pure Python, no Django)."""

from mamori.core.jnsa.model import Costs, EstimateError, EstimateInput, estimate, parse_estimate

__all__ = ["Costs", "EstimateError", "EstimateInput", "estimate", "parse_estimate"]
