/** The version a skill's first publish gets when its SKILL.md names none. */
export const FIRST_VERSION = '1.0.0';

interface Parsed {
  core: [number, number, number];
  pre: string[];
}

function parse(version: string): Parsed {
  const [main = '', ...rest] = version.split('+')[0]!.split('-');
  const core = main.split('.').map(Number) as [number, number, number];
  const pre = rest.length > 0 ? rest.join('-').split('.') : [];
  return { core, pre };
}

/** Semantic Versioning 2.0.0 precedence: negative when a < b, 0 when equal (build metadata ignored). */
export function compareVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = x.core[i]! - y.core[i]!;
    if (d !== 0) return Math.sign(d);
  }
  // A pre-release sorts before its release: 1.0.0-rc.1 < 1.0.0.
  if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length);
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = Number(p) - Number(q);
      if (d !== 0) return Math.sign(d);
    } else if (pn !== qn) {
      return pn ? -1 : 1;
    } else if (p !== q) {
      return p < q ? -1 : 1;
    }
  }
  return 0;
}

/** The next patch after `latest` (1.2.3 → 1.2.4; a pre-release 1.3.0-rc.1 → 1.3.0), or the first version. */
export function nextPatchVersion(latest: string | null): string {
  if (!latest) return FIRST_VERSION;
  const { core, pre } = parse(latest);
  if (pre.length > 0) return core.join('.');
  return `${core[0]}.${core[1]}.${core[2] + 1}`;
}
