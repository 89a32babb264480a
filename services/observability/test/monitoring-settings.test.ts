import { describe, expect, it } from 'vitest';
import { buildMonitoring } from './helper.js';

describe('monitoring settings', () => {
  it('refuses to start with a webhook network that is no CIDR, or a retention too short for 7-day windows, naming the variable', async () => {
    await expect(buildMonitoring({ env: { ALERT_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,intranet' } })).rejects.toThrow(/ALERT_WEBHOOK_ALLOWED_NETWORKS: "intranet" is not an address or CIDR/);
    await expect(buildMonitoring({ env: { HEALTH_HISTORY_RETENTION_DAYS: '3' } })).rejects.toThrow(/HEALTH_HISTORY_RETENTION_DAYS/);
    await expect(buildMonitoring({ env: { SERVICE_CHECK_INTERVAL_MS: 'often' } })).rejects.toThrow(/SERVICE_CHECK_INTERVAL_MS/);
    await expect(buildMonitoring({ env: { REGISTRY_SERVICE_URL: 'file:///etc/passwd' } })).rejects.toThrow(/REGISTRY_SERVICE_URL/);
  });
});
