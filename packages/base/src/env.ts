import type { z } from 'zod';

type Source = Record<string, string | undefined>;

/** Configuration a process cannot run with: one line per bad variable ("S3_BUCKET: is required …"). */
export class InvalidEnvError extends Error {
  constructor(
    /** What the variables configure, in words ("storage", "job worker"). */
    public readonly section: string,
    public readonly problems: string[],
  ) {
    super(`Invalid ${section} configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'InvalidEnvError';
  }
}

export interface EnvReaderOptions<Data, Result> {
  /** Lower-cases values before parsing (on/off flags and numbers only). */
  lowercase?: boolean;
  /** Rules across variables, checked on the raw values so they are reported with every other problem. */
  crossCheck?: (raw: Source) => string[];
  /** Turns the parsed variables into what the package works with. */
  finish?: (data: Data) => Result;
}

/**
 * A package's configuration reader: takes the schema's own variables from the environment (trimmed,
 * empty as unset), parses them, and throws an InvalidEnvError naming every bad one. It reads at
 * call time, never at build time, and parses again only when one of its variables changed (the
 * check allocates nothing, so request paths may call it freely).
 */
export function envReader<Schema extends z.ZodObject, Result = z.output<Schema>>(
  section: string,
  schema: Schema,
  options: EnvReaderOptions<z.output<Schema>, Result> = {},
): (source?: Source) => Result {
  const keys = Object.keys(schema.shape);
  const normalize = (value: string | undefined) => {
    const trimmed = value?.trim();
    if (!trimmed) return undefined;
    return options.lowercase ? trimmed.toLowerCase() : trimmed;
  };
  let last: { values: (string | undefined)[]; result: Result } | null = null;
  return (source = process.env) => {
    if (last && unchanged(keys, source, last.values, normalize)) return last.result;
    const values = keys.map((key) => normalize(source[key]));
    const raw: Source = Object.fromEntries(keys.map((key, i) => [key, values[i]]));
    const parsed = schema.safeParse(raw);
    const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? 'environment')}: ${i.message}`);
    problems.push(...(options.crossCheck?.(raw) ?? []));
    if (!parsed.success || problems.length > 0) throw new InvalidEnvError(section, onePerVariable(problems));
    const result = options.finish ? options.finish(parsed.data) : (parsed.data as Result);
    last = { values, result };
    return result;
  };
}

function unchanged(
  keys: readonly string[],
  source: Source,
  values: readonly (string | undefined)[],
  normalize: (value: string | undefined) => string | undefined,
): boolean {
  for (let i = 0; i < keys.length; i++) {
    const value = source[keys[i]!];
    const before = values[i];
    if (value === before) continue;
    if (normalize(value) !== before) return false;
  }
  return true;
}

/** The first problem of each variable: one line a variable, in the order found. */
function onePerVariable(problems: readonly string[]): string[] {
  const byVariable = new Map<string, string>();
  for (const problem of problems) {
    const name = problem.slice(0, problem.indexOf(':'));
    if (!byVariable.has(name)) byVariable.set(name, problem);
  }
  return [...byVariable.values()];
}

/**
 * Runs each package's configuration reader and gathers every problem, one line per variable (a
 * variable two packages read is named once), so one start-up names everything to fix.
 */
export function configurationProblems(readers: readonly (() => unknown)[]): string[] {
  const problems: string[] = [];
  for (const read of readers) {
    try {
      read();
    } catch (error) {
      if (!(error instanceof InvalidEnvError)) throw error;
      problems.push(...error.problems);
    }
  }
  return onePerVariable(problems);
}

/**
 * The start-up check of a process (the web server, the job worker, the admin CLI): exits with
 * code 1 after one line per bad variable, before anything is served or run.
 */
export function exitOnInvalidConfiguration(readers: readonly (() => unknown)[]): void {
  const problems = configurationProblems(readers);
  if (problems.length === 0) return;
  console.error('EverySkill cannot start: invalid configuration');
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
