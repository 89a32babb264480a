import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../src/circuit-breaker.js';
import { manualClock } from './helper.js';

// Review of #19: a request whose client went away was recorded as the upstream's success, which
// closed a half-open circuit on no evidence at all (and reset the failures counted so far).
describe('a request that ends without a verdict on the upstream', () => {
  it('frees a half-open circuit\'s probe slot and changes nothing else', () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 }, clock);
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.release();
    expect(breaker.state).toBe('half-open');
    // The next request is the probe; its failure opens the circuit again.
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('keeps the failures counted so far', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 }, manualClock());
    breaker.recordFailure();
    breaker.release();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });
});
