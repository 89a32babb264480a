/** The settings of the health monitor, the overview, alert rules and notifications (spread into the service's config schema). */
export function monitoringConfigProperties() {
  return {};
}
