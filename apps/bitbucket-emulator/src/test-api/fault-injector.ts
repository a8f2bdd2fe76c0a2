import type { RequestHandler, Response } from 'express';

export const FAULT_ENDPOINTS = ['token', 'authorize', 'api', 'git'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];
export type FaultTarget = FaultEndpoint | '*';

export interface FaultRule {
  latencyMs: number;
  failNext: number;
  hangNext: number;
}

/** How an endpoint answers an injected failure, in its own format. */
export type FailureResponder = (res: Response) => void;

/**
 * Latency, failures and hangs injected into the Bitbucket paths by `POST /_emulator/faults`.
 * A rule for "*" applies to every endpoint, in addition to the endpoint's own rule.
 */
export class FaultInjector {
  private readonly rules = new Map<FaultTarget, FaultRule>();
  private readonly hanging = new Set<Response>();

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
  middleware(endpoint: FaultEndpoint, respondWithFailure: FailureResponder): RequestHandler {
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

  private hold(res: Response): void {
    this.hanging.add(res);
    res.on('close', () => this.hanging.delete(res));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
