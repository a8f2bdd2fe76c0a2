import type { RequestHandler, Response } from 'express';

/** The endpoints every emulator lets tests disturb. */
export const FAULT_ENDPOINTS = ['token', 'authorize', 'api', 'git'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];
export type FaultTarget = FaultEndpoint | '*';

/** How a rate-limit answer looks: the status and how long until the limit resets. */
export interface RateLimitSettings {
  status: 403 | 429;
  resetSeconds: number;
}

export interface FaultRule {
  latencyMs: number;
  failNext: number;
  hangNext: number;
  /** The next N requests are answered as rate limited (see `rateLimit`). Optional, so rules stay as they were. */
  rateLimitNext?: number;
  rateLimit?: RateLimitSettings;
}

/** How an endpoint answers an injected failure, in its own format. */
export type FailureResponder = (res: Response) => void;

/**
 * How an endpoint answers an injected rate limit, in its own format. `resetAt` is the epoch
 * second the limit ends (for `x-ratelimit-reset`), `retryAfterSeconds` the wait (`Retry-After`).
 */
export type RateLimitResponder = (
  res: Response,
  limit: { status: 403 | 429; resetAt: number; retryAfterSeconds: number },
) => void;

/** The plain answer when an emulator has no rate-limit format of its own. */
export const plainRateLimitResponder: RateLimitResponder = (res, limit) => {
  res
    .status(limit.status)
    .set({
      'Retry-After': String(limit.retryAfterSeconds),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(limit.resetAt),
    })
    .type('text/plain')
    .send('Rate limit exceeded.\n');
};

const DEFAULT_RATE_LIMIT: RateLimitSettings = { status: 429, resetSeconds: 60 };

/**
 * Latency, failures, rate limits and hangs injected into an emulator's provider paths by
 * `POST /_emulator/faults`. A rule for "*" applies to every endpoint, in addition to the
 * endpoint's own rule.
 */
export class FaultInjector {
  private readonly rules = new Map<FaultTarget, FaultRule>();
  private readonly hanging = new Set<Response>();

  /** @param now the emulator's clock (epoch milliseconds), for `x-ratelimit-reset`. */
  constructor(private readonly now: () => number = Date.now) {}

  /** Merges the given settings into the target's rule. */
  configure(target: FaultTarget, settings: Partial<FaultRule>): FaultRule {
    const rule = {
      ...(this.rules.get(target) ?? { latencyMs: 0, failNext: 0, hangNext: 0 }),
      ...settings,
    };
    this.rules.set(target, rule);
    return rule;
  }

  clear(): void {
    this.rules.clear();
  }

  snapshot(): Partial<Record<FaultTarget, FaultRule>> {
    return Object.fromEntries(this.rules);
  }

  /** Middleware that applies the rules for one endpoint before its handler runs. */
  middleware(
    endpoint: FaultEndpoint,
    respondWithFailure: FailureResponder,
    respondRateLimited: RateLimitResponder = plainRateLimitResponder,
  ): RequestHandler {
    return async (_req, res, next) => {
      const latency = this.latencyFor(endpoint);
      if (latency > 0) await delay(latency);
      if (this.consume(endpoint, 'hangNext')) {
        this.hold(res);
        return;
      }
      if (this.consume(endpoint, 'failNext')) {
        respondWithFailure(res);
        return;
      }
      const rateLimit = this.consumeRateLimit(endpoint);
      if (rateLimit) {
        const resetAt = Math.ceil(this.now() / 1000) + rateLimit.resetSeconds;
        respondRateLimited(res, {
          status: rateLimit.status,
          resetAt,
          retryAfterSeconds: rateLimit.resetSeconds,
        });
        return;
      }
      next();
    };
  }

  /** Drops every hanging connection (on shutdown). */
  releaseHanging(): void {
    for (const res of this.hanging) res.socket?.destroy();
    this.hanging.clear();
  }

  private latencyFor(endpoint: FaultEndpoint): number {
    return (this.rules.get(endpoint)?.latencyMs ?? 0) + (this.rules.get('*')?.latencyMs ?? 0);
  }

  private consume(endpoint: FaultEndpoint, counter: 'failNext' | 'hangNext'): boolean {
    for (const target of [endpoint, '*'] as const) {
      const rule = this.rules.get(target);
      if (rule && rule[counter] > 0) {
        rule[counter] -= 1;
        return true;
      }
    }
    return false;
  }

  private consumeRateLimit(endpoint: FaultEndpoint): RateLimitSettings | undefined {
    for (const target of [endpoint, '*'] as const) {
      const rule = this.rules.get(target);
      if (rule?.rateLimitNext && rule.rateLimitNext > 0) {
        rule.rateLimitNext -= 1;
        return rule.rateLimit ?? DEFAULT_RATE_LIMIT;
      }
    }
    return undefined;
  }

  private hold(res: Response): void {
    this.hanging.add(res);
    res.on('close', () => this.hanging.delete(res));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
