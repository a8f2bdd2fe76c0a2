import type { RunnerPhase } from '@runner-console/contracts';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { RUNNER_PHASE_BADGES } from '../runner-labels.ts';

export function RunnerPhaseBadge({ phase }: { phase: RunnerPhase }) {
  const { tone, label } = RUNNER_PHASE_BADGES[phase];
  return <StatusBadge tone={tone}>{label}</StatusBadge>;
}
