import type { SubmissionStatus } from '@everyskill/db';
import { Badge } from '@/components/ui/badge';

const labels: Record<SubmissionStatus, string> = {
  in_review: 'in review',
  changes_requested: 'changes requested',
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

export function SubmissionStatusBadge({ status }: { status: SubmissionStatus }) {
  return (
    <Badge variant={status === 'rejected' ? 'destructive' : status === 'approved' ? 'secondary' : 'outline'} data-testid="submission-status">
      {labels[status]}
    </Badge>
  );
}
