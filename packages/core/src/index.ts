export * from './errors';
export * from './context';
export * from './audit/record-audit';
