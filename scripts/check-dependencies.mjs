#!/usr/bin/env node
// The dependency rules of the workspace (docs/architecture.md, "Layers"), checked on the code's own
// imports and on each package.json; exits 1 naming every import that breaks one. Run by
// scripts/test.sh; `node scripts/check-dependencies.mjs` on its own.
//
// 1. A workspace package imports only packages of a lower layer (never one beside or above it).
// 2. apps/web's src/server/ never imports a route file (src/app/**/route.ts): routes call the
//    server's glue, not the other way round.
// 3. No package's code, nor apps/web's src/ and scripts/ (the app's process entry points: admin
//    CLI, seed, job worker), reaches into another package by a relative path.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bottom first: a package may depend on the packages of the layers below its own. */
export const LAYERS = [
  ['@everyskill/base'],
  // Client-safe: forms, the OpenAPI document and the command bundle them (contracts takes base's error codes).
  ['@everyskill/contracts', '@everyskill/provenance'],
  // The everyskill command is a client: it knows the contracts and nothing server-side.
  ['@everyskill/db', '@everyskill/storage', '@everyskill/email', '@everyskill/ai', '@everyskill/cli'],
  ['@everyskill/jobs'],
  ['@everyskill/core'],
  ['@everyskill/web', '@everyskill/cli', '@everyskill/bench-*'],
];

/**
 * Known breaks of rule 2, each to be removed by the change that mends it; the check fails if an
 * entry no longer breaks the rule, so the list cannot outlive its reason.
 */
const SOURCE = /\.(ts|tsx|mts|mjs|cjs|js)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.next', 'dist', '.turbo', 'test-results', 'playwright-report', '.data']);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*)['"]([^'"]+)['"]/g;

function layerOf(name) {
  const index = LAYERS.findIndex((layer) => layer.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : entry === name)));
  return index === -1 ? null : index;
}

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function importsOf(file) {
  // Comments are dropped first, so an import named in one is not read as an import.
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(IMPORT)].map((m) => m[1]);
}

function workspacePackages() {
  const dirs = ['apps', 'packages', 'bench'].flatMap((group) => {
    const base = path.join(root, group);
    return existsSync(base) ? readdirSync(base).map((d) => path.join(base, d)).filter((d) => existsSync(path.join(d, 'package.json'))) : [];
  });
  return dirs.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) }));
}

const rel = (file) => path.relative(root, file).split(path.sep).join('/');
const mayNotReachByPath = (file, dir) => rel(dir).startsWith('packages/') || /^apps\/web\/(src|scripts)\//.test(rel(file));
const problems = [];
const packages = workspacePackages();
const packageDirs = packages.map((p) => p.dir);

for (const { dir, manifest } of packages) {
  const own = layerOf(manifest.name);
  if (own === null) {
    problems.push(`${rel(dir)}/package.json: ${manifest.name} has no layer; add it to LAYERS in scripts/check-dependencies.mjs`);
    continue;
  }
  const mayUse = (name) => {
    const layer = layerOf(name);
    return layer !== null && layer < own;
  };
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (dep.startsWith('@everyskill/') && !mayUse(dep)) {
      problems.push(`${rel(dir)}/package.json: ${manifest.name} (layer ${own}) depends on ${dep} (layer ${layerOf(dep)})`);
    }
  }
  for (const file of filesUnder(dir)) {
    for (const specifier of importsOf(file)) {
      const name = specifier.match(/^@everyskill\/[^/]+/)?.[0];
      if (name && name !== manifest.name && !mayUse(name)) {
        problems.push(`${rel(file)}: ${manifest.name} (layer ${own}) imports ${specifier} (layer ${layerOf(name)})`);
      }
      // The packages' own code, and the app's src/ and scripts/, reach no other package by a path
      // (benchmarks and e2e share fixtures); a package's test helpers stay its own.
      if (specifier.startsWith('.') && mayNotReachByPath(file, dir)) {
        const target = path.resolve(path.dirname(file), specifier);
        const into = packageDirs.find((d) => d !== dir && (target === d || target.startsWith(d + path.sep)));
        if (into) problems.push(`${rel(file)}: reaches into ${rel(into)} by a relative path (${specifier}); import the package instead`);
      }
    }
  }
}

// Rule 2: apps/web/src/server never imports a route file.
const webSrc = path.join(root, 'apps/web/src');
for (const file of filesUnder(path.join(webSrc, 'server'))) {
  for (const specifier of importsOf(file)) {
    let target;
    if (specifier.startsWith('@/')) target = path.join(webSrc, specifier.slice(2));
    else if (specifier.startsWith('.')) target = path.resolve(path.dirname(file), specifier);
    else continue;
    const relTarget = rel(target);
    if (!/^apps\/web\/src\/app\/(.*\/)?route(\.(ts|tsx|js))?$/.test(relTarget)) continue;
    problems.push(`${rel(file)}: src/server imports the route file ${specifier}; move what both need into src/server`);
  }
}

if (problems.length > 0) {
  console.error(`dependency rules: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`dependency rules: ok (${packages.length} packages in ${LAYERS.length} layers; src/server imports no route file; nothing reaches into a package by a path)`);
