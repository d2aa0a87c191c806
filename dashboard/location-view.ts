import { getJson } from './api';
import { legend, timeChart, type Line } from './chart';
import { h, link, showError } from './dom';
import {
  forecastsAnswer,
  qualityAnswer,
  timelineAnswer,
  type Links,
  type LocationSummary,
  type Timeline,
} from './schemas';

const hourMs = 3600_000;
const pollutantColours: Record<string, string> = {
  pm2_5: '#8a3ffc',
  pm10: '#1192e8',
  nitrogen_dioxide: '#fa4d56',
  ozone: '#198038',
  sulphur_dioxide: '#b28600',
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hourOf = (text: string) => Math.floor(Date.parse(text) / hourMs) * hourMs;

interface State {
  location: LocationSummary;
  from: number;
  to: number;
  pollutants: Set<string>;
}

/**
 * A place: its European AQI over the chosen window on the band colours (24 h, 7 days, or a range; at first
 * its first year of stored hours), pollutants on demand, the +24 h forecast beside what happened over the
 * window's last week, and the data-quality verdicts. Hours arriving live are added to the drawn window.
 */
export function locationView(root: HTMLElement, locations: LocationSummary[], links: Links) {
  const stored = locations.filter((l) => l.readings > 0 && l.firstHour && l.lastHour);
  let timeline: Timeline | undefined;
  let state: State | undefined;
  const chartBox = h('div');
  const forecastBox = h('div');
  const qualityBox = h('div');
  const fromInput = h('input', { type: 'date' });
  const toInput = h('input', { type: 'date' });
  const select = h(
    'select',
    { 'data-testid': 'location-select', onchange: () => void choose(select.value).catch(showError) },
    ...stored.map((l) => h('option', { value: l.id }, `${l.name} (${l.readings} h)`)),
  );
  const pollutantBoxes = Object.keys(pollutantColours).map((p) =>
    h(
      'label',
      {},
      h('input', { type: 'checkbox', value: p, onchange: () => void togglePollutant(p).catch(showError) }),
      ` ${p} `,
    ),
  );

  function lastHour(): number {
    return hourOf(state?.location.lastHour ?? '') + hourMs;
  }
  const presets = {
    '24 h': () => ({ from: lastHour() - 24 * hourMs, to: lastHour() }),
    '7 d': () => ({ from: lastHour() - 7 * 24 * hourMs, to: lastHour() }),
  };
  root.append(
    h(
      'div',
      { class: 'controls' },
      select,
      ...Object.entries(presets).map(([label, span]) =>
        h('button', { onclick: () => void show(span()).catch(showError) }, `last ${label}`),
      ),
      'range ',
      fromInput,
      '→',
      toInput,
      h(
        'button',
        {
          onclick: () =>
            void show({ from: Date.parse(fromInput.value), to: Date.parse(toInput.value) + 24 * hourMs }).catch(
              showError,
            ),
        },
        'show',
      ),
    ),
    h('div', { class: 'controls' }, 'pollutants: ', ...pollutantBoxes),
    chartBox,
    h('h3', {}, '+24 h forecast beside what happened (last 7 days of the window)'),
    forecastBox,
    h('h3', {}, 'Data quality ', link(links.airflow.dags.quality ?? links.airflow.ui, 'Airflow aqi_quality')),
    qualityBox,
  );

  async function choose(id: string): Promise<void> {
    const location = stored.find((l) => l.id === id);
    if (!location) return;
    select.value = id;
    const first = hourOf(location.firstHour ?? '');
    // At first, the first year of stored hours (for Lyon, 2024), pollutants hidden.
    const to = Math.min(first + 366 * 24 * hourMs, hourOf(location.lastHour ?? '') + hourMs);
    state = { location, from: first, to, pollutants: new Set() };
    await Promise.all([show({ from: first, to }), showQuality(id)]);
  }

  async function show(span: { from: number; to: number }): Promise<void> {
    if (!state || !(span.from < span.to)) return;
    state.from = span.from;
    state.to = span.to;
    fromInput.value = iso(span.from).slice(0, 10);
    toInput.value = iso(span.to - hourMs).slice(0, 10);
    await Promise.all([drawTimeline(), drawForecast()]);
  }

  async function drawTimeline(): Promise<void> {
    if (!state) return;
    const pollutants = [...state.pollutants];
    const query = new URLSearchParams({ from: iso(state.from), to: iso(state.to) });
    if (pollutants.length) query.set('pollutants', pollutants.join(','));
    timeline = await getJson(`/locations/${state.location.id}/readings?${query}`, timelineAnswer);
    render();
  }

  function render(): void {
    if (!timeline || !state) return;
    const index: Line = {
      label: 'European AQI',
      times: timeline.hours,
      values: timeline.european_aqi,
      colour: '#1d2330',
    };
    const concentrations = Object.entries(timeline.pollutants).map(([name, values]) => ({
      label: `${name} µg/m³`,
      times: timeline?.hours ?? [],
      values,
      colour: pollutantColours[name] ?? '#555',
    }));
    chartBox.replaceChildren(
      legend([index]),
      timeChart([index], { height: 260, bands: true, testId: 'timeline' }),
      ...(concentrations.length
        ? [legend(concentrations), timeChart(concentrations, { height: 180, testId: 'pollutants' })]
        : []),
    );
    // Read by bench/dashboard.ts beside Chromium's navigation timings: the first drawn timeline.
    if (performance.getEntriesByName('timeline-drawn').length === 0) performance.mark('timeline-drawn');
  }

  async function drawForecast(): Promise<void> {
    if (!state) return;
    const from = Math.max(state.from, state.to - 7 * 24 * hourMs);
    const query = new URLSearchParams({ from: iso(from), to: iso(state.to), hours: '24' });
    try {
      const answer = await getJson(`/locations/${state.location.id}/forecasts?${query}`, forecastsAnswer);
      const targets = answer.forecasts.map((f) => Date.parse(f.target) / 1000);
      const lines: Line[] = [
        { label: 'what happened', times: targets, values: answer.forecasts.map((f) => f.actual), colour: '#1d2330' },
        {
          label: `forecast 24 h before (${answer.model.name} v${answer.model.version})`,
          times: targets,
          values: answer.forecasts.map((f) => f.predicted),
          colour: '#3d6ec9',
          dashed: true,
        },
      ];
      forecastBox.replaceChildren(legend(lines), timeChart(lines, { height: 180, bands: true, testId: 'forecast' }));
    } catch (err) {
      forecastBox.replaceChildren(h('p', { class: 'muted' }, `no forecast: ${(err as Error).message}`));
    }
  }

  async function showQuality(id: string): Promise<void> {
    const { reports } = await getJson(`/quality/reports?location=${id}&limit=20`, qualityAnswer);
    qualityBox.replaceChildren(
      reports.length === 0
        ? h('p', { class: 'muted' }, 'no quality check has covered this location yet')
        : h(
            'table',
            { 'data-testid': 'quality' },
            h(
              'tr',
              {},
              h('th', {}, 'window'),
              h('th', {}, 'verdict'),
              h('th', {}, 'checks not passed'),
              h('th', {}, 'run'),
            ),
            ...reports.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, `${r.from.slice(0, 16)} → ${r.to.slice(0, 16)}`),
                h('td', { class: `verdict-${r.verdict}` }, r.verdict),
                h(
                  'td',
                  {},
                  r.checks
                    .filter((c) => c.status !== 'pass')
                    .map((c) => `${c.name}: ${c.detail}`)
                    .join('; ') || '—',
                ),
                h('td', {}, link(r.url, 'Temporal')),
              ),
            ),
          ),
    );
  }

  async function togglePollutant(name: string): Promise<void> {
    if (!state) return;
    if (state.pollutants.has(name)) state.pollutants.delete(name);
    else state.pollutants.add(name);
    await drawTimeline();
  }

  return {
    start: () => choose(new URLSearchParams(window.location.hash.slice(1)).get('location') ?? stored[0]?.id ?? ''),
    /** A stored hour arrived: drawn at once when it is the shown place's and inside (or just after) the window. */
    onReading(reading: { location: string; at: string; european_aqi: number | null; band: string | null }) {
      if (!state || !timeline || reading.location !== state.location.id) return;
      const at = Date.parse(reading.at) / 1000;
      if (at * 1000 < state.from || timeline.hours.includes(at)) return;
      timeline.hours.push(at);
      timeline.european_aqi.push(reading.european_aqi);
      for (const values of Object.values(timeline.pollutants)) values.push(null);
      render();
    },
  };
}
