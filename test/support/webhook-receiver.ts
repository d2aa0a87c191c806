import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A real HTTP server on a free local port that takes webhook POSTs, keeps them, and answers as told per
 * path, query aside (a status, or no answer at all to make the sender time out); `GET /received` lists
 * them, for a test in another process. For alert tests: nothing is mocked below the sender's fetch.
 */
export async function startWebhookReceiver(answers: Record<string, number | 'hang'> = {}, port = 0) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'GET' && path === '/received') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ path, headers: req.headers, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined });
      const answer = answers[new URL(path, 'http://receiver').pathname] ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'refused');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${bound}${path}`,
    received,
    /** Sets how a path answers from now on. */
    answer: (path: string, status: number | 'hang') => {
      answers[path] = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
