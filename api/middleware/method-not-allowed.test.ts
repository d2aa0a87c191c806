import { serveApp } from '../../test/support/serve-app';
import { openApiDocument } from '../openapi';

async function serve() {
  const { url, close } = await serveApp();
  return {
    call: async (method: string, path: string) => {
      const response = await fetch(`${url}${path}`, { method });
      const body = (await response.json()) as { error?: { code: string } };
      return { status: response.status, allow: response.headers.get('allow'), code: body.error?.code };
    },
    close,
  };
}

describe('undeclared methods and the contract', () => {
  it('when a served path is asked with a method the contract does not declare, then 405 lists the allowed ones', async () => {
    const api = await serve();
    try {
      expect(await api.call('DELETE', '/predict')).toEqual({ status: 405, allow: 'POST', code: 'METHOD_NOT_ALLOWED' });
      expect(await api.call('PUT', '/locations')).toEqual({
        status: 405,
        allow: 'GET, POST, HEAD',
        code: 'METHOD_NOT_ALLOWED',
      });
      expect((await api.call('PATCH', '/pipelines/some-run-id')).allow).toBe('GET, HEAD');
      expect(await api.call('GET', '/no-such-path')).toEqual({ status: 404, allow: null, code: 'NOT_FOUND' });
    } finally {
      api.close();
    }
  });

  it('when an operation reads a JSON body, then the document lists 413 and 415 among its answers', () => {
    const operations = Object.values(openApiDocument(10).paths).flatMap((ops) => Object.values(ops));
    const withBody = operations.filter((op) => 'requestBody' in op && op.requestBody !== undefined);

    expect(withBody.length).toBeGreaterThanOrEqual(6);
    for (const op of withBody) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['413', '415']));
  });

  it('when an operation changes something, then the document lists 429 for the rate limit; /predict and reads do not', () => {
    const { paths } = openApiDocument(10);

    expect(Object.keys(paths['/locations'].post.responses)).toContain('429');
    expect(Object.keys(paths['/locations/{id}'].delete.responses)).toContain('429');
    expect(Object.keys(paths['/pipelines/{id}/approval'].post.responses)).toContain('429');
    expect(Object.keys(paths['/predict'].post.responses)).not.toContain('429');
    expect(Object.keys(paths['/locations'].get.responses)).not.toContain('429');
  });
});
