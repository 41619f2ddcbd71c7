import { randomUUID } from 'node:crypto';
import { CliError, EXIT, type ExitCode } from './cli-error';

export interface ApiClientOptions {
  origin: string;
  key: string | null;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

/** The everyskill server's /api/v1, with every failure turned into a one-line CliError. */
export class ApiClient {
  readonly origin: string;
  private readonly key: string | null;
  private readonly doFetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.origin = options.origin;
    this.key = options.key;
    this.doFetch = options.fetch ?? fetch;
  }

  get<T>(path: string, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  /** A GET of a public document outside /api/v1 (the workspace's keys), sent without the key. */
  async getPublic<T>(path: string): Promise<T> {
    const response = await this.send('GET', path, undefined, {}, { prefix: '', withKey: false });
    const json = await readJson(response);
    if (response.ok) return json as T;
    throw this.refusal(response.status, json as ErrorBody);
  }

  /** A POST answered with a JSON body whatever its status (the device token poll). */
  async postRaw(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await this.send('POST', path, body, {});
    return { status: response.status, body: await readJson(response) };
  }

  private async request<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
    const response = await this.send(method, path, body, headers);
    const json = await readJson(response);
    if (response.ok) return json as T;
    throw this.refusal(response.status, json as ErrorBody);
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    target: { prefix: string; withKey: boolean } = { prefix: '/api/v1', withKey: true },
  ): Promise<Response> {
    const url = `${this.origin}${target.prefix}${path}`;
    try {
      return await this.doFetch(url, {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': 'everyskill-cli',
          'x-request-id': randomUUID(),
          ...(this.key && target.withKey ? { authorization: `Bearer ${this.key}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError('unreachable', `cannot reach ${this.origin} (${why}); check the address and your network`, EXIT.unreachable);
    }
  }

  private refusal(status: number, body: ErrorBody): CliError {
    const message = body?.error?.message ?? `the server answered ${status}`;
    const code = body?.error?.code ?? `http_${status}`;
    const exit: ExitCode =
      status === 401 || status === 403
        ? EXIT.auth
        : status === 404
          ? EXIT.notFound
          : status === 409
            ? EXIT.refused
            : status === 400
              ? EXIT.usage
              : EXIT.failure;
    if (status === 401) {
      return new CliError(code, `${this.origin} refused the key (${message}); it may have expired or been revoked: run everyskill login ${this.origin}`, exit);
    }
    return new CliError(code, message, exit);
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError('bad_response', `the server answered ${response.status} with something that is not JSON; is this an EverySkill server?`, EXIT.failure);
  }
}
