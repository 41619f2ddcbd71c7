import type { Metadata } from 'next';
import Link from '@/components/ui/link';
import { notFound } from 'next/navigation';
import { isAppError } from '@everyskill/core';
import { getBenchmark, type BenchmarkRunView } from '@everyskill/core/benchmarks/get-benchmark';
import { AutoRefresh } from '@/components/reviews/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { memberCtx, requireMember } from '@/server/session';
import { cancelBenchmarkAction, startBenchmarkAction } from './actions';
import { BenchmarkForm } from './_components/benchmark-form';
import { CostChart, QualityChart } from './_components/benchmark-chart';
import { CancelBenchmarkButton } from './_components/cancel-button';

export const metadata: Metadata = { title: 'Benchmark' };

const usd = (value: number | null) => (value === null ? '—' : `$${value.toFixed(4)}`);

/** How much a skill helps: each test task with and without it on each model, graded blind; progress while it runs. */
export default async function SkillBenchmarkPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const member = await requireMember(`/skills/${slug}/benchmark`);
  const panel = await getBenchmark(await memberCtx(member), { slug }).catch((error: unknown) => {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  const { run, features } = panel;
  const active = run?.status === 'queued' || run?.status === 'running';
  return (
    <div className="flex flex-col gap-6">
      <AutoRefresh active={active} />
      <div className="flex flex-col gap-1">
        <Link href={`/skills/${slug}`} className="text-sm text-muted-foreground underline-offset-4 hover:underline">
          ← {slug}
        </Link>
        <h1 className="text-3xl font-bold tracking-tight">Benchmark of {slug}</h1>
        <p className="text-sm text-muted-foreground">
          {features.enabled
            ? `Each task runs with and without the skill on ${features.benchmarkModels.join(', ')}; ${features.judgeModel} grades every answer 0–100 against the expected outcome without knowing which run it is.`
            : 'Benchmarks are off: this server has no ANTHROPIC_API_KEY configured.'}
        </p>
      </div>

      {run ? <RunCard slug={slug} run={run} canCancel={panel.canRun && active} /> : null}

      {panel.canRun && features.enabled && !active ? (
        <Card>
          <CardHeader>
            <CardTitle as="h2">{run ? 'Run again' : 'Run a benchmark'}</CardTitle>
            <CardDescription>Up to 5 test tasks, each with the outcome a good answer reaches.</CardDescription>
          </CardHeader>
          <CardContent>
            <BenchmarkForm slug={slug} suggestions={panel.taskSuggestions} action={startBenchmarkAction} />
          </CardContent>
        </Card>
      ) : null}
      {!run && !panel.canRun ? <p className="text-sm text-muted-foreground">This skill has not been benchmarked yet.</p> : null}
    </div>
  );
}

function RunCard({ slug, run, canCancel }: { slug: string; run: BenchmarkRunView; canCancel: boolean }) {
  const { summary } = run;
  const percent = Math.round((100 * run.stepsDone) / run.stepsTotal);
  return (
    <Card data-testid="benchmark-run" data-status={run.status}>
      <CardHeader>
        <CardTitle as="h2" className="flex flex-wrap items-center gap-2">
          Version {run.version} <Badge variant={run.status === 'failed' ? 'destructive' : 'outline'} data-testid="benchmark-status">{run.status}</Badge>
          {summary.bestModel ? <Badge variant="secondary">best: {summary.bestModel}</Badge> : null}
          {summary.cheapestModel ? <Badge variant="secondary">cheapest: {summary.cheapestModel}</Badge> : null}
        </CardTitle>
        <CardDescription>
          {run.tasks.length} task{run.tasks.length === 1 ? '' : 's'} × {run.models.length} model{run.models.length === 1 ? '' : 's'} × with and without the skill, judged by {run.judgeModel}
          {summary.totalCostUsd !== null ? ` · answers ${usd(summary.totalCostUsd)}, judging ${usd(summary.judgeCostUsd)}` : ''}.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        {run.status === 'queued' || run.status === 'running' ? (
          <div className="flex flex-col gap-2">
            <div className="flex items-center justify-between text-sm">
              <span role="status" data-testid="benchmark-progress">
                {run.cancelRequested ? 'Cancelling…' : `${run.stepsDone} of ${run.stepsTotal} answers graded`}
              </span>
              {canCancel && !run.cancelRequested ? <CancelBenchmarkButton slug={slug} runId={run.id} action={cancelBenchmarkAction} /> : null}
            </div>
            <progress value={run.stepsDone} max={run.stepsTotal} className="h-2 w-full" aria-label={`${percent}% done`} />
          </div>
        ) : null}
        {run.error ? (
          <p role={run.status === 'failed' ? 'alert' : 'status'} className={run.status === 'failed' ? 'text-sm text-destructive' : 'text-sm text-muted-foreground'}>
            {run.error}
          </p>
        ) : null}
        {run.results.length > 0 ? (
          <>
            <QualityChart models={summary.models} />
            <table className="w-full text-left text-sm" data-testid="benchmark-table">
              <caption className="sr-only">Per model: mean score with and without the skill, cost per task, latency and tokens</caption>
              <thead className="text-xs text-muted-foreground">
                <tr>
                  <th className="py-2 pr-3 font-medium">Model</th>
                  <th className="py-2 pr-3 font-medium">With skill</th>
                  <th className="py-2 pr-3 font-medium">Without</th>
                  <th className="py-2 pr-3 font-medium">Uplift</th>
                  <th className="py-2 pr-3 font-medium">Cost / task (with)</th>
                  <th className="py-2 pr-3 font-medium">Cost / task (without)</th>
                  <th className="py-2 pr-3 font-medium">Latency</th>
                  <th className="py-2 font-medium">Tokens</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {summary.models.map((m) => (
                  <tr key={m.model} data-model={m.model}>
                    <td className="py-2 pr-3 font-medium">{m.model}</td>
                    <td className="py-2 pr-3 tabular-nums" data-testid="score-with">{m.withSkill ?? '—'}</td>
                    <td className="py-2 pr-3 tabular-nums" data-testid="score-without">{m.withoutSkill ?? '—'}</td>
                    <td className="py-2 pr-3 tabular-nums">{m.uplift === null ? '—' : `${m.uplift > 0 ? '+' : ''}${m.uplift}`}</td>
                    <td className="py-2 pr-3 tabular-nums">{usd(m.costPerTaskWithSkill)}</td>
                    <td className="py-2 pr-3 tabular-nums">{usd(m.costPerTaskWithoutSkill)}</td>
                    <td className="py-2 pr-3 tabular-nums">{m.meanLatencyMs === null ? '—' : `${(m.meanLatencyMs / 1000).toFixed(1)} s`}</td>
                    <td className="py-2 tabular-nums">{m.tokens.toLocaleString('en')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <CostChart models={summary.models} />
            <details className="text-sm">
              <summary className="cursor-pointer font-medium">Every graded answer</summary>
              <ul className="mt-2 flex flex-col gap-2">
                {run.results.map((r, i) => (
                  <li key={i} className="rounded-md border p-2">
                    <span className="font-medium">
                      Task {r.taskIndex + 1} · {r.model} · {r.withSkill ? 'with' : 'without'} the skill · {r.score}/100
                    </span>
                    <p className="text-muted-foreground">{r.judgeReasoning}</p>
                  </li>
                ))}
              </ul>
            </details>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
