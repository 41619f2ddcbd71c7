/**
 * bench:safety — runs the safety scanner over the public skills corpus (every skill must be
 * publishable, so each `block` is a false positive) and over the malicious samples in fixtures/,
 * and prints one JSON object: false-block rate, block and warn-or-block recall, warnings by rule,
 * throughput in MiB/s, and the time to scan a 10 MiB adversarial bundle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SafetyScan } from '@everyskill/contracts';
import { scanSkillBundle } from '@everyskill/core/skills/safety/index';
import { adversarialBundle } from '@everyskill/core/skills/safety/adversarial-bundle';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const MiB = 1024 * 1024;

type Files = Array<{ path: string; text: string }>;

function corpusSkills(): Array<{ id: string; files: Files }> {
  const dir = process.env.EVERYSKILL_CORPUS_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
  if (!existsSync(path.join(dir, 'skills'))) throw new Error(`The skills corpus was not found at ${dir}/skills; set EVERYSKILL_CORPUS_DIR`);
  return readdirSync(path.join(dir, 'skills'))
    .sort()
    .map((id) => ({ id, files: [{ path: 'SKILL.md', text: readFileSync(path.join(dir, 'skills', id, 'SKILL.md'), 'utf8') }] }));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function maliciousSamples(): Array<{ id: string; category: string; files: Files }> {
  const dir = path.join(HERE, 'fixtures');
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as Record<string, string>;
  return Object.entries(index).map(([id, category]) => ({
    id,
    category,
    files: walk(path.join(dir, id)).map((file) => ({ path: path.relative(path.join(dir, id), file), text: readFileSync(file, 'utf8') })),
  }));
}

const bytesOf = (files: Files) => files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
const ratio = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000);

const corpus = corpusSkills();
const malicious = maliciousSamples();

const corpusScans = corpus.map((s) => ({ id: s.id, scan: scanSkillBundle(s.files) }));
const falseBlocks = corpusScans
  .filter((s) => s.scan.verdict === 'blocked')
  .map((s) => ({ id: s.id, findings: s.scan.findings.filter((f) => f.severity === 'block').map((f) => ({ rule: f.ruleId, line: f.line, excerpt: f.excerpt })) }));
const warningsByRule: Record<string, string[]> = {};
for (const { id, scan } of corpusScans) {
  for (const f of scan.findings.filter((x) => x.severity === 'warn')) (warningsByRule[f.ruleId] ??= []).includes(id) || warningsByRule[f.ruleId]!.push(id);
}

const maliciousScans = malicious.map((s) => ({ ...s, scan: scanSkillBundle(s.files) as SafetyScan }));
const blocked = maliciousScans.filter((s) => s.scan.verdict === 'blocked');
const flagged = maliciousScans.filter((s) => s.scan.verdict !== 'clean');
const byCategory: Record<string, { samples: number; blocked: number; flagged: number }> = {};
for (const s of maliciousScans) {
  const c = (byCategory[s.category] ??= { samples: 0, blocked: 0, flagged: 0 });
  c.samples++;
  if (s.scan.verdict === 'blocked') c.blocked++;
  if (s.scan.verdict !== 'clean') c.flagged++;
}

// Throughput: every corpus and malicious bundle, scanned in passes for at least two seconds.
const all = [...corpus.map((s) => s.files), ...malicious.map((s) => s.files)];
const totalBytes = all.reduce((sum, files) => sum + bytesOf(files), 0);
let passes = 0;
// CPU time as well as wall time: on a shared machine the process waits for a core, and CPU time is
// what the scan itself costs.
const cpuStarted = process.cpuUsage();
const started = performance.now();
while (performance.now() - started < 2000 || passes < 2) {
  for (const files of all) scanSkillBundle(files);
  passes++;
}
const seconds = (performance.now() - started) / 1000;
const cpuUsed = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;

const hostile = adversarialBundle();
const hostileTimes: number[] = [];
const hostileCpu: number[] = [];
let hostileVerdict = '';
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  hostileVerdict = scanSkillBundle(hostile).verdict;
  const used = process.cpuUsage(cpu);
  hostileTimes.push(Math.round(performance.now() - t));
  hostileCpu.push(Math.round((used.user + used.system) / 1000));
}

console.log(
  JSON.stringify(
    {
      rulesVersion: corpusScans[0]?.scan.rulesVersion,
      corpus: {
        skills: corpus.length,
        falseBlocks: falseBlocks.length,
        falseBlockRate: ratio(falseBlocks.length, corpus.length),
        falseBlockDetails: falseBlocks,
        warned: corpusScans.filter((s) => s.scan.verdict === 'warn').length,
        warningsByRule,
      },
      malicious: {
        samples: malicious.length,
        blocked: blocked.length,
        blockRecall: ratio(blocked.length, malicious.length),
        warnOrBlockRecall: ratio(flagged.length, malicious.length),
        byCategory,
        notBlocked: maliciousScans.filter((s) => s.scan.verdict !== 'blocked').map((s) => ({ id: s.id, verdict: s.scan.verdict, rules: s.scan.findings.map((f) => `${f.severity}:${f.ruleId}`) })),
      },
      throughput: {
        bytes: totalBytes * passes,
        seconds: Math.round(seconds * 1000) / 1000,
        mibPerSecond: Math.round(((totalBytes * passes) / MiB / seconds) * 10) / 10,
        cpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
        mibPerCpuSecond: Math.round(((totalBytes * passes) / MiB / cpuSeconds) * 10) / 10,
        loadAverage: os.loadavg()[0],
      },
      adversarial: { bytes: bytesOf(hostile), files: hostile.length, verdict: hostileVerdict, milliseconds: hostileTimes, cpuMilliseconds: hostileCpu },
    },
    null,
    2,
  ),
);
