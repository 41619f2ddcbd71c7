import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const benchmarkStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type BenchmarkStatus = (typeof benchmarkStatuses)[number];

export interface BenchmarkTask {
  task: string;
  expectedOutcome: string;
}

/** One benchmark of a skill version: its tasks, models, progress and status. */
export const benchmarkRuns = pgTable('benchmark_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  skillId: uuid('skill_id').notNull(),
  versionId: uuid('version_id').notNull(),
  status: text('status', { enum: benchmarkStatuses }).notNull().default('queued'),
  models: text('models').array().notNull(),
  judgeModel: text('judge_model').notNull(),
  tasks: jsonb('tasks').$type<BenchmarkTask[]>().notNull(),
  stepsDone: integer('steps_done').notNull().default(0),
  stepsTotal: integer('steps_total').notNull(),
  error: text('error'),
  requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
  cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
  jobId: text('job_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type BenchmarkRun = typeof benchmarkRuns.$inferSelect;
