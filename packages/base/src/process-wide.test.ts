import { afterEach, describe, expect, it, vi } from 'vitest';
import { processWide } from './process-wide';

const names: string[] = [];
const uniqueName = () => {
  const name = `test.process-wide.${names.length}.${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
};

afterEach(() => {
  for (const name of names.splice(0)) delete (globalThis as Record<symbol, unknown>)[Symbol.for(`everyskill.${name}`)];
});

describe('processWide', () => {
  it('makes the value once, on first use, and every holder of the name gets that one', () => {
    const name = uniqueName();
    const create = vi.fn(() => ({ pool: 1 }));
    const first = processWide(name, create);
    const second = processWide(name, create);
    expect(create).not.toHaveBeenCalled();
    expect(first.peek()).toBeUndefined();
    const value = first.get();
    expect(second.get()).toBe(value);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('is shared by two copies of the module, as after a reload or in two bundles', async () => {
    const name = uniqueName();
    vi.resetModules();
    const copyA = (await import('./process-wide')).processWide;
    vi.resetModules();
    const copyB = (await import('./process-wide')).processWide;
    expect(copyA).not.toBe(copyB);
    const value = copyA(name, () => new Set<string>()).get();
    expect(copyB(name, () => new Set<string>()).get()).toBe(value);
  });

  it('takes a replacement, and after a clear makes a new value on next use', () => {
    const name = uniqueName();
    let made = 0;
    const slot = processWide(name, () => ++made);
    expect(slot.get()).toBe(1);
    slot.set(42);
    expect(slot.get()).toBe(42);
    slot.set(undefined);
    expect(slot.peek()).toBeUndefined();
    expect(slot.get()).toBe(2);
  });

  it('stores nothing when create throws, so the next use tries again', () => {
    const name = uniqueName();
    let fail = true;
    const slot = processWide(name, () => {
      if (fail) throw new Error('not yet');
      return 'ready';
    });
    expect(() => slot.get()).toThrow('not yet');
    expect(slot.peek()).toBeUndefined();
    fail = false;
    expect(slot.get()).toBe('ready');
  });
});
