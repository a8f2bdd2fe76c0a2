import { useCallback, useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/**
 * After a refused Save: the first field that says what is wrong comes into view whole, clear of a
 * sticky dialog footer, and takes focus. The browser's own scroll on focus moves only as far as the
 * control's edge, which leaves the error under the footer (and at 390 px the field cut off), so
 * focus here never scrolls; the field is centred in its scrolling box instead.
 */
export function revealFirstError(container: ParentNode | null | undefined): boolean {
  const control = container?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!control) return false;
  control.focus({ preventScroll: true });
  const field = control.closest<HTMLElement>('.field') ?? control;
  // A field taller than most of the view (a long hint at 390 px) centres its control instead.
  const tall = field.getBoundingClientRect().height > window.innerHeight * 0.6;
  (tall ? control : field).scrollIntoView({ block: 'center', inline: 'nearest' });
  return true;
}

/**
 * `reveal()` asks for `revealFirstError` in `containerRef` once the errors set in the same event
 * are on screen. Call it from a form's invalid handler and wherever server errors are set.
 */
export function useRevealFirstError<T extends HTMLElement>(
  containerRef?: RefObject<T | null>,
): { containerRef: RefObject<T | null>; reveal: () => void } {
  const ownRef = useRef<T>(null);
  const ref = containerRef ?? ownRef;
  const [requests, setRequests] = useState(0);
  useEffect(() => {
    if (requests === 0) return;
    if (revealFirstError(ref.current)) return;
    // The error may land a frame later (react-hook-form publishes its state on its own tick).
    const frame = requestAnimationFrame(() => revealFirstError(ref.current));
    return () => cancelAnimationFrame(frame);
  }, [requests, ref]);
  const reveal = useCallback(() => setRequests((count) => count + 1), []);
  return { containerRef: ref, reveal };
}
