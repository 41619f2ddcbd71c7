export * from './tenants';
export * from './tenant-domains';
export * from './users';
export * from './memberships';
export * from './audit-log';
