import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';

import { z } from 'zod';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { AppError } from '../../core/errors';

import { withInstallLock } from './install-lock';

/**
 * The Prometheus release docker-compose.yml deploys (`prom/prometheus:v…`, a test compares the two), built
 * here for the integration tests. Its image and release archives come from registries this project cannot
 * count on (Docker Hub, GitHub releases); the Go module proxy serves its source, so it is built with Go.
 */
export const prometheusVersion = '3.5.0';

/** Prometheus 3.XY.Z is published on the Go module proxy as github.com/prometheus/prometheus v0.3XY.Z. */
export function prometheusModuleVersion(version: string): string {
  const match = /^3\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`not a Prometheus 3 release: ${version}`);
  return `v0.3${(match[1] as string).padStart(2, '0')}.${match[2] as string}`;
}

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

export function prometheusBinaries(config: Pick<Config, 'toolsDir'>): PrometheusBinaries {
  const bin = path.join(path.resolve(repoRoot, config.toolsDir), `prometheus-${prometheusVersion}`, 'bin');
  return { prometheus: path.join(bin, 'prometheus'), promtool: path.join(bin, 'promtool') };
}

const modulePath = 'github.com/prometheus/prometheus';
const downloaded = z.object({ Dir: z.string().min(1) });

/**
 * Builds `prometheus` and `promtool` once into `<tools>/prometheus-<version>/bin` (a second call costs one
 * file read). Everything Go downloads or caches stays in `<tools>/prometheus-<version>.build`, removed once
 * the binaries are in place: a few minutes on two cores, about 4 GB while building. The module's go.mod has
 * `replace` directives, which `go install …@version` refuses, so the downloaded module is built as the main
 * module, as its own Makefile does; without the `builtinassets` tag there is no web UI, only the HTTP API.
 * The build holds the tool's install lock (a second process sharing the tools directory waits for it).
 */
export async function ensurePrometheus(
  config: Pick<Config, 'toolsDir' | 'tools'>,
  progress: (message: string) => void,
): Promise<PrometheusBinaries> {
  const binaries = prometheusBinaries(config);
  const home = path.dirname(path.dirname(binaries.prometheus));
  const marker = path.join(home, '.installed');
  const installed = () => existsSync(marker) && readFileSync(marker, 'utf8').trim() === prometheusVersion;
  if (installed()) return binaries;
  return withInstallLock(path.dirname(home), `prometheus-${prometheusVersion}`, progress, async () => {
    if (!installed()) await buildPrometheus(config, binaries, progress);
    return binaries;
  });
}

async function buildPrometheus(
  config: Pick<Config, 'tools'>,
  binaries: PrometheusBinaries,
  progress: (message: string) => void,
): Promise<void> {
  const home = path.dirname(path.dirname(binaries.prometheus));
  const marker = path.join(home, '.installed');
  const build = `${home}.build`;
  progress(`building Prometheus ${prometheusVersion} with Go into ${home} (first run only; a few minutes)`);
  const started = Date.now();
  rmSync(home, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
  mkdirSync(path.join(build, 'tmp'), { recursive: true });
  const env = {
    ...process.env,
    GOPATH: path.join(build, 'gopath'),
    GOMODCACHE: path.join(build, 'gopath', 'pkg', 'mod'),
    GOCACHE: path.join(build, 'cache'),
    GOTMPDIR: path.join(build, 'tmp'),
    // Writable module files, so the build folder can be removed; the Go found here, never a downloaded one.
    GOFLAGS: '-modcacherw -buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
  try {
    const module = `${modulePath}@${prometheusModuleVersion(prometheusVersion)}`;
    const { Dir: source } = downloaded.parse(JSON.parse(await go(config, ['mod', 'download', '-json', module], env)));
    await go(
      config,
      [
        'build',
        '-C',
        source,
        '-trimpath',
        '-ldflags',
        `-X github.com/prometheus/common/version.Version=${prometheusVersion}`,
        '-o',
        `${path.dirname(binaries.prometheus)}${path.sep}`,
        './cmd/prometheus',
        './cmd/promtool',
      ],
      env,
    );
  } catch (err) {
    rmSync(home, { recursive: true, force: true });
    throw new AppError(
      'TOOL_INSTALL_FAILED',
      `could not build Prometheus ${prometheusVersion} with "${config.tools.go}" (AQI_GO, Go 1.23+)`,
      { cause: err },
    );
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  writeFileSync(marker, `${prometheusVersion}\n`);
  progress(`built Prometheus ${prometheusVersion} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs go at a low priority: the build may share the machine with a starting stack. Resolves to stdout. */
function go(config: Pick<Config, 'tools'>, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(config.tools.go, args, { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err)
        reject(
          new Error(`go ${args[0] ?? ''} failed: ${stderr.trim().split('\n').slice(-20).join('\n')}`, { cause: err }),
        );
      else resolve(stdout);
    });
    try {
      if (child.pid !== undefined) setPriority(child.pid, 10);
    } catch {
      // Only a courtesy to the other processes; the build runs either way.
    }
  });
}
