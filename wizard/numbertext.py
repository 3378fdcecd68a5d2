"""The text of a number as typed in an answers file; imports nothing of the tool.

The YAML reader (wizard/yamlsource.py) returns it, the kinds (wizard/kinds.py) read it.
"""

from __future__ import annotations


class NumberText(str):
    """The text of an unquoted YAML scalar that YAML would read as a number ("25.000", "1.10").

    The answers loader asks yamlsource for these, so that each kind decides what the
    text means: 25000 euro for a money question, "1.10" for a text question.
    """
