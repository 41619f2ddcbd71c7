import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from '@everyskill/db';
import type { Ctx } from '../context';
import { conflict } from '../errors';
import { readReviewSettings } from './review-settings';

const approvedPublication = new AsyncLocalStorage<{ submissionId: string }>();

/**
 * The publish hook of the review workflow: with approval on, a skill reaches the catalogue only
 * through an approved submission, so a direct publish (portal, API, CLI) is refused with the way
 * forward. Call it in publishSkill's transaction, before anything is written.
 */
export async function assertDirectPublishAllowed(tx: Transaction, ctx: Ctx): Promise<void> {
  if (approvedPublication.getStore()) return;
  const settings = await readReviewSettings(tx);
  if (settings.reviewMode === 'approval') {
    throw conflict(
      'this workspace reviews skills before they are published: submit the skill for review (Skills → Submit for review) and it is published once a reviewer approves it',
      { reason: 'review-required' },
    );
  }
}

/** Runs fn (a publish) as the publication of an approved submission, which the gate lets through. */
export function runAsApprovedPublication<T>(submissionId: string, fn: () => Promise<T>): Promise<T> {
  return approvedPublication.run({ submissionId }, fn);
}
