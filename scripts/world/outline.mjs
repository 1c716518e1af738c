// Writes the world outline of the origins map (data/world-110m.path) from Natural Earth's
// 1:110m land polygons, as packaged on npm by world-atlas (TopoJSON, unprojected degrees).
//
//   cd scripts/world && npm ci && npm run outline
//
// The output is one SVG path `d` attribute on a plate carrée grid of 2 units per degree:
// x = (lon + 180) * 2, y = (NORTH - lat) * 2, rounded to whole units (half a degree, about
// 55 km: the map shows where posts are, not borders). The grid spans 180°W–180°E and NORTH
// to SOUTH below; Antarctica and other land wholly south of SOUTH is left out (no posts,
// much ink). A ring across the antimeridian is drawn at both edges (the SVG clips the rest).
// Points that round onto the previous one are dropped, rings that shrink to
// under three points are dropped, and moves are relative, so the file stays small enough
// to inline in one page. The Rust build (crates/site/src/map.rs) reads this file as it is
// and places the posts with the same formula.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export const NORTH = 84;
export const SOUTH = -58;
const UNITS_PER_DEGREE = 2;
const WIDTH = 360 * UNITS_PER_DEGREE;
// How far outside the map an off-map point is pinned, in grid units.
const MARGIN = 4;

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/land-110m.json"), "utf8"));
const [sx, sy] = topology.transform.scale;
const [tx, ty] = topology.transform.translate;

// TopoJSON arcs are delta-encoded quantised positions: decode each to degrees once.
const arcs = topology.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

// A ring is a list of arc indices; ~i (negative) is arc i reversed. Consecutive arcs share
// their joining point, so every arc after the first loses its first point.
function ring(indices) {
  const points = [];
  for (const index of indices) {
    const arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  return points;
}

function project([lon, lat]) {
  return [Math.round((lon + 180) * UNITS_PER_DEGREE), Math.round((NORTH - lat) * UNITS_PER_DEGREE)];
}

const parts = [];
let pen = null;
for (const geometry of topology.objects.land.geometries) {
  const polygons = geometry.type === "Polygon" ? [geometry.arcs] : geometry.arcs;
  for (const polygon of polygons) {
    for (const indices of polygon) {
      const degrees = unwrap(ring(indices));
      if (degrees.every(([, lat]) => lat < SOUTH)) continue;
      // A ring that crosses the antimeridian (Chukotka, Fiji) runs past one edge once its
      // longitudes are continuous: draw it again a turn of the globe over, so each edge shows
      // its part (the SVG clips what falls outside).
      const copies = [degrees];
      if (degrees.some(([lon]) => lon > 180)) copies.push(degrees.map(([lon, lat]) => [lon - 360, lat]));
      if (degrees.some(([lon]) => lon < -180)) copies.push(degrees.map(([lon, lat]) => [lon + 360, lat]));
      for (const copy of copies) draw(copy);
    }
  }
}
process.stdout.write(parts.join("") + "\n");

// Longitudes made continuous along a ring: a step of more than half a turn is a crossing of
// the antimeridian, not a line across the map.
function unwrap(points) {
  let shift = 0;
  return points.map(([lon, lat], i) => {
    if (i > 0) {
      const previous = points[i - 1][0];
      if (lon - previous > 180) shift -= 360;
      else if (previous - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

function draw(degrees) {
  {
    {
      // Off the map, a copy keeps only its outline's ends: its points are pinned to a line
      // just outside the edge and a run of them becomes one segment along it (the region
      // drawn changes only beyond the edge, where nothing shows).
      const pinned = degrees.map(project).map(([x, y]) => [Math.min(Math.max(x, -MARGIN), WIDTH + MARGIN), y]);
      const outside = (p) => p[0] === -MARGIN || p[0] === WIDTH + MARGIN;
      const points = [];
      pinned.forEach((p, i) => {
        const last = points[points.length - 1];
        if (last && last[0] === p[0] && last[1] === p[1]) return;
        const next = pinned[i + 1];
        if (last && next && outside(p) && last[0] === p[0] && next[0] === p[0]) return;
        points.push(p);
      });
      if (points.length > 1 && points[0][0] === points.at(-1)[0] && points[0][1] === points.at(-1)[1]) {
        points.pop();
      }
      if (points.length < 3) return;
      const [x0, y0] = points[0];
      let d = (pen ? `m${x0 - pen[0]} ${y0 - pen[1]}` : `M${x0} ${y0}`).replace(/ -/g, "-");
      d += "l";
      let [px, py] = points[0];
      const steps = [];
      for (const [x, y] of points.slice(1)) {
        steps.push(`${x - px} ${y - py}`);
        [px, py] = [x, y];
      }
      // Negative numbers separate themselves; a space is needed only before a positive one.
      d += steps.join(" ").replace(/ -/g, "-") + "z";
      parts.push(d);
      pen = [x0, y0]; // after z the current point is the ring's start
    }
  }
}
