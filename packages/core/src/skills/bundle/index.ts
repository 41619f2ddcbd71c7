export * from './bundle-collector';
export * from './bundle-limits';
export { isJunkPath, normalizeBundlePath } from './bundle-path';
export * from './read-skill-bundle';
export * from './write-archive';
