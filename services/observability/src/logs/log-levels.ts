/** pino's levels, by number. */
export const logLevels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevelLabel = keyof typeof logLevels;

export const logLevelLabels = Object.keys(logLevels) as LogLevelLabel[];

/** The level's number from a label or a number (10..60); undefined when it is neither. */
export function levelNumber(level: unknown): number | undefined {
  if (typeof level === 'number') return Number.isInteger(level) && level >= 10 && level <= 60 ? level : undefined;
  if (typeof level === 'string') return Object.hasOwn(logLevels, level.toLowerCase()) ? logLevels[level.toLowerCase() as LogLevelLabel] : undefined;
  return undefined;
}

/** The label of a stored level: pino's own, or the one just below for a custom number (35 → info). */
export function levelLabel(level: number): LogLevelLabel {
  let label: LogLevelLabel = 'trace';
  for (const candidate of logLevelLabels) if (logLevels[candidate] <= level) label = candidate;
  return label;
}
