/** A dash for an empty cell, read out as words. */
export function NotReported({ label = 'Not reported yet' }: { label?: string }) {
  return (
    <>
      <span className="muted" aria-hidden="true">
        —
      </span>
      <span className="visually-hidden">{label}</span>
    </>
  );
}
