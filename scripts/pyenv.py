"""The Python environments of the fixture generators (scripts/gen_*_fixtures.py), in one place.

Each generator starts with

    import pyenv
    pyenv.use("data")

which creates (once) the virtualenv .venv/<name> with exactly the pins below, and re-executes the script inside it;
inside the environment `use` returns at once. A changed pin list reinstalls on the next run (the pins are stamped
into the environment). Only the standard library may be imported before `use`.

The environments, and why there is more than one:

  data     DuckDB + pyarrow oracles: segment rules, random rules, linked tables, prepare, the format fixtures,
           the PostgreSQL rule check. Current numpy.
  stats    scipy, statsmodels, mpmath and GrowthBook's gbstats 0.8: statistics and metrics. gbstats 0.8 needs
           numpy < 2 (and so pandas 1.5).
  analysis the analysis oracle: statsmodels next to DuckDB 1.1 and pandas 2.2 (numpy < 2, so DuckDB/pyarrow of
           that era); kept apart from `stats` because its fixtures were made with pandas 2.2.
  builtin  DuckDB 1.1 + scikit-learn (k-means reference) with numpy 2.
  clv      lifetimes 0.11.3 (BG/NBD, Gamma-Gamma): it predates numpy 2 and pandas 2.1, and runs with the older
           scipy below on Python 3.11.
  spark    PySpark 3.5 (~300 MB) next to DuckDB, for the scale-out SQL fixtures; needs Java 17.

Merging environments changes the libraries a fixture was computed with, so a merge is done only where the
generator was re-run and reproduced its committed fixtures byte for byte.
"""
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ENVIRONMENTS = {
    "data": ["duckdb==2.0.0", "pyarrow==26.0.1", "pytz==2024.2"],
    "stats": [
        "numpy==1.26.4",
        "scipy==1.14.1",
        "statsmodels==0.14.4",
        "mpmath==1.3.0",
        "pandas==1.5.3",
        "gbstats==0.8.0",
        "duckdb==1.1.3",
    ],
    "analysis": [
        "numpy==1.26.4",
        "scipy==1.14.1",
        "statsmodels==0.14.4",
        "pandas==2.2.3",
        "duckdb==1.1.3",
        "pyarrow==18.1.0",
    ],
    "builtin": ["duckdb==1.1.3", "pyarrow==18.1.0", "scikit-learn==1.5.2", "numpy==2.1.3"],
    "clv": [
        "lifetimes==0.11.3",
        "numpy==1.26.4",
        "scipy==1.11.4",
        "pandas==2.0.3",
        "autograd==1.6.2",
        "mpmath==1.3.0",
    ],
    "spark": ["duckdb==1.1.3", "pyarrow==18.1.0", "pyspark==3.5.3"],
}


def path(name):
    """The directory of environment `name` (.venv/<name>)."""
    return os.path.join(ROOT, ".venv", name)


def use(name):
    """Run the calling script inside environment `name`: create or update it, then re-execute the script there."""
    pins = ENVIRONMENTS[name]
    home = path(name)
    if os.path.realpath(sys.prefix) == os.path.realpath(home):
        return
    python = os.path.join(home, "bin", "python")
    stamp = os.path.join(home, ".segmetry-pins")
    want = "\n".join(pins)
    have = open(stamp).read() if os.path.exists(stamp) else ""
    if not os.path.exists(python) or have != want:
        print(f"[pyenv] installing {' '.join(pins)} into .venv/{name} (once)", file=sys.stderr, flush=True)
        if not os.path.exists(python):
            venv.create(home, with_pip=True)
        subprocess.check_call([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins])
        with open(stamp, "w") as f:
            f.write(want)
    script = os.path.abspath(sys.argv[0])
    os.execv(python, [python, script, *sys.argv[1:]])
