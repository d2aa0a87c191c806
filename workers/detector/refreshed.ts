/** `load`, called again only once its last answer is `ttlMs` old: reference data a hot path reads often. */
export function refreshedEvery<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: T } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    const value = await load();
    cached = { at: Date.now(), value };
    return value;
  };
}
