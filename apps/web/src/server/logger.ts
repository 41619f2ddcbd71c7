import { logLevels, type LogLevel } from './env';

type Level = Exclude<LogLevel, 'silent'>;

/**
 * One JSON object per line on stdout/stderr, as the process manager collects them. Deliberately
 * tiny until the app needs pino's transports; the level comes from LOG_LEVEL at call time.
 */
function write(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const configured = process.env.LOG_LEVEL?.trim() as LogLevel | undefined;
  const threshold = configured && logLevels.includes(configured) ? configured : 'info';
  if (threshold === 'silent') return;
  const rank = (l: LogLevel) => logLevels.indexOf(l);
  if (rank(level) > rank(threshold)) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields });
  if (rank(level) <= rank('warn')) console.error(line);
  else console.log(line);
}

export const logger = {
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
};
