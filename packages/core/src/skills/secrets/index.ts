export * from './find-secrets-in-text';
export * from './sanitize-payload';
export * from './scan-for-secrets';
