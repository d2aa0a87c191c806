/**
 * JSON with object keys sorted and no spaces: the form a parameter hash is taken of, so that TypeScript and
 * Python (`json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, whole floats as
 * integers) hash the same bytes. Keys compare by UTF-16 code units here and by code points in Python: the
 * same order for every key outside the astral planes.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
