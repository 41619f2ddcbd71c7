import { integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const digestKinds = ['daily', 'weekly'] as const;
export type DigestKind = (typeof digestKinds)[number];

/** One digest send for one (kind, period), across tenants: the key that makes a period send once. */
export const digestRuns = pgTable(
  'digest_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: digestKinds }).notNull(),
    period: text('period').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['queued', 'planned'] }).notNull().default('queued'),
    recipients: integer('recipients').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    plannedAt: timestamp('planned_at', { withTimezone: true }),
  },
  (t) => [unique().on(t.kind, t.period)],
);

export type DigestRun = typeof digestRuns.$inferSelect;
