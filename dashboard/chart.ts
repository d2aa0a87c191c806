import { bandColours } from './bands';

const svgNs = 'http://www.w3.org/2000/svg';
const width = 1000;
const left = 40;
const bottom = 20;

export interface Line {
  label: string;
  /** Unix seconds. */
  times: readonly number[];
  values: readonly (number | null)[];
  colour: string;
  dashed?: boolean;
}

export interface ChartOptions {
  height: number;
  /** Draw the European AQI bands behind the lines. */
  bands?: boolean;
  /** Points to ring (e.g. readings that failed a check). */
  marks?: readonly { time: number; value: number; title: string }[];
  /** Time spans to shade (e.g. anomalies). */
  spans?: readonly { from: number; to: number; title: string }[];
  testId?: string;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * A time chart as SVG, drawn by hand: a few kilobytes of script instead of a chart library. Lines break at
 * a missing value or a gap of more than twice their usual step, so a hole in the data shows as a hole.
 * The first line's count of drawn points is in `data-points` (what the browser tests compare).
 */
export function timeChart(lines: readonly Line[], options: ChartOptions): SVGSVGElement {
  const { height } = options;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', class: 'chart' });
  if (options.testId) root.setAttribute('data-testid', options.testId);
  const times = lines.flatMap((l) => (l.times.length ? [l.times[0] ?? 0, l.times[l.times.length - 1] ?? 0] : []));
  const values = lines.flatMap((l) => l.values.filter((v): v is number => v !== null));
  if (times.length === 0) {
    root.append(Object.assign(svg('text', { x: width / 2, y: height / 2 }), { textContent: 'no data in this window' }));
    root.setAttribute('data-points', '0');
    return root;
  }
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const top = Math.max(options.bands ? 60 : 1, ...values) * 1.05;
  const x = (t: number) => left + ((t - t0) / (t1 - t0)) * (width - left - 5);
  const y = (v: number) => height - bottom - (v / top) * (height - bottom - 5);

  if (options.bands) {
    for (const b of bandColours) {
      if (b.from >= top) break;
      const rect = svg('rect', {
        x: left,
        y: y(Math.min(b.to, top)),
        width: width - left - 5,
        height: y(b.from) - y(Math.min(b.to, top)),
        fill: b.colour,
        'fill-opacity': 0.25,
      });
      rect.append(Object.assign(svg('title', {}), { textContent: b.band }));
      root.append(rect);
    }
  }
  for (const span of options.spans ?? []) {
    const rect = svg('rect', {
      x: x(span.from),
      y: 0,
      width: Math.max(2, x(span.to) - x(span.from)),
      height: height - bottom,
      fill: '#c22',
      'fill-opacity': 0.15,
    });
    rect.append(Object.assign(svg('title', {}), { textContent: span.title }));
    root.append(rect);
  }
  for (const tick of axisTicks(top)) {
    root.append(
      svg('line', { x1: left, x2: width - 5, y1: y(tick), y2: y(tick), stroke: '#ccc', 'stroke-width': 0.5 }),
    );
    root.append(Object.assign(svg('text', { x: 2, y: y(tick) + 3 }), { textContent: String(tick) }));
  }
  for (const [i, label] of timeLabels(t0, t1).entries()) {
    const text = svg('text', { x: x(label.t), y: height - 5, 'text-anchor': i === 0 ? 'start' : 'middle' });
    text.textContent = label.text;
    root.append(text);
  }
  lines.forEach((line, i) => {
    const { d, points } = pathOf(line, x, y);
    const path = svg('path', {
      d,
      fill: 'none',
      stroke: line.colour,
      'stroke-width': 1.2,
      'vector-effect': 'non-scaling-stroke',
      'data-line': line.label,
    });
    if (line.dashed) path.setAttribute('stroke-dasharray', '4 3');
    root.append(path);
    if (i === 0) root.setAttribute('data-points', String(points));
  });
  for (const mark of options.marks ?? []) {
    const circle = svg('circle', { cx: x(mark.time), cy: y(mark.value), r: 3, fill: 'none', stroke: '#c22' });
    circle.append(Object.assign(svg('title', {}), { textContent: mark.title }));
    root.append(circle);
  }
  return root;
}

function pathOf(line: Line, x: (t: number) => number, y: (v: number) => number): { d: string; points: number } {
  const steps = line.times.slice(1).map((t, i) => t - (line.times[i] ?? t));
  const usual = steps.length ? ([...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] ?? 3600) : 3600;
  const parts: string[] = [];
  let points = 0;
  let previous: number | undefined;
  line.values.forEach((value, i) => {
    const t = line.times[i] ?? 0;
    if (value === null) {
      previous = undefined;
      return;
    }
    const move = previous === undefined || t - previous > 2 * usual;
    parts.push(`${move ? 'M' : 'L'}${x(t).toFixed(1)} ${y(value).toFixed(1)}`);
    points += 1;
    previous = t;
  });
  return { d: parts.join(''), points };
}

function axisTicks(top: number): number[] {
  const step = top > 200 ? 50 : top > 100 ? 25 : top > 40 ? 20 : top > 10 ? 5 : 1;
  return Array.from({ length: Math.floor(top / step) + 1 }, (_, i) => i * step);
}

function timeLabels(t0: number, t1: number): { t: number; text: string }[] {
  const span = t1 - t0;
  const format = (t: number) => {
    const iso = new Date(t * 1000).toISOString();
    return span > 3 * 86400 ? iso.slice(0, 10) : iso.slice(5, 16).replace('T', ' ');
  };
  return Array.from({ length: 6 }, (_, i) => t0 + (span * i) / 5).map((t) => ({ t, text: format(t) }));
}

/** A small legend: each line's colour and label. */
export function legend(lines: readonly Pick<Line, 'label' | 'colour' | 'dashed'>[]): HTMLElement {
  const box = document.createElement('div');
  box.className = 'legend';
  for (const line of lines) {
    const item = document.createElement('span');
    item.innerHTML = `<svg width="18" height="8"><line x1="0" y1="4" x2="18" y2="4" stroke="${line.colour}" stroke-width="2" ${line.dashed ? 'stroke-dasharray="4 3"' : ''}/></svg> `;
    item.append(line.label);
    box.append(item);
  }
  return box;
}
