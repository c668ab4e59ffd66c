import { Alert, Anchor, Badge, Button, Checkbox, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import {
  type TTeamPlanHealth,
  type TTeamPlanRep,
  type TTeamPlanResult,
  useCommitTeamPlans,
  useTeamPlanPreview,
} from '../../api/plan.ts';
import { Icon } from '../../components/icons.tsx';
import { keepValuesTogether } from '../../components/keep-together.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { STRONG_TEXT } from '../../theme.ts';
import { addDays } from '../plan/calendar.ts';
import { loadLevel, utilization } from '../plan/load.ts';
import { toneAlert } from '../plan/tone.ts';
import { usePlanFormat } from '../plan/use-plan-format.ts';
import { needsReplan } from './replan-choice.ts';

type HealthRep = TTeamPlanHealth['reps'][number];

const LEVEL_TEXT = { ok: STRONG_TEXT.teal, tight: STRONG_TEXT.orange, over: STRONG_TEXT.red } as const;

/**
 * Re-planning several reps in one step (POST /api/plan/team/preview and /commit): choose the reps (those out of
 * step chosen already), preview each rep's new plan (fits or not, calls and visits required a day against
 * capacity, overdue kept, touches without a day), then commit the plans that fit, and those whose overload is
 * accepted rep by rep; a rep whose plan does not fit opens their Plan page to choose an option instead.
 */
export function ReplanTeamModal({
  opened,
  reps,
  planHref,
  onClose,
}: {
  opened: boolean;
  /** The reps the dashboard lists (the manager's team, every rep for an admin). */
  reps: HealthRep[];
  planHref: (repId: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('dashboard.replan.title')}
      size="xl"
      closeButtonProps={{ 'aria-label': t('dashboard.replan.close') }}
    >
      {opened && <ReplanFlow reps={reps} planHref={planHref} onClose={onClose} />}
    </Modal>
  );
}

function ReplanFlow({
  reps,
  planHref,
  onClose,
}: {
  reps: HealthRep[];
  planHref: (repId: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  const preview = useTeamPlanPreview();
  const commit = useCommitTeamPlans();
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(reps.filter(needsReplan).map((r) => r.repId)),
  );
  const [accepted, setAccepted] = useState<Set<string>>(() => new Set());
  const [step, setStep] = useState<'choose' | 'preview' | 'done'>('choose');
  /** The reps a refused commit named: the preview was made again for them. */
  const [refusal, setRefusal] = useState<string | null>(null);

  const runPreview = () => {
    setStep('preview');
    commit.reset();
    preview.mutate({ repIds: [...chosen] });
  };

  if (step === 'done' && commit.data) return <Committed result={commit.data} onClose={onClose} />;

  if (step === 'choose') {
    const toggle = (repId: string, on: boolean) =>
      setChosen((prev) => {
        const next = new Set(prev);
        if (on) next.add(repId);
        else next.delete(repId);
        return next;
      });
    return (
      <Stack gap="sm">
        <Text fz="sm">{t('dashboard.replan.choose')}</Text>
        <Stack gap={6} data-testid="replan-choose">
          {reps.map((r) => (
            <Checkbox
              key={r.repId}
              checked={chosen.has(r.repId)}
              onChange={(event) => toggle(r.repId, event.currentTarget.checked)}
              label={r.name}
              description={
                !r.plan
                  ? t('dashboard.planHealth.noPlan')
                  : r.expired
                    ? t('dashboard.planHealth.expired', { date: format.day(r.plan.to) })
                    : r.inStep
                      ? t('dashboard.planHealth.inStep')
                      : t('dashboard.planHealth.outOfStep', { count: r.affected })
              }
              data-rep={r.repId}
            />
          ))}
        </Stack>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('dashboard.replan.cancel')}
          </Button>
          <Button disabled={chosen.size === 0} onClick={runPreview}>
            {t('dashboard.replan.preview', { count: chosen.size })}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (preview.isError) {
    return (
      <Stack gap="sm">
        <Alert
          {...toneAlert('red')}
          icon={<Icon name="alert" />}
          role="alert"
          title={t('dashboard.replan.failed')}
        >
          {preview.error.message}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setStep('choose')}>
            {t('dashboard.replan.back')}
          </Button>
        </Group>
      </Stack>
    );
  }
  if (!preview.data || preview.isPending)
    return <PageLoader label={t('dashboard.replan.previewing')} minHeight={160} />;

  const result = preview.data;
  const fit = result.reps.filter((r) => r.fits);
  const over = result.reps.filter((r) => !r.fits && accepted.has(r.repId));
  const leftOut = result.reps.length - fit.length - over.length;
  const toCommit = [...fit, ...over].map((r) => r.repId);

  const onCommit = () => {
    setRefusal(null);
    commit.mutate(
      { repIds: toCommit, acceptOverloadFor: over.map((r) => r.repId) },
      {
        onSuccess: () => setStep('done'),
        onError: (error) => {
          // Planned again at commit, a plan that fitted may no longer fit: show the plans as they are now.
          if (error instanceof ApiError && error.status === 409) {
            setRefusal(error.message);
            preview.mutate({ repIds: result.reps.map((r) => r.repId) });
          }
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      <Text fz="sm" c="dimmed">
        {keepValuesTogether((values) => t('dashboard.replan.scope', values), {
          from: format.day(result.from),
          to: format.day(addDays(result.to, -1)),
        })}
      </Text>
      {refusal && (
        <Alert
          {...toneAlert('orange')}
          icon={<Icon name="alert" />}
          role="alert"
          title={t('dashboard.replan.refused')}
          data-testid="replan-refused"
        >
          {refusal}
        </Alert>
      )}
      <PreviewTable
        reps={result.reps}
        accepted={accepted}
        onAccept={(repId, on) =>
          setAccepted((prev) => {
            const next = new Set(prev);
            if (on) next.add(repId);
            else next.delete(repId);
            return next;
          })
        }
        planHref={planHref}
      />
      {leftOut > 0 && (
        <Text fz="sm" c={STRONG_TEXT.orange} data-testid="replan-left-out">
          {t('dashboard.replan.leftOut', { count: leftOut })}
        </Text>
      )}
      {commit.error && !(commit.error instanceof ApiError && commit.error.status === 409) && (
        <Alert
          {...toneAlert('red')}
          icon={<Icon name="alert" />}
          role="alert"
          title={t('dashboard.replan.refused')}
        >
          {commit.error.message}
        </Alert>
      )}
      <Group justify="space-between" gap="xs">
        <Button variant="default" onClick={() => setStep('choose')}>
          {t('dashboard.replan.back')}
        </Button>
        <Button
          color="teal.9"
          disabled={toCommit.length === 0}
          loading={commit.isPending}
          onClick={onCommit}
          data-testid="replan-commit"
        >
          {over.length > 0
            ? t('dashboard.replan.commitWithOverload', { count: toCommit.length, accepted: over.length })
            : t('dashboard.replan.commit', { count: toCommit.length })}
        </Button>
      </Group>
    </Stack>
  );
}

function PreviewTable({
  reps,
  accepted,
  onAccept,
  planHref,
}: {
  reps: TTeamPlanRep[];
  accepted: ReadonlySet<string>;
  onAccept: (repId: string, on: boolean) => void;
  planHref: (repId: string) => string;
}) {
  const { t } = useTranslation();
  const format = usePlanFormat();
  // The column for what to do about a plan that does not fit, only when one does not.
  const anyOver = reps.some((r) => !r.fits);
  const load = (required: number, capacity: number) => {
    const used = utilization(required, capacity);
    return (
      <Text span fz="sm" c={LEVEL_TEXT[loadLevel(used)]}>
        {t('dashboard.replan.load', {
          required: format.decimal(required),
          capacity: format.number(capacity),
        })}
      </Text>
    );
  };
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table verticalSpacing={6} horizontalSpacing="xs" fz="sm" data-testid="replan-preview">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('dashboard.replan.rep')}</Table.Th>
            <Table.Th scope="col">{t('dashboard.replan.fit')}</Table.Th>
            <Table.Th scope="col" className="numeric">
              {t('dashboard.replan.calls')}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t('dashboard.replan.visits')}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t('dashboard.replan.overdue')}
            </Table.Th>
            <Table.Th scope="col" className="numeric">
              {t('dashboard.replan.unplaced')}
            </Table.Th>
            {anyOver && <Table.Th scope="col">{t('dashboard.replan.whenOver')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reps.map((r) => (
            <Table.Tr key={r.repId} data-testid="replan-rep" data-rep={r.repId} data-fits={String(r.fits)}>
              <Table.Th scope="row" fw={500}>
                {r.name}
                <Text fz="xs" c="dimmed">
                  {t('dashboard.replan.accounts', { count: r.accounts })}
                </Text>
              </Table.Th>
              <Table.Td>
                {r.fits ? (
                  <Badge color="teal" c={STRONG_TEXT.teal} variant="light" radius="sm" tt="none">
                    {t('dashboard.replan.fits')}
                  </Badge>
                ) : (
                  <Badge color="red" c={STRONG_TEXT.red} variant="light" radius="sm" tt="none">
                    {t('dashboard.replan.doesNotFit')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td className="numeric">{load(r.required.call, r.capacity.callsPerDay)}</Table.Td>
              <Table.Td className="numeric">{load(r.required.visit, r.capacity.visitsPerDay)}</Table.Td>
              <Table.Td className="numeric">{format.number(r.overdue.call + r.overdue.visit)}</Table.Td>
              <Table.Td className="numeric" c={r.unplaced > 0 ? STRONG_TEXT.red : undefined}>
                {format.number(r.unplaced)}
              </Table.Td>
              {anyOver && (
                <Table.Td>
                  {!r.fits && (
                    <Stack gap={4}>
                      <Anchor
                        component={Link}
                        to={planHref(r.repId)}
                        fz="sm"
                        aria-label={t('dashboard.replan.openPlanLabel', { name: r.name })}
                      >
                        {t('dashboard.replan.openPlan')}
                      </Anchor>
                      <Checkbox
                        size="xs"
                        checked={accepted.has(r.repId)}
                        onChange={(event) => onAccept(r.repId, event.currentTarget.checked)}
                        label={t('dashboard.replan.accept')}
                        aria-label={t('dashboard.replan.acceptLabel', { name: r.name })}
                      />
                    </Stack>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Committed({ result, onClose }: { result: TTeamPlanResult; onClose: () => void }) {
  const { t } = useTranslation();
  const over = result.reps.filter((r) => r.acceptedOverload).length;
  return (
    <Stack gap="sm">
      <Alert
        {...toneAlert('teal')}
        icon={<Icon name="check" />}
        role="status"
        title={t('dashboard.replan.done', { count: result.reps.length })}
        data-testid="replan-done"
      >
        <Text fz="sm" c={STRONG_TEXT.teal}>
          {result.reps.map((r) => r.name).join(t('dashboard.replan.separator'))}
          {over > 0 && ` ${t('dashboard.replan.doneOver', { count: over })}`}
        </Text>
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onClose}>{t('dashboard.replan.close')}</Button>
      </Group>
    </Stack>
  );
}
