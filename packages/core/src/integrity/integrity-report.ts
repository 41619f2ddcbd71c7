/** A skill whose stored counters differ from what its rows add up to. */
export interface CounterFinding {
  tenantId: string;
  skillId: string;
  slug: string;
  /** Column → [stored, actual]. rating_avg is generated from rating_sum/rating_count, so it follows them. */
  differences: Record<string, [number, number]>;
}

/** A row of one tenant that points at a person of another tenant. */
export interface CrossTenantFinding {
  tenantId: string;
  table: string;
  column: string;
  rowId: string;
  /** Repair detaches the reference (sets it null, as deleting that person would); otherwise an operator decides. */
  repairable: boolean;
}

export interface MissingBlobFinding {
  tenantId: string;
  skillSlug: string;
  version: string;
  versionId: string;
  blobKey: string;
}

export interface OrphanBlobFinding {
  /** Null when the key names no tenant of this database (a purged tenant's, or another environment's). */
  tenantId: string | null;
  key: string;
  size: number;
  lastModified: string;
  /**
   * Whether repair deletes it: a tenant's unreferenced blob older than a day (a publish in flight
   * writes its blob before its row commits). Never one without a tenant here.
   */
  removable: boolean;
}

export interface EmbeddingFinding {
  tenantId: string;
  skillId: string;
  slug: string;
  problem: 'missing' | 'stale-model';
  /** The models the skill is embedded with now (empty when missing). */
  models: string[];
}

/** A provenance problem: keys, the log's chain, a signature, a version without attestation, a changed bundle. */
export interface ProvenanceFinding {
  tenantId: string;
  problem: 'key-set' | 'broken-chain' | 'bad-signature' | 'unattested' | 'bundle-mismatch';
  message: string;
  /** The log entry concerned (for a broken chain, the first broken link). */
  seq?: number;
  versionId?: string | null;
}

export interface IntegrityRepairs {
  countersFixed: number;
  referencesDetached: number;
  embeddingsQueued: number;
  orphanBlobsRemoved: number;
  /** Attestations signed for versions that had none. */
  attestationsBackfilled: number;
}

/** What one integrity run found (and, with repair, fixed). */
export interface IntegrityReport {
  checkedAt: string;
  repair: boolean;
  /** The tenants checked: all active and inactive ones from the cron endpoint, one from the admin page. */
  tenants: number;
  embeddingModel: string;
  counters: CounterFinding[];
  crossTenantRows: CrossTenantFinding[];
  missingBlobs: MissingBlobFinding[];
  orphanBlobs: OrphanBlobFinding[];
  embeddings: EmbeddingFinding[];
  provenance: ProvenanceFinding[];
  repairs: IntegrityRepairs;
  /** True when nothing was found. */
  clean: boolean;
}
