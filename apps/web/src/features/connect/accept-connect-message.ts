import { ConnectResultMessage } from '@runner-console/contracts';

/** The parts of a `message` event the trust check looks at. */
export interface ConnectMessageEventLike {
  origin: string;
  source: unknown;
  data: unknown;
}

export interface ConnectMessageExpectation {
  /** The origin of the runner's public URL: its callback page answers a refusal. */
  runnerOrigin: string | null;
  /** This dashboard's origin: the BFF's finish page answers once it has decided the flow. */
  dashboardOrigin: string;
  /** The popup this page opened for the flow. */
  popup: unknown;
}

/**
 * A Connect result posted to this page, or null when it must be ignored. Three checks, all
 * required: the message comes from the runner's origin or the dashboard's own, from the popup we
 * opened (not another window or frame of those origins), and has the contract's shape.
 */
export function acceptConnectMessage(
  event: ConnectMessageEventLike,
  expected: ConnectMessageExpectation,
): ConnectResultMessage | null {
  const fromRunner = expected.runnerOrigin !== null && event.origin === expected.runnerOrigin;
  if (!fromRunner && event.origin !== expected.dashboardOrigin) return null;
  if (expected.popup === null || expected.popup === undefined || event.source !== expected.popup) {
    return null;
  }
  const parsed = ConnectResultMessage.safeParse(event.data);
  return parsed.success ? parsed.data : null;
}

/** `https://runner.example:8443/any/path` → `https://runner.example:8443`; null when not a URL. */
export function originOfUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
