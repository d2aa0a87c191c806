import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import escapeHtml from 'escape-html';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';

import { alert } from '../../core/alerts/alert';
import { AppError, describeError } from '../../core/errors';
import type { Logger } from '../logger';

/**
 * The embedded stack's stand-in for Slack or a team's webhook: it takes the platform's generic JSON alerts
 * (`POST /alerts`, the `json` format of ALERT_WEBHOOKS), appends each to a JSON-lines file, logs one line
 * per alert, and shows them: `GET /` as a page, `GET /alerts` as JSON, newest first. `npm start` points
 * the worker's alerts here when ALERT_WEBHOOKS is empty, so a person on the machine sees what the platform
 * would send. The file survives restarts; the newest `keep` alerts are served.
 */
export interface InboxEntry {
  receivedAt: string;
  alert: z.infer<typeof alert>;
}

const inboxBody = alert.extend({ schema: z.literal('aqi.alert/v1') });
const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function createAlertInbox(options: { file: string; logger: Logger; keep?: number; now?: () => Date }): Express {
  const { file, logger } = options;
  const keep = options.keep ?? 500;
  const now = options.now ?? (() => new Date());
  const entries = readEntries(file, logger).slice(-keep);
  mkdirSync(path.dirname(file), { recursive: true });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));

  app.get('/health', (_req, res) => {
    res.json({ ok: true, received: entries.length, file });
  });

  app.post('/alerts', (req, res) => {
    const parsed = inboxBody.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'VALIDATION_FAILED',
        `not an aqi.alert/v1 alert: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}`,
        { httpStatus: 400 },
      );
    }
    const { schema: _schema, ...received } = parsed.data;
    const entry: InboxEntry = { receivedAt: now().toISOString(), alert: received };
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
    entries.push(entry);
    if (entries.length > keep) entries.splice(0, entries.length - keep);
    logger.info({ kind: received.kind, severity: received.severity, key: received.key }, `alert: ${received.title}`);
    res.status(204).end();
  });

  app.get('/alerts', (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success)
      throw new AppError('VALIDATION_FAILED', 'limit must be an integer from 1 to 500', { httpStatus: 400 });
    res.json({ alerts: entries.slice(-query.data.limit).reverse() });
  });

  app.get('/', (_req, res) => {
    res.type('html').send(inboxPage([...entries].reverse()));
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof AppError ? (err.httpStatus ?? 500) : bodyParserStatus(err);
    if (status >= 500) logger.error({ err: describeError(err) }, 'alert inbox failed');
    res.status(status).json({ error: err instanceof AppError ? err.code : 'BAD_REQUEST', message: describeError(err) });
  });
  return app;
}

/** express.json's own errors (malformed JSON, too large) carry their status. */
function bodyParserStatus(err: unknown): number {
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

function readEntries(file: string, logger: Logger): InboxEntry[] {
  if (!existsSync(file)) return [];
  const entries: InboxEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as { receivedAt?: unknown; alert?: unknown };
      const parsed = alert.safeParse(value.alert);
      if (parsed.success && typeof value.receivedAt === 'string') {
        entries.push({ receivedAt: value.receivedAt, alert: parsed.data });
        continue;
      }
    } catch {
      // reported below, with the other unreadable lines
    }
    logger.warn({ file }, 'skipped an unreadable line of the alert inbox file');
  }
  return entries;
}

function inboxPage(entries: readonly InboxEntry[]): string {
  const rows = entries
    .map(({ receivedAt, alert: a }) => {
      const links = a.links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(' · ');
      const facts = Object.entries(a.facts)
        .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(String(v))}`)
        .join(', ');
      return `<tr class="${a.severity}"><td>${escapeHtml(receivedAt)}</td><td>${a.severity}</td><td>${a.kind}</td><td><b>${escapeHtml(a.title)}</b><br>${escapeHtml(a.text)}${facts ? `<br><small>${facts}</small>` : ''}${links ? `<br>${links}` : ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Alert inbox</title>
<meta http-equiv="refresh" content="10">
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.4rem;vertical-align:top}tr.critical td:nth-child(2){color:#b91c1c}tr.warning td:nth-child(2){color:#b45309}</style>
</head><body><h1>Alert inbox</h1>
<p>Alerts the platform sent to this stack's local webhook (newest first; the page refreshes every 10 s). Set ALERT_WEBHOOKS to send them to Slack, Discord or your own receiver.</p>
${entries.length === 0 ? '<p>No alert yet.</p>' : `<table><tbody>\n${rows}\n</tbody></table>`}
</body></html>`;
}
