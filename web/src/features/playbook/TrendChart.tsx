import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, XAxis, YAxis } from 'recharts';

export interface TrendPoint {
  period: string;
  /** The week as the axis names it, by the day it starts (10月5日 / Oct 5). */
  label: string;
  met: number;
  /** 0..100, or null when nothing was met that period. */
  rate: number | null;
}

/**
 * Times met per week (bars) and the share followed by a meeting or next step (line). Drawing only: the same
 * numbers are in the table beside it, so the chart is hidden from screen readers and takes no focus.
 */
export default function TrendChart({ points }: { points: readonly TrendPoint[] }) {
  return (
    <div aria-hidden="true" style={{ width: '100%', height: 180 }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart
          data={points as TrendPoint[]}
          margin={{ top: 8, right: 4, bottom: 0, left: -16 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis
            dataKey="label"
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--mantine-color-gray-7)', fontSize: 11 }}
          />
          <YAxis
            yAxisId="met"
            allowDecimals={false}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--mantine-color-gray-7)', fontSize: 11 }}
          />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} hide />
          <Bar
            yAxisId="met"
            dataKey="met"
            fill="var(--mantine-color-indigo-2)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            dataKey="rate"
            stroke="var(--mantine-color-teal-7)"
            strokeWidth={2.5}
            dot={{ r: 3, fill: 'var(--mantine-color-teal-7)' }}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
