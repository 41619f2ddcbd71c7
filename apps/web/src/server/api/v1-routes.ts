import * as deviceCode from '@/app/api/v1/device/code/route';
import * as deviceToken from '@/app/api/v1/device/token/route';
import * as logout from '@/app/api/v1/logout/route';
import * as openApi from '@/app/api/v1/openapi.json/route';
import * as resolve from '@/app/api/v1/resolve/route';
import * as search from '@/app/api/v1/search/route';
import * as skill from '@/app/api/v1/skills/[ref]/route';
import * as skillDownload from '@/app/api/v1/skills/[ref]/download/route';
import * as skillDeprecate from '@/app/api/v1/skills/[ref]/deprecate/route';
import * as skillFeedback from '@/app/api/v1/skills/[ref]/feedback/route';
import * as skillFiles from '@/app/api/v1/skills/[ref]/files/route';
import * as skillVersion from '@/app/api/v1/skills/[ref]/versions/[version]/route';
import * as skillVersionWithdraw from '@/app/api/v1/skills/[ref]/versions/[version]/withdraw/route';
import * as skillVersionAttestation from '@/app/api/v1/skills/[ref]/versions/[version]/attestation/route';
import * as skills from '@/app/api/v1/skills/route';
import * as usageEvents from '@/app/api/v1/usage-events/route';
import * as whoami from '@/app/api/v1/whoami/route';
import type { DirectRoute } from './direct-dispatch';

/**
 * Every /api/v1 route file (but the catch-all, whose 404 Next keeps answering) with the methods
 * it exports, served by the direct dispatcher in production. v1-routes.test.ts fails when this
 * and the files on disk disagree.
 */
export const v1Routes: readonly DirectRoute[] = [
  { pattern: '/api/v1/openapi.json', handlers: { GET: openApi.GET } },
  { pattern: '/api/v1/whoami', handlers: { GET: whoami.GET } },
  { pattern: '/api/v1/search', handlers: { GET: search.GET } },
  { pattern: '/api/v1/usage-events', handlers: { POST: usageEvents.POST } },
  { pattern: '/api/v1/skills', handlers: { GET: skills.GET, POST: skills.POST } },
  { pattern: '/api/v1/skills/[ref]', handlers: { GET: skill.GET } },
  { pattern: '/api/v1/skills/[ref]/download', handlers: { GET: skillDownload.GET } },
  { pattern: '/api/v1/skills/[ref]/feedback', handlers: { POST: skillFeedback.POST } },
  { pattern: '/api/v1/skills/[ref]/versions/[version]', handlers: { GET: skillVersion.GET } },
  { pattern: '/api/v1/skills/[ref]/versions/[version]/withdraw', handlers: { POST: skillVersionWithdraw.POST } },
  { pattern: '/api/v1/skills/[ref]/files', handlers: { GET: skillFiles.GET } },
  { pattern: '/api/v1/skills/[ref]/deprecate', handlers: { POST: skillDeprecate.POST } },
  { pattern: '/api/v1/resolve', handlers: { POST: resolve.POST } },
  { pattern: '/api/v1/logout', handlers: { POST: logout.POST } },
  { pattern: '/api/v1/device/code', handlers: { POST: deviceCode.POST } },
  { pattern: '/api/v1/device/token', handlers: { POST: deviceToken.POST } },
  { pattern: '/api/v1/skills/[ref]/versions/[version]/attestation', handlers: { GET: skillVersionAttestation.GET } },
];
