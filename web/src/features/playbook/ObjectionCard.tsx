import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TPlaybookObjection, TResponseSort } from '../../api/playbook.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { Effectiveness } from './Effectiveness.tsx';
import { Highlighted } from './Highlighted.tsx';
import { apiLang, inLang, objectionTitle, sortResponses } from './text.ts';

interface Props {
  objection: TPlaybookObjection;
  sort: TResponseSort;
  query: string;
  /** Responses the search matched (shown even when not first). */
  matchedResponseIds?: readonly string[];
  canEdit: boolean;
  onQuickView: () => void;
  onWhatWorks: () => void;
  onEdit: () => void;
}

/** One objection in the list: what the customer says, the response to give first, and how well it works. */
export function ObjectionCard({
  objection,
  sort,
  query,
  matchedResponseIds = [],
  canEdit,
  onQuickView,
  onWhatWorks,
  onEdit,
}: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = apiLang(format.language);
  const responses = sortResponses(objection.responses, sort);
  const first = responses[0];
  const matched = responses.filter((r) => r !== first && matchedResponseIds.includes(r.id));
  const headingId = `objection-${objection.id}`;
  return (
    <Paper
      component="article"
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'lg' }}
      className="objection-card"
      aria-labelledby={headingId}
      data-testid="objection-card"
      data-code={objection.code}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
          <div style={{ minWidth: 0 }}>
            <Group gap="xs" wrap="wrap" align="center">
              <Title order={2} fz="lg" id={headingId}>
                <Highlighted text={objectionTitle(objection, lang)} query={query} />
              </Title>
              {!objection.isDefault && (
                <Badge variant="light" color="grape" c="grape.9" radius="sm" tt="none" size="sm">
                  {t('playbook.teamOwn')}
                </Badge>
              )}
            </Group>
            <Text fz="md" c="gray.8" mt={4} className="objection-text">
              “<Highlighted text={inLang(objection, lang)} query={query} />”
            </Text>
          </div>
          <Text fz="sm" c="gray.7" className="nowrap tabular" ta="right">
            {t('playbook.metTimes', { count: objection.stats.count })}
          </Text>
        </Group>

        {first ? (
          <div className="response-preview">
            <Group gap={6} mb={4}>
              <Badge
                size="sm"
                radius="sm"
                tt="none"
                variant={first.preferred ? 'filled' : 'light'}
                color={first.preferred ? '#066649' : 'indigo'}
              >
                {first.preferred ? t('playbook.preferred') : t('playbook.bestWorking')}
              </Badge>
              <Effectiveness stats={first.stats} kind="used" fz="xs" />
            </Group>
            <Text fz="sm" lh={1.65} lineClamp={query ? undefined : 3}>
              <Highlighted text={inLang(first, lang)} query={query} />
            </Text>
          </div>
        ) : (
          <Text fz="sm" c="dimmed">
            {t('playbook.noResponses')}
          </Text>
        )}

        {matched.map((response) => (
          <div key={response.id} className="response-preview response-preview-alt">
            <Group gap={6} mb={4}>
              <Badge size="sm" radius="sm" tt="none" variant="light" color="gray" c="gray.8">
                {t('playbook.alternative')}
              </Badge>
              <Effectiveness stats={response.stats} kind="used" fz="xs" />
            </Group>
            <Text fz="sm" lh={1.65}>
              <Highlighted text={inLang(response, lang)} query={query} />
            </Text>
          </div>
        ))}

        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fz="xs" c="dimmed">
            {t('playbook.responsesCount', { count: objection.responses.length })}
          </Text>
          <Group gap="xs" wrap="wrap">
            {canEdit && (
              <Button
                variant="subtle"
                size="sm"
                leftSection={<Icon name="pencil" size={16} />}
                onClick={onEdit}
                aria-label={t('playbook.editNamed', { name: objectionTitle(objection, lang) })}
              >
                {t('playbook.editButton')}
              </Button>
            )}
            <Button
              variant="default"
              size="sm"
              leftSection={<Icon name="dashboard" size={16} />}
              onClick={onWhatWorks}
              aria-label={t('playbook.whatWorksNamed', { name: objectionTitle(objection, lang) })}
            >
              {t('playbook.whatWorks.button')}
            </Button>
            <Button
              size="sm"
              onClick={onQuickView}
              leftSection={<Icon name="phone" size={16} />}
              aria-label={t('playbook.quickViewNamed', { name: objectionTitle(objection, lang) })}
              data-testid="open-quick-view"
            >
              {t('playbook.quickView')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
