export * from './errors';
export * from './data-dir';
export * from './env';
export * from './process-wide';
