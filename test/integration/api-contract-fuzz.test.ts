import path from 'node:path';

import { repoRoot } from '../../config/runtime';

import { runSchemathesis, schemathesisBinary, startFuzzTarget, type FuzzTarget } from './contract-fuzz';

/**
 * The API against its own OpenAPI document: Schemathesis with every check it has (no 5xx, schema-valid
 * requests accepted and invalid ones refused, every status code and content type documented, answers that
 * match their schemas, 405 with Allow for undeclared methods, auth enforced, stateful links) over the
 * examples, coverage, fuzzing and stateful phases, with a fixed seed. Its own API process, database and
 * Temporal namespace (contract-fuzz.ts), so the fuzzed changes never reach the other tests' data.
 *
 * AQI_CONTRACT_FUZZ_EXAMPLES raises the cases per operation and phase (docs/benchmarks.md: a run at scale).
 */
const maxExamples = Number(process.env.AQI_CONTRACT_FUZZ_EXAMPLES ?? 100);
const seed = Number(process.env.AQI_CONTRACT_FUZZ_SEED ?? 20260101);

jest.setTimeout(Math.max(10 * 60_000, maxExamples * 3000));

let target: FuzzTarget | undefined;

afterAll(async () => {
  await target?.stop();
});

describe('the API contract', () => {
  it('when Schemathesis runs every check against /openapi.json, then it reports no failure', async () => {
    const st = await schemathesisBinary();
    target = await startFuzzTarget();
    const result = await runSchemathesis(st, target, {
      maxExamples,
      seed,
      reportDir: path.join(repoRoot, 'reports', 'contract-fuzz'),
    });
    const summary = /Test cases:\s*\n\s*(.*)/.exec(result.output)?.[1]?.trim() ?? '(no summary)';
    console.log(`[contract fuzz] ${summary}; ${result.seconds.toFixed(0)} s, seed ${seed}, ${maxExamples} examples`);

    const banner = ['=== FAILURES ===', '=== ERRORS ==='].map((b) => result.output.indexOf(b)).filter((i) => i >= 0);
    const failures = result.output.slice(banner.length > 0 ? Math.max(0, Math.min(...banner) - 40) : -20_000);
    expect({ exitCode: result.exitCode, failures: result.exitCode === 0 ? '' : failures.slice(0, 20_000) }).toEqual({
      exitCode: 0,
      failures: '',
    });
  });
});
