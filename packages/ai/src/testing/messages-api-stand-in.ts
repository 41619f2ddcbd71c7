import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JUDGE_PROMPT_MARKER, BENCHMARK_TASK_MARKER } from '../skill-benchmark';
import { REVIEW_PROMPT_MARKER } from '../skill-review';
import { SAFETY_REVIEW_PROMPT_MARKER } from '../skill-safety-review';

/** The parts of a Messages API request the stand-in looks at. */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system?: string | { type: 'text'; text: string }[];
  messages: { role: 'user' | 'assistant'; content: string | { type: string; text?: string }[] }[];
  temperature?: number;
}

export interface ReceivedRequest {
  body: MessagesRequest;
  headers: IncomingHttpHeaders;
  /** ms since the stand-in started. */
  at: number;
  system: string;
  prompt: string;
}

export interface StandInReply {
  status?: number;
  /** The assistant's text (a 200 reply). */
  text?: string;
  /** A raw JSON body instead (errors). */
  json?: unknown;
  headers?: Record<string, string>;
  usage?: { input_tokens: number; output_tokens: number };
  /** A thinking block before the text, as current models send by default. */
  thinking?: string;
  delayMs?: number;
}

export type Responder = (request: ReceivedRequest, index: number) => StandInReply | Promise<StandInReply>;

export interface MessagesApiStandIn {
  /** Pass as ANTHROPIC_BASE_URL (the SDK appends /v1/messages). */
  baseURL: string;
  requests: ReceivedRequest[];
  /** Replaces the responder (tests script one scenario after another). */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking the Anthropic Messages API (POST /v1/messages), for tests and e2e
 * runs: the real SDK is pointed at it with ANTHROPIC_BASE_URL. Every request is recorded.
 */
export async function startMessagesApiStandIn(
  responder: Responder = defaultResponder,
  options: { port?: number; host?: string } = {},
): Promise<MessagesApiStandIn> {
  const started = Date.now();
  const requests: ReceivedRequest[] = [];
  let respond = responder;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomUUID()}`, ...headers });
          res.end(JSON.stringify(body));
        };
        if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
          send(404, errorBody('not_found_error', `no route ${req.method} ${req.url}`));
          return;
        }
        let body: MessagesRequest;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequest;
        } catch {
          send(400, errorBody('invalid_request_error', 'body is not JSON'));
          return;
        }
        if (!req.headers['x-api-key'] && !req.headers.authorization) {
          send(401, errorBody('authentication_error', 'missing x-api-key'));
          return;
        }
        const received: ReceivedRequest = { body, headers: req.headers, at: Date.now() - started, system: systemText(body), prompt: promptText(body) };
        requests.push(received);
        try {
          const reply = await respond(received, requests.length - 1);
          if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
          if (reply.json !== undefined || (reply.status ?? 200) !== 200) {
            send(reply.status ?? 200, reply.json ?? errorBody('api_error', 'stand-in error'), reply.headers);
            return;
          }
          send(200, messageBody(body.model, reply.text ?? '', reply.usage, reply.thinking), reply.headers);
        } catch (error) {
          send(500, errorBody('api_error', (error as Error).message));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function messageBody(model: string, text: string, usage = estimateUsage(text), thinking?: string) {
  const thinkingBlocks = thinking ? [{ type: 'thinking', thinking, signature: `sig_${randomUUID()}` }] : [];
  return {
    id: `msg_${randomUUID().replace(/-/g, '')}`,
    type: 'message',
    role: 'assistant',
    content: [...thinkingBlocks, { type: 'text', text }],
    model,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  };
}

export function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

/** A 429 as Anthropic sends it. */
export function rateLimited(retryAfterSeconds = 0): StandInReply {
  return {
    status: 429,
    json: errorBody('rate_limit_error', 'Number of requests has exceeded your rate limit'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

function estimateUsage(text: string) {
  return { input_tokens: 400, output_tokens: Math.max(1, Math.ceil(text.length / 4)) };
}

function systemText(body: MessagesRequest): string {
  if (typeof body.system === 'string') return body.system;
  return (body.system ?? []).map((b) => b.text).join('');
}

function promptText(body: MessagesRequest): string {
  const last = body.messages[body.messages.length - 1];
  if (!last) return '';
  return typeof last.content === 'string' ? last.content : last.content.map((b) => b.text ?? '').join('');
}

/** A valid review answer with the given scores. */
export function reviewAnswer(scores: { quality: number; clarity: number; completeness: number }, summary = 'A focused, usable skill.'): string {
  const criterion = (score: number, what: string) => ({ score, suggestions: [`Add an example that shows the ${what} you expect.`] });
  return JSON.stringify({
    quality: criterion(scores.quality, 'result'),
    clarity: criterion(scores.clarity, 'wording'),
    completeness: criterion(scores.completeness, 'edge cases'),
    summary,
    suggestedDescription: 'Use this skill when the user asks for the task it describes; it walks through each step.',
  });
}

/**
 * Answers like a well-behaved model, deterministically: reviews score 7/8/6; task runs say
 * whether they followed the skill (and non-haiku models answer "with a thorough check"); the judge
 * scores 55, +10 for a thorough answer, +25 for one that followed the skill.
 */
export const defaultResponder: Responder = (request) => {
  if (request.system.includes(SAFETY_REVIEW_PROMPT_MARKER)) {
    return { text: JSON.stringify({ verdict: 'warn', findings: [], summary: 'The stand-in has no opinion of its own; it repeats the rules.' }) };
  }
  if (request.system.includes(REVIEW_PROMPT_MARKER)) {
    return { thinking: 'Reading the skill {"quality": {"score": 1}}', text: reviewAnswer({ quality: 7, clarity: 8, completeness: 6 }) };
  }
  if (request.system.includes(JUDGE_PROMPT_MARKER)) {
    // The judge is blind to the model: it can only grade what the answer says.
    const followedSkill = /following the installed skill/.test(request.prompt);
    const thorough = /with a thorough check/.test(request.prompt);
    const score = 55 + (thorough ? 10 : 0) + (followedSkill ? 25 : 0);
    return { text: JSON.stringify({ score, reasoning: 'Compared the answer with the expected outcome.' }) };
  }
  if (request.system.includes(BENCHMARK_TASK_MARKER)) {
    const withSkill = request.system.includes('You have this skill installed');
    const thorough = request.body.model.includes('haiku') ? '' : ' with a thorough check';
    return {
      text: `${withSkill ? 'Done, following the installed skill' : 'Here is an answer'}${thorough}: ${request.prompt.slice(0, 200)}`,
      usage: { input_tokens: withSkill ? 900 : 300, output_tokens: 250 },
    };
  }
  return { text: 'ok' };
};
