import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository stands alone: a clone with nothing beside it runs, tests and builds. So no tracked file
 * except the docs may reach outside it for the folder the project started from (a sibling named "shared"),
 * whether written as one relative path, as path segments, or with Python's pathlib.
 */
const repoRoot = path.resolve(__dirname, '..');
const sibling = ['..', ['sha', 'red'].join('')];
const patterns = [
  new RegExp(sibling.join('/')),
  new RegExp(sibling.map((s) => `['"]${s.replace('.', '\\.')}['"]`).join('\\s*,\\s*')),
  new RegExp(`parents?(\\[\\d\\])?\\s*/\\s*['"]${sibling[1]}['"]`),
];

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
}

function mentions(text: string): string | undefined {
  return text.split('\n').find((line) => patterns.some((p) => p.test(line)));
}

describe('the repository stands alone', () => {
  it('when a line reaches for the folder beside the clone, then the patterns catch it', () => {
    expect(mentions(`const dir = '${sibling.join('/')}/data';`)).toBeDefined();
    expect(mentions(`path.resolve(root, '${sibling[0]}', '${sibling[1]}', 'data')`)).toBeDefined();
    expect(mentions(`ROOT.parent / "${sibling[1]}" / "data"`)).toBeDefined();
    expect(mentions("const shared = 'shared installs';")).toBeUndefined();
  });

  it('when any tracked file outside docs/ is read, then none of them mentions the folder beside the clone', () => {
    const offenders = trackedFiles()
      .filter((file) => !file.startsWith('docs/'))
      .flatMap((file) => {
        const line = mentions(readFileSync(path.join(repoRoot, file), 'utf8'));
        return line === undefined ? [] : [`${file}: ${line.trim()}`];
      });

    expect(trackedFiles().length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });

  it('when the bundled data is looked for, then both Open-Meteo exports and their attribution are in the repository', () => {
    const files = trackedFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        'data/open-meteo/README.md',
        'data/open-meteo/lyon-2024-hourly.csv',
        'data/open-meteo/paris-marseille-lyon-2025-06-01.csv',
      ]),
    );
    expect(readFileSync(path.join(repoRoot, 'data/open-meteo/README.md'), 'utf8')).toContain(
      'Air quality data by Open-Meteo.com (CAMS), CC BY 4.0',
    );
  });
});
