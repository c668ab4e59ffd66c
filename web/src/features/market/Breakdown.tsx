import {
  Button,
  Paper,
  Progress,
  ScrollArea,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMarketPreview } from '../../../../src/schemas/market-api.ts';
import { EMPTY_VALUE } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';

// recharts is big: it loads with the first breakdown, after the form is on screen.
const ProvinceChart = lazy(() => import('./ProvinceChart.tsx'));

const CITY_ROWS = 10;

/** Where the matching accounts are: provinces as bars, cities as a table with their share. */
export function Breakdown({ preview }: { preview: TMarketPreview | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [allCities, setAllCities] = useState(false);

  if (!preview) {
    return (
      <Paper withBorder radius="md" p="md">
        <Skeleton h={220} />
      </Paper>
    );
  }

  const provinces = preview.byProvince.map((row) => ({
    label: row.province ?? t('market.breakdown.unknownPlace'),
    count: row.count,
  }));
  const cities = allCities ? preview.byCity : preview.byCity.slice(0, CITY_ROWS);
  const top = preview.byCity[0]?.count ?? 0;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="market-breakdown-title">
      <Stack gap="md">
        <Title order={2} fz="h4" id="market-breakdown-title">
          {t('market.breakdown.title')}
        </Title>
        {preview.matching === 0 ? (
          <Text c="dimmed" fz="sm">
            {t('market.breakdown.empty')}
          </Text>
        ) : (
          <SimpleGrid cols={1} spacing="lg">
            <Stack gap={6}>
              <Text fw={600} fz="sm">
                {t('market.breakdown.byProvince')}
              </Text>
              <Suspense fallback={<Skeleton h={provinces.length * 34 + 16} />}>
                <ProvinceChart rows={provinces} formatNumber={format.number} />
              </Suspense>
              <VisuallyHidden>
                <ul>
                  {provinces.map((row) => (
                    <li key={row.label}>
                      {t('market.breakdown.provinceCount', { place: row.label, count: row.count })}
                    </li>
                  ))}
                </ul>
              </VisuallyHidden>
            </Stack>
            <Stack gap={6}>
              <ScrollArea.Autosize mah={allCities ? 420 : undefined} type="auto" pos="relative">
                <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm">
                  <caption
                    style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, paddingBottom: 6 }}
                  >
                    {t('market.breakdown.byCity')}
                  </caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('market.breakdown.city')}</Table.Th>
                      <Table.Th scope="col">{t('market.breakdown.province')}</Table.Th>
                      <Table.Th scope="col" className="numeric">
                        {t('market.breakdown.count')}
                      </Table.Th>
                      <Table.Th scope="col" w="30%">
                        <VisuallyHidden>{t('market.breakdown.share')}</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {cities.map((row) => (
                      <Table.Tr key={`${row.province}|${row.city}`}>
                        <Table.Td>{row.city ?? t('market.breakdown.unknownPlace')}</Table.Td>
                        <Table.Td c="dimmed">{row.province ?? EMPTY_VALUE}</Table.Td>
                        <Table.Td className="numeric" fw={600}>
                          {format.number(row.count)}
                        </Table.Td>
                        <Table.Td>
                          <Progress
                            value={top ? (row.count / top) * 100 : 0}
                            size="sm"
                            color="indigo.5"
                            aria-hidden="true"
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
              {preview.byCity.length > CITY_ROWS && (
                <Button
                  variant="subtle"
                  size="compact-sm"
                  onClick={() => setAllCities((shown) => !shown)}
                  aria-expanded={allCities}
                  style={{ alignSelf: 'flex-start' }}
                >
                  {allCities
                    ? t('market.breakdown.fewerCities')
                    : t('market.breakdown.allCities', { count: preview.byCity.length })}
                </Button>
              )}
            </Stack>
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
