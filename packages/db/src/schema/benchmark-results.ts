import { boolean, integer, numeric, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One graded answer of a benchmark: a task on a model, with or without the skill. Immutable. */
export const benchmarkResults = pgTable('benchmark_results', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  runId: uuid('run_id').notNull(),
  taskIndex: smallint('task_index').notNull(),
  model: text('model').notNull(),
  withSkill: boolean('with_skill').notNull(),
  answer: text('answer').notNull(),
  score: smallint('score').notNull(),
  judgeReasoning: text('judge_reasoning').notNull(),
  inputTokens: integer('input_tokens').notNull(),
  outputTokens: integer('output_tokens').notNull(),
  latencyMs: integer('latency_ms').notNull(),
  costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }),
  judgeCostUsd: numeric('judge_cost_usd', { precision: 12, scale: 6, mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type BenchmarkResult = typeof benchmarkResults.$inferSelect;
