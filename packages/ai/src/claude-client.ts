import Anthropic from '@anthropic-ai/sdk';
import type { AiConfig } from './env';

export interface ClaudeCall {
  model: string;
  system: string;
  /** The user turn. */
  prompt: string;
  /** Covers thinking and the answer: current models think before answering by default. */
  maxTokens: number;
  signal?: AbortSignal;
}

export interface ClaudeResult {
  text: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  stopReason: string | null;
}

export type AiErrorKind = 'rate_limited' | 'overloaded' | 'server_error' | 'connection' | 'timeout' | 'rejected' | 'auth' | 'malformed_output';

/** A failed model call, classified: `retryable` says whether trying again later can help. */
export class AiCallError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** What a call that was answered (and billed) but unusable cost, e.g. a malformed answer. */
    readonly usage?: { model: string; inputTokens: number; outputTokens: number },
  ) {
    super(message);
    this.name = 'AiCallError';
  }
}

export interface ClaudeClient {
  complete(call: ClaudeCall): Promise<ClaudeResult>;
}

/**
 * The Messages API through the official SDK, or null when no ANTHROPIC_API_KEY is configured.
 * The SDK's own retries stay small (ANTHROPIC_MAX_RETRIES); jobs retry on top with their backoff.
 */
export function createClaudeClient(config: AiConfig): ClaudeClient | null {
  if (!config.apiKey) return null;
  const sdk = new Anthropic({
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? undefined,
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
  });
  return {
    async complete(call) {
      const started = performance.now();
      let message: Anthropic.Message;
      try {
        message = await sdk.messages.create(
          {
            model: call.model,
            max_tokens: call.maxTokens,
            system: call.system,
            // No temperature (current models refuse sampling parameters) and no assistant prefill.
            messages: [{ role: 'user', content: call.prompt }],
          },
          { signal: call.signal },
        );
      } catch (error) {
        throw classify(error);
      }
      // Thinking blocks may come first: read the answer by block type, not by position.
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('');
      return {
        text,
        model: message.model,
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        latencyMs: Math.round(performance.now() - started),
        stopReason: message.stop_reason,
      };
    },
  };
}

function classify(error: unknown): AiCallError {
  if (error instanceof AiCallError) return error;
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return new AiCallError('timeout', 'Anthropic did not answer in time', true);
  }
  if (error instanceof Anthropic.APIUserAbortError) {
    return new AiCallError('connection', 'the call to Anthropic was cancelled', true);
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return new AiCallError('connection', `could not reach Anthropic: ${error.message}`, true);
  }
  if (error instanceof Anthropic.APIError) {
    const status = error.status ?? 0;
    if (status === 429) return new AiCallError('rate_limited', 'Anthropic rate-limited the request (429)', true, status);
    if (status === 529) return new AiCallError('overloaded', 'Anthropic is overloaded (529)', true, status);
    if (status >= 500 || status === 408 || status === 409) {
      return new AiCallError('server_error', `Anthropic answered with an error (${status})`, true, status);
    }
    if (status === 401 || status === 403) {
      return new AiCallError('auth', `Anthropic refused the API key (${status}); check ANTHROPIC_API_KEY`, false, status);
    }
    return new AiCallError('rejected', `Anthropic rejected the request (${status}): ${error.message}`, false, status);
  }
  return new AiCallError('connection', error instanceof Error ? error.message : String(error), true);
}
