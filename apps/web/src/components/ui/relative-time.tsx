import { formatDateTime, formatRelativeTime } from '../../lib/format-time.ts';
import { useNow } from '../../lib/use-now.ts';

/** "12 s ago", ticking; the exact time is in the title and the datetime attribute. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelativeTime(iso, now)}
    </time>
  );
}
