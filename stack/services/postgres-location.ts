import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { StackLayout } from '../layout';

export interface PostgresLocation {
  dataDir: string;
  logFile: string;
  /** Set when the cluster had to live outside the state directory, and why. */
  relocatedBecause?: string;
}

/**
 * Where the cluster lives. Normally `<state>/postgres/data`. But as root PostgreSQL runs as the `postgres`
 * user, which cannot reach a state directory below a root-only folder (a clone under /root, say). Then
 * the cluster and its log go to /var/tmp/aqi-postgres/<hash of the state dir>, recorded in
 * `<state>/postgres/location` with links from the usual places. A stale outside cluster whose state
 * directory was wiped is removed, so a fresh state directory always means a fresh database.
 */
export function postgresLocation(layout: StackLayout, asRoot: boolean): PostgresLocation {
  const home = layout.dataDir('postgres');
  const inside = { dataDir: path.join(home, 'data'), logFile: layout.logFile('postgres') };
  const blocked = asRoot ? firstBlockedAncestor(home) : undefined;
  if (blocked === undefined) return inside;

  const outside = path.join(
    '/var/tmp',
    'aqi-postgres',
    createHash('sha256').update(layout.stateDir).digest('hex').slice(0, 12),
  );
  const marker = path.join(home, 'location');
  if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== outside) {
    rmSync(outside, { recursive: true, force: true });
    mkdirSync(outside, { recursive: true, mode: 0o755 });
    writeFileSync(marker, `${outside}\n`);
    for (const [link, target] of [
      [inside.dataDir, path.join(outside, 'data')],
      [inside.logFile, path.join(outside, 'postgres.log')],
    ] as const) {
      rmSync(link, { recursive: true, force: true });
      symlinkSync(target, link);
    }
  }
  return {
    dataDir: path.join(outside, 'data'),
    logFile: path.join(outside, 'postgres.log'),
    relocatedBecause: `the "postgres" user cannot enter ${blocked}`,
  };
}

/** Where clusters and binaries go that the `postgres` user could not reach where they were. */
export function relocationRoot(): string {
  const root = path.join('/var/tmp', 'aqi-postgres');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  return root;
}

/** The first folder, `dir` or a parent, without the execute bit for others: the `postgres` user cannot pass it. */
export function firstBlockedAncestor(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return current;
    if (current === path.dirname(current)) return undefined;
  }
}
