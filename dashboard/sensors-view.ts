import { getJson, postJson } from './api';
import { bandColours } from './bands';
import { timeChart } from './chart';
import { h, link, showError } from './dom';
import {
  incidentActionAnswer,
  incidentsAnswer,
  latestSensorsAnswer,
  sensorAnswer,
  sensorSeriesAnswer,
  type LatestSensor,
  type Links,
  type LocationSummary,
} from './schemas';

const svgNs = 'http://www.w3.org/2000/svg';
const colourOf = (band: string | undefined) => bandColours.find((b) => b.band === band)?.colour ?? '#bbb';

/**
 * The sensors: a map of markers placed by their coordinates (no base tiles: the page needs nothing from
 * elsewhere) coloured by their latest reading's index and ringed when it failed a check, the reference
 * locations as squares; a sensor's last day with its flagged readings and anomalies; open incidents to
 * acknowledge or resolve with the API key.
 */
export function sensorsView(root: HTMLElement, locations: LocationSummary[], links: Links) {
  const mapBox = h('div');
  const detail = h('div');
  const incidentsBox = h('div');
  root.append(
    h(
      'h3',
      {},
      'Sensors by their latest reading ',
      link(links.airflow.dags.sensorRollup ?? links.airflow.ui, 'Airflow aqi_sensor_rollup'),
    ),
    mapBox,
    detail,
    h('h3', {}, 'Open incidents'),
    incidentsBox,
  );

  function drawMap(sensors: LatestSensor[]): void {
    const points = [
      ...sensors.map((s) => [s.longitude, s.latitude]),
      ...locations.map((l) => [l.longitude, l.latitude]),
    ];
    const lons = points.map((p) => p[0] ?? 0);
    const lats = points.map((p) => p[1] ?? 0);
    const [w, hgt, pad] = [1000, 320, 20];
    const [minLon, maxLon, minLat, maxLat] = [
      Math.min(...lons),
      Math.max(...lons),
      Math.min(...lats),
      Math.max(...lats),
    ];
    // Equirectangular, shrunk in longitude by the cosine of the middle latitude: distances look right locally.
    const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    const scale = Math.min(
      (w - 2 * pad) / Math.max((maxLon - minLon) * kx, 1e-6),
      (hgt - 2 * pad) / Math.max(maxLat - minLat, 1e-6),
    );
    const x = (lon: number) => pad + (lon - minLon) * kx * scale;
    const y = (lat: number) => hgt - pad - (lat - minLat) * scale;
    const map = document.createElementNS(svgNs, 'svg');
    map.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
    map.setAttribute('class', 'map');
    map.setAttribute('data-testid', 'sensor-map');
    for (const l of locations) {
      const square = document.createElementNS(svgNs, 'rect');
      Object.entries({ x: x(l.longitude) - 5, y: y(l.latitude) - 5, width: 10, height: 10, fill: '#1d2330' }).forEach(
        ([k, v]) => square.setAttribute(k, String(v)),
      );
      square.innerHTML = `<title>${l.name} (reference)</title>`;
      map.append(square);
    }
    for (const s of sensors) {
      const dot = document.createElementNS(svgNs, 'circle');
      Object.entries({ cx: x(s.longitude), cy: y(s.latitude), r: 7, fill: colourOf(s.europeanAqi?.band) }).forEach(
        ([k, v]) => dot.setAttribute(k, String(v)),
      );
      dot.setAttribute('data-sensor', s.sensorId);
      if (s.qcFlags.length) dot.classList.add('flagged');
      const title = document.createElementNS(svgNs, 'title');
      title.textContent = `${s.sensorId}: EAQI ${s.europeanAqi?.value.toFixed(0) ?? '—'} at ${s.at}${s.qcFlags.length ? `; flags ${s.qcFlags.join(', ')}` : ''}`;
      dot.append(title);
      dot.addEventListener('click', () => void showSensor(s).catch(showError));
      map.append(dot);
    }
    mapBox.replaceChildren(
      sensors.length ? map : h('p', { class: 'muted' }, 'no sensor has reported yet (npx airq sensors simulate)'),
      h(
        'p',
        { class: 'muted' },
        'Marker colour: European AQI of the raw latest reading (EEA 2024 bands); red ring: it failed a check. Squares: reference locations.',
      ),
    );
  }

  async function showSensor(s: LatestSensor): Promise<void> {
    const to = new Date(Math.floor(Date.parse(s.at) / 3600_000 + 1) * 3600_000);
    const from = new Date(to.getTime() - 24 * 3600_000);
    const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
    const [sensor, series] = await Promise.all([
      getJson(`/sensors/${encodeURIComponent(s.sensorId)}`, sensorAnswer),
      getJson(
        `/sensors/${encodeURIComponent(s.sensorId)}/readings?from=${iso(from)}&to=${iso(to)}`,
        sensorSeriesAnswer,
      ),
    ]);
    const marks = series.times.flatMap((t, i) => {
      const flags = series.qc_flags[i] ?? [];
      return flags.length ? [{ time: t, value: series.pm2_5[i] ?? 0, title: flags.join(', ') }] : [];
    });
    const spans = sensor.anomalies.map((a) => ({
      from: Date.parse(a.window.start) / 1000,
      to: Date.parse(a.window.end) / 1000,
      title: `${a.type} (${a.severity})`,
    }));
    detail.replaceChildren(
      h('h3', {}, `${s.sensorId}: PM2.5 over its last reported day (µg/m³), flagged readings ringed, anomalies shaded`),
      timeChart([{ label: 'pm2_5', times: series.times, values: series.pm2_5, colour: '#8a3ffc' }], {
        height: 180,
        marks,
        spans,
        testId: 'sensor-chart',
      }),
      h(
        'table',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'anomaly'),
          h('th', {}, 'severity'),
          h('th', {}, 'from'),
          h('th', {}, 'to'),
          h('th', {}, 'state'),
        ),
        ...sensor.anomalies.map((a) =>
          h(
            'tr',
            {},
            h('td', {}, a.type),
            h('td', {}, a.severity),
            h('td', {}, a.window.start),
            h('td', {}, a.window.end),
            h('td', {}, a.closed_at ? 'closed' : 'open'),
          ),
        ),
      ),
    );
  }

  async function drawIncidents(): Promise<void> {
    const { incidents } = await getJson('/incidents', incidentsAnswer);
    const act = async (id: string, kind: 'acknowledge' | 'resolve', cell: HTMLElement) => {
      try {
        const taken = await postJson(`/incidents/${id}/${kind}`, {}, incidentActionAnswer);
        cell.textContent = taken.state;
        if (taken.state === 'closed') await drawIncidents();
      } catch (err) {
        cell.textContent = (err as Error).message;
      }
    };
    incidentsBox.replaceChildren(
      incidents.length === 0
        ? h('p', { class: 'muted' }, 'no open incident')
        : h(
            'table',
            { 'data-testid': 'incidents' },
            h(
              'tr',
              {},
              h('th', {}, 'sensor'),
              h('th', {}, 'fault'),
              h('th', {}, 'state'),
              h('th', {}, 'escalations'),
              h('th', {}, ''),
              h('th', {}, ''),
            ),
            ...incidents.map((i) => {
              const state = h('td', { 'data-testid': `incident-state-${i.id}` }, i.state);
              return h(
                'tr',
                {},
                h('td', {}, i.sensorId),
                h('td', {}, i.anomalyType),
                state,
                h('td', {}, String(i.escalationLevel)),
                h('td', {}, link(i.url, 'Temporal')),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    { 'data-testid': `acknowledge-${i.id}`, onclick: () => void act(i.id, 'acknowledge', state) },
                    'acknowledge',
                  ),
                  ' ',
                  h(
                    'button',
                    { 'data-testid': `resolve-${i.id}`, onclick: () => void act(i.id, 'resolve', state) },
                    'resolve',
                  ),
                ),
              );
            }),
          ),
    );
  }

  async function refresh(): Promise<void> {
    const { readings } = await getJson('/sensors/readings/latest', latestSensorsAnswer);
    drawMap(readings);
    await drawIncidents();
  }

  return {
    refresh,
    /** An anomaly arrived: the incidents may have changed. */
    onAnomaly: () => void drawIncidents().catch(showError),
  };
}
