'use server';

import { revalidatePath } from 'next/cache';
import { benchmarkRunRef, BENCHMARK_MAX_TASKS, startBenchmarkInput } from '@everyskill/contracts';
import { cancelBenchmark } from '@everyskill/core/benchmarks/cancel-benchmark';
import { startBenchmark } from '@everyskill/core/benchmarks/start-benchmark';
import { parseInput } from '@everyskill/core/parse-input';
import { toActionState, type ActionState } from '@/server/action-state';
import { memberCtx, requireMember } from '@/server/session';

export async function startBenchmarkAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const tasks = Array.from({ length: BENCHMARK_MAX_TASKS }, (_, i) => ({
      task: String(form.get(`task-${i}`) ?? '').trim(),
      expectedOutcome: String(form.get(`expected-${i}`) ?? '').trim(),
    })).filter((t) => t.task || t.expectedOutcome);
    const input = parseInput(startBenchmarkInput, { slug: form.get('slug'), tasks });
    const page = `/skills/${input.slug}/benchmark`;
    await startBenchmark(await memberCtx(await requireMember(page)), input);
    revalidatePath(page);
    return 'Benchmark started.';
  });
}

export async function cancelBenchmarkAction(_state: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const input = parseInput(benchmarkRunRef, { slug: form.get('slug'), runId: form.get('runId') });
    const page = `/skills/${input.slug}/benchmark`;
    const { status } = await cancelBenchmark(await memberCtx(await requireMember(page)), input);
    revalidatePath(page);
    return status === 'cancelled' ? 'Cancelled.' : 'Cancelling: it stops before its next step.';
  });
}
