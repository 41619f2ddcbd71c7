import { ShieldAlertIcon } from '@/components/ui/icons/shield-alert';
import { FormMessage } from '@/components/form-message';
import type { PublishState } from './publish-state';
import { SafetyFindingsTable } from './safety-findings-table';

/** Why a publish was refused: the message, each field's problem, and each secret's file, line and rule. */
export function PublishFeedback({ state }: { state: PublishState }) {
  if (state.status !== 'error') return <FormMessage state={state} />;
  return (
    <div role="alert" className="flex flex-col gap-2 rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm" data-testid="publish-error">
      {state.safety && state.safety.length > 0 ? (
        <>
          <p className="flex items-center gap-2 font-medium">
            <ShieldAlertIcon aria-hidden className="size-4" /> Publishing refused: the safety scan blocks this skill
          </p>
          <SafetyFindingsTable findings={state.safety} />
          <p className="text-xs">Nothing was stored. Remove what the blocking findings point at and publish again; if a finding is wrong, ask a workspace admin.</p>
        </>
      ) : state.secrets && state.secrets.length > 0 ? (
        <>
          <p className="flex items-center gap-2 font-medium">
            <ShieldAlertIcon aria-hidden className="size-4" /> Publishing refused: {state.secrets.length} secret{state.secrets.length === 1 ? '' : 's'} found
          </p>
          <table className="text-left text-xs" data-testid="publish-secrets">
            <thead>
              <tr>
                <th className="pr-3 font-medium">File</th>
                <th className="pr-3 font-medium">Line</th>
                <th className="pr-3 font-medium">Rule</th>
                <th className="font-medium">Finding</th>
              </tr>
            </thead>
            <tbody>
              {state.secrets.map((s, i) => (
                <tr key={i}>
                  <td className="pr-3 font-mono">{s.file}</td>
                  <td className="pr-3">{s.line}</td>
                  <td className="pr-3 font-mono">{s.rule}</td>
                  <td>{s.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-xs">Remove them (read secrets from the environment instead) and publish again; if a credential was real, revoke it.</p>
        </>
      ) : state.issues && state.issues.length > 0 ? (
        <>
          <p className="font-medium">The skill was not published:</p>
          <ul className="flex flex-col gap-1" data-testid="publish-issues">
            {state.issues.map((issue, i) => (
              <li key={i}>
                <code className="font-semibold">{issue.path}</code>
                {issue.line ? ` (line ${issue.line})` : ''}: {issue.message}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{state.message}</p>
      )}
    </div>
  );
}
