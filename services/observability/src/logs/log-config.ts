/** The settings of log ingestion, search, tail and retention (spread into the service's config schema). */
export function logConfigProperties() {
  return {};
}
