"""The desktop application (PySide6). Every Qt import of RareTrace lives in this package.

Widgets present core objects (Case, SearchHit, Term, extracted terms, candidate variants, AnalysisResult and its
evidence); they hold no domain logic. Heavy work runs on a thread pool (workers.py); errors reach the user as a
one-line message in a dialog.
"""
