import '../features/import/import.css';
import { Alert, Button, Group, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import {
  discardImport,
  importKeys,
  type TImportFieldKey,
  type TImportJob,
  useImportJob,
  useImportJobs,
  useImportPreview,
  useRefreshAfterImport,
  useSourceReports,
  useStartImport,
} from '../api/imports.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { ConfirmStep } from '../features/import/ConfirmStep.tsx';
import { MappingStep } from '../features/import/MappingStep.tsx';
import { defaultOwnerChoice, ownerIdToSend } from '../features/import/owner-choice.ts';
import { ProgressStep } from '../features/import/ProgressStep.tsx';
import { RecentImports } from '../features/import/RecentImports.tsx';
import { ResultStep } from '../features/import/ResultStep.tsx';
import { SourceReportTable } from '../features/import/SourceReportTable.tsx';
import { type SourceDraft, SourceStep, sourceDraftErrors } from '../features/import/SourceStep.tsx';
import { UploadStep } from '../features/import/UploadStep.tsx';
import { STEPS, type Step, stepForJob } from '../features/import/wizard.ts';
import { dayIn } from '../features/touches/dates.ts';
import { useWorkspaceTimeZone } from '../i18n/workspace-time-zone.ts';

const JOB_PARAM = 'job';
type Mapping = Record<string, TImportFieldKey | null>;

/** A new source, acquired today on the workspace's clock (the browser's while its settings load). */
function emptySource(timeZone: string | undefined): SourceDraft {
  return { name: '', kind: 'purchased', cost: null, acquiredOn: dayIn(timeZone), cleaningHours: null };
}

function errorText(error: unknown, fallback: string, network: string): string {
  if (error instanceof ApiError) return error.isNetworkError ? network : error.message;
  return error instanceof Error ? error.message : fallback;
}

/**
 * Import: a wizard from a prospect list to accounts (upload, source, mapping on the first rows, confirm, live
 * progress, result with the rejected rows), then the recent imports and what each source has been worth. A failed
 * import whose file the server still keeps can be started again from its result (back to the source step with the
 * same upload). An upload made here and left before Start (another file chosen, another import opened, another
 * page) is discarded at once; one left by closing the tab waits in the recent imports until the server removes it
 * (TIERLINE_UPLOAD_TTL_HOURS).
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const [params, setParams] = useSearchParams();
  const jobId = params.get(JOB_PARAM);
  const job = useImportJob(jobId);
  const jobs = useImportJobs(10);
  const sources = useSourceReports();
  const start = useStartImport();
  const refreshAfterImport = useRefreshAfterImport();

  const [localStep, setLocalStep] = useState<Step | null>(null);
  const timeZone = useWorkspaceTimeZone();
  const [source, setSource] = useState<SourceDraft>(() => emptySource(timeZone));
  const [showSourceErrors, setShowSourceErrors] = useState(false);
  const [mapping, setMapping] = useState<Mapping>({});
  const [newerSourceWins, setNewerSourceWins] = useState(false);
  // Who owns the accounts it creates (owner-choice.ts); null: the importer's default.
  const user = useAuthStatus().data?.user ?? null;
  const importer = user ? { id: user.id, role: user.role } : null;
  const [ownerChosen, setOwnerChosen] = useState<string | null>(null);
  const owner = ownerChosen ?? (importer ? defaultOwnerChoice(importer) : null);
  // A failed import being set up again (Try again on its result): the steps before Start, on the same upload.
  const [retrying, setRetrying] = useState(false);

  const data = job.data && job.data.id === jobId ? job.data : undefined;
  const retry = retrying && data != null && data.state === 'failed' && data.retryable;
  const started = data != null && data.state !== 'uploaded' && !retry;
  let step: Step | null;
  if (!jobId) step = 'upload';
  else if (!data) step = null;
  else if (started) step = stepForJob(data);
  else step = localStep ?? 'source';

  const previewWanted = data != null && !started && (step === 'mapping' || step === 'confirm');
  const mappingSent = Object.keys(mapping).length > 0 ? mapping : null;
  const preview = useImportPreview(previewWanted ? jobId : null, source.name.trim() || null, mappingSent);

  // Focus moves to the step's heading when the step changes (not on the first render).
  const heading = useRef<HTMLHeadingElement>(null);
  const lastStep = useRef<Step | null>(step);
  useEffect(() => {
    if (step && lastStep.current && step !== lastStep.current) heading.current?.focus();
    lastStep.current = step;
  }, [step]);

  // A failed job's reason and the preview's (the rows' warnings, a file it cannot read) come in the UI's
  // language, rendered by the API for Accept-Language: when the language changes, ask for them again.
  const language = i18n.resolvedLanguage;
  const shownLanguage = useRef(language);
  const refetchJob = job.refetch;
  const refetchPreview = preview.refetch;
  useEffect(() => {
    if (shownLanguage.current === language) return;
    shownLanguage.current = language;
    if (jobId) void refetchJob();
    if (previewWanted) void refetchPreview();
  }, [language, jobId, previewWanted, refetchJob, refetchPreview]);

  // A finished import changes accounts, sources and the job list.
  const state = data?.state;
  const wasActive = useRef(false);
  useEffect(() => {
    if (state === 'queued' || state === 'running') wasActive.current = true;
    else if (wasActive.current && state) {
      wasActive.current = false;
      void refreshAfterImport();
    }
  }, [state, refreshAfterImport]);

  // Uploads made in this wizard and not started yet: discarded (DELETE) when the wizard leaves them. Only these, so
  // an upload opened from the recent imports (perhaps a teammate's) is never discarded by walking away from it.
  const queryClient = useQueryClient();
  const unstarted = useRef(new Set<string>());
  const leave = useRef((_id: string) => {});
  leave.current = (id: string) => {
    if (!unstarted.current.delete(id)) return;
    discardImport(id).then(
      () => {
        queryClient.removeQueries({ queryKey: importKeys.job(id) });
        void queryClient.invalidateQueries({ queryKey: importKeys.jobs() });
      },
      // Started meanwhile (another tab) or already gone: nothing to discard.
      () => void queryClient.invalidateQueries({ queryKey: importKeys.jobs() }),
    );
  };
  // Another job (or none: another file) in the wizard.
  const shownJob = useRef(jobId);
  useEffect(() => {
    const previous = shownJob.current;
    shownJob.current = jobId;
    if (previous && previous !== jobId) leave.current(previous);
  }, [jobId]);
  // Another page.
  useEffect(
    () => () => {
      for (const id of [...unstarted.current]) leave.current(id);
    },
    [],
  );

  const openJob = (next: TImportJob | null) => {
    setLocalStep(null);
    setRetrying(false);
    setShowSourceErrors(false);
    setMapping({});
    setNewerSourceWins(false);
    setOwnerChosen(null);
    start.reset();
    if (!next) setSource(emptySource(timeZone));
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set(JOB_PARAM, next.id);
        else updated.delete(JOB_PARAM);
        return updated;
      },
      { replace: false },
    );
  };

  const changeField = (header: string, field: TImportFieldKey | null) => {
    // Send the whole mapping as it stands, so that a remembered mapping is kept for the other columns.
    const current = preview.data?.mapping ?? [];
    setMapping((previous) => ({
      ...Object.fromEntries(current.filter((c) => !c.ignored).map((c) => [c.header, c.field])),
      ...previous,
      [header]: field,
    }));
  };

  const startImport = () => {
    if (!jobId) return;
    // Started: no longer the wizard's to discard (again if the start is refused and it stays uploaded).
    const ours = unstarted.current.delete(jobId);
    const ownerId = importer ? ownerIdToSend(importer, owner) : undefined;
    start.mutate(
      {
        id: jobId,
        body: {
          source: {
            name: source.name.trim(),
            kind: source.kind,
            ...(source.cost != null ? { cost: source.cost } : {}),
            ...(source.acquiredOn ? { acquiredOn: source.acquiredOn } : {}),
            ...(source.cleaningHours != null ? { cleaningHours: source.cleaningHours } : {}),
          },
          ...(mappingSent ? { mapping: mappingSent } : {}),
          newerSourceWins,
          ...(ownerId !== undefined ? { ownerId } : {}),
        },
      },
      {
        onSuccess: () => setRetrying(false),
        onError: () => {
          if (ours) unstarted.current.add(jobId);
        },
      },
    );
  };

  const stepIndex = step ? STEPS.indexOf(step) : 0;
  const noNameColumn = preview.data != null && !preview.data.mapping.some((c) => c.field === 'name');

  let content: React.ReactNode;
  let actions: React.ReactNode = null;
  if (jobId && job.isError && !data) {
    content = (
      <Alert
        color="red"
        variant="light"
        icon={<Icon name="alert" />}
        title={t('import.loadFailed')}
        role="alert"
      >
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">{errorText(job.error, t('errors.unknown'), t('errors.network'))}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => openJob(null)}>
            {t('import.result.another')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (step == null) {
    content = <PageLoader minHeight={200} />;
  } else if (step === 'upload') {
    content = (
      <UploadStep
        onUploaded={(uploaded) => {
          unstarted.current.add(uploaded.id);
          openJob(uploaded);
          // The recent imports list it at once, as not started (and so discardable).
          void jobs.refetch();
        }}
      />
    );
  } else if (step === 'source' && data) {
    content = (
      <SourceStep
        draft={source}
        onChange={setSource}
        sources={sources.data ?? []}
        showErrors={showSourceErrors}
      />
    );
    actions = (
      <>
        <Button variant="default" onClick={() => openJob(null)}>
          {t('import.actions.otherFile')}
        </Button>
        <Button
          onClick={() => {
            if (Object.keys(sourceDraftErrors(source)).length > 0) {
              setShowSourceErrors(true);
              return;
            }
            setLocalStep('mapping');
          }}
          data-testid="to-mapping"
        >
          {t('import.actions.toMapping')}
        </Button>
      </>
    );
  } else if ((step === 'mapping' || step === 'confirm') && data) {
    if (preview.isError && !preview.data) {
      content = (
        <Alert
          color="red"
          variant="light"
          icon={<Icon name="alert" />}
          title={t('import.mapping.failed')}
          role="alert"
        >
          <Stack gap="sm" align="flex-start">
            <Text fz="sm">{errorText(preview.error, t('errors.unknown'), t('errors.network'))}</Text>
            <Button size="xs" variant="white" color="red" onClick={() => void preview.refetch()}>
              {t('errors.retry')}
            </Button>
          </Stack>
        </Alert>
      );
    } else if (!preview.data) {
      content = <PageLoader label={t('import.mapping.loading')} minHeight={200} />;
    } else if (step === 'mapping') {
      content = (
        <MappingStep
          preview={preview.data}
          fileName={data.fileName}
          busy={preview.isFetching}
          onChangeField={changeField}
        />
      );
    } else {
      content = (
        <ConfirmStep
          fileName={data.fileName}
          preview={preview.data}
          source={source}
          newerSourceWins={newerSourceWins}
          onNewerSourceWins={setNewerSourceWins}
          owner={owner}
          onOwner={setOwnerChosen}
        />
      );
    }
    actions =
      step === 'mapping' ? (
        <>
          <Button variant="default" onClick={() => setLocalStep('source')}>
            {t('import.actions.back')}
          </Button>
          <Button
            onClick={() => setLocalStep('confirm')}
            disabled={!preview.data || noNameColumn}
            data-testid="to-confirm"
          >
            {t('import.actions.toConfirm')}
          </Button>
        </>
      ) : (
        <>
          <Button variant="default" onClick={() => setLocalStep('mapping')} disabled={start.isPending}>
            {t('import.actions.back')}
          </Button>
          <Button
            onClick={startImport}
            loading={start.isPending}
            disabled={!preview.data || noNameColumn}
            leftSection={<Icon name="import" size={16} />}
            data-testid="start-import"
          >
            {t('import.actions.start')}
          </Button>
        </>
      );
  } else if (step === 'progress' && data) {
    content = <ProgressStep job={data} />;
  } else if (step === 'result' && data) {
    content = (
      <ResultStep
        job={data}
        onAnother={() => openJob(null)}
        onRetry={() => {
          setLocalStep(null);
          setShowSourceErrors(false);
          start.reset();
          setRetrying(true);
        }}
      />
    );
  }

  const activeStep = step ?? 'upload';
  return (
    <Stack gap="xl" className="import-page">
      <div>
        <Title order={1} fz="h2">
          {t('import.title')}
        </Title>
        <Text c="dimmed" fz="sm" maw={760}>
          {t('import.intro')}
        </Text>
      </div>

      <Paper
        withBorder
        radius="md"
        p={{ base: 'md', sm: 'xl' }}
        component="section"
        aria-labelledby="import-step-heading"
      >
        {isPhone ? (
          <Text fz="sm" c="dimmed" mb="sm">
            {t('import.stepOf', { index: stepIndex + 1, total: STEPS.length })}
          </Text>
        ) : (
          <Stepper
            active={step === 'result' ? STEPS.length : stepIndex}
            size="sm"
            mb="xl"
            allowNextStepsSelect={false}
            onStepClick={(index) => {
              const target = STEPS[index];
              // Only the steps before starting can be gone back to; the upload step means another file.
              if (!target || started || index >= stepIndex) return;
              if (target === 'upload') openJob(null);
              else setLocalStep(target);
            }}
            aria-label={t('import.stepsLabel')}
          >
            {STEPS.map((key) => (
              <Stepper.Step key={key} label={t(`import.steps.${key}.label`)} />
            ))}
          </Stepper>
        )}

        <Stack gap={4} mb="lg">
          <Title
            order={2}
            fz="lg"
            id="import-step-heading"
            ref={heading}
            tabIndex={-1}
            data-step={activeStep}
          >
            {t(`import.steps.${activeStep}.title`)}
          </Title>
          <Text fz="sm" c="dimmed">
            {t(`import.steps.${activeStep}.help`)}
          </Text>
        </Stack>

        {content}

        {start.isError && (
          <Alert
            color="red"
            variant="light"
            icon={<Icon name="alert" />}
            mt="md"
            role="alert"
            title={t('import.startFailed')}
          >
            {errorText(start.error, t('errors.unknown'), t('errors.network'))}
          </Alert>
        )}

        {actions && (
          <Group justify="space-between" mt="xl" className="import-actions">
            {actions}
          </Group>
        )}
      </Paper>

      {jobs.data && jobs.data.length > 0 && (
        <section aria-labelledby="recent-imports-heading">
          <Title order={2} fz="lg" id="recent-imports-heading" mb="sm">
            {t('import.recent.heading')}
          </Title>
          <RecentImports
            jobs={jobs.data}
            currentId={jobId}
            // The wizard was on the upload just discarded: back to choosing a file.
            onDiscarded={(discarded) => {
              unstarted.current.delete(discarded.id);
              if (discarded.id === jobId) openJob(null);
            }}
          />
        </section>
      )}

      {sources.data && (
        <section aria-labelledby="sources-heading">
          <Title order={2} fz="lg" id="sources-heading" mb={4}>
            {t('import.sources.heading')}
          </Title>
          <Text fz="sm" c="dimmed" mb="sm" maw={760}>
            {t('import.sources.intro')}
          </Text>
          {sources.data.length > 0 ? (
            <SourceReportTable sources={sources.data} />
          ) : (
            <Paper withBorder radius="md" p="lg">
              <Text fz="sm" c="dimmed">
                {t('import.sources.empty')}
              </Text>
            </Paper>
          )}
        </section>
      )}
    </Stack>
  );
}
