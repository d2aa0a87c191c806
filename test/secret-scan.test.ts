import { readFileSync } from 'node:fs';
import path from 'node:path';

import { notScanned, unreviewedFindings, withReviews, type SecretsReport } from './secret-scan';

const found = (filename: string, hashed: string, extra: Record<string, unknown> = {}) => ({
  type: 'Secret Keyword',
  filename,
  hashed_secret: hashed,
  line_number: 3,
  ...extra,
});

describe('the secret scan against its baseline', () => {
  const baseline: SecretsReport = {
    results: {
      'README.md': [found('README.md', 'aaa', { is_secret: false, line_number: 83 })],
      'api/x.ts': [found('api/x.ts', 'bbb')],
    },
  };

  it('when a finding is reviewed in the baseline, then it passes wherever its line moved; otherwise it fails', () => {
    const scan: SecretsReport = {
      results: {
        'README.md': [found('README.md', 'aaa', { line_number: 90 })],
        'api/x.ts': [found('api/x.ts', 'bbb')],
        'api/y.ts': [found('api/y.ts', 'aaa')],
      },
    };

    // bbb is in the baseline but not marked reviewed; aaa elsewhere is a new finding of the same value.
    expect(unreviewedFindings(scan, baseline).map((f) => `${f.filename} ${f.hashed_secret}`)).toEqual([
      'api/x.ts bbb',
      'api/y.ts aaa',
    ]);
  });

  it('when the baseline is rewritten from a fresh scan, then review marks are kept and new findings stay unmarked', () => {
    const scan: SecretsReport = {
      results: {
        'README.md': [found('README.md', 'aaa', { line_number: 90 })],
        'api/z.ts': [found('api/z.ts', 'ccc')],
      },
    };

    const updated = withReviews(scan, baseline);

    expect(updated.results['README.md']).toEqual([found('README.md', 'aaa', { line_number: 90, is_secret: false })]);
    expect(updated.results['api/z.ts']).toEqual([found('api/z.ts', 'ccc')]);
    expect(unreviewedFindings(updated, updated)).toHaveLength(1);
  });

  it('when the committed baseline is read, then every finding in it has been reviewed as not a secret', () => {
    const committed = JSON.parse(
      readFileSync(path.resolve(__dirname, '..', '.secrets.baseline'), 'utf8'),
    ) as SecretsReport;

    expect(unreviewedFindings(committed, committed)).toEqual([]);
    expect(notScanned.some((re) => re.test('api/app.ts'))).toBe(false);
  });
});
