-- What a blocking safety finding does in a workspace: refuse the publish (the default), or publish
-- the version held for review, withheld from agents until an admin or reviewer approves it.
ALTER TABLE tenant_review_settings ADD COLUMN safety_block_policy text NOT NULL DEFAULT 'refuse'
  CHECK (safety_block_policy IN ('refuse', 'hold'));

-- A version published under "hold for review" with a blocking finding: it waits in the review queue.
-- Its release is the override columns (reason, who, when) written by the reviewer's approval.
ALTER TABLE skill_version_safety ADD COLUMN held_at timestamptz;
CREATE INDEX skill_version_safety_held_idx ON skill_version_safety (tenant_id, held_at) WHERE held_at IS NOT NULL AND overridden_at IS NULL;
