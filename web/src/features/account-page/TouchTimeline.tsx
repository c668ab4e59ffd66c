import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TAccountProfile, TActivity } from '../../api/account-page.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { ChannelIcon } from '../touches/ChannelIcon.tsx';
import { formatMoment } from '../touches/dates.ts';
import { OutcomeBadge } from '../touches/OutcomeBadge.tsx';
import { SectionCard } from './SectionCard.tsx';

const FIRST = 15;

interface Props {
  touches: TActivity[] | undefined;
  error: Error | null;
  profile: TAccountProfile | undefined;
  currentYear: string;
  /** The workspace's time zone: each touch's date and time on its clock (the browser's while not loaded). */
  timeZone?: string;
}

/** Every logged call and visit, newest first, with the objection met, the response used, note and next step. */
export function TouchTimeline({ touches, error, profile, currentYear, timeZone }: Props) {
  const { t } = useTranslation();
  const { language } = useFormat();
  const lang = language === 'en' ? 'en' : 'zh';
  const [all, setAll] = useState(false);

  const objections = new Map(profile?.objections.map((o) => [o.id, o]) ?? []);
  const people = new Map(profile?.people.map((p) => [p.id, p.name]) ?? []);
  const shown = touches ? (all ? touches : touches.slice(0, FIRST)) : [];

  return (
    <SectionCard
      title={t('account.timeline.title')}
      aside={touches ? t('account.timeline.count', { count: touches.length }) : undefined}
      testId="timeline"
    >
      {error ? (
        <Alert color="red" variant="light" icon={<Icon name="alert" />}>
          {error.message}
        </Alert>
      ) : !touches ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      ) : touches.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('account.timeline.empty')}
        </Text>
      ) : (
        <Stack gap="sm">
          <ol className="plain-list divided timeline">
            {shown.map((touch) => {
              const objection = touch.objectionId ? objections.get(touch.objectionId) : undefined;
              const response = objection?.responses.find((r) => r.id === touch.responseId);
              const by = touch.userId ? people.get(touch.userId) : undefined;
              return (
                <li key={touch.id} data-testid="timeline-entry">
                  <Group gap="sm" wrap="nowrap" align="flex-start" py="sm">
                    <ChannelIcon channel={touch.channel} size={30} />
                    <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                      <Group gap={8} wrap="wrap" align="center">
                        <Text fz="sm" fw={600}>
                          {t(`logForm.channels.${touch.channel}`)}
                        </Text>
                        <OutcomeBadge channel={touch.channel} outcome={touch.outcome} />
                        <Text fz="xs" c="dimmed" component="span">
                          <time dateTime={touch.occurredAt}>
                            {formatMoment(touch.occurredAt, language, currentYear, timeZone)}
                          </time>
                          {by && ` · ${by}`}
                        </Text>
                      </Group>
                      {touch.objectionId && (
                        <Text fz="sm">
                          <Text span c="dimmed" fz="sm">
                            {t('account.timeline.objection')}
                          </Text>
                          {objection
                            ? objection.label[lang] || objection[lang]
                            : t('account.timeline.unknownObjection')}
                        </Text>
                      )}
                      {response && (
                        <Text fz="sm" className="quote" lineClamp={3}>
                          <Text span c="dimmed" fz="sm">
                            {t('account.timeline.response')}
                          </Text>
                          {response[lang]}
                        </Text>
                      )}
                      {touch.note && (
                        <Text fz="sm" className="timeline-note">
                          {touch.note}
                        </Text>
                      )}
                      {touch.nextStep && (
                        <Text fz="sm">
                          <Text span c="dimmed" fz="sm">
                            {t('account.timeline.nextStep')}
                          </Text>
                          {touch.nextStep}
                        </Text>
                      )}
                    </Stack>
                  </Group>
                </li>
              );
            })}
          </ol>
          {touches.length > FIRST && (
            <Button variant="subtle" size="sm" onClick={() => setAll((v) => !v)} aria-expanded={all}>
              {all
                ? t('account.timeline.showFewer')
                : t('account.timeline.showAll', { count: touches.length })}
            </Button>
          )}
        </Stack>
      )}
    </SectionCard>
  );
}
