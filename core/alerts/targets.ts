import { fnv1a } from '../fnv1a';

/** The wire formats an alert target speaks. */
export const alertFormats = ['json', 'slack', 'discord'] as const;
export type AlertFormat = (typeof alertFormats)[number];

/**
 * One webhook. `url` carries the target's secret (Slack's and Discord's webhook URLs are credentials), so
 * it is never logged nor stored: `id` (format, host and a hash of the URL) names the target in logs, the
 * delivery table and the workflow's history.
 */
export interface AlertTarget {
  id: string;
  format: AlertFormat;
  url: string;
}

/**
 * Reads ALERT_WEBHOOKS: `format=url` entries separated by commas or whitespace, e.g.
 * `slack=https://hooks.slack.com/services/…,json=http://alerts.internal/aqi`. An empty value: no webhook.
 * Errors name the entry by position and never echo a URL.
 */
export function parseAlertTargets(text: string | undefined): AlertTarget[] {
  const entries = (text ?? '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const targets = entries.map((entry, index) => {
    const at = entry.indexOf('=');
    const format = at < 0 ? '' : entry.slice(0, at);
    if (!(alertFormats as readonly string[]).includes(format)) {
      throw new Error(
        `entry ${index + 1} must start with one of ${alertFormats.join(', ')} then "=" (format=url), got "${format.slice(0, 20)}"`,
      );
    }
    let url: URL;
    try {
      url = new URL(entry.slice(at + 1));
    } catch {
      throw new Error(`entry ${index + 1} (${format}) is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`entry ${index + 1} (${format}) must be an http(s) URL`);
    }
    return { id: `${format}:${url.host}:${fnv1a(url.href)}`, format: format as AlertFormat, url: url.href };
  });
  const ids = new Set(targets.map((t) => t.id));
  if (ids.size !== targets.length) throw new Error('the same webhook is listed twice');
  return targets;
}
