import 'server-only';
import { processWide } from '@everyskill/base/process-wide';
import type { Ctx } from '@everyskill/core';
import { afterVersionPublished } from '@everyskill/core/skills/after-version-published';
import type { SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { createBlobStore, type BlobStore } from '@everyskill/storage';

const processBlobStore = processWide('api.blob-store', () => createBlobStore());

/** The process-wide blob store the configuration names (created on first use). */
export function getBlobStore(): BlobStore {
  return processBlobStore.get();
}

/** A ctx that can read and write skill bundles; a publish queues the skill's embedding and AI review. */
export function withBlobs<C extends Ctx>(ctx: C): C & SkillsCtx {
  return { ...ctx, blobs: getBlobStore(), afterPublish: (tx, event) => afterVersionPublished(tx, event) };
}
