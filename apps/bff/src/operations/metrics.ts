import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import client from 'prom-client';

/**
 * Prometheus metrics for one BFF instance, in a registry of its own (tests start several instances
 * in one process). Served by `startMetricsServer` on its own listener (METRICS_HOST:METRICS_PORT,
 * loopback by default), never on the public one: the figures say how busy the service is and which
 * routes are used, which is nobody's business but the operator's.
 */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'runner_console_bff_' });
  // Gauges that prom-client names `…_total`, which promtool's lint rejects (a counter's suffix).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`runner_console_bff_${name}`);
  }

  const httpDuration = new client.Histogram({
    name: 'runner_console_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern (never raw ids) and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const connectStarted = new client.Counter({ name: 'runner_console_connect_flows_started_total', help: 'Connect flows started.', registers: [registry] });
  const connectCompleted = new client.Counter({ name: 'runner_console_connect_flows_completed_total', help: 'Connect flows that ended connected.', registers: [registry] });
  const connectFailed = new client.Counter({
    name: 'runner_console_connect_flows_failed_total',
    help: 'Connect flows that ended failed, by failure code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const connectConfirmation = new client.Histogram({
    name: 'runner_console_connect_confirmation_seconds',
    help: 'From a Connect flow being started to its result (connected) being sent to the dashboard.',
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const busLag = new client.Histogram({
    name: 'runner_console_cluster_bus_lag_seconds',
    help: 'From another instance sending a cluster message to this instance receiving it (clock skew between machines adds to it).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });

  return {
    registry,
    /** Express middleware: times every request, labelled with the route pattern that handled it. */
    httpTiming(req: Request, res: Response, next: NextFunction) {
      const end = httpDuration.startTimer();
      res.once('finish', () => {
        end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) });
      });
      next();
    },
    flowStarted() {
      connectStarted.inc();
    },
    /** `startedAt`: ms since the epoch. */
    flowFinished(flow: { status: string; failureCode?: string | null; startedAt: number }) {
      if (flow.status === 'connected') {
        connectCompleted.inc();
        const seconds = (Date.now() - flow.startedAt) / 1000;
        if (Number.isFinite(seconds) && seconds >= 0) connectConfirmation.observe(seconds);
      } else if (flow.status === 'failed') {
        connectFailed.inc({ code: flow.failureCode ?? 'unknown' });
      }
    },
    busLag(seconds: number) {
      busLag.observe(Math.max(0, seconds));
    },
    /** A gauge read when Prometheus scrapes (open streams, connected runners, the pool). */
    gauge(name: string, help: string, read: () => number | undefined) {
      new client.Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const value = read();
          if (value !== undefined) this.set(value);
        },
      });
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The route pattern (`/api/runners/:runnerId`), never the path with its ids: a label per runner
 * would grow without bound. Requests no route handled are grouped by what served them.
 */
function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  if (req.path.startsWith('/api/')) return 'unmatched_api';
  if (req.path.startsWith('/assets/')) return 'static';
  return 'other';
}

/** The metrics listener: GET /metrics in Prometheus's text format, nothing else. */
export async function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://x').pathname !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    metrics.registry
      .metrics()
      .then((text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text))
      .catch(() => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Collecting metrics failed.\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}/metrics` };
}
