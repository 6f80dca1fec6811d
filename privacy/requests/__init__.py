"""Privacy-rights requests: access, correction and deletion.

``services`` moves a request through its lifecycle; ``exports``,
``corrections`` and ``deletion`` do the work of each kind; ``selectors`` read.
"""
