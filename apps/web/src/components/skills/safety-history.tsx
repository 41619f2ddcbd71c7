import type { SafetyAuditAction, SafetyHistoryEntry } from '@everyskill/core/skills/safety/skill-safety-history';

const DID: Record<SafetyAuditAction, string> = {
  'skill.safety_held': 'published it held for review',
  'skill.safety_hold_approved': 'approved it after review',
  'skill.safety_overridden': 'overrode the blocked verdict',
  'skill.safety_blocked': 'blocked it after its publish',
  'skill.safety_opinion_requested': "asked for Claude's second opinion",
};

/** For admins: the skill's audited safety events, newest first, with who acted and the reason they wrote. */
export function SafetyHistory({ entries }: { entries: SafetyHistoryEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <div className="flex flex-col gap-1 border-t pt-3 text-xs">
      <h3 className="font-medium">Safety history (audit log, admins only)</h3>
      <ol className="flex flex-col gap-1" data-testid="safety-history">
        {entries.map((e, i) => (
          <li key={i} data-action={e.action}>
            <time dateTime={e.at}>{e.at.slice(0, 16).replace('T', ' ')} UTC</time> · {e.by} {DID[e.action]}
            {e.version ? ` (version ${e.version})` : ''}
            {e.reason ? `: ${e.reason}` : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
