"""Benchmark backup, restore, FHIR export and the clinician report on a 2-year journal (SQLite file).

The journal: 730 days x (4 ratings + 2 doses) plus a side effect every 10 days (~4,500 journal rows).
Figures (median of repeated runs, wall clock, one process), each with a reference measured in the same run:
- backup document vs. a raw sqlite3 read of every table (the cost of typing values and the checksum);
- restore into an empty database vs. a raw sqlite3 executemany of the same rows (checks + one transaction);
- FHIR bundle build with fhir.resources validation vs. the build's json.dumps alone;
- clinician report context, HTML and PDF (WeasyPrint).
Run: .venv/bin/python -m bench.bench_reports
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from bench._report import write_section

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
DAYS = 730


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _fill(db) -> int:
    from dosewise.store.tables import (
        DiagnosisRow,
        DoseRow,
        MedicineRow,
        PersonRow,
        ProductRow,
        RatingRow,
        SideEffectRow,
    )

    with db.for_everyone().transaction() as s:  # raw rows for a new person
        person = PersonRow(
            name="Bench", birth_year=1970, flags=[], primary_scale="spasticity", timezone="UTC", settings={}
        )
        person.diagnoses.append(DiagnosisRow(condition_id="ms-spasticity"))
        s.add(person)
        s.flush()
        s.add(MedicineRow(person_id=person.id, name="baclofen", drug_id="baclofen", dose_text="10 mg tds"))
        oil = ProductRow(person_id=person.id, name="Oil", form="oil", route="oral", basis="ml", thc_mg=0.0, cbd_mg=33.3)
        s.add(oil)
        s.flush()
        rows: list = []
        start = (NOW - timedelta(days=DAYS)).date()
        for d in range(DAYS):
            day = start + timedelta(days=d)
            for h in (8, 12, 17, 21):
                rows.append(
                    RatingRow(
                        person_id=person.id,
                        scale_id="spasticity",
                        value=float((d + h) % 8),
                        at=datetime.combine(day, dtime(h), tzinfo=UTC),
                    )
                )
            for h in (8, 20):
                rows.append(
                    DoseRow(
                        person_id=person.id,
                        product_id=oil.id,
                        amount=10,
                        unit="drop",
                        thc_mg=0.0,
                        cbd_mg=16.65,
                        at=datetime.combine(day, dtime(h, 5), tzinfo=UTC),
                    )
                )
            if d % 10 == 0:
                rows.append(
                    SideEffectRow(
                        person_id=person.id,
                        effect="drowsiness",
                        severity="mild",
                        at=datetime.combine(day, dtime(14), tzinfo=UTC),
                    )
                )
        s.add_all(rows)
        return len(rows)


def _raw_read(path: Path) -> None:
    con = sqlite3.connect(path)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
        con.execute(f'SELECT * FROM "{name}"').fetchall()
    con.close()


def _raw_write(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    for table in ("person", "diagnosis", "medicine", "product", "dose", "rating", "side_effect"):
        rows = src.execute(f'SELECT * FROM "{table}"').fetchall()
        dst.execute(f'DELETE FROM "{table}"')
        if rows:
            dst.executemany(f'INSERT INTO "{table}" VALUES ({",".join("?" * len(rows[0]))})', rows)
    dst.commit()
    src.close()
    dst.close()


def main() -> None:
    os.environ.setdefault("DOSEWISE_TIMEZONE", "UTC")
    from dosewise.reports.clinician import render_html, render_pdf
    from dosewise.reports.fhir import build_bundle
    from dosewise.services import backup
    from dosewise.services.fhir_source import fhir_source
    from dosewise.services.reports import clinician_report
    from dosewise.store.db import Database

    tmp = Path(tempfile.mkdtemp(prefix="dosewise-bench-reports-"))
    db = Database(f"sqlite:///{tmp / 'source.db'}")
    n_rows = _fill(db)

    doc = backup.backup_document(db, now=NOW)
    size_kb = len(json.dumps(doc, ensure_ascii=False, indent=1).encode()) / 1024
    t_backup = _median_ms(lambda: backup.backup_document(db, now=NOW), 5)
    t_raw_read = _median_ms(lambda: _raw_read(tmp / "source.db"), 5)

    target = Database(f"sqlite:///{tmp / 'target.db'}")
    t_restore = _median_ms(lambda: backup.restore_document(target, doc, replace=True), 3)
    raw_target = Database(f"sqlite:///{tmp / 'raw.db'}")
    raw_target.dispose()
    t_raw_write = _median_ms(lambda: _raw_write(tmp / "source.db", tmp / "raw.db"), 3)

    src = fhir_source(db, now=NOW)
    bundle = build_bundle(src)
    t_fhir = _median_ms(lambda: build_bundle(fhir_source(db, now=NOW)), 3)
    t_fhir_json = _median_ms(lambda: json.dumps(bundle), 3)

    t_context = _median_ms(lambda: clinician_report(db, now=NOW), 3)
    report = clinician_report(db, now=NOW)
    t_html = _median_ms(lambda: render_html(report), 5)
    render_pdf(report)  # warm up Pango / fonts
    t_pdf = _median_ms(lambda: render_pdf(report), 3)

    lines = [
        "## Backup, restore, FHIR export and clinician report",
        "",
        f"2-year journal on SQLite: {n_rows:,} journal rows ({DAYS} days x 4 ratings + 2 doses, side effects).",
        "",
        "| task | median | reference in the same run | ratio |",
        "|---|---|---|---|",
        f"| backup document (typed values + SHA-256) | {t_backup:.0f} ms | raw sqlite3 read of all tables "
        f"{t_raw_read:.0f} ms | {t_backup / t_raw_read:.1f}x |",
        f"| restore into an empty database (checks, one transaction) | {t_restore:.0f} ms | raw sqlite3 executemany "
        f"{t_raw_write:.0f} ms | {t_restore / t_raw_write:.1f}x |",
        f"| FHIR bundle ({len(bundle['entry']):,} resources) built and validated | {t_fhir:.0f} ms | json.dumps "
        f"of the bundle {t_fhir_json:.0f} ms | {t_fhir / max(t_fhir_json, 0.01):.0f}x |",
        f"| clinician report context (incl. effect analysis) | {t_context:.0f} ms | | |",
        f"| clinician report HTML | {t_html:.0f} ms | | |",
        f"| clinician report PDF (WeasyPrint) | {t_pdf:.0f} ms | HTML {t_html:.0f} ms | "
        f"{t_pdf / max(t_html, 0.01):.0f}x |",
        "",
        f"Backup file: {size_kb:,.0f} KB.",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("reports", body)
    for database in (db, target):
        database.dispose()


if __name__ == "__main__":
    main()
