/**
 * Benchmark: the dashboard's first load (issue 15): bytes transferred (scripts apart) and the time to a drawn
 * timeline of the Lyon year, from Chromium's own performance timings, each run in a fresh browser context
 * (empty cache). Runs against a running API, `npm start`'s by default.
 *
 *   npm run bench:dashboard                                   (5 loads of http://127.0.0.1:8000/)
 *   npm run bench:dashboard -- --url http://127.0.0.1:18511 --runs 10 --screenshot docs/dashboard.png
 *
 * Chromium is the npm package @sparticuz/chromium's, driven by playwright-core. See docs/benchmarks.md
 * ("Dashboard first load").
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { configFromEnvironment } from '../config/runtime';
import { launchChromium } from '../test/support/chromium';

interface Load {
  transferredBytes: number;
  scriptBytes: number;
  requests: number;
  responseEndMs: number;
  domContentLoadedMs: number;
  timelineDrawnMs: number;
  points: number;
}

/** Read in the page (browser code, so as text): the navigation timings and the dashboard's own mark. */
const inPageTimings = `(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const drawn = performance.getEntriesByName('timeline-drawn')[0];
  return {
    responseEndMs: navigation.responseEnd,
    domContentLoadedMs: navigation.domContentLoadedEventEnd,
    timelineDrawnMs: drawn ? drawn.startTime : NaN,
    points: Number(document.querySelector('[data-testid="timeline"]')?.getAttribute('data-points')),
  };
})()`;

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      runs: { type: 'string', default: '5' },
      screenshot: { type: 'string' },
    },
  });
  const url = (values.url ?? configFromEnvironment().api.url).replace(/\/+$/, '');
  const runs = Number(values.runs);
  const browser = await launchChromium();
  const loads: Load[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A new context per load: an empty cache, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      // Bytes as Chromium's network layer counts them (headers and body, as sent), per finished request.
      const sizes: Promise<{ url: string; bytes: number }>[] = [];
      page.on('requestfinished', (request) => {
        sizes.push(
          request.sizes().then((s) => ({ url: request.url(), bytes: s.responseHeadersSize + s.responseBodySize })),
        );
      });
      await page.goto(`${url}/`);
      await page.waitForSelector('[data-testid="timeline"][data-points]', { timeout: 60_000 });
      await page.waitForSelector('[data-testid="forecast"], #view-location p.muted', { timeout: 60_000 });
      const timings = (await page.evaluate(inPageTimings)) as Load;
      const finished = await Promise.all(sizes);
      loads.push({
        ...timings,
        transferredBytes: finished.reduce((sum, r) => sum + r.bytes, 0),
        scriptBytes: finished.filter((r) => r.url.endsWith('.js')).reduce((sum, r) => sum + r.bytes, 0),
        requests: finished.length,
      });
      if (values.screenshot && i === runs - 1) await page.screenshot({ path: values.screenshot, fullPage: true });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = (pick: (l: Load) => number) => {
    const sorted = loads.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  console.log(
    `dashboard first load, ${runs} fresh contexts against ${url} (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  console.table(loads.map((l) => ({ ...l, timelineDrawnMs: Math.round(l.timelineDrawnMs) })));
  console.log(
    `median: ${median((l) => l.transferredBytes)} bytes transferred (${median((l) => l.scriptBytes)} of scripts) in ${median((l) => l.requests)} requests; ` +
      `timeline of ${median((l) => l.points)} points drawn at ${Math.round(median((l) => l.timelineDrawnMs))} ms after navigation start`,
  );
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
