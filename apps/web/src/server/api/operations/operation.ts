import type { ApiKeyScope, ApiOperation } from '@everyskill/contracts';
import type { ApiCtx, HostTenantCtx, KeyedRead } from './serve-operation';

/** `{slug: string; version: string}` for `/skills/{slug}/versions/{version}`. */
export type PathParams<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name]: string } & PathParams<Rest>
  : Record<never, never>;

type Documented<Path extends string> = Omit<ApiOperation, 'path' | 'anonymous'> & { path: Path };

/**
 * One /api/v1 operation: its documentation and contract schemas (the OpenAPI document is generated
 * from them), its scope, and its handler, which calls one core service. serve-operation.ts is the
 * one wrapper around the handler: key or host, rate limits, the scope, errors.
 */
export type V1Operation = KeyOperation | HostOperation | KeyedReadOperation;

/** Needs an API key: ctx is the key's, the request is charged to its limits and `scope` is required. */
export interface KeyOperation extends ApiOperation {
  access: 'key';
  handle(request: Request, ctx: ApiCtx, params: Record<string, string>): Promise<Response>;
}

/** Comes before any key (the command's device sign-in): the workspace is the request's host's. */
export interface HostOperation extends ApiOperation {
  access: 'host';
  anonymous: true;
  handle(request: Request, ctx: HostTenantCtx, params: Record<string, string>): Promise<Response>;
}

/**
 * A read that checks the API key inside its own statement (GET a skill: one statement, where the
 * key lookup and tenant transaction of a KeyOperation would be three more round trips). It needs
 * only the request's headers and path, so the production dispatcher serves it without Web objects.
 */
export interface KeyedReadOperation extends ApiOperation {
  access: 'key-in-read';
  scope: ApiKeyScope;
  /** The read's input from the path; what it throws is answered after the key has been checked. */
  input(params: Record<string, string>): unknown;
  /** Checks the key (checkApiKeyRow), calls `admit` before it uses anything it read, returns the JSON body. */
  read(keyed: KeyedRead, input: unknown): Promise<unknown>;
}

// The helpers type a handler's params from its path; the router passes exactly those names.

/** An operation that needs an API key. */
export function keyOperation<const Path extends string>(
  op: Documented<Path> & { handle(request: Request, ctx: ApiCtx, params: PathParams<Path>): Promise<Response> },
): KeyOperation {
  return { ...op, access: 'key' } as KeyOperation;
}

/** An operation without a key, for the host's workspace. */
export function hostOperation<const Path extends string>(
  op: Documented<Path> & { handle(request: Request, ctx: HostTenantCtx, params: PathParams<Path>): Promise<Response> },
): HostOperation {
  return { ...op, access: 'host', anonymous: true } as HostOperation;
}

/** A read that checks the key in its own statement. */
export function keyedReadOperation<const Path extends string, I>(
  op: Documented<Path> & { scope: ApiKeyScope; input(params: PathParams<Path>): I; read(keyed: KeyedRead, input: I): Promise<unknown> },
): KeyedReadOperation {
  return { ...op, access: 'key-in-read' } as unknown as KeyedReadOperation;
}
