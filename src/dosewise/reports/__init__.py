"""Edges that turn service results into files: clinician report (HTML/PDF), FHIR, backup, CSV tables."""
