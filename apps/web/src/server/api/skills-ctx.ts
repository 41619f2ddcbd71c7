import 'server-only';
import type { Ctx } from '@everyskill/core';
import { afterVersionPublished } from '@everyskill/core/skills/after-version-published';
import type { SkillsCtx } from '@everyskill/core/skills/skill-blob-store';
import { createBlobStore, type BlobStore } from '@everyskill/storage';

const globalKey = Symbol.for('everyskill.api.blob-store');
type Holder = { [globalKey]?: BlobStore };

/** The process-wide blob store the configuration names (created on first use). */
export function getBlobStore(): BlobStore {
  const holder = globalThis as Holder;
  holder[globalKey] ??= createBlobStore();
  return holder[globalKey];
}

/** A ctx that can read and write skill bundles; a publish queues the skill's embedding and AI review. */
export function withBlobs<C extends Ctx>(ctx: C): C & SkillsCtx {
  return { ...ctx, blobs: getBlobStore(), afterPublish: (tx, event) => afterVersionPublished(tx, event) };
}
