"""The Qt-free core: documents, anchoring, figures, store, merge, exports.

Nothing under this package may import Qt (tests/test_architecture.py enforces it).
"""
