"""Dosewise: a careful, honest companion for people trying cannabinoids. Not medical advice."""

__version__ = "0.1.0"
