import type { RunnerKind, RunnerPhase } from '@runner-console/contracts';
import type { StatusTone } from '../../components/ui/status-badge.tsx';

export const RUNNER_KIND_LABELS: Record<RunnerKind, string> = {
  local: 'Local',
  'self-hosted': 'Self-hosted',
};

export const RUNNER_PHASE_BADGES: Record<RunnerPhase, { tone: StatusTone; label: string }> = {
  active: { tone: 'success', label: 'active' },
  inactive: { tone: 'neutral', label: 'inactive' },
  created: { tone: 'info', label: 'Waiting for first connection' },
  degraded: { tone: 'warning', label: 'degraded' },
};
