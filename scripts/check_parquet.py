"""Reads an `annalist export --format parquet` folder with pyarrow (Hive partitioning) and checks that every
table loads, has its date partition column and the expected row counts.

usage: python3 scripts/check_parquet.py OUT_DIR documents=N [events=N ...]
"""
import sys

import pyarrow.dataset as ds


def main() -> int:
    out = sys.argv[1]
    expected = dict(a.split("=") for a in sys.argv[2:])
    for table, n in expected.items():
        t = ds.dataset(f"{out}/{table}", format="parquet", partitioning="hive").to_table()
        assert "date" in t.column_names, (table, t.column_names)
        assert t.num_rows == int(n), (table, t.num_rows, n)
        print(f"{table}: {t.num_rows} rows, columns {', '.join(t.column_names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
