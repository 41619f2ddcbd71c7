import 'server-only';
import { randomUUID } from 'node:crypto';
import { unstable_rethrow } from 'next/navigation';
import { isAppError, type ErrorCode } from '@everyskill/core';
import { logger } from './logger';

/** What a form's server action reports back: nothing yet, done (with a message), or refused (with why). */
export type ActionState =
  | { status: 'idle' }
  | { status: 'ok'; message: string }
  | { status: 'error'; code: ErrorCode; message: string };

export const idleState: ActionState = { status: 'idle' };

/**
 * Runs an action's one core call and maps its outcome to ActionState, the action-side twin of
 * httpStatusOf: AppError messages are for people; anything else is logged and shown generically.
 */
export async function toActionState(run: () => Promise<string>): Promise<ActionState> {
  try {
    return { status: 'ok', message: await run() };
  } catch (error) {
    unstable_rethrow(error); // redirects and notFound() are Next.js control flow, not failures
    if (isAppError(error)) return { status: 'error', code: error.code, message: error.message };
    const requestId = randomUUID();
    logger.error('server action failed', { requestId, error: (error as Error).message, stack: (error as Error).stack });
    return { status: 'error', code: 'internal', message: `Something went wrong on our side; please try again (request ${requestId}).` };
  }
}
