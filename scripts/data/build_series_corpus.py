#!/usr/bin/python3
"""Builds the time-series forecasting corpus: three real series of different
character as CSV files with a time column and value columns.

    /usr/bin/python3 scripts/data/build_series_corpus.py [--out DIR] [--cache DIR] [--slice DIR]

- co2.csv: Mauna Loa CO2, monthly 1958-03 .. 2020 (seasonal with a trend), from
  the npm package vega-datasets@3.2.1 (data/co2-concentration.csv); the 5 months
  the source lacks (1958-06, 1958-10, 1964-02 .. 1964-04) are rows with empty
  values, which the forecasting pipeline interpolates (`missing: interpolate`);
- sunspots.csv: yearly sunspot numbers 1700 .. 2008 (noisy, ~11-year cycle), and
- macro.csv: US macroeconomic data, quarterly 1959Q1 .. 2009Q3 (multivariate),
  both from the Debian package python3-statsmodels 0.13.5+dfsg-7
  (statsmodels/datasets/{sunspots,macrodata}/*.csv).

Both sources are pinned by version and digest: `npm pack NAME@VERSION` and
`apt-get download python3-statsmodels=VERSION` run in the cache directory
(default OUT/cache) only when no cached file with the pinned digest is there;
nothing is installed (the .deb is read with `dpkg-deb --fsys-tarfile`). The
output is a pure function of the two files: a rerun gives byte-identical CSVs.
Times are ISO dates (YYYY-MM-DD; a quarter or month is named by its first day)
or years. See data/README.md for licences.
"""

import argparse
import csv
import hashlib
import io
import pathlib
import subprocess
import sys
import tarfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_emoji_corpus  # noqa: E402  (fetch: npm pack with a pinned integrity)

REPO = pathlib.Path(__file__).resolve().parents[2]
VEGA = build_emoji_corpus.Package(
    "vega-datasets", "3.2.1", "sha512-lTSwZA6yq6qSU2YZm+6bqILiIvTPPxn4itir7jPGFmHIdPvUfQ9"
    "pCzzcrklYywMJgLUbaIeSkZQdiJd6wBxPug==")
STATSMODELS_DEB = "python3-statsmodels_0.13.5+dfsg-7_all.deb"
STATSMODELS_PIN = "python3-statsmodels=0.13.5+dfsg-7"
STATSMODELS_SHA256 = "77474ba544c8e18e7932635ef9ab65abc1b8720fb471465d2a6ddd5ea81f08ad"
DATASETS = "./usr/lib/python3/dist-packages/statsmodels/datasets/"
MACRO_COLUMNS = ("realgdp", "realcons", "realinv", "unemp")
# The slices committed under tests/data/series/ (rows after the header).
SLICE_ROWS = {"co2.csv": 240, "sunspots.csv": 309, "macro.csv": 203}


class DataError(ValueError):
    """A source file that is not what the parser expects (names the row)."""


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_deb(cache):
    """The pinned statsmodels .deb in cache, from `apt-get download` unless a
    cached copy has the pinned sha256. Exits if the bytes do not match."""
    deb = cache / STATSMODELS_DEB
    if deb.exists() and sha256(deb) == STATSMODELS_SHA256:
        return deb
    cache.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["apt-get", "download", "-q", STATSMODELS_PIN], cwd=cache)
    if result.returncode != 0:
        sys.exit(f"error: apt-get download {STATSMODELS_PIN} failed (exit {result.returncode})")
    actual = sha256(deb) if deb.exists() else "no file"
    if actual != STATSMODELS_SHA256:
        sys.exit(f"error: {deb}: sha256 {actual}, pinned {STATSMODELS_SHA256}")
    return deb


def deb_members(deb, names):
    """{name: text} of files in the .deb's data archive (dpkg-deb --fsys-tarfile)."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True,
                          capture_output=True).stdout
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for name in names:
            out[name] = tar.extractfile(DATASETS + name).read().decode("utf-8")
    return out


def number(text, where):
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{where}: '{text}' is not a number") from None
    if value != value:
        raise DataError(f"{where}: missing value (NaN)")
    return text.strip()


def parse_co2(text, name="co2-concentration.csv"):
    """Date,CO2,adjusted CO2 -> [(YYYY-MM-DD, co2, co2_adjusted)]."""
    rows = list(csv.reader(io.StringIO(text)))
    if rows[0] != ["Date", "CO2", "adjusted CO2"]:
        raise DataError(f"{name}:1: unexpected header {rows[0]}")
    out = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 3:
            raise DataError(f"{name}:{line}: expected 3 fields, got {len(row)}")
        if len(row[0]) != 10 or row[0][8:] != "01":
            raise DataError(f"{name}:{line}:Date: '{row[0]}' is not the first day of a month")
        out.append((row[0], number(row[1], f"{name}:{line}:CO2"),
                    number(row[2], f"{name}:{line}:adjusted CO2")))
    out, _ = month_gaps_as_empty_rows(out)
    return [("time", "co2", "co2_adjusted")] + out


def month_gaps_as_empty_rows(rows):
    """Rows of a monthly series (first field YYYY-MM-01) with an empty-valued row
    for every missing month: the gap stays visible (a reader fills or refuses it),
    and no later row shifts. Returns (rows, number of inserted rows)."""
    out, inserted, previous = [], 0, None
    for row in rows:
        year, month = int(row[0][:4]), int(row[0][5:7])
        index = year * 12 + month - 1
        while previous is not None and index - previous > 1:
            previous += 1
            out.append((f"{previous // 12:04d}-{previous % 12 + 1:02d}-01",) + ("",) * (len(row) - 1))
            inserted += 1
        out.append(row)
        previous = index
    return out, inserted


def parse_sunspots(text, name="sunspots.csv"):
    """"YEAR","SUNACTIVITY" -> [(year, sunspots)]."""
    rows = list(csv.reader(io.StringIO(text)))
    if rows[0] != ["YEAR", "SUNACTIVITY"]:
        raise DataError(f"{name}:1: unexpected header {rows[0]}")
    out = []
    for line, row in enumerate(rows[1:], start=2):
        year = float(number(row[0], f"{name}:{line}:YEAR"))
        if year != int(year):
            raise DataError(f"{name}:{line}:YEAR: {row[0]} is not a whole year")
        out.append((str(int(year)), number(row[1], f"{name}:{line}:SUNACTIVITY")))
    return [("time", "sunspots")] + out


def parse_macro(text, name="macrodata.csv"):
    """year,quarter,... -> [(first day of the quarter, realgdp, realcons, realinv, unemp)]."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    try:
        index = [header.index(c) for c in ("year", "quarter") + MACRO_COLUMNS]
    except ValueError as e:
        raise DataError(f"{name}:1: {e}") from None
    out = []
    for line, row in enumerate(rows[1:], start=2):
        year, quarter = (int(float(row[i])) for i in index[:2])
        if quarter not in (1, 2, 3, 4):
            raise DataError(f"{name}:{line}:quarter: {row[index[1]]}")
        values = tuple(number(row[i], f"{name}:{line}:{header[i]}") for i in index[2:])
        out.append((f"{year:04d}-{3 * quarter - 2:02d}-01",) + values)
    return [("time",) + MACRO_COLUMNS] + out


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def build(vega_tarball, deb):
    """{file name: rows} of the corpus."""
    with tarfile.open(vega_tarball) as tar:
        co2 = tar.extractfile("package/data/co2-concentration.csv").read().decode("utf-8")
    members = deb_members(deb, ["sunspots/sunspots.csv", "macrodata/macrodata.csv"])
    return {"co2.csv": parse_co2(co2),
            "sunspots.csv": parse_sunspots(members["sunspots/sunspots.csv"]),
            "macro.csv": parse_macro(members["macrodata/macrodata.csv"])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "data" / "series",
                        help="output directory (default: data/series in the repository)")
    parser.add_argument("--cache", type=pathlib.Path,
                        help="where the downloaded files are kept (default: OUT/cache)")
    parser.add_argument("--slice", type=pathlib.Path,
                        help="also write the test slices here (e.g. tests/data/series)")
    args = parser.parse_args()
    cache = (args.cache or args.out / "cache").resolve()
    corpus = build(build_emoji_corpus.fetch(VEGA, cache), fetch_deb(cache))
    for name, rows in corpus.items():
        write_csv(args.out / name, rows)
        print(f"{args.out / name}: {len(rows) - 1} rows, {rows[1][0]} .. {rows[-1][0]}")
        if args.slice:
            write_csv(args.slice / name, rows[:SLICE_ROWS[name] + 1])


if __name__ == "__main__":
    main()
