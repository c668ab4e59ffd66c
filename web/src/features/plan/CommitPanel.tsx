import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { type TPlanRequest, type TPlanResult, useCommitPlan } from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { useDescribeOption } from './describe-option.ts';
import { CHANNELS, planUtilization, utilization } from './load.ts';
import { toneAlert } from './tone.ts';
import { usePlanFormat } from './use-plan-format.ts';

interface Props {
  request: TPlanRequest;
  plan: TPlanResult;
  /** The preview on screen is for the request (not an earlier one still shown while loading). */
  current: boolean;
  onCommitted: (result: TPlanResult) => void;
  /**
   * The open planned touches a commit replaces from the plan's first day: whether a committed plan is in force and
   * how many of its open touches go. Null while unknown.
   */
  replaces: { committed: boolean; open: number } | null;
}

const NO_OPTION = 'none';

/**
 * Commit the plan. When it does not fit, the options come first, each with its resulting load; the plan is
 * committed only with an option picked or the overload accepted in so many words (never silently).
 */
export function CommitPanel({ request, plan, current, onCommitted, replaces }: Props) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const describe = useDescribeOption();
  const commit = useCommitPlan();
  const [choice, setChoice] = useState<string | null>(null);
  const [accept, setAccept] = useState(false);

  // The options are recomputed after a refused commit (an option may already be applied): a choice that is
  // no longer offered counts as none.
  const picked = choice == null || choice === NO_OPTION ? null : Number(choice);
  const optionIndex = picked != null && picked < plan.options.length ? picked : null;
  const option = optionIndex == null ? null : plan.options[optionIndex];
  const fitsAfterChoice = plan.fits || Boolean(option?.result.fits);
  // Nothing to plan (the rep owns no account in the market): committing would only clear the calendar.
  const empty = plan.accounts === 0;
  const canCommit = current && !empty && (fitsAfterChoice || accept);
  const overChannels = CHANNELS.filter((channel) => planUtilization(plan, channel) > 1);

  const onCommit = () => {
    commit.mutate(
      {
        ...request,
        ...(optionIndex != null ? { option: optionIndex } : {}),
        ...(accept && !plan.fits ? { acceptOverload: true } : {}),
      },
      {
        onSuccess: (result) => {
          setChoice(null);
          setAccept(false);
          onCommitted(result);
        },
      },
    );
  };

  const overloadText = [
    ...overChannels.map((channel) =>
      t('plan.commit.overChannel', {
        channel: t(`plan.channel.${channel}s`),
        required: format.decimal(plan.required[channel]?.perWorkingDay),
        capacity: format.number(plan.capacity[channel]?.perDay),
        share: Number.isFinite(planUtilization(plan, channel))
          ? format.percent(planUtilization(plan, channel))
          : '∞',
      }),
    ),
    ...(plan.unplaced > 0 ? [t('plan.commit.unplaced', { count: plan.unplaced })] : []),
  ].join(t('plan.commit.separator'));

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-commit-title">
      <Stack gap="md">
        <Title order={2} fz="h4" id="plan-commit-title">
          {plan.fits ? t('plan.commit.title') : t('plan.options.title')}
        </Title>

        {!plan.fits && (
          <>
            <Text fz="sm">{t('plan.options.intro', { details: overloadText })}</Text>
            {plan.options.length > 0 ? (
              <Radio.Group
                value={choice}
                onChange={(value) => {
                  setChoice(value);
                  commit.reset();
                }}
                label={t('plan.options.pick')}
                description={t('plan.options.pickHint')}
              >
                <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" mt="xs" data-testid="plan-options">
                  {plan.options.map((candidate, index) => {
                    const { title, effect } = describe(candidate, Boolean(request.repId));
                    return (
                      <Radio.Card
                        // biome-ignore lint/suspicious/noArrayIndexKey: the index is the option's identity for the API
                        key={index}
                        value={String(index)}
                        radius="md"
                        p="md"
                        className="option-card"
                      >
                        <Group wrap="nowrap" align="flex-start" gap="sm">
                          <Radio.Indicator mt={2} />
                          <Stack gap={6} style={{ minWidth: 0 }}>
                            <Text fw={600} fz="sm">
                              {title}
                            </Text>
                            <Stack gap={2}>
                              {CHANNELS.map((channel) => {
                                const required = candidate.result.required[channel]?.perWorkingDay ?? 0;
                                const perDay = candidate.result.capacity[channel]?.perDay ?? 0;
                                const used = utilization(required, perDay);
                                return (
                                  <Text key={channel} fz="xs" c={used > 1 ? STRONG_TEXT.red : 'dimmed'}>
                                    {t('plan.options.load', {
                                      channel: t(`plan.channel.${channel}s`),
                                      required: format.decimal(required),
                                      capacity: format.number(perDay),
                                      share: Number.isFinite(used) ? format.percent(used) : '∞',
                                    })}
                                  </Text>
                                );
                              })}
                            </Stack>
                            <Group gap="xs" wrap="wrap">
                              <Badge
                                size="sm"
                                radius="sm"
                                tt="none"
                                variant="light"
                                color={candidate.result.fits ? 'teal' : 'orange'}
                                c={candidate.result.fits ? STRONG_TEXT.teal : STRONG_TEXT.orange}
                              >
                                {candidate.result.fits
                                  ? t('plan.options.fitsAfter')
                                  : candidate.result.unplaced
                                    ? t('plan.options.stillUnplaced', { count: candidate.result.unplaced })
                                    : t('plan.options.stillOver')}
                              </Badge>
                              <Text fz="xs" c="dimmed">
                                {effect}
                              </Text>
                            </Group>
                          </Stack>
                        </Group>
                      </Radio.Card>
                    );
                  })}
                  <Radio.Card value={NO_OPTION} radius="md" p="md" className="option-card">
                    <Group wrap="nowrap" align="flex-start" gap="sm">
                      <Radio.Indicator mt={2} />
                      <Stack gap={4}>
                        <Text fw={600} fz="sm">
                          {t('plan.options.none')}
                        </Text>
                        <Text fz="xs" c="dimmed">
                          {t('plan.options.noneHint')}
                        </Text>
                      </Stack>
                    </Group>
                  </Radio.Card>
                </SimpleGrid>
              </Radio.Group>
            ) : (
              <Text fz="sm" c="dimmed">
                {t('plan.options.noOptions')}
              </Text>
            )}

            <Checkbox
              checked={accept}
              onChange={(event) => {
                setAccept(event.currentTarget.checked);
                commit.reset();
              }}
              label={
                option?.result.fits
                  ? t('plan.commit.acceptIfStill', { details: overloadText })
                  : option
                    ? t('plan.commit.acceptAfterOption', { details: overloadText })
                    : t('plan.commit.accept', { details: overloadText })
              }
              color="red.8"
              data-testid="plan-accept"
            />
          </>
        )}

        {empty ? (
          <Text fz="sm" data-testid="plan-empty">
            {t('plan.commit.empty')}
          </Text>
        ) : (
          plan.fits && (
            <Text fz="sm">{t('plan.commit.fitsBody', { count: plan.touches, accounts: plan.accounts })}</Text>
          )
        )}

        <Group justify="space-between" wrap="wrap" gap="sm">
          <Text fz="xs" c="dimmed" maw={520} data-testid="plan-commit-replaces">
            {replaces && replaces.open > 0
              ? t('plan.commit.replacesCount', { count: replaces.open, date: format.day(plan.from) })
              : t('plan.commit.replaces')}
          </Text>
          <Button
            className="button-wrap"
            onClick={onCommit}
            disabled={!canCommit}
            loading={commit.isPending}
            leftSection={<Icon name="check" size={18} />}
          >
            {replaces?.committed
              ? t('plan.commit.replaceButton', { count: replaces.open, date: format.day(plan.from) })
              : t('plan.commit.button')}
          </Button>
        </Group>

        {commit.isError && (
          <Alert
            {...toneAlert('red')}
            icon={<Icon name="alert" />}
            title={
              commit.error instanceof ApiError && commit.error.status === 409
                ? t('plan.commit.refused')
                : t('plan.commit.failed')
            }
            role="alert"
          >
            {commit.error.message}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** What was committed: the plan id, the counts and the option applied. */
export function CommittedNote({
  result,
  forRep,
  onClose,
}: {
  result: TPlanResult;
  forRep: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const describe = useDescribeOption();
  return (
    <Alert
      {...toneAlert('teal')}
      icon={<Icon name="check" />}
      title={t('plan.commit.done')}
      withCloseButton
      closeButtonLabel={t('plan.commit.dismiss')}
      onClose={onClose}
      role="status"
      data-testid="plan-committed"
    >
      <Stack gap={4}>
        <Text fz="sm" c={STRONG_TEXT.teal}>
          {t('plan.commit.doneBody', { touches: result.touches, accounts: result.accounts })}
        </Text>
        <Text fz="sm">
          {t('plan.commit.planId')} <Code>{result.planId}</Code>
        </Text>
        {result.appliedOption && (
          <Text fz="sm">
            {t('plan.commit.applied', { option: describe(result.appliedOption, forRep).title })}
          </Text>
        )}
        {!result.fits && <Text fz="sm">{t('plan.commit.overloadAccepted')}</Text>}
      </Stack>
    </Alert>
  );
}
