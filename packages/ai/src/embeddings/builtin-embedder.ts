import { stemmer } from 'stemmer';
import { CONCEPTS, GENERIC_WORDS, STOP_WORDS } from './builtin-vocabulary';
import { EmbeddingError, type EmbeddingProvider } from './embedding-provider';

/**
 * The offline embedder: deterministic feature hashing, no service and no model download.
 * Features: stemmed words, two-word phrases, character trigrams (typos, word forms) and
 * hand-written concepts (slides ↔ deck ↔ pptx). Text before the first blank line is the summary
 * (name and description) and outweighs the rest, as a reader would weigh it.
 */
export const BUILTIN_MODEL = 'hashed-concepts-v1';
export const BUILTIN_DIMENSIONS = 512;

const WORD_WEIGHT = 1;
const GENERIC_WEIGHT = 0.2;
const CONCEPT_WEIGHT = 0.9;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.55;
const SUMMARY_SHARE = 0.72;
const MAX_CHARS = 20_000;

interface Token {
  surface: string;
  stem: string;
  generic: boolean;
}

/** A word's own features, computed once per distinct word and reused (hashes of w:, c:, t: features). */
interface WordFeatures {
  stemHash: number;
  generic: boolean;
  features: { hash: number; weight: number }[];
}

const stopWords = new Set(STOP_WORDS);
const stems = new Map<string, string>();
const genericStems = new Set(GENERIC_WORDS.map((w) => stemmer(w)));

// Concept lookup: the exact word first (so "production" is not read as "product"), then its stem.
const conceptsBySurface = new Map<string, string[]>();
const conceptsByStem = new Map<string, string[]>();
// Two-word phrases, keyed by the stems' hashes.
const conceptsByPhrase = new Map<number, Map<number, string[]>>();
for (const [concept, entries] of Object.entries(CONCEPTS)) {
  for (const entry of entries) {
    const tokens = tokenize(entry);
    if (tokens.length === 1) {
      addConcept(conceptsBySurface, tokens[0]!.surface, concept);
      addConcept(conceptsByStem, tokens[0]!.stem, concept);
    } else if (tokens.length >= 2) {
      const first = hash(`w:${tokens[0]!.stem}`);
      let inner = conceptsByPhrase.get(first);
      if (!inner) conceptsByPhrase.set(first, (inner = new Map()));
      addConcept(inner, hash(`w:${tokens[1]!.stem}`), concept);
    }
  }
}

function addConcept<K>(map: Map<K, string[]>, key: K, concept: string) {
  const list = map.get(key);
  if (!list) map.set(key, [concept]);
  else if (!list.includes(concept)) list.push(concept);
}

function stemOf(surface: string): string {
  let stem = stems.get(surface);
  if (stem === undefined) {
    stem = /^[a-z]+$/.test(surface) ? stemmer(surface) : surface;
    if (stems.size > 200_000) stems.clear();
    stems.set(surface, stem);
  }
  return stem;
}

/** Lowercased word tokens without stop words; camelCase and snake/kebab-case are split. */
export function tokenize(text: string): Token[] {
  const words = text
    .slice(0, MAX_CHARS)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const tokens: Token[] = [];
  for (const surface of words) {
    if (!surface || stopWords.has(surface) || surface.length > 40) continue;
    if (surface.length === 1 && !/[0-9]/.test(surface)) continue;
    const stem = stemOf(surface);
    tokens.push({ surface, stem, generic: genericStems.has(stem) });
  }
  return tokens;
}

/** 32-bit FNV-1a: stable across processes and machines, so stored vectors stay comparable. */
function hash(feature: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Order-dependent combination of two hashes (murmur3's finaliser), for two-word phrases. */
function pairHash(a: number, b: number): number {
  let h = (Math.imul(a, 0x9e3779b1) ^ b ^ 0x2545f491) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const wordCache = new Map<string, WordFeatures>();
function wordFeatures(token: Token): WordFeatures {
  const cached = wordCache.get(token.surface);
  if (cached) return cached;
  const g = token.generic ? GENERIC_WEIGHT : 1;
  const features: WordFeatures['features'] = [{ hash: hash(`w:${token.stem}`), weight: WORD_WEIGHT * g }];
  for (const concept of conceptsBySurface.get(token.surface) ?? conceptsByStem.get(token.stem) ?? []) {
    features.push({ hash: hash(`c:${concept}`), weight: CONCEPT_WEIGHT * g });
  }
  if (token.surface.length >= 4 && !token.generic) {
    const padded = `^${token.surface}$`;
    const count = padded.length - 2;
    for (let j = 0; j < count; j++) {
      features.push({ hash: hash(`t:${padded.slice(j, j + 3)}`), weight: TRIGRAM_WEIGHT / Math.sqrt(count) });
    }
  }
  const result = { stemHash: features[0]!.hash, generic: token.generic, features };
  if (wordCache.size > 200_000) wordCache.clear();
  wordCache.set(token.surface, result);
  return result;
}

function features(tokens: Token[]): Map<number, number> {
  const weights = new Map<number, number>();
  const add = (feature: number, weight: number) => weights.set(feature, (weights.get(feature) ?? 0) + weight);
  const words = tokens.map(wordFeatures);
  words.forEach((word, i) => {
    for (const f of word.features) add(f.hash, f.weight);
    const next = words[i + 1];
    if (next) {
      if (!(word.generic && next.generic)) add(pairHash(word.stemHash, next.stemHash), BIGRAM_WEIGHT);
      for (const concept of conceptsByPhrase.get(word.stemHash)?.get(next.stemHash) ?? []) {
        add(hash(`c:${concept}`), CONCEPT_WEIGHT);
      }
    }
  });
  return weights;
}

function hashedVector(tokens: Token[], dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [h, weight] of features(tokens)) {
    // Sublinear term frequency: the tenth mention of a word adds little.
    vector[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * Math.log1p(weight);
  }
  return unit(vector);
}

function unit(vector: number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x * x;
  if (sum === 0) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((x) => x / norm);
}

/** Embeds one text: the summary (before the first blank line) and the rest, blended. */
export function embedOffline(text: string, dimensions = BUILTIN_DIMENSIONS): number[] {
  const split = text.search(/\n\s*\n/);
  const summary = split === -1 ? text : text.slice(0, split);
  const rest = split === -1 ? '' : text.slice(split);
  const head = hashedVector(tokenize(summary), dimensions);
  const restTokens = tokenize(rest);
  if (restTokens.length === 0) return head;
  const tail = hashedVector(restTokens, dimensions);
  return unit(head.map((x, i) => SUMMARY_SHARE * x + (1 - SUMMARY_SHARE) * tail[i]!));
}

/** The offline provider: always available, the default when no embedding service is configured. */
export function createBuiltinEmbedder(dimensions = BUILTIN_DIMENSIONS): EmbeddingProvider {
  return {
    provider: 'builtin',
    model: BUILTIN_MODEL,
    dimensions,
    duplicateThreshold: 0.85,
    relevanceFloor: 0.18,
    async embed(texts, options = {}) {
      if (options.signal?.aborted) throw new EmbeddingError('the built-in embedder was cancelled', 'timeout');
      return texts.map((t) => embedOffline(t, dimensions));
    },
  };
}
