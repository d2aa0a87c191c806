/**
 * The secret scan of `npm test`: Yelp's detect-secrets (PyPI, pinned in
 * stack/python/detect-secrets-requirements.txt, own venv under AQI_TOOLS_DIR) over every file git tracks or
 * would track (`git ls-files --cached --others --exclude-standard`), compared with `.secrets.baseline`.
 * A finding passes only when the baseline holds it (same file, type and hashed secret) marked reviewed,
 * `"is_secret": false`; anything else fails the step, naming file and line.
 *
 *   npx tsx test/secret-scan.ts            check (exit 1 on an unreviewed finding)
 *   npx tsx test/secret-scan.ts --update   rewrite the baseline from a fresh scan, keeping the review marks;
 *                                          then review what is new: `.tools/venvs/detect-secrets/bin/detect-secrets
 *                                          audit .secrets.baseline` (or set "is_secret": false by hand)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { configFromEnvironment, repoRoot } from '../config/runtime';
import { ensureVenv } from '../stack/tools/python-venv';

export const baselineFile = '.secrets.baseline';

/**
 * Files not scanned, each for a reason: the baseline (its hashes), Temporal histories recorded from the test
 * stack (every payload is base64 JSON, so every line is a high-entropy string; activity inputs carry
 * references, never keys), the Kafka jar lock (sha1 checksums) and Evidently's Lyon verdicts (the sha256 of
 * each table it judged, rewritten by every `npm run drift:golden`).
 */
export const notScanned = [
  /^\.secrets\.baseline$/,
  /^test\/fixtures\/histories\/.+\.json$/,
  /^stack\/kafka\/jars\.lock\.json$/,
  /^test\/fixtures\/drift\/lyon-2024-evidently\.json$/,
];

const finding = z
  .object({
    type: z.string(),
    filename: z.string(),
    hashed_secret: z.string(),
    line_number: z.number().optional(),
    is_secret: z.boolean().optional(),
  })
  .loose();
const report = z.object({ results: z.record(z.string(), z.array(finding)) }).loose();
export type SecretsReport = z.infer<typeof report>;
type Finding = z.infer<typeof finding>;

const identity = (f: Finding) => `${f.filename}\0${f.type}\0${f.hashed_secret}`;

/** The scan's findings that the baseline does not hold as reviewed (`is_secret: false`). */
export function unreviewedFindings(scan: SecretsReport, baseline: SecretsReport): Finding[] {
  const reviewed = new Set(
    Object.values(baseline.results)
      .flat()
      .filter((f) => f.is_secret === false)
      .map(identity),
  );
  return Object.values(scan.results)
    .flat()
    .filter((f) => !reviewed.has(identity(f)));
}

/** A fresh scan as the new baseline, each finding keeping the review mark it had in the old one. */
export function withReviews(scan: SecretsReport, old: SecretsReport | undefined): SecretsReport {
  const marks = new Map(
    Object.values(old?.results ?? {})
      .flat()
      .filter((f) => f.is_secret !== undefined)
      .map((f) => [identity(f), f.is_secret]),
  );
  const results = Object.fromEntries(
    Object.entries(scan.results).map(([file, found]) => [
      file,
      found.map((f) => {
        const mark = marks.get(identity(f));
        return mark === undefined ? f : { ...f, is_secret: mark };
      }),
    ]),
  );
  return { ...scan, results };
}

function filesToScan(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = [...new Set(listed.split('\0').filter(Boolean))];
  return files.filter((f) => existsSync(path.join(repoRoot, f)) && !notScanned.some((re) => re.test(f))).sort();
}

async function main(): Promise<number> {
  const config = configFromEnvironment();
  const venv = await ensureVenv({
    toolsDir: path.resolve(repoRoot, config.toolsDir),
    name: 'detect-secrets',
    requirementsFile: path.join(repoRoot, 'stack', 'python', 'detect-secrets-requirements.txt'),
    python: config.tools.python,
    progress: (message) => console.log(`[secret-scan] ${message}`),
  });
  const files = filesToScan();
  const output = execFileSync(path.join(venv, 'bin', 'detect-secrets'), ['scan', ...files], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // Parsed to check the shape, but written back as detect-secrets printed it (key order included).
  const raw = JSON.parse(output) as SecretsReport;
  const scan = report.parse(raw);
  const baselinePath = path.join(repoRoot, baselineFile);
  const baseline = existsSync(baselinePath) ? report.parse(JSON.parse(readFileSync(baselinePath, 'utf8'))) : undefined;

  if (process.argv.includes('--update')) {
    const updated = withReviews({ ...raw, results: scan.results }, baseline);
    writeFileSync(baselinePath, `${JSON.stringify(updated, null, 2)}\n`);
    const open = unreviewedFindings(updated, updated).length;
    console.log(`[secret-scan] wrote ${baselineFile} (${files.length} files); ${open} finding(s) to review`);
    return 0;
  }
  const unreviewed = unreviewedFindings(scan, baseline ?? { results: {} });
  for (const f of unreviewed) console.log(`[secret-scan] ${f.filename}:${f.line_number ?? '?'}: ${f.type}`);
  console.log(
    unreviewed.length === 0
      ? `[secret-scan] ${files.length} files: no finding outside ${baselineFile}`
      : `[secret-scan] ${unreviewed.length} finding(s) not reviewed in ${baselineFile}: remove the secret, or if it is ` +
          `not one, mark it (npx tsx test/secret-scan.ts --update, then detect-secrets audit ${baselineFile})`,
  );
  return unreviewed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
