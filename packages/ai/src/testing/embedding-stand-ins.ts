import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embedOffline } from '../embeddings/builtin-embedder';

/**
 * Local HTTP servers that answer like Ollama (`POST /api/embed`) and Voyage AI
 * (`POST /v1/embeddings`), so tests drive the real clients over real HTTP. Their vectors come
 * from the offline embedder at the service's dimension: deterministic and roughly semantic.
 */
export interface StandIn {
  url: string;
  requests: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  /** Answers every request with this HTTP status and body until cleared. */
  failWith: { status: number; body: unknown } | null;
  /** Waits this long before answering. */
  delayMs: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function start(
  handle: (path: string, body: Record<string, unknown>, req: IncomingMessage) => { status: number; body: unknown },
): Promise<StandIn> {
  const standIn: StandIn = {
    url: '',
    requests: [],
    failWith: null,
    delayMs: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readJson(req).catch(() => ({}));
      const path = req.url ?? '/';
      standIn.requests.push({ path, headers: req.headers, body });
      if (standIn.delayMs > 0) await new Promise((r) => setTimeout(r, standIn.delayMs));
      if (res.destroyed) return;
      const answer = standIn.failWith ?? handle(path, body, req);
      send(res, answer.status, answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Keep-alive sockets would hold close() open until they time out.
  const close = standIn.close;
  standIn.close = () => {
    server.closeAllConnections();
    return close();
  };
  return standIn;
}

const inputs = (input: unknown): string[] => (Array.isArray(input) ? input.map(String) : [String(input ?? '')]);

/** Ollama's `/api/embed`: `{model, input}` → `{model, embeddings, total_duration, …}`; unknown models 404. */
export function startOllamaStandIn(options: { models?: Record<string, number> } = {}): Promise<StandIn> {
  const models = options.models ?? { 'nomic-embed-text': 768 };
  return start((path, body) => {
    if (path !== '/api/embed') return { status: 404, body: { error: `unknown path ${path}` } };
    const model = String(body.model ?? '');
    const dims = models[model];
    if (!dims) return { status: 404, body: { error: `model "${model}" not found, try pulling it first` } };
    const texts = inputs(body.input);
    return {
      status: 200,
      body: {
        model,
        embeddings: texts.map((t) => embedOffline(t.replace(/^search_(query|document): /, ''), dims)),
        total_duration: 1_000_000,
        load_duration: 10_000,
        prompt_eval_count: texts.length * 8,
      },
    };
  });
}

/** Voyage's `/v1/embeddings`: bearer key, `{input, model, input_type, output_dimension}` → `{data: [{embedding, index}]}`. */
export function startVoyageStandIn(options: { apiKey?: string } = {}): Promise<StandIn> {
  const apiKey = options.apiKey ?? 'test-voyage-key';
  return start((path, body, req) => {
    if (path !== '/v1/embeddings') return { status: 404, body: { detail: 'Not Found' } };
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return { status: 401, body: { detail: 'Provided API key is invalid.' } };
    }
    const texts = inputs(body.input);
    const dims = Number(body.output_dimension ?? 1024);
    return {
      status: 200,
      body: {
        object: 'list',
        // Out of order on purpose: clients must use `index`.
        data: texts.map((t, index) => ({ object: 'embedding', embedding: embedOffline(t, dims), index })).reverse(),
        model: body.model,
        usage: { total_tokens: texts.join(' ').split(/\s+/).length },
      },
    };
  });
}
