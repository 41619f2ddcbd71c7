import 'server-only';
import {
  apiDeprecateResult,
  apiFeedbackInput,
  apiFeedbackResult,
  apiListQuery,
  apiLogoutResult,
  apiPublishResult,
  apiRefParams,
  apiSearchQuery,
  apiSearchResult,
  apiSkillDetail,
  apiSkillList,
  apiSkillVersion,
  apiSlugParams,
  apiUsageEventInput,
  apiUsageEventResult,
  apiAttestationQuery,
  apiVersionAttestation,
  apiVersionParams,
  apiWhoami,
  apiWithdrawResult,
  apiDownloadQuery,
  deprecateSkillInput,
  deviceCodeRequest,
  deviceCodeResponse,
  deviceTokenRequest,
  deviceTokenResponse,
  parseSkillRef,
  publishMultipart,
  resolveInput,
  resolveResult,
  skillFilesResult,
  skillRef,
  withdrawVersionInput,
  type DeviceWaitingCode,
} from '@everyskill/contracts';
import { getAgentSkillForKey, getAgentSkillVersionForKey } from '@everyskill/core/agent-skills/get-agent-skill';
import { getSkillVersionFiles } from '@everyskill/core/agent-skills/get-skill-files';
import { listAgentSkills } from '@everyskill/core/agent-skills/list-agent-skills';
import { reportAgentUsage } from '@everyskill/core/agent-skills/report-agent-usage';
import { resolveSkills } from '@everyskill/core/agent-skills/resolve-skills';
import { describeApiKey } from '@everyskill/core/api-keys/describe-api-key';
import { revokeApiKey } from '@everyskill/core/api-keys/revoke-api-key';
import { redeemDeviceCode } from '@everyskill/core/cli-devices/redeem-device-code';
import { startDeviceAuthorization } from '@everyskill/core/cli-devices/start-device-authorization';
import { parseInput } from '@everyskill/core/parse-input';
import { getVersionAttestation } from '@everyskill/core/provenance/get-version-attestation';
import { searchSkillsForAgent } from '@everyskill/core/search/search-skills-for-agent';
import { deprecateSkill } from '@everyskill/core/skills/deprecate-skill';
import { publishSkill } from '@everyskill/core/skills/publish-skill';
import { submitFeedback } from '@everyskill/core/skills/submit-feedback';
import { withdrawSkillVersion } from '@everyskill/core/skills/withdraw-skill-version';
import { jsonResponse } from '../api-response';
import { parseJsonBody, parseQuery, queryRecord } from '../request-input';
import { withBlobs } from '../skills-ctx';
import { downloadResponse } from './download-response';
import { hostOperation, keyedReadOperation, keyOperation, type V1Operation } from './operation';
import { readPublishForm } from './publish-form';

const common = [401, 403, 429];
const idempotencyKeyHeader = { type: 'string', minLength: 8, maxLength: 150 };

/** What the command's poll answers while it waits, by RFC 8628 code. */
const deviceWaiting = {
  authorization_pending: 'not approved yet: approve the code on the verification page',
  slow_down: 'polling too fast: wait the interval (now 5 seconds longer) between polls',
  expired_token: 'the code expired before it was approved: run everyskill login again',
  access_denied: 'the sign-in was denied on the verification page',
} as const satisfies Record<DeviceWaitingCode, string>;

/**
 * Every /api/v1 operation, once: method, path, contract schemas, scope and the handler (one core
 * service each). The router (v1-router.ts) serves this table in production and under `next dev`,
 * and the OpenAPI document is generated from it, in this order.
 */
export const v1Operations: readonly V1Operation[] = [
  keyOperation({
    operationId: 'whoami',
    method: 'get',
    path: '/whoami',
    summary: 'The key, person and workspace a request acts as',
    tag: 'Account',
    responses: { 200: { description: 'Who the key acts as', json: apiWhoami } },
    errors: [401, 429],
    handle: async (_request, ctx) => jsonResponse(await describeApiKey(ctx)),
  }),
  keyOperation({
    operationId: 'searchSkills',
    method: 'get',
    path: '/search',
    summary: 'Search skills by what they do',
    description:
      'The portal\'s search: words (name, tags, description, text; misspellings corrected) and meaning (embeddings) fused, best first, over the skills the key\'s person may see. When the embedding service is down or slow the answer comes from words alone, with `degraded: true` and the reason.',
    tag: 'Skills',
    scope: 'skills:read',
    query: apiSearchQuery,
    responses: { 200: { description: 'Best matches first', json: apiSearchResult } },
    errors: [400, ...common],
    // The service parses the query with the same contract (MCP calls it too).
    handle: async (request, ctx) => jsonResponse(await searchSkillsForAgent(ctx, queryRecord(request), { source: 'api' })),
  }),
  keyOperation({
    operationId: 'listSkills',
    method: 'get',
    path: '/skills',
    summary: 'List the skills the key may see',
    tag: 'Skills',
    scope: 'skills:read',
    query: apiListQuery,
    responses: { 200: { description: 'One page of skills', json: apiSkillList } },
    errors: [400, ...common],
    handle: async (request, ctx) => jsonResponse(await listAgentSkills(ctx, parseQuery(request, apiListQuery))),
  }),
  keyOperation({
    operationId: 'publishSkill',
    method: 'post',
    path: '/skills',
    summary: 'Publish a skill or a new version of one',
    description: 'The same publishing service as the portal: the manifest is validated, secrets are refused, the version must be new.',
    tag: 'Skills',
    scope: 'skills:publish',
    body: { contentType: 'multipart/form-data', schema: publishMultipart },
    responses: {
      201: { description: 'Published a new version', json: apiPublishResult },
      200: { description: 'Identical content was already published; nothing changed', json: apiPublishResult },
    },
    errors: [400, 409, ...common],
    handle: async (request, ctx) => {
      const result = await publishSkill(withBlobs(ctx), await readPublishForm(request));
      return jsonResponse(
        {
          skill: result.skill,
          version: { version: result.version.version, contentSha256: result.version.contentSha256 },
          created: result.created,
          newSkill: result.newSkill,
          warnings: result.warnings.map((w) => ({ path: w.path, message: w.message })),
          ...(result.heldForReview ? { heldForReview: true } : {}),
        },
        { status: result.created ? 201 : 200 },
      );
    },
  }),
  keyedReadOperation({
    operationId: 'getSkill',
    method: 'get',
    path: '/skills/{ref}',
    summary: 'A skill: metadata and SKILL.md (`name@version` pins a version)',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: apiRefParams,
    responses: { 200: { description: 'The skill', json: apiSkillDetail } },
    errors: [400, 404, ...common],
    input: (params) => parseSkillRef(parseInput(skillRef, params.ref)),
    read: async ({ db, secret, hostTenant, requestId, admit }, ref) => (await getAgentSkillForKey(db, secret, ref, { hostTenant, requestId, admit })).skill,
  }),
  keyedReadOperation({
    operationId: 'getSkillVersion',
    method: 'get',
    path: '/skills/{slug}/versions/{version}',
    summary: 'One published version of a skill',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: apiVersionParams,
    responses: { 200: { description: 'The version', json: apiSkillVersion } },
    errors: [400, 404, ...common],
    input: (params) => ({ slug: params.slug, version: params.version }),
    read: async ({ db, secret, hostTenant, requestId, admit }, input) =>
      (await getAgentSkillVersionForKey(db, secret, input, { hostTenant, requestId, admit })).version,
  }),
  keyOperation({
    operationId: 'getSkillVersionAttestation',
    method: 'get',
    path: '/skills/{slug}/versions/{version}/attestation',
    summary: "A version's signed attestation (DSSE envelope, in-toto v1 statement)",
    description:
      "Signed by the workspace's key: the bundle's and every file's SHA-256, the publisher, the safety scan and the review. Verify it against the keys at /.well-known/everyskill/keys.json on the workspace's host (docs/provenance.md). A review or a safety override adds a newer attestation; `?envelopeSha256=` fetches an earlier one by its digest (the everyskill command's lockfile records it).",
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: apiVersionParams,
    query: apiAttestationQuery,
    responses: { 200: { description: 'The latest attestation of the version, or the one `?envelopeSha256=` names', json: apiVersionAttestation } },
    errors: [400, 404, ...common],
    handle: async (request, ctx, params) => {
      const { envelopeSha256 } = parseQuery(request, apiAttestationQuery);
      return jsonResponse(await getVersionAttestation(ctx, { slug: params.slug, version: params.version, ...(envelopeSha256 ? { envelopeSha256 } : {}) }));
    },
  }),
  keyOperation({
    operationId: 'downloadSkill',
    method: 'get',
    path: '/skills/{ref}/download',
    summary: 'The skill folder as a zip or tar.gz archive',
    description:
      'The ETag is the SHA-256 of the archive; send it back as If-None-Match to get 304. `name@version` (or `?version=`) pins a version. Each 200 GET counts one install; HEAD and 304 count none, and retries that send the same `Idempotency-Key` header count once.',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: apiRefParams,
    query: apiDownloadQuery,
    headers: {
      'If-None-Match': { description: 'The ETag of an archive you have: 304 when it is still current (a list, W/ and * are understood).' },
      'Idempotency-Key': { description: 'Sent again with a retry, the download counts one install, not two.', schema: idempotencyKeyHeader },
    },
    responses: {
      200: {
        description: 'The archive',
        content: {
          'application/zip': { binary: true, description: 'format=zip (default)' },
          'application/gzip': { binary: true, description: 'format=tar.gz' },
        },
      },
      304: { description: 'Not modified: If-None-Match matched the ETag' },
    },
    errors: [400, 404, ...common],
    handle: (request, ctx, params) => downloadResponse(request, ctx, params.ref),
  }),
  keyOperation({
    operationId: 'submitFeedback',
    method: 'post',
    path: '/skills/{slug}/feedback',
    summary: 'Thumbs up/down, a suggestion or a bug report on a skill',
    tag: 'Usage',
    scope: 'usage:write',
    pathParams: apiSlugParams,
    body: { contentType: 'application/json', schema: apiFeedbackInput },
    responses: { 201: { description: 'Recorded (free text is redacted of secrets)', json: apiFeedbackResult } },
    errors: [400, 404, ...common],
    handle: async (request, ctx, params) => {
      const input = await parseJsonBody(request, apiFeedbackInput);
      const result = await submitFeedback(ctx, { slug: params.slug, ...input, source: 'api' });
      return jsonResponse(
        { id: result.id, kind: input.kind, body: result.body, feedbackPositive: result.feedbackPositive, feedbackTotal: result.feedbackTotal },
        { status: 201 },
      );
    },
  }),
  keyOperation({
    operationId: 'reportUsage',
    method: 'post',
    path: '/usage-events',
    summary: 'Report one use (an invocation) or install of a skill',
    description: 'A use is one invocation of the skill by an agent. The idempotency key makes retries safe: the same key counts once.',
    tag: 'Usage',
    scope: 'usage:write',
    headers: {
      'Idempotency-Key': {
        description: 'The idempotency key, when it is not in the body (`idempotencyKey`); one of the two is required.',
        schema: idempotencyKeyHeader,
      },
    },
    // The key may come as the Idempotency-Key header instead: optional in the body here.
    body: { contentType: 'application/json', schema: apiUsageEventInput.partial({ idempotencyKey: true }) },
    responses: { 200: { description: 'Counted, or already counted', json: apiUsageEventResult } },
    errors: [400, 404, ...common],
    handle: async (request, ctx) => {
      // The body's idempotencyKey wins over the header's.
      const event = await parseJsonBody(request, apiUsageEventInput, { idempotencyKey: request.headers.get('idempotency-key') });
      return jsonResponse(await reportAgentUsage(ctx, event));
    },
  }),
  keyOperation({
    operationId: 'resolveSkills',
    method: 'post',
    path: '/resolve',
    summary: 'What to do with installed skills: the version to use, the latest, digests and a status',
    description:
      'For each `{name, version?, digest?}` (a lockfile entry): `ok`, `outdated` (a newer version exists), `deprecated` (message and replacement), `withdrawn` (the version asked for; `version` is then the latest usable one), `blocked` or `not_found`. `digestMatches` is false when the digest sent differs from the registry\'s.',
    tag: 'Skills',
    scope: 'skills:read',
    body: { contentType: 'application/json', schema: resolveInput },
    responses: { 200: { description: 'One answer per entry, in order', json: resolveResult } },
    errors: [400, ...common],
    handle: async (request, ctx) => jsonResponse(await resolveSkills(ctx, await parseJsonBody(request, resolveInput))),
  }),
  keyOperation({
    operationId: 'getSkillFiles',
    method: 'get',
    path: '/skills/{ref}/files',
    summary: 'Every file of a version with its SHA-256 and mode, to verify and write',
    description:
      'The SHA-256 of each file is the one the version\'s manifest recorded at publish time. A withdrawn version is refused (409, with the reason and the version to take instead). Counts one install; the same `Idempotency-Key` counts once.',
    tag: 'Skills',
    scope: 'skills:read',
    pathParams: apiRefParams,
    headers: {
      'Idempotency-Key': { description: 'Sent again with a retry, the fetch counts one install, not two.', schema: idempotencyKeyHeader },
    },
    responses: { 200: { description: 'The files', json: skillFilesResult } },
    errors: [400, 404, 409, ...common],
    handle: async (request, ctx, params) => {
      const { slug, version } = parseSkillRef(params.ref);
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      return jsonResponse(await getSkillVersionFiles(withBlobs(ctx), { slug, version, idempotencyKey }, { source: 'cli' }));
    },
  }),
  keyOperation({
    operationId: 'withdrawSkillVersion',
    method: 'post',
    path: '/skills/{slug}/versions/{version}/withdraw',
    summary: 'Withdraw a version (its author or an admin), with a reason',
    description: 'The version stays listed with its reason, is never the latest again and is refused to new installs; those who installed it are notified.',
    tag: 'Skills',
    scope: 'skills:publish',
    pathParams: apiVersionParams,
    body: { contentType: 'application/json', schema: withdrawVersionInput.pick({ reason: true }) },
    responses: { 200: { description: 'Withdrawn', json: apiWithdrawResult } },
    errors: [400, 404, 409, ...common],
    handle: async (request, ctx, params) => {
      const { reason } = await parseJsonBody(request, withdrawVersionInput.pick({ reason: true }));
      const withdrawn = await withdrawSkillVersion(ctx, { slug: params.slug, version: params.version, reason });
      return jsonResponse({ ...withdrawn, withdrawnAt: withdrawn.withdrawnAt.toISOString() });
    },
  }),
  keyOperation({
    operationId: 'deprecateSkill',
    method: 'post',
    path: '/skills/{slug}/deprecate',
    summary: 'Deprecate a skill with a message and an optional replacement (its author or an admin)',
    tag: 'Skills',
    scope: 'skills:publish',
    pathParams: apiSlugParams,
    body: { contentType: 'application/json', schema: deprecateSkillInput.omit({ slug: true }) },
    responses: { 200: { description: 'Deprecated', json: apiDeprecateResult } },
    errors: [400, 404, ...common],
    handle: async (request, ctx, params) => {
      const input = await parseJsonBody(request, deprecateSkillInput.omit({ slug: true }));
      return jsonResponse(await deprecateSkill(ctx, { slug: params.slug, ...input }));
    },
  }),
  hostOperation({
    operationId: 'startDeviceAuthorization',
    method: 'post',
    path: '/device/code',
    summary: 'Start a sign-in of the everyskill command (device authorization, RFC 8628)',
    description: 'No key: the workspace is the host\'s. The person approves `userCode` at `verificationUri` while the command polls `/device/token`.',
    tag: 'Command line',
    body: { contentType: 'application/json', schema: deviceCodeRequest },
    responses: { 200: { description: 'The codes', json: deviceCodeResponse } },
    errors: [400, 404, 429],
    handle: async (request, ctx) => {
      const input = await parseJsonBody(request, deviceCodeRequest);
      const started = await startDeviceAuthorization(ctx.db, ctx.tenantId, input, { verificationUri: `${ctx.origin}/device` });
      return jsonResponse(started, { headers: { 'cache-control': 'no-store' } });
    },
  }),
  hostOperation({
    operationId: 'pollDeviceToken',
    method: 'post',
    path: '/device/token',
    summary: 'Poll for the key of an approved sign-in',
    description:
      'Until the person decides: 400 with `error.code` `authorization_pending`, `slow_down` (poll 5 s slower), `expired_token` or `access_denied`. Once approved, the new key (`skills:read usage:write`, named after the machine, the workspace\'s key lifetime) is answered exactly once.',
    tag: 'Command line',
    body: { contentType: 'application/json', schema: deviceTokenRequest },
    responses: { 200: { description: 'The new API key, shown once', json: deviceTokenResponse } },
    errors: [400, 404, 429],
    handle: async (request, ctx) => {
      const input = await parseJsonBody(request, deviceTokenRequest);
      const outcome = await redeemDeviceCode(ctx.db, ctx.tenantId, input, { requestId: ctx.requestId });
      const headers = { 'cache-control': 'no-store' };
      if (outcome.status === 'approved') return jsonResponse(outcome.token, { headers });
      return jsonResponse({ error: { code: outcome.status, message: deviceWaiting[outcome.status] } }, { status: 400, headers });
    },
  }),
  keyOperation({
    operationId: 'logout',
    method: 'post',
    path: '/logout',
    summary: 'Revoke the key making this request',
    tag: 'Account',
    responses: { 200: { description: 'Revoked', json: apiLogoutResult } },
    errors: [401, 429],
    handle: async (_request, ctx) => {
      // The key that makes this request (the everyskill command's `logout`).
      const key = await revokeApiKey(ctx, { keyId: ctx.actor.keyId });
      return jsonResponse({ revoked: true, keyId: key.id, name: key.name });
    },
  }),
];
