import { artifactProxyPath } from './artifacts';
import { filterKey, filterValue } from './search-filter';

const run = (artifactUri: string) => ({ runId: 'r1', experimentId: '3', artifactUri });

describe('artifactProxyPath', () => {
  it('when the artifact URI has no authority, with one, or a trailing slash, then the proxy path is the same', () => {
    for (const uri of ['mlflow-artifacts:/3/r1/artifacts', 'mlflow-artifacts://mlflow:5000/3/r1/artifacts/']) {
      expect(artifactProxyPath(run(uri), 'model/MLmodel')).toBe(
        '/api/2.0/mlflow-artifacts/artifacts/3/r1/artifacts/model/MLmodel',
      );
    }
  });

  it('when a path segment has reserved characters, then it is percent-encoded', () => {
    expect(artifactProxyPath(run('mlflow-artifacts:/3/r1/artifacts'), 'a b/c#d?.json')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/3/r1/artifacts/a%20b/c%23d%3F.json',
    );
  });

  it('when the path climbs out or is empty, or the run stores artifacts elsewhere, then it is refused', () => {
    expect(() => artifactProxyPath(run('mlflow-artifacts:/3/r1/artifacts'), '../r2/model')).toThrow(
      'not a usable artifact path',
    );
    expect(() => artifactProxyPath(run('mlflow-artifacts:/3/r1/artifacts'), '')).toThrow('not a usable artifact path');
    expect(() => artifactProxyPath(run('s3://bucket/3/r1/artifacts'), 'model')).toThrow(
      'run r1 stores artifacts at s3://bucket/3/r1/artifacts',
    );
  });
});

describe('search filter quoting', () => {
  it('when a value has one kind of quote, then the other kind wraps it; with both, it is refused', () => {
    expect(filterValue('abc')).toBe("'abc'");
    expect(filterValue("it's")).toBe('"it\'s"');
    expect(filterValue('say "hi"')).toBe('\'say "hi"\'');
    expect(() => filterValue(`it's "x"`)).toThrow('both quote kinds');
  });

  it('when a key is quoted, then backticks wrap it, and a key with a backtick is refused', () => {
    expect(filterKey('aqi.training_key')).toBe('`aqi.training_key`');
    expect(() => filterKey('a`b')).toThrow('cannot contain');
  });
});
