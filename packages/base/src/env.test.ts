import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configurationProblems, envReader, InvalidEnvError } from './env';

const schema = z.object({
  PORT: z.coerce.number().int().min(1, 'must be at least 1').default(80),
  MODE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
});

describe('envReader', () => {
  it('trims, treats empty values as unset and applies defaults', () => {
    const read = envReader('example', schema);
    expect(read({ PORT: ' 8080 ', MODE: '' })).toEqual({ PORT: 8080, MODE: 'off' });
  });

  it('names every bad variable once, one line each, never the value', () => {
    const read = envReader('example', schema, { crossCheck: (raw) => (raw.MODE ? ['MODE: second problem'] : []) });
    let error: unknown;
    try {
      read({ PORT: '0', MODE: 'hunter2' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEnvError);
    expect((error as InvalidEnvError).problems).toEqual(['PORT: must be at least 1', 'MODE: must be on or off']);
    expect((error as Error).message).toBe('Invalid example configuration:\n  PORT: must be at least 1\n  MODE: must be on or off');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('lower-cases values when asked', () => {
    expect(envReader('example', schema, { lowercase: true })({ MODE: 'ON' }).MODE).toBe('on');
  });

  it('parses again only when one of its own variables changed', () => {
    let finished = 0;
    const read = envReader('example', schema, { finish: (data) => ({ ...data, run: ++finished }) });
    const first = read({ PORT: '1', OTHER: 'a' });
    expect(read({ PORT: '1', OTHER: 'b' })).toBe(first);
    expect(read({ PORT: ' 1 ' })).toBe(first);
    expect(read({ PORT: '2' }).run).toBe(2);
  });
});

describe('configurationProblems', () => {
  it('gathers the problems of every reader, a variable read by two of them named once', () => {
    const a = envReader('a', z.object({ SHARED: z.url({ error: 'must be a URL' }).optional(), A: z.coerce.number().optional() }));
    const b = envReader('b', z.object({ SHARED: z.url({ error: 'is not a URL' }).optional() }));
    const source = { SHARED: 'nope', A: 'x' };
    expect(configurationProblems([() => a(source), () => b(source), () => 'fine'])).toEqual([
      'SHARED: must be a URL',
      expect.stringMatching(/^A: /),
    ]);
  });

  it('lets an error that is not about configuration through', () => {
    expect(() => configurationProblems([() => { throw new TypeError('bug'); }])).toThrow(TypeError);
  });
});
