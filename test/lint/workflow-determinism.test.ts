import { lint } from './lint-source';

const nondeterministic = `import fs from 'node:fs';

import { createPool } from '../adapters/postgres/pool';

export async function leaky(): Promise<unknown[]> {
  setTimeout(() => undefined, 5);
  return [fs, createPool, process.env.HOME];
}
`;

// Type-aware lint takes a few seconds per run.
jest.setTimeout(60_000);

describe('lint keeps workflows deterministic', () => {
  it('when workflow code imports Node built-ins or adapters, or reads process.env, then lint rejects each', async () => {
    const rules = (await lint(nondeterministic, 'workflows/doctor.ts')).map((m) => m.ruleId);

    expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
    expect(rules).toContain('no-restricted-properties');
    expect(rules).toContain('no-restricted-globals');
  });

  it('when the same code is an activity, then those rules do not apply', async () => {
    const rules = (await lint(nondeterministic, 'activities/doctor.ts')).map((m) => m.ruleId);

    expect(rules).not.toContain('no-restricted-imports');
    expect(rules).not.toContain('no-restricted-properties');
  });

  it('when a promise is left floating anywhere, then lint rejects it', async () => {
    const source = `export async function f(): Promise<void> {\n  Promise.resolve(1);\n}\n`;

    const rules = (await lint(source, 'activities/doctor.ts')).map((m) => m.ruleId);

    expect(rules).toContain('@typescript-eslint/no-floating-promises');
  });
});
