import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';

export interface ChartRow {
  label: string;
  count: number;
}

interface Props {
  rows: readonly ChartRow[];
  formatNumber: (value: number) => string;
}

const ROW_HEIGHT = 34;

/**
 * Matching accounts per province as horizontal bars. Drawing only: the same numbers are in the table
 * beside it for keyboard and screen-reader users, so the chart is hidden from them and takes no focus.
 */
export default function ProvinceChart({ rows, formatNumber }: Props) {
  const longest = rows.reduce((max, row) => Math.max(max, row.label.length), 2);
  return (
    <div aria-hidden="true" style={{ width: '100%', height: Math.max(rows.length, 1) * ROW_HEIGHT + 16 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          data={rows as ChartRow[]}
          layout="vertical"
          margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
          accessibilityLayer={false}
          barCategoryGap={6}
        >
          <CartesianGrid horizontal={false} stroke="var(--mantine-color-gray-2)" />
          <XAxis type="number" hide allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="label"
            width={Math.min(140, 16 + longest * 14)}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--mantine-color-gray-8)', fontSize: 13 }}
          />
          <Bar
            dataKey="count"
            fill="var(--mantine-color-indigo-6)"
            radius={[0, 4, 4, 0]}
            isAnimationActive={false}
          >
            <LabelList
              dataKey="count"
              position="right"
              formatter={(value: unknown) => formatNumber(Number(value))}
              style={{ fill: 'var(--mantine-color-gray-9)', fontSize: 12, fontWeight: 600 }}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
