import { useSyncExternalStore } from 'react';

// One shared clock for every ticking time on the page, running only while something listens.
// Times are whole seconds so that two reads within the same render agree.
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let now = currentSecond();

function currentSecond() {
  return Math.floor(Date.now() / 1000) * 1000;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = currentSecond();
    for (const notify of listeners) notify();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function getSnapshot() {
  // While no clock runs, the stored time is stale; read the real one.
  if (timer === undefined) now = currentSecond();
  return now;
}

/** The current time in ms (whole seconds), updated every second while the component is mounted. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getSnapshot);
}
