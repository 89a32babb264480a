/**
 * What the running gateway says about the instances of a service it balances, read from its own
 * /metrics (`gateway_upstream_instance_available{upstream,instance}`): the gateway is the one
 * that decides where requests go, so a rolling restart asks it, not the instance.
 */
export interface GatewayBalanceView {
  /**
   * Waits until the gateway sends new requests to every one of these instances (`host:port` as
   * the gateway was given them). `undefined` when it does, or when there is no gateway to ask
   * (nothing balances then); otherwise the first instance it still does not send to.
   */
  waitUntilServed(upstream: string, instances: readonly string[], timeoutMs: number): Promise<string | undefined>;
}

export function gatewayBalanceView(gatewayUrl: string | undefined, isCancelled: () => boolean = () => false, pollMs = 200): GatewayBalanceView {
  return {
    async waitUntilServed(upstream, instances, timeoutMs) {
      if (gatewayUrl === undefined || instances.length === 0) return undefined;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const available = await availability(gatewayUrl, upstream);
        // No gateway answering, or it balances nothing for this service (one instance): nothing to wait for.
        if (available === undefined || available.size === 0) return undefined;
        const waiting = instances.find((instance) => available.get(instance) !== true);
        if (waiting === undefined || Date.now() >= deadline || isCancelled()) return waiting;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
  };
}

/** Each instance of the upstream and whether the gateway sends to it; undefined when the gateway does not answer. */
async function availability(gatewayUrl: string, upstream: string): Promise<Map<string, boolean> | undefined> {
  let text: string;
  try {
    const response = await fetch(`${gatewayUrl}/metrics`, { signal: AbortSignal.timeout(1_000) });
    if (!response.ok) return undefined;
    text = await response.text();
  } catch {
    return undefined;
  }
  const found = new Map<string, boolean>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('gateway_upstream_instance_available{')) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    if (labelValue(labels, 'upstream') !== upstream) continue;
    const instance = labelValue(labels, 'instance');
    if (instance !== undefined) found.set(instance, Number(line.slice(line.lastIndexOf('}') + 1).trim()) === 1);
  }
  return found;
}

function labelValue(labels: string, name: string): string | undefined {
  return new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1];
}
