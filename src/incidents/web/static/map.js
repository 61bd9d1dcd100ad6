// The map: no tiles, only the OCHA admin boundaries shipped with the page (provinces, and the
// sub-districts of the provinces the seeds touch), with each resolved area coloured by its status.
// Places the gazetteer does not resolve are listed beside the map, never guessed onto it.

const STATUSES = ["threatened", "clearing", "cleared"];
let map = null;
let statusLayer = null;
let boundaries = null;

async function json(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

export async function createMap(container, onArea) {
  const L = window.L;
  const [provinces, subdistricts] = await Promise.all([
    json("/static/map/iraq-adm1.geojson"),
    json("/static/map/iraq-adm3-seed-provinces.geojson"),
  ]);
  boundaries = { provinces, subdistricts };
  map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false, keyboard: true, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: OCHA COD-AB Iraq (CSO/ITOS 2019), CC BY-IGO");
  const base = L.geoJSON(provinces, { style: { color: "#8a8578", weight: 1, fillColor: "#f3f0e8", fillOpacity: 1 }, interactive: false }).addTo(map);
  const detailed = L.geoJSON(subdistricts, { style: { color: "#c9c3b4", weight: 0.5, fill: false }, interactive: false }).addTo(map);
  map.fitBounds(detailed.getBounds(), { padding: [4, 4] }); // the provinces the seeds touch
  map.setMaxBounds(base.getBounds().pad(0.5));
  for (const feature of provinces.features) {
    const label = document.createElement("span");
    label.textContent = feature.properties.name_en;
    const centre = L.geoJSON(feature).getBounds().getCenter();
    L.marker(centre, {
      icon: L.divIcon({ className: "province-label", html: label, iconSize: null }),
      interactive: false,
      keyboard: false,
    }).addTo(map);
  }
  statusLayer = L.layerGroup().addTo(map);
  mapClick = onArea;
  return map;
}

let mapClick = () => {};

function featuresOf(pcode) {
  const subs = boundaries.subdistricts.features.filter((feature) => feature.properties.pcode.startsWith(pcode));
  if (subs.length) return subs;
  return boundaries.provinces.features.filter((feature) => feature.properties.pcode === pcode);
}

// Colour the areas that resolve to a polygon; the rows that do not are returned, to be listed.
export function showAreas(rows) {
  const L = window.L;
  if (statusLayer === null) return rows;
  statusLayer.clearLayers();
  const unplaced = [];
  for (const row of rows) {
    const features = row.pcode ? featuresOf(row.pcode) : [];
    if (!features.length) {
      unplaced.push(row);
      continue;
    }
    const status = STATUSES.includes(row.status) ? row.status : "other";
    const layer = L.geoJSON({ type: "FeatureCollection", features }, {
      style: { className: `area status-${status}`, weight: 1.5, fillOpacity: 0.75 },
    });
    const label = document.createElement("span"); // Leaflet writes a string as HTML: give it a text node
    label.textContent = `${row.area}: ${row.status}`;
    layer.bindTooltip(label, { sticky: true });
    layer.on("click", () => mapClick(row.area));
    layer.eachLayer((path) => {
      path.options.className = `area status-${status}`;
    });
    layer.addTo(statusLayer);
    layer.eachLayer((path) => {
      const element = path.getElement();
      if (element) {
        element.dataset.area = row.area;
        element.dataset.status = row.status;
      }
    });
  }
  return unplaced;
}

export function resizeMap() {
  if (map !== null) map.invalidateSize();
}
