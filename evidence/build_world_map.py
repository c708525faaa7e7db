"""Turn Natural Earth's country shapes (npm `world-atlas`, TopoJSON) into SVG path data.

Run once, when the shapes or the projection change; the output is committed:

    npm ci && .venv/bin/python -m evidence.build_world_map

Reads node_modules/world-atlas/countries-110m.json (1:110m, already simplified by
Natural Earth), projects it with the Equal Earth projection (equal area, so no country
looks bigger than its share), rounds to whole units of a 1000-wide view box, drops
points that round onto the previous one and writes evidence/data/world_map.json:
{"width": ..., "height": ..., "countries": {"GH": "M..z", ...}} keyed by ISO 3166 alpha-2.
Antarctica is left out (no school-leadership records, a fifth of the height).
"""

import json
import math
from pathlib import Path

from django_countries import countries

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-110m.json"
TARGET = Path(__file__).resolve().parent / "data" / "world_map.json"
WIDTH = 1000
SKIP = {"AQ"}
# Natural Earth shapes without an ISO numeric code in world-atlas, by name.
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    )
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def split_at_antimeridian(points):
    """Runs of a ring between jumps across ±180° (Russia, Fiji): drawn as one ring they
    would cross the whole map; each run is closed along the map's edge instead."""
    runs, run = [], []
    for point in points:
        if run and abs(point[0] - run[-1][0]) > 180:
            runs.append(run)
            run = []
        run.append(point)
    runs.append(run)
    if len(runs) > 1 and abs(runs[0][0][0] - runs[-1][-1][0]) <= 180:
        runs[0] = runs.pop() + runs[0]  # the ring's start was in the middle of a run
    return runs


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def code_for(geometry):
    name = geometry.get("properties", {}).get("name", "")
    if name in BY_NAME:
        return BY_NAME[name]
    if "id" in geometry:
        return countries.alpha2(int(geometry["id"])) or None
    return None


def build():
    topology = json.loads(SOURCE.read_text())
    arcs = decode_arcs(topology)
    rings_by_code = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = code_for(geometry)
        if not code or code in SKIP:
            continue
        for polygon in polygons(geometry):
            for ring in polygon:
                for run in split_at_antimeridian(ring_points(ring, arcs)):
                    projected = [equal_earth(lon, lat) for lon, lat in run]
                    rings_by_code.setdefault(code, []).append(projected)
    xs = [x for rings in rings_by_code.values() for ring in rings for x, _ in ring]
    ys = [y for rings in rings_by_code.values() for ring in rings for _, y in ring]
    scale = WIDTH / (max(xs) - min(xs))
    x0, y0 = min(xs), min(ys)
    paths = {}
    for code, rings in sorted(rings_by_code.items()):
        parts = []
        for ring in rings:
            points = []
            for x, y in ring:
                point = (round((x - x0) * scale), round((y - y0) * scale))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 3:
                continue  # an islet smaller than one unit
            # Relative moves after the first point: shorter text.
            commands = [f"M{points[0][0]} {points[0][1]}l"]
            previous = points[0]
            steps = []
            for point in points[1:]:
                steps.append(f"{point[0] - previous[0]} {point[1] - previous[1]}")
                previous = point
            parts.append(commands[0] + " ".join(steps).replace(" -", "-") + "z")
        if parts:
            paths[code] = "".join(parts)
    height = round((max(ys) - y0) * scale)
    TARGET.write_text(
        json.dumps({"width": WIDTH, "height": height, "countries": paths}, separators=(",", ":"))
        + "\n"
    )
    return len(paths), TARGET.stat().st_size


if __name__ == "__main__":
    count, size = build()
    print(f"{count} countries, {size} bytes: {TARGET}")
