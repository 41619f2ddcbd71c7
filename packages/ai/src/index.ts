export * from './env';
export * from './claude-client';
export * from './structured-output';
export * from './skill-review';
export * from './skill-benchmark';
export * from './skill-safety-review';
