import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A small line chart of samples taken while the page is open (uPlot draws on a canvas; its styles
 * are set through the DOM, which the content security policy allows). The figure has a text
 * alternative: the latest value.
 */
export function LiveChart(props: { title: string; unit: string; samples: readonly { readonly time: number; readonly value: number | null }[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const data: uPlot.AlignedData = [props.samples.map((sample) => sample.time), props.samples.map((sample) => sample.value)];
  useEffect(() => {
    if (!host.current) return;
    chart.current = new uPlot(
      {
        width: 320,
        height: 140,
        legend: { show: false },
        // The last ten minutes up to now, whatever the samples: one sample alone would otherwise
        // leave the axis to uPlot's guess (it once spanned years).
        scales: {
          x: {
            time: true,
            range: () => {
              const now = Date.now() / 1000;
              return [now - 600, now];
            },
          },
        },
        axes: [{ stroke: '#555d6b' }, { stroke: '#555d6b', size: 50 }],
        series: [{}, { label: props.title, stroke: '#1f4fd1', width: 2, spanGaps: true, points: { show: true, size: 5 } }],
      },
      data,
      host.current,
    );
    return () => chart.current?.destroy();
  }, []);
  useEffect(() => chart.current?.setData(data), [props.samples]);
  const latest = props.samples.at(-1)?.value;
  return (
    <figure class="chart">
      <figcaption>
        {props.title}: <strong>{latest === null || latest === undefined ? 'no data' : `${latest.toFixed(latest < 10 ? 2 : 0)} ${props.unit}`}</strong>
      </figcaption>
      <div ref={host} role="img" aria-label={`${props.title} over the last minutes`} />
    </figure>
  );
}
