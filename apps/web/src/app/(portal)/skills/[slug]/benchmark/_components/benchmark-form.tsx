'use client';

import { useActionState, useState } from 'react';
import { FormMessage } from '@/components/form-message';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/server/action-state';

const MAX_TASKS = 5;

/** Up to 5 test tasks with expected outcomes; feedback people left can be picked as tasks. */
export function BenchmarkForm({
  slug,
  suggestions,
  action,
}: {
  slug: string;
  suggestions: string[];
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, { status: 'idle' } as ActionState);
  const [tasks, setTasks] = useState<string[]>(['']);
  const pickSuggestion = (text: string) => {
    const empty = tasks.findIndex((t) => t.trim() === '');
    if (empty >= 0) setTasks(tasks.map((t, i) => (i === empty ? text : t)));
    else if (tasks.length < MAX_TASKS) setTasks([...tasks, text]);
  };
  return (
    <form action={formAction} className="flex flex-col gap-4">
      <input type="hidden" name="slug" value={slug} />
      {tasks.map((task, i) => (
        <fieldset key={i} className="flex flex-col gap-2 rounded-lg border p-3">
          <legend className="px-1 text-sm font-medium">Task {i + 1}</legend>
          <label className="flex flex-col gap-1 text-sm">
            What the agent is asked
            <textarea
              name={`task-${i}`}
              rows={2}
              value={task}
              onChange={(e) => setTasks(tasks.map((t, j) => (j === i ? e.target.value : t)))}
              className="rounded-md border bg-background p-2"
            />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Expected outcome
            <textarea name={`expected-${i}`} rows={2} className="rounded-md border bg-background p-2" />
          </label>
        </fieldset>
      ))}
      {tasks.length < MAX_TASKS ? (
        <Button type="button" variant="outline" className="self-start" onClick={() => setTasks([...tasks, ''])}>
          Add a task
        </Button>
      ) : null}
      {suggestions.length > 0 ? (
        <div className="flex flex-col gap-2 text-sm">
          <p className="font-medium">From people&apos;s feedback</p>
          <ul className="flex flex-col gap-1">
            {suggestions.map((s, i) => (
              <li key={i} className="flex items-start gap-2">
                <Button type="button" size="sm" variant="outline" onClick={() => pickSuggestion(s)}>
                  Use
                </Button>
                <span className="text-muted-foreground">{s}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormMessage state={state} />
      <Button type="submit" className="self-start" disabled={pending}>
        {pending ? 'Starting…' : 'Run benchmark'}
      </Button>
    </form>
  );
}
