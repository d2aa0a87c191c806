/**
 * Benchmark: cold install + start, warm start, and memory of the whole embedded stack.
 *
 *   npm run bench:stack            (about 5 minutes; needs network access to the package registries)
 *
 * 1. Clones the repository's HEAD into a scratch directory with empty tool, state, npm-cache and pip-cache
 *    directories, then times `npm start` there: npm install + Python venvs + Kafka jars + first start (cold).
 * 2. `npm stop`, then times `npm start` again (warm: everything installed, data kept).
 * 3. Sums the resident memory of every process group the stack started.
 * 4. `npm stop`, checks that no port is left listening, prints a Markdown row for docs/benchmarks.md
 *    (the JSON goes to reports/bench-stack.json) and removes the scratch directory.
 * The scratch stack uses its own ports (25xxx) so a running stack is untouched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const scratch = mkdtempSync(path.join(process.env.BENCH_DIR ?? '/var/tmp', 'aqi-bench-'));
const clone = path.join(scratch, 'repo');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  AQI_STATE_DIR: path.join(scratch, 'state'),
  AQI_TOOLS_DIR: path.join(scratch, 'tools'),
  // Below 32768: ports in Linux's ephemeral range can be taken by any outgoing connection.
  TEMPORAL_GRPC_PORT: '25233',
  TEMPORAL_UI_PORT: '25234',
  TEMPORAL_HTTP_PORT: '25243',
  POSTGRES_PORT: '25432',
  KAFKA_PORT: '25092',
  KAFKA_CONTROLLER_PORT: '25093',
  MLFLOW_PORT: '25500',
  API_PORT: '25800',
  REPLAY_PORT: '25810',
  // Truly cold: no npm or pip cache either, so every package is downloaded from its registry.
  npm_config_cache: path.join(scratch, 'npm-cache'),
  PIP_NO_CACHE_DIR: '1',
};

function timed(label: string, args: string[]): number {
  console.log(`\n[bench] ${label}: npm ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync('npm', args, { cwd: clone, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${label} failed with exit code ${String(result.status)}`);
  return (Date.now() - started) / 1000;
}

/** Resident memory (MiB) summed over each process group the stack recorded (pid files + postmaster). */
function stackMemory(): Record<string, number> {
  const stateDir = env.AQI_STATE_DIR as string;
  const leaders: Record<string, number> = {};
  for (const file of readdirSync(path.join(stateDir, 'run'))) {
    leaders[file.replace(/\.pid$/, '')] = Number(readFileSync(path.join(stateDir, 'run', file), 'utf8').trim());
  }
  const postmaster = path.join(stateDir, 'postgres', 'data', 'postmaster.pid');
  if (existsSync(postmaster)) leaders.postgres = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
  const table = execFileSync('ps', ['-e', '-o', 'pgid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  return Object.fromEntries(
    Object.entries(leaders).map(([name, pid]) => {
      const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
      const kib = table.filter(([group]) => group === pgid).reduce((sum, [, rss]) => sum + rss, 0);
      return [name, Math.round(kib / 1024)];
    }),
  );
}

function main(): void {
  mkdirSync(path.join(root, 'reports'), { recursive: true });
  execFileSync('git', ['clone', '--quiet', root, clone]);

  const cold = timed('cold install + start', ['start']);
  timed('stop', ['stop']);
  const warm = timed('warm start', ['start']);
  const memory = stackMemory();
  timed('stop', ['stop']);
  const listening = spawnSync('sh', ['-c', "ss -ltn | grep -E ':25(233|234|243|432|092|093|500|800|810) ' || true"], {
    encoding: 'utf8',
  }).stdout.trim();

  const totalMiB = Object.values(memory).reduce((a, b) => a + b, 0);
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    coldInstallAndStartSeconds: Math.round(cold),
    warmStartSeconds: Math.round(warm * 10) / 10,
    memoryMiB: memory,
    totalMemoryMiB: totalMiB,
    portsLeftListeningAfterStop: listening === '' ? 'none' : listening,
  };
  writeFileSync(path.join(root, 'reports', 'bench-stack.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${JSON.stringify(result, null, 2)}`);
  console.log(
    `\n| ${result.date} | ${result.machine} | ${result.coldInstallAndStartSeconds} s | ${result.warmStartSeconds} s | ` +
      `${totalMiB} MiB (${Object.entries(memory)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}) |`,
  );
  // Leave nothing behind: the scratch clone and, when PostgreSQL had to live outside it, that cluster.
  const relocated = path.join(env.AQI_STATE_DIR as string, 'postgres', 'location');
  if (existsSync(relocated)) rmSync(readFileSync(relocated, 'utf8').trim(), { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}

try {
  main();
} catch (err) {
  console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)} (scratch: ${scratch})`);
  process.exit(1);
}
