import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/**
 * Validates responses against the app's own OpenAPI 3.1 document (its JSON Schemas are draft
 * 2020-12) and remembers which operations and statuses were checked, so a test can demand that
 * every operation of /api/v1 was covered.
 */
export class OpenApiValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly covered = new Set<string>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: (document as { components: Json }).components }, 'openapi');
  }

  /** Every operationId in the document. */
  operationIds(): string[] {
    const ids: string[] = [];
    for (const methods of Object.values(this.document.paths as Record<string, Record<string, Json>>)) {
      for (const op of Object.values(methods)) ids.push(String(op.operationId));
    }
    return ids.sort();
  }

  /** The operation a concrete request path and method match. */
  private find(method: string, pathname: string): { operationId: string; op: Json } {
    const paths = this.document.paths as Record<string, Record<string, Json>>;
    const relative = pathname.replace(/^\/api\/v1/, '');
    for (const [template, methods] of Object.entries(paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const op = methods[method.toLowerCase()];
      if (op && pattern.test(relative)) return { operationId: String(op.operationId), op };
    }
    throw new Error(`no operation in the OpenAPI document for ${method} ${pathname}`);
  }

  /**
   * Throws unless the status is documented for the operation and a JSON body matches its schema;
   * for a documented binary body, checks the content type is one the document lists.
   */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): string {
    const { operationId, op } = this.find(method, new URL(url).pathname);
    const responses = op.responses as Record<string, Json>;
    const documented = responses[String(status)];
    if (!documented) throw new Error(`${operationId}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
    const content = documented.content as Record<string, { schema: Json }> | undefined;
    if (!content) {
      if (body !== null && body !== undefined && body !== '') throw new Error(`${operationId} ${status}: documented without a body`);
    } else {
      const type = (contentType ?? '').split(';')[0]!.trim();
      const entry = content[type];
      if (!entry) throw new Error(`${operationId} ${status}: content type '${type}' is not documented (${Object.keys(content).join(', ')})`);
      if (type === 'application/json') {
        const schema = JSON.parse(JSON.stringify(entry.schema).replaceAll('"#/components/', '"openapi#/components/')) as Json;
        const validate = this.ajv.compile(schema);
        if (!validate(body)) {
          throw new Error(`${operationId} ${status}: the body does not match the OpenAPI schema: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
        }
      }
    }
    this.covered.add(`${operationId} ${status}`);
    return operationId;
  }
}
