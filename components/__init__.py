"""Reusable Streamlit pieces; each module exposes one public function (or a few helpers)."""
