import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Config } from '../../config';
import { stackLayout } from '../layout';

import { postgresLocation } from './postgres-location';

function layoutUnder(parentMode: number) {
  const base = mkdtempSync(path.join(tmpdir(), 'aqi-pgloc-'));
  chmodSync(base, 0o755); // mkdtemp makes it root-only
  const parent = path.join(base, 'clone');
  mkdirSync(parent);
  chmodSync(parent, parentMode);
  return stackLayout({ stateDir: path.join(parent, '.stack'), toolsDir: path.join(parent, '.tools') } as Config);
}

describe('where the PostgreSQL cluster lives', () => {
  it('when the state directory is reachable by other users, then the cluster stays inside it', () => {
    const layout = layoutUnder(0o755);

    const location = postgresLocation(layout, true);

    expect(location.dataDir).toBe(path.join(layout.stateDir, 'postgres', 'data'));
    expect(location.relocatedBecause).toBeUndefined();
  });

  it('when a parent folder is root-only, then the cluster moves to /var/tmp with links from the state directory', () => {
    const layout = layoutUnder(0o700);

    const location = postgresLocation(layout, true);
    try {
      expect(location.dataDir).toMatch(/^\/var\/tmp\/aqi-postgres\/[0-9a-f]{12}\/data$/);
      expect(location.relocatedBecause).toContain('cannot enter');
      expect(lstatSync(path.join(layout.stateDir, 'postgres', 'data')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(layout.logFile('postgres'))).toBe(location.logFile);
    } finally {
      rmSync(path.dirname(location.dataDir), { recursive: true, force: true });
    }
  });

  it('when the state directory was wiped, then a stale relocated cluster is removed, not reused', () => {
    const layout = layoutUnder(0o700);
    const first = postgresLocation(layout, true);
    mkdirSync(first.dataDir, { recursive: true });
    rmSync(layout.stateDir, { recursive: true, force: true });

    const second = postgresLocation(
      stackLayout({ stateDir: layout.stateDir, toolsDir: layout.toolsDir } as Config),
      true,
    );
    try {
      expect(second.dataDir).toBe(first.dataDir);
      expect(existsSync(second.dataDir)).toBe(false);
    } finally {
      rmSync(path.dirname(second.dataDir), { recursive: true, force: true });
    }
  });

  it('when not running as root, then the cluster stays inside whatever the permissions', () => {
    const layout = layoutUnder(0o700);

    expect(postgresLocation(layout, false).relocatedBecause).toBeUndefined();
  });
});
