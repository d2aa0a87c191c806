/**
 * `pip-audit` over every pinned Python requirements file, for the Jenkinsfile's Security stage: the advisory
 * services are reachable from Jenkins, not from the machines `npm test` runs on. pip-audit comes from PyPI,
 * pinned in stack/python/pip-audit-requirements.txt, in its own venv under AQI_TOOLS_DIR. The files are
 * complete freezes, so each is audited as written (`--no-deps`), without installing it. Exit 1 when any
 * file has a known vulnerability, and when a package could not be audited (PyPI unreachable, an unknown
 * project): an audit that looked at nothing must not pass.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { configFromEnvironment, repoRoot } from '../config/runtime';
import { ensureVenv } from '../stack/tools/python-venv';

/** The pinned Python requirements of the platform and of the benchmarks' reference (repository paths). */
export function requirementsFiles(): string[] {
  return ['stack/python', 'bench/reference'].flatMap((dir) =>
    readdirSync(path.join(repoRoot, dir))
      .filter((file) => /requirements.*\.txt$/.test(file))
      .sort()
      .map((file) => `${dir}/${file}`),
  );
}

const auditReport = z.object({
  dependencies: z.array(
    z.object({
      name: z.string(),
      version: z.string().optional(),
      vulns: z.array(z.object({ id: z.string(), fix_versions: z.array(z.string()).optional() })).optional(),
      skip_reason: z.string().optional(),
    }),
  ),
});

/** What is wrong in one file's report, a line each: a known vulnerability, or a package left unaudited. */
export function auditProblems(report: z.infer<typeof auditReport>): string[] {
  return report.dependencies.flatMap((d) => [
    ...(d.vulns ?? []).map(
      (v) =>
        `${d.name} ${d.version ?? ''}: ${v.id}${v.fix_versions?.length ? ` (fixed in ${v.fix_versions.join(', ')})` : ''}`,
    ),
    ...(d.skip_reason ? [`${d.name}: not audited: ${d.skip_reason}`] : []),
  ]);
}

async function main(): Promise<number> {
  const config = configFromEnvironment();
  const venv = await ensureVenv({
    toolsDir: path.resolve(repoRoot, config.toolsDir),
    name: 'pip-audit',
    requirementsFile: path.join(repoRoot, 'stack', 'python', 'pip-audit-requirements.txt'),
    python: config.tools.python,
    progress: (message) => console.log(`[pip-audit] ${message}`),
  });
  let failed = 0;
  for (const file of requirementsFiles()) {
    const args = ['--disable-pip', '--no-deps', '--progress-spinner', 'off', '--format', 'json', '-r', file];
    const result = spawnSync(path.join(venv, 'bin', 'pip-audit'), args, {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    let problems: string[];
    try {
      problems = auditProblems(auditReport.parse(JSON.parse(result.stdout)));
    } catch {
      problems = [`pip-audit exited ${result.status ?? result.signal}: ${result.stderr.trim()}`];
    }
    console.log(`[pip-audit] ${file}: ${problems.length === 0 ? 'no known vulnerability' : 'FAILED'}`);
    for (const problem of problems) console.log(`  ${problem}`);
    if (problems.length > 0) failed += 1;
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
