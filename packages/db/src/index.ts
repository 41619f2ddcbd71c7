export * from './client';
export * from './env';
export * from './instance';
export * from './health';
export * from './with-tenant';
export * from './migrate/runner';
export * as schema from './schema';
export * from './schema';
export { sql, and, or, eq, ne, gt, gte, lt, lte, desc, asc, inArray, isNull, isNotNull, count } from 'drizzle-orm';
