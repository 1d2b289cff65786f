"""Dosewise: a careful, honest companion for people trying cannabinoids. Not medical advice."""

import os

# The personal analysis multiplies small matrices (tens of columns). Multi-threaded BLAS only adds
# thread hand-offs there: on a 2-core machine one analysis took 435 ms with threaded OpenBLAS and
# 47 ms single-threaded (bench/bench_analysis.py runs the same way). Set before numpy is imported;
# a value the user exported wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
