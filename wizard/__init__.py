"""beleidsnotitie: write a municipal policy note on international cooperation.

Data flows one way: questionnaire + answers → derived facts (facts) → findings
(rules) → render context (context) → text and blocks (render, blocks) → .docx
(wordwriter). The command line (cli) and the interactive session (session) sit
at the edges.
"""

__version__ = "0.1.0"  # the one place of the version; pyproject.toml reads it from here
