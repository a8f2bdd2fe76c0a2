import type { Environment } from '@runner-console/contracts';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { ENVIRONMENT_PHASE_BADGES } from '../environment-labels.ts';

export function EnvironmentPhaseBadge({ phase }: { phase: Environment['phase'] }) {
  const badge = ENVIRONMENT_PHASE_BADGES[phase];
  return <StatusBadge tone={badge.tone}>{badge.label}</StatusBadge>;
}
