/**
 * The champions' live accuracy as the models view shows it: for each model's champion, one row per horizon
 * the prediction log holds for that version (GET /monitoring/accuracy), its live MAE beside its holdout MAE
 * and their ratio; a champion with nothing logged yet gets one row saying so. Pure, so it is unit-tested.
 */

/** What the page reads of one GET /monitoring/accuracy entry (schemas.ts validates it). */
export interface AccuracyEntry {
  modelName: string;
  modelVersion: string;
  horizonHours: number;
  from: string;
  to: string;
  resolved: number;
  hours: number;
  pending: number;
  mae?: number | undefined;
  holdoutMae?: number | undefined;
  ratio?: number | undefined;
}

/** What it reads of a lineup model: its name and its champion's version and holdout metrics. */
export interface LineupModel {
  name: string;
  champion?: { version: string; holdout: Record<string, number> } | undefined;
}

export interface ChampionAccuracy {
  model: string;
  version: string;
  /** undefined when the prediction log holds nothing for this champion. */
  live?: AccuracyEntry;
  holdoutMae?: number;
  ratio?: number;
}

export function championAccuracy(
  models: readonly LineupModel[],
  accuracy: readonly AccuracyEntry[],
): ChampionAccuracy[] {
  return models.flatMap((m) => {
    const champion = m.champion;
    if (!champion) return [];
    // The API joins MLflow's test_mae when it can; the lineup carries the same metric otherwise.
    const lineupHoldout = champion.holdout.test_mae;
    const entries = accuracy
      .filter((a) => a.modelName === m.name && a.modelVersion === champion.version)
      .sort((a, b) => a.horizonHours - b.horizonHours);
    if (entries.length === 0) {
      return [
        {
          model: m.name,
          version: champion.version,
          ...(lineupHoldout === undefined ? {} : { holdoutMae: lineupHoldout }),
        },
      ];
    }
    return entries.map((live) => {
      const holdoutMae = live.holdoutMae ?? lineupHoldout;
      const ratio =
        live.ratio ??
        (live.mae !== undefined && holdoutMae !== undefined && holdoutMae > 0 ? live.mae / holdoutMae : undefined);
      return {
        model: m.name,
        version: champion.version,
        live,
        ...(holdoutMae === undefined ? {} : { holdoutMae }),
        ...(ratio === undefined ? {} : { ratio }),
      };
    });
  });
}

const fixed = (v: number | undefined, digits = 2) => (v === undefined ? '—' : v.toFixed(digits));

/** The cells of one row: horizon, live MAE, holdout MAE, ratio, and what the live figure rests on. */
export function accuracyCells(row: ChampionAccuracy): {
  horizon: string;
  liveMae: string;
  holdoutMae: string;
  ratio: string;
  basis: string;
} {
  const { live } = row;
  return {
    horizon: live ? `+${live.horizonHours} h` : '—',
    liveMae: fixed(live?.mae),
    holdoutMae: fixed(row.holdoutMae),
    ratio: row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
    basis: !live
      ? 'no prediction logged yet'
      : live.mae === undefined
        ? `no resolved prediction yet (${live.pending} waiting for their hour)`
        : `${live.resolved} predictions over ${live.hours} h, ${live.from.slice(0, 13)} to ${live.to.slice(0, 13)}` +
          (live.pending > 0 ? `, ${live.pending} waiting` : ''),
  };
}
