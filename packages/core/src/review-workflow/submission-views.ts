import type { ReviewDecisionKind, SubmissionStatus } from '@everyskill/db';
import type { AiReviewView } from '../ai-review/ai-review-views';

export interface SubmissionSummary {
  id: string;
  slug: string;
  status: SubmissionStatus;
  isNewSkill: boolean;
  author: { id: string; email: string; name: string | null };
  revision: number;
  updatedAt: Date;
  /** The latest revision's AI review (null when none, or AI is off). */
  aiReview: AiReviewView | null;
}

export interface SubmissionDetail extends SubmissionSummary {
  skillMd: string;
  notes: string | null;
  /** Unified diff of SKILL.md from the published version it changes (empty for a new skill). */
  diffToPublished: string;
  publishedVersion: string | null;
  /** The version an approval published (null until approved). */
  publishedAs: string | null;
  /** Unified diff from the previous revision (empty for the first). */
  diffToPreviousRevision: string;
  decisions: {
    decision: ReviewDecisionKind;
    revision: number;
    actor: string;
    comment: string | null;
    at: Date;
  }[];
  /** What the actor may do now. */
  canDecide: boolean;
  canRevise: boolean;
}
