import { HOLIDAY_COUNTRIES, type THolidayCountry } from '../../../../src/schemas/plan.ts';

/**
 * The holiday schedules to pick from: China (with 调休) and weekends only first, then the other countries by
 * their names in the interface language (Intl.DisplayNames), in that language's order.
 */
export function countryOptions(
  language: string,
  label: { cn: string; none: string; others: string },
): { group: string; items: { value: THolidayCountry; label: string }[] }[] {
  const names = new Intl.DisplayNames([language], { type: 'region' });
  const others = HOLIDAY_COUNTRIES.filter((c) => c !== 'CN' && c !== 'none')
    .map((value) => ({ value, label: `${names.of(value) ?? value} (${value})` }))
    .sort((a, b) => a.label.localeCompare(b.label, language));
  return [
    {
      group: label.cn,
      items: [
        { value: 'CN', label: label.cn },
        { value: 'none', label: label.none },
      ],
    },
    { group: label.others, items: others },
  ];
}

/** A holiday schedule's name as the pickers show it: China and weekends only by their labels, else the region. */
export function holidayScheduleName(
  country: THolidayCountry,
  language: string,
  label: { cn: string; none: string },
): string {
  if (country === 'CN') return label.cn;
  if (country === 'none') return label.none;
  return `${new Intl.DisplayNames([language], { type: 'region' }).of(country) ?? country} (${country})`;
}
