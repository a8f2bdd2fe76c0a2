/** Named counters the product's tests read (token calls per grant type, API calls, git calls…). */
export class CallCounts {
  private counters = new Map<string, number>();

  count(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counters].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counters.clear();
  }
}
