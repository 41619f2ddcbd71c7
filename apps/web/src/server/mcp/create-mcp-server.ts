import 'server-only';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { apiSearchQuery, feedbackKinds, skillCategories, skillSlug, skillVersionString } from '@everyskill/contracts';
import { isAppError, type Ctx } from '@everyskill/core';
import { skillNoticesFor } from '@everyskill/core/agent-skills/skill-notices';
import { getAgentSkill } from '@everyskill/core/agent-skills/get-agent-skill';
import { getSkillFilesForAgent } from '@everyskill/core/agent-skills/get-skill-files';
import { listAgentSkills } from '@everyskill/core/agent-skills/list-agent-skills';
import { reportAgentUsage } from '@everyskill/core/agent-skills/report-agent-usage';
import { searchSkillsForAgent } from '@everyskill/core/search/search-skills-for-agent';
import { submitFeedback } from '@everyskill/core/skills/submit-feedback';
import { z } from 'zod';
import { getBuildInfo } from '../build-info';
import { logger } from '../logger';
import { withBlobs } from '../api/skills-ctx';

/** Tool results are JSON text (every MCP client shows text); failures carry isError and a message for people. */
async function run(ctx: Ctx, work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const value = await work();
    return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
  } catch (error) {
    if (isAppError(error)) return { isError: true, content: [{ type: 'text', text: `${error.code}: ${error.message}` }] };
    logger.error('mcp tool failed', { requestId: ctx.requestId, error: error instanceof Error ? error.message : String(error) });
    return { isError: true, content: [{ type: 'text', text: `internal: something went wrong; quote request id ${ctx.requestId}` }] };
  }
}

const name = skillSlug.describe('The skill name, e.g. "pdf-tools"');
const version = skillVersionString.optional().describe('A published version such as "1.2.0"; the latest when omitted');

/** One MCP server per request (stateless Streamable HTTP), its tools bound to the key's ctx. */
export function createMcpServer(ctx: Ctx): McpServer {
  const server = new McpServer(
    { name: 'everyskill', version: getBuildInfo().version },
    {
      instructions:
        'EverySkill is your company’s registry of agent skills. Search it before starting a task, install a skill ' +
        'with install_skill (write each returned file under <skills folder>/<name>/), and call report_usage once ' +
        'each time you use a skill.',
    },
  );

  server.registerTool(
    'search_skills',
    {
      title: 'Search skills',
      description:
        'Find skills of your company by what they do, described in your own words ("turn my outline into slides") or by name. ' +
        'The same search as the portal: words and meaning combined, best first. Each result has its name, description, version, ' +
        'score, match (words, meaning or both), uses, installs, rating and status (deprecated skills are marked). When meaning-based ' +
        'search is unavailable the answer says degraded: true with the reason, and matches words only.',
      inputSchema: {
        query: apiSearchQuery.shape.q.describe('What you need, e.g. "fill PDF forms"'),
        category: apiSearchQuery.shape.category.describe('Only skills of this category'),
        tag: apiSearchQuery.shape.tag.describe('Only skills with this tag, e.g. "pdf"'),
        limit: z.number().int().min(1).max(50).default(10).describe('How many results (at most 50)'),
        offset: z.number().int().min(0).max(200).default(0).describe('Skip this many results, for the next page when hasMore is true'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, ...filters }) => run(ctx, () => searchSkillsForAgent(ctx, { q: query, ...filters }, { source: 'mcp' })),
  );

  server.registerTool(
    'list_skills',
    {
      title: 'List skills',
      description: 'Browse the skills you may use, most used first, optionally by category or tag.',
      inputSchema: {
        category: z.enum(skillCategories).optional(),
        tag: z.string().max(32).optional(),
        page: z.number().int().min(1).max(10_000).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => run(ctx, () => listAgentSkills(ctx, { ...args, pageSize: 25 })),
  );

  server.registerTool(
    'get_skill',
    {
      title: 'Get a skill',
      description: 'A skill’s metadata and its SKILL.md instructions (latest version unless one is given).',
      inputSchema: { name, version },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      run(ctx, async () => {
        const skill = await getAgentSkill(ctx, { slug: args.name, version: args.version });
        // Deprecation, and withdrawn versions this person installed: the agent should say so.
        return { ...skill, notices: await skillNoticesFor(ctx, skill.slug) };
      }),
  );

  server.registerTool(
    'install_skill',
    {
      title: 'Install a skill',
      description:
        'Every file of a skill, to write into your skills folder as <skills folder>/<name>/<path> (e.g. ~/.claude/skills/<name>/SKILL.md). ' +
        'Text files come as UTF-8, binary files as base64, with the version\'s signed attestation (DSSE envelope; keys at /.well-known/everyskill/keys.json) ' +
        'and its safety scan (`safety`: verdict and findings; tell the user about any warning before using the skill). ' +
        'Counts as an install (each call counts one).',
      inputSchema: { name, version },
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) => run(ctx, () => getSkillFilesForAgent(withBlobs(ctx), { slug: args.name, version: args.version }, { source: 'mcp' })),
  );

  server.registerTool(
    'report_usage',
    {
      title: 'Report a use',
      description:
        'Call once each time you use (invoke) a skill for a task. Send a fresh UUID as idempotency_key per use; a retry with the same key counts once.',
      inputSchema: {
        name,
        version,
        idempotency_key: z.string().trim().min(8).max(150).describe('A UUID unique to this use'),
      },
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      run(ctx, () =>
        reportAgentUsage(ctx, { skill: args.name, version: args.version, kind: 'use', idempotencyKey: args.idempotency_key, source: 'mcp' }),
      ),
  );

  server.registerTool(
    'submit_feedback',
    {
      title: 'Give feedback on a skill',
      description: 'A thumbs up or down, a suggestion or a bug report on a skill, for its author. Secrets in the text are redacted.',
      inputSchema: {
        name,
        kind: z.enum(feedbackKinds),
        body: z.string().max(5000).optional().describe('What worked or what went wrong; needed for suggestions and bug reports'),
        version,
      },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    (args) => run(ctx, () => submitFeedback(ctx, { slug: args.name, kind: args.kind, body: args.body, version: args.version, source: 'mcp' })),
  );

  return server;
}
