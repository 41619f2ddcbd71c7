// postgres.js's connection queue, as patched in patches/postgres@3.4.9.patch. The published queue
// searched its whole history on every move and never shrank while connections stayed busy, so a
// process under sustained load got slower with every query: 64 concurrent `select 1` on a
// 2-connection pool fell from 21,600 to 8,800 per second within 24 s on a 2-core machine, where the
// patched queue holds 70,000-90,000. These tests hold the patched queue to the published one's
// behaviour, and show the patch is what is installed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}

// The package's root: its CommonJS entry is cjs/src/index.js.
const packageDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('postgres')), '../..');
const variants = ['src/queue.js', 'cf/src/queue.js', 'cjs/src/queue.js'];

async function loadQueue(variant: string): Promise<(initial?: number[]) => Queue<number>> {
  const file = path.join(packageDir, variant);
  if (variant.startsWith('cjs/')) return createRequire(import.meta.url)(file) as (initial?: number[]) => Queue<number>;
  return ((await import(pathToFileURL(file).href)) as { default: (initial?: number[]) => Queue<number> }).default;
}

/** A small deterministic random sequence (the same run every time). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('postgres.js connection queue (patched)', () => {
  it('is the patched queue in every build of the package', () => {
    for (const variant of variants) {
      const source = readFileSync(path.join(packageDir, variant), 'utf8');
      expect(source, variant).toContain('xs.indexOf(x, index)');
      expect(source, variant).toContain('xs = xs.slice(index)');
    }
  });

  it('behaves as a first-in first-out list with removal, over long runs of pushes, shifts and removes', async () => {
    for (const variant of variants) {
      const Queue = await loadQueue(variant);
      const queue = Queue([1, 2]);
      const model = [1, 2];
      const next = random(7);
      let id = 3;
      for (let step = 0; step < 200_000; step++) {
        const roll = next();
        if (roll < 0.45) {
          expect(queue.push(id), variant).toBe(id);
          model.push(id++);
        } else if (roll < 0.9) {
          expect(queue.shift(), variant).toBe(model.shift());
        } else {
          // Remove a queued item, one never queued, or one already shifted out.
          const pick = model.length > 0 && next() < 0.7 ? model[Math.floor(next() * model.length)]! : next() < 0.5 ? -1 : Math.max(1, id - 1 - model.length - 1);
          const at = model.indexOf(pick);
          expect(queue.remove(pick), variant).toBe(at === -1 ? null : pick);
          if (at !== -1) model.splice(at, 1);
        }
        expect(queue.length).toBe(model.length);
      }
      while (model.length > 0) expect(queue.shift()).toBe(model.shift());
      expect(queue.length).toBe(0);
    }
  });

  it('keeps connections moving between busy and open as the pool does: shift one, push it back, remove it when idle', async () => {
    const Queue = await loadQueue('src/queue.js');
    const busy = Queue();
    busy.push(1);
    busy.push(2);
    for (let i = 0; i < 100_000; i++) busy.push(busy.shift()!); // every query takes the next busy connection and puts it back
    expect(busy.length).toBe(2);
    expect(busy.remove(1)).toBe(1); // a connection that went idle leaves the busy queue
    expect(busy.remove(1)).toBeNull();
    expect([busy.shift(), busy.length]).toEqual([2, 0]);
  });
});
