/** A small LRU with expiry for query embeddings: repeated searches skip the embedding service. */
export class QueryEmbeddingCache {
  private readonly entries = new Map<string, { vector: number[]; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): number[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.vector;
  }

  set(key: string, vector: number[]): void {
    this.entries.delete(key);
    this.entries.set(key, { vector, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
