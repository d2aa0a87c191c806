import { AppError } from '../../core/errors';

/**
 * Quoting for MLflow search filters (`tags.\`key\` = 'value'`). MLflow strips the outer quotes and keeps the
 * rest verbatim: there is no escape sequence, so a value is wrapped in whichever quote it does not contain,
 * and one containing both cannot be searched for.
 */

export function filterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new AppError('MLFLOW_INVALID_INPUT', `an MLflow search cannot match a value with both quote kinds: ${value}`);
}

export function filterKey(key: string): string {
  if (key.includes('`')) throw new AppError('MLFLOW_INVALID_INPUT', `an MLflow search key cannot contain "\`": ${key}`);
  return `\`${key}\``;
}
