import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, XAxis, YAxis } from 'recharts';

export interface WeekPoint {
  label: string;
  plannedCalls: number;
  doneCalls: number;
  plannedVisits: number;
  doneVisits: number;
}

interface Props {
  points: readonly WeekPoint[];
  channel: 'calls' | 'visits';
  labels: { planned: string; done: string };
}

/**
 * Planned against done per week for one channel, as paired bars. Drawing only: the same numbers (each a link
 * to its accounts) are in the table below it, so the chart is hidden from screen readers and takes no focus.
 */
export default function WeeklyChart({ points, channel, labels }: Props) {
  const planned = channel === 'calls' ? 'plannedCalls' : 'plannedVisits';
  const done = channel === 'calls' ? 'doneCalls' : 'doneVisits';
  return (
    <div aria-hidden="true" style={{ width: '100%', height: 200 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={points as WeekPoint[]}
          margin={{ top: 8, right: 4, bottom: 0, left: -20 }}
          accessibilityLayer={false}
          barGap={2}
        >
          <CartesianGrid vertical={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis
            dataKey="label"
            tickLine={false}
            axisLine={false}
            interval="preserveStartEnd"
            tick={{ fill: 'var(--mantine-color-gray-7)', fontSize: 11 }}
          />
          <YAxis
            allowDecimals={false}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--mantine-color-gray-7)', fontSize: 11 }}
          />
          <Legend iconType="square" iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey={planned}
            name={labels.planned}
            fill="var(--mantine-color-indigo-2)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey={done}
            name={labels.done}
            fill="var(--mantine-color-indigo-7)"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
