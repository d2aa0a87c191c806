/** The DAG of `airflow backfill create --dag-id X` (or `--dag-id=X`), else nothing. */
export function backfilledDag(args: readonly string[]): string | undefined {
  if (args[0] !== 'backfill' || args[1] !== 'create') return undefined;
  for (let i = 2; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--dag-id') return args[i + 1];
    if (arg.startsWith('--dag-id=')) return arg.slice('--dag-id='.length);
  }
  return undefined;
}
