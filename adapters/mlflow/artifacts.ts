import { AppError } from '../../core/errors';

import type { MlflowHttp } from './http';
import { acknowledged, listArtifactsResponse, type MlflowRun } from './schemas';

/**
 * Run artifacts through the tracking server's artifact proxy (`mlflow server --serve-artifacts`), so clients
 * need no access to the artifact store: a run's `artifact_uri` is `mlflow-artifacts:/<exp>/<run>/artifacts`
 * and its file `a/b.json` is `PUT`/`GET /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/a/b.json`.
 */

export type ArtifactRun = Pick<MlflowRun, 'artifactUri' | 'runId' | 'experimentId'>;

export interface MlflowArtifact {
  /** Relative to the run's artifact root. */
  path: string;
  isDir: boolean;
  fileSize?: number;
}

export interface MlflowArtifacts {
  uploadArtifact(run: ArtifactRun, path: string, content: string | Uint8Array, contentType?: string): Promise<void>;
  downloadArtifact(run: ArtifactRun, path: string): Promise<Uint8Array>;
  listArtifacts(runId: string, path?: string): Promise<MlflowArtifact[]>;
}

const proxyPrefix = '/api/2.0/mlflow-artifacts/artifacts';

/** The proxy path of a run's artifact: `mlflow-artifacts:` root (with or without an authority) + the path. */
export function artifactProxyPath(run: ArtifactRun, path: string): string {
  const root = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(run.artifactUri)?.[1];
  if (root === undefined) {
    throw new AppError(
      'MLFLOW_UNSUPPORTED_ARTIFACT_URI',
      `run ${run.runId} stores artifacts at ${run.artifactUri}, not behind the MLflow server (mlflow-artifacts:)`,
    );
  }
  return `${proxyPrefix}/${[...segments(root, run.artifactUri), ...segments(path, path)].map(encodeURIComponent).join('/')}`;
}

function segments(path: string, whole: string): string[] {
  const parts = path.split('/').filter((s) => s !== '');
  if (parts.length === 0 || parts.some((s) => s === '.' || s === '..')) {
    throw new AppError('MLFLOW_INVALID_INPUT', `not a usable artifact path: "${whole}"`);
  }
  return parts;
}

export function createArtifacts(http: MlflowHttp): MlflowArtifacts {
  return {
    async uploadArtifact(run, path, content, contentType = 'application/octet-stream') {
      await http.call(artifactProxyPath(run, path), acknowledged, { method: 'PUT', body: content, contentType });
    },

    downloadArtifact: (run, path) => http.bytes(artifactProxyPath(run, path)),

    async listArtifacts(runId, path) {
      const artifacts: MlflowArtifact[] = [];
      let pageToken: string | undefined;
      do {
        const page = await http.call('/api/2.0/mlflow/artifacts/list', listArtifactsResponse, {
          query: { run_id: runId, path, page_token: pageToken },
        });
        artifacts.push(...page.files.map((f) => ({ path: f.path, isDir: f.is_dir, fileSize: f.file_size })));
        pageToken = page.next_page_token || undefined;
      } while (pageToken !== undefined);
      return artifacts;
    },
  };
}
