/** One value for the whole process, whichever copy of a module asks for it. */
export interface ProcessWide<T> {
  /** The value, made by `create` on first use (and again after it was cleared). */
  get(): T;
  /** The value if it was made, without making it. */
  peek(): T | undefined;
  /** Replaces the value (tests, scripts that open their own); `undefined` clears it. */
  set(value: T | undefined): void;
}

/**
 * The one convention for process-wide state (the database handle, the job queue, the logger, the
 * metrics registry…): kept on `globalThis` under `Symbol.for('everyskill.<name>')`, not in a module
 * variable, because a module may be evaluated more than once in one process (`next dev` reloads an
 * edited module; Next loads the same module in its route, page and instrumentation bundles), and a
 * second copy must not open a second pool or queue, or count into a second registry. A `create`
 * that throws stores nothing, so the next `get` tries again.
 */
export function processWide<T>(name: string, create: () => T): ProcessWide<T> {
  const key = Symbol.for(`everyskill.${name}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    get() {
      if (!(key in holder)) holder[key] = create();
      return holder[key] as T;
    },
    peek: () => holder[key],
    set(value) {
      if (value === undefined) delete holder[key];
      else holder[key] = value;
    },
  };
}
