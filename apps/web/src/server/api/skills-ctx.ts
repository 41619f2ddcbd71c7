import 'server-only';
import type { Ctx } from '@everyskill/core';
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

/** A ctx that can read and write skill bundles. */
export function withBlobs<C extends Ctx>(ctx: C): C & SkillsCtx {
  return { ...ctx, blobs: getBlobStore() };
}
