import { Router } from 'express';

import type { LiveFeed } from '../../adapters/kafka/live-feed';

/** A comment line every so often, so that proxies and browsers keep an idle stream open. */
const heartbeatMs = 15_000;

/**
 * `GET /events`: server-sent events from Kafka as they come: `reading` (a location hour stored, from
 * `aqi.transformed`), `anomaly` (from `sensors.anomalies`) and `status` ({live}: whether the feed is joined,
 * first sent at once). The stream never ends by itself; the browser's EventSource reconnects after `retry`.
 */
export function eventRoutes(feed: LiveFeed): Router {
  const router = Router();
  router.get('/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 3000\n\n');
    send('status', { live: feed.live() });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs).unref();
    const unsubscribe = feed.subscribe((event) => {
      if (event.type === 'closed') {
        res.end();
        return;
      }
      if (event.type === 'status') send('status', { live: event.live });
      else send(event.type, event);
    });
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  return router;
}
