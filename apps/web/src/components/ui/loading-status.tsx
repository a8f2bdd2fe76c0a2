/** A polite "Loading …" that screen readers announce, for content that has not arrived yet. */
export function LoadingStatus({ children }: { children: string }) {
  return (
    <p className="loading-status" role="status">
      <span className="spinner" aria-hidden="true" />
      {children}
    </p>
  );
}
