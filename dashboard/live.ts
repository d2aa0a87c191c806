import { bandClass } from './bands';
import { h } from './dom';
import { liveAnomaly, liveReading } from './schemas';

type Reading = ReturnType<typeof liveReading.parse>;
type Anomaly = ReturnType<typeof liveAnomaly.parse>;

/** How many live events the side list keeps. */
const kept = 50;

/**
 * The server-sent events of GET /events: the status badge says whether the feed is live, each reading and
 * anomaly is listed (newest first) and handed to the views. EventSource reconnects by itself.
 */
export function followLive(handlers: { onReading: (r: Reading) => void; onAnomaly: (a: Anomaly) => void }): void {
  const badge = document.getElementById('live-status');
  const feed = document.getElementById('live-feed');
  const add = (item: HTMLElement) => {
    feed?.prepend(item);
    while (feed && feed.children.length > kept) feed.lastElementChild?.remove();
  };
  const source = new EventSource('/events');
  const setStatus = (live: boolean) => {
    if (!badge) return;
    badge.textContent = live ? 'live' : 'connecting';
    badge.className = live ? 'live' : 'offline';
  };
  source.addEventListener('status', (event) => setStatus((JSON.parse(event.data) as { live: boolean }).live));
  source.addEventListener('error', () => setStatus(false));
  source.addEventListener('reading', (event) => {
    const reading = liveReading.parse(JSON.parse(event.data));
    add(
      h(
        'li',
        { 'data-testid': 'live-reading', 'data-location': reading.location, 'data-at': reading.at },
        `${reading.location} ${reading.at.slice(0, 16)} `,
        h(
          'span',
          { class: bandClass(reading.band) },
          reading.european_aqi === null ? '—' : reading.european_aqi.toFixed(0),
        ),
      ),
    );
    handlers.onReading(reading);
  });
  source.addEventListener('anomaly', (event) => {
    const anomaly = liveAnomaly.parse(JSON.parse(event.data));
    add(
      h(
        'li',
        { 'data-testid': 'live-anomaly', 'data-sensor': anomaly.sensorId },
        `⚠ ${anomaly.sensorId} ${anomaly.anomalyType} (${anomaly.severity}) ${anomaly.at.slice(0, 16)}`,
      ),
    );
    handlers.onAnomaly(anomaly);
  });
}
