"""The error the scoring engine raises for bad input, and its codes.

:class:`ScoringInputError` is a :class:`~kpi_desktop.domain.errors.RefusedValue` (so a
``ValueError``): callers catch it like any refused value and turn ``code`` + ``params`` into
words. Codes used by the engine:

=============================== ===========================================================
``general_points_out_of_range`` general points outside 0..general max (value, minimum, maximum)
``total_out_of_range``          a period total outside 0..100 (value, minimum, maximum)
``not_a_number``                a value is not a finite number (field, value)
``not_an_integer``              a count is not a whole number (field, value)
``not_a_boolean``               a flag is not True/False (field, value)
``negative_value``              a quantity, coefficient or count is negative (field, value)
``not_positive``                a factor that must be above 0 is not (field, value)
``value_out_of_range``          another value outside its range (field, value, minimum, maximum)
``extra_not_completed``         extra (ad hoc / taken-over) work must be completed
                                (coefficient, quantity)
``leader_factor_invalid``       d, đ or e other than 100 or 50 (factor, value)
``level_unknown``               not one of the Level values (value)
``no_totals``                   a mean of nothing was asked for
``complexity_level_unknown``    a complexity level the policy has no factor for (value, levels)
``policy_invalid``              a policy value is refused (field, value)
``policy_format_unknown``       a policy dict of an unknown format (value)
``policy_version_invalid``      a policy version string that is not well formed (value)
``policy_key_unknown``          a policy dict with keys this version does not know (keys)
``policy_key_missing``          a policy dict without some keys (keys)
=============================== ===========================================================
"""

from __future__ import annotations

from kpi_desktop.domain.errors import RefusedValue

__all__ = ["ScoringInputError"]


class ScoringInputError(RefusedValue):
    """Input refused by the scoring engine; ``code`` says why (see the module docstring)."""

    code = "scoring_input"
