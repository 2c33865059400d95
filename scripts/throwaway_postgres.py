"""A throwaway PostgreSQL server for the fixture generators (scripts/gen_scaleout_fixtures.py,
scripts/gen_prepare_fixtures.py): initdb into a temporary directory, a unix socket only (no TCP), fsync off, and
the whole directory removed afterwards, whatever happens in between.

    with throwaway_postgres(port=55439) as (psql, base):
        subprocess.run(psql + ["-c", "SELECT 1"], check=True)

`psql` is the client command line (host, port, user, ON_ERROR_STOP, quiet); `base` is a directory the server can
read, for files loaded with `\\copy`.
"""
import contextlib
import glob
import os
import shutil
import subprocess
import tempfile


def postgres_bin():
    """The directory of PostgreSQL's initdb/pg_ctl (Debian: /usr/lib/postgresql/<v>/bin), or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates.append(os.path.dirname(shutil.which("initdb") or ""))
    for d in candidates:
        if d and os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    return None


@contextlib.contextmanager
def throwaway_postgres(port):
    """Start a fresh server on a unix socket at `port`; yield (psql argv, base directory); stop and delete it."""
    bindir = postgres_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    base = tempfile.mkdtemp(prefix="segmetry-pg-")
    as_user = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the `postgres` system user
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    os.chmod(base, 0o755)
    data = os.path.join(base, "data")

    def run(cmd):
        subprocess.run(as_user + cmd, check=True, stdout=subprocess.DEVNULL)

    try:
        run([os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"])
        run([os.path.join(bindir, "pg_ctl"), "-D", data, "-w", "-l", os.path.join(base, "log"),
             "-o", f"-k {base} -c listen_addresses='' -p {port} -c fsync=off", "start"])
        psql = [shutil.which("psql") or os.path.join(bindir, "psql"), "-h", base, "-p", str(port), "-U", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q"]
        yield psql, base
    finally:
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(as_user + [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "stop"],
                           stdout=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)
