"""Explanations: unmatched reasons, pre-solve checks, conflicts, relaxation, pair breakdown."""

from .core import Explanation, check, explain, explain_pairs, unmatched_reasons

__all__ = ["Explanation", "check", "explain", "explain_pairs", "unmatched_reasons"]
