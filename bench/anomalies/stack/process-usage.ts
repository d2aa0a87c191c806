import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { StackLayout } from '../../../stack/layout';
import { readSupervisedState, supervisorStateFile } from '../../../stack/supervisor/state';

/** What the detector and PostgreSQL processes use (memory, CPU), read from /proc. */

export function rssMiB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[1]);
    return { rss: kb('VmRSS:') / 1024, peak: kb('VmHWM:') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process (`withChildren`: and of its children it has reaped), from /proc; clock ticks at 100/s. */
function cpuSeconds(pid: number, withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat (here from the state, field 3).
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
    return (utime + stime + (withChildren ? cutime + cstime : 0)) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by the detector process and by PostgreSQL (the postmaster, its live backends
 * and those it has reaped): the work a phase costs whatever else the machine runs.
 */
export function cpuUsed(layout: StackLayout): { detector: number; postgres: number } {
  const pid = detectorPid(layout);
  let postgres = 0;
  try {
    const postmaster = Number(
      readFileSync(path.join(layout.dataDir('postgres'), 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    postgres = cpuSeconds(postmaster, true);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster)
          postgres += cpuSeconds(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    postgres = Number.NaN;
  }
  return { detector: pid === undefined ? Number.NaN : cpuSeconds(pid), postgres };
}

export function detectorPid(layout: StackLayout): number | undefined {
  return readSupervisedState(supervisorStateFile(layout.runDir, 'detector'))?.pid;
}
