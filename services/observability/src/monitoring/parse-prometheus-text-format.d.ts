// The package ships no types; this is the shape its README documents (prom2json's output).
declare module 'parse-prometheus-text-format' {
  interface ParsedSample {
    readonly labels?: Record<string, string>;
    readonly value?: string;
    readonly buckets?: Record<string, string>;
    readonly quantiles?: Record<string, string>;
    readonly count?: string;
    readonly sum?: string;
  }
  interface ParsedFamily {
    readonly name: string;
    readonly help: string;
    readonly type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    readonly metrics: readonly ParsedSample[];
  }
  function parsePrometheusTextFormat(text: string): ParsedFamily[];
  export default parsePrometheusTextFormat;
}
