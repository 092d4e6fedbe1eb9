/** ECharts with only the parts the dashboard uses (bar and line charts on a canvas). */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSeries {
  name: string;
  kind: 'bar' | 'line';
  values: (number | null)[];
}

/**
 * Draws a category chart into `container`, which gets `data-chart-ready="true"` once ECharts has
 * finished rendering (tests wait for it), and follows the container's size.
 */
export function renderChart(container: HTMLElement, categories: string[], series: ChartSeries[], unit: string): void {
  const chart = echarts.init(container, undefined, { renderer: 'canvas' });
  chart.on('finished', () => container.setAttribute('data-chart-ready', 'true'));
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { show: series.length > 1, top: 0 },
    grid: { left: 8, right: 8, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 40 : 0 } },
    yAxis: { type: 'value', name: unit },
    series: series.map((s) => ({ name: s.name, type: s.kind, data: s.values })),
  });
  new ResizeObserver(() => chart.resize()).observe(container);
}
