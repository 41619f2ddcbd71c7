import { SECOND_OPINION_RULE, type VersionSafety } from '@everyskill/contracts';
import { ShieldAlertIcon, ShieldCheckIcon } from '@/components/ui/icons';
import { SafetyFindingsTable } from './safety-findings-table';

const VERDICT_TEXT: Record<VersionSafety['verdict'], string> = {
  clean: 'No safety findings',
  warn: 'Safety warnings',
  blocked: 'Blocked by the safety scan',
};

/** A version's safety verdict, its findings (hidden characters shown, hidden text decoded) and any admin override. */
export function VersionSafetyPanel({ safety }: { safety: VersionSafety | null }) {
  if (!safety) return <p className="text-xs text-muted-foreground">Published before safety scanning; not scanned yet.</p>;
  const shown = safety.findings.filter((f) => f.severity !== 'info');
  // Claude's second opinion keeps its summary as an `info` finding.
  const opinion = safety.findings.find((f) => f.ruleId === SECOND_OPINION_RULE && f.severity === 'info');
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="version-safety" data-verdict={safety.verdict}>
      <p className="flex items-center gap-2 font-medium">
        {safety.verdict === 'clean' ? <ShieldCheckIcon aria-hidden className="size-4" /> : <ShieldAlertIcon aria-hidden className="size-4" />}
        {VERDICT_TEXT[safety.verdict]}
        <span className="text-xs font-normal text-muted-foreground">rules {safety.rulesVersion}</span>
      </p>
      {safety.heldAt && !safety.override ? (
        <p className="text-xs" data-testid="safety-held">
          Held for review since {safety.heldAt.slice(0, 10)}: agents cannot install or read this version until an admin or reviewer approves it.
        </p>
      ) : null}
      {safety.override ? (
        <p className="text-xs" data-testid="safety-override">
          {safety.heldAt ? 'Approved after review' : 'An admin allowed this version'} by {safety.override.by ?? 'a former member'} on{' '}
          <time dateTime={safety.override.at}>{safety.override.at.slice(0, 16).replace('T', ' ')} UTC</time>: {safety.override.reason}
        </p>
      ) : null}
      {opinion ? (
        <p className="text-xs" data-testid="safety-second-opinion-summary">
          {opinion.message.replace(/^Claude /, "Claude's second opinion ")}
        </p>
      ) : null}
      {shown.length > 0 ? <SafetyFindingsTable findings={shown} /> : null}
    </div>
  );
}
