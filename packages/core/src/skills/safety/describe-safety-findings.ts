import type { SafetyScan } from '@everyskill/contracts';

/** "publishing refused: 2 safety findings block it — SKILL.md line 12, column 3 (unicode-tag-characters: …; hidden text: "…"); …" */
export function describeSafetyFindings(scan: SafetyScan): string {
  const blocking = scan.findings.filter((f) => f.severity === 'block');
  const shown = blocking.slice(0, 5).map((f) => {
    const hidden = f.decoded ? `; hidden text: "${f.decoded.slice(0, 120)}${f.decoded.length > 120 ? '…' : ''}"` : '';
    return `${f.file} line ${f.line}, column ${f.column} (${f.ruleId}: ${f.message}${hidden})`;
  });
  const more = blocking.length > shown.length ? `, and ${blocking.length - shown.length} more` : '';
  return (
    `publishing refused: ${blocking.length} safety finding${blocking.length === 1 ? '' : 's'} block${blocking.length === 1 ? 's' : ''} it — ${shown.join('; ')}${more}. ` +
    'Remove what the findings point at and publish again; if a finding is wrong, ask a workspace admin to review it.'
  );
}
