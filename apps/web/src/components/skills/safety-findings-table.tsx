import type { SafetyFinding } from '@everyskill/contracts';

const SEVERITY_CLASS: Record<SafetyFinding['severity'], string> = {
  block: 'text-red-900 dark:text-red-200 font-semibold',
  warn: 'text-amber-700 dark:text-amber-400 font-medium',
  info: 'text-muted-foreground',
};

/**
 * The safety scanner's findings, one row each: file, line and column, rule, what it means, the line
 * with hidden characters shown as ⟨U+XXXX⟩, and any hidden text decoded. Text is rendered as text,
 * never as markup, since it comes from the skill.
 */
export function SafetyFindingsTable({ findings }: { findings: readonly SafetyFinding[] }) {
  return (
    <table className="w-full table-fixed text-left text-xs" data-testid="safety-findings">
      <thead>
        <tr>
          <th className="w-16 pr-2 font-medium">Severity</th>
          <th className="w-40 pr-2 font-medium">Where</th>
          <th className="w-44 pr-2 font-medium">Rule</th>
          <th className="font-medium">Finding</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={i} className="align-top" data-testid="safety-finding">
            <td className={`pr-2 ${SEVERITY_CLASS[f.severity]}`}>{f.severity}</td>
            <td className="break-all pr-2 font-mono">
              {f.file} line {f.line}, col {f.column}
            </td>
            <td className="break-all pr-2 font-mono">{f.ruleId}</td>
            <td className="flex flex-col gap-1">
              <span>{f.message}</span>
              <code className="block whitespace-pre-wrap break-all rounded bg-muted px-1 py-0.5">{f.excerpt}</code>
              {f.decoded ? (
                <span className="break-all" data-testid="safety-decoded">
                  Hidden text: <code className="whitespace-pre-wrap rounded bg-muted px-1 py-0.5">{f.decoded}</code>
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
