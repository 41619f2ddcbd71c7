import pino from 'pino';
import { processWide } from '@everyskill/base/process-wide';
import { logLevels, type LogLevel } from './env';
import { currentRequestId } from './request-context';

type Fields = Record<string, unknown>;

function levelFromEnv(): LogLevel {
  const configured = process.env.LOG_LEVEL?.trim() as LogLevel | undefined;
  return configured && logLevels.includes(configured) ? configured : 'info';
}

/**
 * JSON lines (pino), on stdout unless a destination is given. Every line written while a request is
 * served carries its `requestId` (see request-context.ts), so one grep finds the whole request.
 */
export function createJsonLogger(destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level: levelFromEnv(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const baseLogger: pino.Logger = processWide('logger', () => createJsonLogger()).get();

export const logger = {
  error: (msg: string, fields?: Fields) => baseLogger.error(fields ?? {}, msg),
  warn: (msg: string, fields?: Fields) => baseLogger.warn(fields ?? {}, msg),
  info: (msg: string, fields?: Fields) => baseLogger.info(fields ?? {}, msg),
  debug: (msg: string, fields?: Fields) => baseLogger.debug(fields ?? {}, msg),
};
