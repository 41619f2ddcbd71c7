import type { ApiVersionAttestation } from '@everyskill/contracts';
import { FileCheckIcon } from '@/components/ui/icons';

const decisions: Record<string, string> = { approved: 'reviewed by', auto_approved: 'approved automatically' };

/**
 * Who vouches for a version, from its signed attestation: "Signed by <workspace>, published by
 * <person>, scanned <verdict>, reviewed by <person>", with the attestation to download and verify.
 */
export function ProvenancePanel({ slug, attestation }: { slug: string; attestation: ApiVersionAttestation }) {
  const { summary } = attestation;
  const scanned = summary.safety ? `scanned ${summary.safety.verdict} (rules ${summary.safety.rulesVersion})` : 'not scanned';
  const review = summary.review
    ? summary.review.decision === 'auto_approved'
      ? 'approved automatically'
      : `${decisions[summary.review.decision] ?? summary.review.decision} ${summary.review.reviewer ?? 'a former member'}`
    : null;
  const parts = [`Signed by ${summary.signedBy}`, `published by ${summary.publishedBy ?? 'a former member'}`, scanned, ...(review ? [review] : [])];
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="provenance-panel">
      <p data-testid="provenance-summary">
        <FileCheckIcon aria-hidden className="mr-1 inline size-4 align-text-bottom" />
        {parts.join(', ')}.
      </p>
      <p className="text-xs text-muted-foreground">
        Version {attestation.version}, key <code>{attestation.keyid.slice(0, 12)}</code>, log entry {attestation.logSeq}
        {attestation.attestations > 1 ? ` (${attestation.attestations} attestations; this is the latest)` : ''}.
      </p>
      <a
        href={`/skills/${slug}/attestation?version=${encodeURIComponent(attestation.version)}`}
        className="self-start text-xs underline underline-offset-2"
        data-testid="download-attestation"
        download
      >
        Download the attestation (DSSE, in-toto)
      </a>
    </div>
  );
}
