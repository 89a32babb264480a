/**
 * Retries as a share of traffic (Envoy's retry budget, Finagle's RetryBudget): each request
 * earns `ratio` of a retry, up to `maxTokens`, and each retry spends one. When an upstream is
 * failing for everyone, retries stop at that share instead of multiplying its load.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly ratio: number,
    private readonly maxTokens: number,
  ) {
    // A quiet gateway may still retry its first few failures.
    this.tokens = Math.min(maxTokens, 10);
  }

  deposit(): void {
    this.tokens = Math.min(this.maxTokens, this.tokens + this.ratio);
  }

  tryWithdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
