"""Writing fixture tables, shared by the fixture generators (scripts/gen_*_fixtures.py).

Import it after `pyenv.use(...)`: it needs pyarrow, which only the environments have.
"""


def write_arrow(path, table, max_rows):
    """Write `table` to `path` as an Arrow IPC file in record batches of at most `max_rows` rows, so the readers
    under test see several batches. Returns `path`."""
    import pyarrow.ipc as ipc

    with ipc.new_file(path, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=max_rows):
            writer.write_batch(batch)
    return path
