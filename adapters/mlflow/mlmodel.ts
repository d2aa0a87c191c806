import { createHash } from 'node:crypto';

/**
 * The `MLmodel` file that makes a directory of run artifacts an MLflow model: where it was logged from,
 * a flavor telling a loader which file holds the model and in what format, and the signature the registry
 * UI shows. MLflow stores the signature's column lists as JSON strings inside the YAML, written with
 * Python's `json.dumps` spacing.
 */

export interface MlmodelColumn {
  name: string;
  type: 'double';
}

export interface MlmodelInput {
  runId: string;
  artifactPath: string;
  createdAt: Date;
  /** The model file, relative to the MLmodel file. */
  modelFile: string;
  inputs: MlmodelColumn[];
  output: MlmodelColumn;
  /** The flavor's name; `aqi_platform` by default. */
  flavorName?: string;
  /** How `modelFile` is encoded; `json` by default. */
  format?: string;
}

type YamlValue = string | number | boolean | null | { [key: string]: YamlValue };

export function mlmodelFile(input: MlmodelInput): string {
  const document: Record<string, YamlValue> = {
    artifact_path: input.artifactPath,
    flavors: { [input.flavorName ?? 'aqi_platform']: { model_file: input.modelFile, format: input.format ?? 'json' } },
    model_uuid: modelUuid(input.runId, input.artifactPath),
    run_id: input.runId,
    signature: { inputs: columnSpecs(input.inputs), outputs: columnSpecs([input.output]) },
    utc_time_created: pythonUtcTime(input.createdAt),
  };
  return `${yamlLines(document, '').join('\n')}\n`;
}

/** MLflow writes a random uuid4 hex; one derived from the run and path keeps a re-logged model identical. */
function modelUuid(runId: string, artifactPath: string): string {
  return createHash('sha256').update(`${runId}\n${artifactPath}`).digest('hex').slice(0, 32);
}

function columnSpecs(columns: MlmodelColumn[]): string {
  const spec = (c: MlmodelColumn) =>
    `{"type": ${JSON.stringify(c.type)}, "name": ${JSON.stringify(c.name)}, "required": true}`;
  return `[${columns.map(spec).join(', ')}]`;
}

/** Python's `str(datetime)` of a UTC time: `2025-01-02 03:04:05.678000`. */
function pythonUtcTime(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000`;
}

function yamlLines(map: { [key: string]: YamlValue }, indent: string): string[] {
  return Object.entries(map).flatMap(([key, value]) => {
    if (value === null || typeof value !== 'object') return [`${indent}${yamlScalar(key)}: ${yamlScalar(value)}`];
    if (Object.keys(value).length === 0) return [`${indent}${yamlScalar(key)}: {}`];
    return [`${indent}${yamlScalar(key)}:`, ...yamlLines(value, `${indent}  `)];
  });
}

// Plain only when no YAML reader could take it for anything but a string (a run id like 1e5… would be a float).
const plainSafe = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const yamlWords = /^(?:true|false|yes|no|on|off|y|n|null)$/i;

function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  if (plainSafe.test(value) && !yamlWords.test(value)) return value;
  // Single quotes escape nothing but themselves; control characters need the double-quoted (JSON) form.
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f\u2028\u2029]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}
