import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { connectFlowQueries } from './api/connect-flow-queries.ts';

const PARAM = 'connectFlow';

/**
 * After the same-tab path the runner sends the browser back with `?connectFlow=<id>`. Reads that
 * flow's outcome once, and takes the parameter out of the address so a reload does not repeat it.
 */
export function useReturnedConnectFlow() {
  const [searchParams, setSearchParams] = useSearchParams();
  const [flowId] = useState(() => searchParams.get(PARAM));

  useEffect(() => {
    if (!flowId) return;
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete(PARAM);
        return next;
      },
      { replace: true },
    );
  }, [flowId, setSearchParams]);

  return useQuery({ ...connectFlowQueries.detail(flowId ?? ''), enabled: flowId !== null });
}
