import { z } from 'zod';
import { apiErrorSchema } from './common';
import type { ApiOperation } from './api-v1';

type JsonSchema = Record<string, unknown>;

const errorDescriptions: Record<number, string> = {
  400: 'invalid_input: the request does not match the contract',
  401: 'unauthorized: missing, malformed, unknown, revoked or expired key, or a key of another workspace',
  403: 'forbidden: the key lacks the scope, or the role does not allow it',
  404: 'not_found: no such skill or version in the key’s workspace',
  409: 'conflict: for example, that version was already published',
  429: 'rate_limited: too many requests for the key or the workspace; see Retry-After',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameters(op: ApiOperation): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, object] of [
    ['path', op.pathParams],
    ['query', op.query],
  ] as const) {
    if (!object) continue;
    const json = schemaOf(object, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = schema;
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const [name, header] of Object.entries(op.headers ?? {})) {
    list.push({ name, in: 'header', required: false, description: header.description, schema: header.schema ?? { type: 'string' } });
  }
  return list;
}

function operation(op: ApiOperation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const content: Record<string, JsonSchema> = {};
    if (response.json) content['application/json'] = { schema: schemaOf(response.json, 'output') };
    for (const [type, binary] of Object.entries(response.content ?? {})) {
      content[type] = { schema: { type: 'string', contentMediaType: type, description: binary.description } };
    }
    responses[status] = { description: response.description, ...(Object.keys(content).length ? { content } : {}) };
  }
  for (const status of op.errors) {
    responses[String(status)] = {
      description: errorDescriptions[status] ?? 'error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(op.scope ? { 'x-required-scope': op.scope } : {}),
    // The device sign-in comes before the command has a key: the host decides the workspace.
    security: op.anonymous ? [] : [{ apiKey: [] }],
    ...(parameters(op).length ? { parameters: parameters(op) } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { [op.body.contentType]: { schema: schemaOf(op.body.schema, 'input') } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' zod contracts, in their order. */
export function buildOpenApiDocument(operations: readonly ApiOperation[], options: { serverUrl: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'EverySkill API',
      version: options.version,
      description:
        'Find, fetch, publish and report on your company’s agent skills. Authenticate with an API key (`Authorization: Bearer rlk_…`) created on your profile page; the key decides the workspace.',
    },
    servers: [{ url: `${options.serverUrl.replace(/\/+$/, '')}/api/v1` }],
    tags: [
      { name: 'Skills', description: 'Find, read, download and publish skills' },
      { name: 'Usage', description: 'Report uses and feedback from agents' },
      { name: 'Account', description: 'The key itself' },
      { name: 'Command line', description: 'Signing in the everyskill command' },
    ],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'rlk_ API key' } },
      schemas: { Error: schemaOf(apiErrorSchema, 'output') },
    },
  };
}
