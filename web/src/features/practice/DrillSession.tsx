import {
  Alert,
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  Kbd,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import {
  type TDrillItem,
  type TDrillRating,
  type TDrillReviewResult,
  useDrillAnswer,
  useDrillQueue,
  useReviewDrill,
} from '../../api/practice.ts';
import { Icon } from '../../components/icons.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useTouchOnly } from '../../components/touch.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { apiLang, inLang } from '../playbook/text.ts';
import { StageBadge } from '../skills/StageBadge.tsx';
import { RATING_COLORS, RATING_INK, RATINGS } from './ratings.ts';
import { StageChangeNotice } from './StageChangeNotice.tsx';

type Mode = 'typed' | 'aloud';

interface Reviewed {
  item: TDrillItem;
  rating: TDrillRating;
  result: TDrillReviewResult;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.closest('input, textarea, select, [role="listbox"]') != null)
  );
}

/**
 * A spaced-repetition session: the customer's objection in their words, the rep's answer (typed or aloud),
 * the prepared response, and a recall rating (keys 1–4) that schedules the card and may move the stage.
 */
export function DrillSession() {
  const { t } = useTranslation();
  // No keyboard hints where there is no keyboard (a phone, a tablet): the sentence without them.
  const touchOnly = useTouchOnly();
  const format = useFormat();
  const lang = apiLang(format.language);
  const queue = useDrillQueue(lang);
  const review = useReviewDrill();
  const [items, setItems] = useState<TDrillItem[] | null>(null);
  const [index, setIndex] = useState(0);
  const [revealed, setRevealed] = useState(false);
  const [mode, setMode] = useState<Mode>('typed');
  const [answer, setAnswer] = useState('');
  const [showAlternatives, setShowAlternatives] = useState(false);
  const [reviewed, setReviewed] = useState<Reviewed[]>([]);
  const [notice, setNotice] = useState<Reviewed | null>(null);
  const [finished, setFinished] = useState(false);
  const promptRef = useRef<HTMLHeadingElement>(null);
  const ratingRef = useRef<HTMLFieldSetElement>(null);
  const answerRef = useRef<HTMLTextAreaElement>(null);

  const item = items && !finished ? (items[index] ?? null) : null;
  const prepared = useDrillAnswer(item?.objectionId ?? null);
  // The next card's answer loads while this one is worked on.
  useDrillAnswer(items?.[index + 1]?.objectionId ?? null);

  const start = useCallback(() => {
    const next = queue.data?.items ?? [];
    setItems(next);
    setIndex(0);
    setRevealed(false);
    setAnswer('');
    setReviewed([]);
    setNotice(null);
    setFinished(next.length === 0);
    requestAnimationFrame(() => promptRef.current?.focus());
  }, [queue.data]);

  const reveal = useCallback(() => {
    setRevealed(true);
    setShowAlternatives(false);
    requestAnimationFrame(() => ratingRef.current?.focus());
  }, []);

  const rate = useCallback(
    async (rating: TDrillRating) => {
      if (!item || !revealed || review.isPending) return;
      try {
        const result = await review.mutateAsync({
          objectionId: item.objectionId,
          rating,
          prompt: item.prompt,
          answer: mode === 'typed' && answer.trim() ? answer.trim() : undefined,
          lang,
        });
        const entry = { item, rating, result };
        setReviewed((list) => [...list, entry]);
        if (result.stage?.transition) setNotice(entry);
        const last = index + 1 >= (items?.length ?? 0);
        if (last) {
          setFinished(true);
        } else {
          setIndex(index + 1);
          setRevealed(false);
          setAnswer('');
          requestAnimationFrame(() => (mode === 'typed' ? answerRef.current : promptRef.current)?.focus());
        }
      } catch {
        // shown below the rating buttons; the card stays so the rep can rate again
      }
    },
    [item, revealed, review, mode, answer, lang, index, items],
  );

  // Keys: Enter or space reveals; 1–4 rate once revealed. Typing in the answer keeps its keys.
  useEffect(() => {
    if (!item) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      if ((event.target as HTMLElement | null)?.closest('[role="dialog"]')) return;
      const onControl = (event.target as HTMLElement | null)?.closest('button, a, [role="radio"]');
      if (!revealed && (event.key === 'Enter' || event.key === ' ') && !onControl) {
        event.preventDefault();
        reveal();
      } else if (revealed && /^[1-4]$/.test(event.key)) {
        event.preventDefault();
        void rate(RATINGS[Number(event.key) - 1] as TDrillRating);
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [item, revealed, reveal, rate]);

  if (queue.isError && !queue.data) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<Icon name="alert" />}
        title={t('practice.loadFailed')}
        role="alert"
      >
        <Button size="xs" variant="white" color="red" onClick={() => void queue.refetch()}>
          {t('errors.retry')}
        </Button>
      </Alert>
    );
  }
  if (!queue.data) return <PageLoader label={t('practice.loading')} minHeight={240} />;

  const noticeEl = notice?.result.stage?.transition ? (
    <StageChangeNotice
      change={notice.result.stage.transition}
      skillName={notice.item.title}
      onClose={() => setNotice(null)}
    />
  ) : null;

  // Before the session: what is due, and one button to start.
  if (items == null) {
    const counts = queue.data.counts;
    return (
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} data-testid="drill-start">
        <Stack gap="md" align="flex-start">
          <Title order={2} fz="h3">
            {t('practice.start.title')}
          </Title>
          <Text fz="md" c="gray.8">
            {counts.due > 0
              ? t('practice.start.due', { count: counts.due })
              : counts.new > 0
                ? t('practice.start.new', { count: counts.new })
                : t('practice.start.nothingDue')}
          </Text>
          <Text fz="sm" c="dimmed" maw={560}>
            {touchOnly ? t('practice.start.howTouch') : t('practice.start.how')}
          </Text>
          <Button
            size="md"
            onClick={start}
            disabled={queue.data.items.length === 0}
            leftSection={<Icon name="practice" size={20} />}
            data-testid="drill-begin"
          >
            {t('practice.start.button', { count: queue.data.items.length })}
          </Button>
        </Stack>
      </Paper>
    );
  }

  if (finished || !item) {
    return (
      <Stack gap="md">
        <DrillSummary
          reviewed={reviewed}
          onAgain={() => {
            setItems(null);
            void queue.refetch();
          }}
        />
      </Stack>
    );
  }

  const total = items.length;
  const preferred = prepared.data?.preferred;
  const alternatives = prepared.data?.alternatives ?? [];
  const reviewError = review.error;

  return (
    <Stack gap="md" data-testid="drill-card">
      <div aria-live="polite">{noticeEl}</div>
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text fz="sm" fw={600} c="gray.8" className="tabular" data-testid="drill-progress">
          {t('practice.card.progress', { n: index + 1, total })}
        </Text>
        <Button variant="subtle" size="xs" color="gray" onClick={() => setFinished(true)}>
          {t('practice.card.end')}
        </Button>
      </Group>
      <Progress
        value={(index / total) * 100}
        size="sm"
        radius="xl"
        aria-label={t('practice.card.progress', { n: index + 1, total })}
      />

      <Paper withBorder radius="lg" p={{ base: 'md', sm: 'xl' }} className="drill-card">
        <Stack gap="md">
          <Group justify="space-between" gap="xs" wrap="wrap">
            <Group gap="xs">
              <Text fz="sm" fw={700} c="indigo.8">
                {item.title}
              </Text>
              {item.isNew && (
                <Badge size="sm" variant="light" color="grape" c="grape.9" radius="sm" tt="none">
                  {t('practice.card.new')}
                </Badge>
              )}
            </Group>
            <StageBadge stage={item.stage} />
          </Group>

          <Box className="customer-says">
            <Text fz="xs" fw={700} tt="uppercase" c="gray.7" mb={4}>
              {t('practice.card.customerSays')}
            </Text>
            <Title
              order={2}
              className="customer-quote drill-prompt"
              ref={promptRef}
              tabIndex={-1}
              data-testid="drill-prompt"
            >
              “{item.prompt}”
            </Title>
          </Box>

          {!revealed ? (
            <Stack gap="sm">
              <SegmentedControl
                value={mode}
                onChange={(value) => setMode(value as Mode)}
                data={[
                  { value: 'typed', label: t('practice.card.typed') },
                  { value: 'aloud', label: t('practice.card.aloud') },
                ]}
                aria-label={t('practice.card.mode')}
                w="fit-content"
              />
              {mode === 'typed' ? (
                <Textarea
                  ref={answerRef}
                  label={t('practice.card.yourAnswer')}
                  description={touchOnly ? undefined : t('practice.card.typeHint')}
                  value={answer}
                  onChange={(event) => setAnswer(event.currentTarget.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                      event.preventDefault();
                      reveal();
                    }
                  }}
                  autosize
                  minRows={3}
                  maxLength={4000}
                  data-testid="drill-answer"
                />
              ) : (
                <Text fz="sm" c="gray.8" className="aloud-hint">
                  {t('practice.card.aloudHint')}
                </Text>
              )}
              <Group gap="sm">
                <Button onClick={reveal} size="md" data-testid="drill-reveal" aria-keyshortcuts="Enter">
                  {t('practice.card.reveal')}
                </Button>
                <Text fz="xs" c="dimmed" visibleFrom="sm" className="keyboard-hint">
                  {mode === 'typed' ? t('practice.card.revealKeysTyped') : t('practice.card.revealKeys')}
                </Text>
              </Group>
            </Stack>
          ) : (
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, md: mode === 'typed' && answer.trim() ? 2 : 1 }} spacing="md">
                {mode === 'typed' && answer.trim() && (
                  <div className="drill-yours">
                    <Text fz="xs" fw={700} tt="uppercase" c="gray.7" mb={4}>
                      {t('practice.card.yourAnswer')}
                    </Text>
                    <Text fz="md" lh={1.7} style={{ whiteSpace: 'pre-wrap' }}>
                      {answer}
                    </Text>
                  </div>
                )}
                <div className="drill-prepared" data-testid="drill-prepared">
                  <Text fz="xs" fw={700} tt="uppercase" c="teal.9" mb={4}>
                    {t('practice.card.prepared')}
                  </Text>
                  {prepared.isError ? (
                    <Text c="red.8" fz="sm">
                      {t('practice.card.answerFailed')}
                    </Text>
                  ) : !prepared.data ? (
                    <Text c="dimmed">{t('app.loading')}</Text>
                  ) : preferred ? (
                    <Text fz="lg" lh={1.7}>
                      {inLang(preferred, lang)}
                    </Text>
                  ) : (
                    <Text c="dimmed">{t('practice.card.noPrepared')}</Text>
                  )}
                </div>
              </SimpleGrid>
              {alternatives.length > 0 && (
                <div>
                  <Button
                    variant="subtle"
                    size="xs"
                    onClick={() => setShowAlternatives((s) => !s)}
                    aria-expanded={showAlternatives}
                  >
                    {showAlternatives
                      ? t('practice.card.hideAlternatives')
                      : t('practice.card.showAlternatives', { count: alternatives.length })}
                  </Button>
                  <Collapse expanded={showAlternatives}>
                    <Stack gap="xs" mt="xs">
                      {alternatives.map((alt) => (
                        <Text key={alt.id} fz="sm" lh={1.65} c="gray.8" className="drill-alternative">
                          {inLang(alt, lang)}
                        </Text>
                      ))}
                    </Stack>
                  </Collapse>
                </div>
              )}

              <fieldset ref={ratingRef} tabIndex={-1} className="rating-group">
                <Text component="legend" fw={700} fz="sm" mb={4}>
                  {t('practice.rate.heading')}
                </Text>
                <Text fz="xs" c="dimmed" mb="xs" className="keyboard-hint">
                  {t('practice.rate.hint')}
                </Text>
                <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                  {RATINGS.map((rating, i) => (
                    <UnstyledButton
                      key={rating}
                      className="rating-button"
                      data-rating={rating}
                      data-color={RATING_COLORS[rating]}
                      onClick={() => void rate(rating)}
                      disabled={review.isPending}
                      aria-keyshortcuts={String(i + 1)}
                      data-testid={`rate-${rating}`}
                    >
                      <Group gap={6} wrap="nowrap" justify="space-between">
                        <Text fw={700} fz="md">
                          {t(`practice.rate.${rating}`)}
                        </Text>
                        <Kbd size="xs" aria-hidden="true" className="keyboard-hint">
                          {i + 1}
                        </Kbd>
                      </Group>
                      <Text fz="xs" c="gray.7" ta="left">
                        {t(`practice.rate.${rating}Hint`)}
                      </Text>
                    </UnstyledButton>
                  ))}
                </SimpleGrid>
                {reviewError && (
                  <Text c="red.8" fz="sm" mt="xs" role="alert">
                    {reviewError instanceof ApiError && reviewError.isNetworkError
                      ? t('errors.network')
                      : t('practice.rate.failed')}
                  </Text>
                )}
              </fieldset>
            </Stack>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}

/** The end of a session: how it went, what moved, when the next review is due. */
function DrillSummary({ reviewed, onAgain }: { reviewed: Reviewed[]; onAgain: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const counts = reviewed.at(-1)?.result.counts;
  const moves = reviewed.filter((entry) => entry.result.stage?.transition);
  const tally = RATINGS.map((rating) => ({
    rating,
    count: reviewed.filter((entry) => entry.rating === rating).length,
  }));
  return (
    <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} data-testid="drill-summary">
      <Stack gap="md">
        <Title order={2} fz="h3" tabIndex={-1}>
          {reviewed.length > 0 ? t('practice.summary.title') : t('practice.summary.emptyTitle')}
        </Title>
        {reviewed.length > 0 && (
          <>
            <Text fz="md">{t('practice.summary.reviewed', { count: reviewed.length })}</Text>
            <Group
              gap="xs"
              wrap="wrap"
              component="ul"
              className="plain-list"
              aria-label={t('practice.summary.ratings')}
            >
              {tally.map(({ rating, count }) => (
                <Badge
                  key={rating}
                  component="li"
                  size="lg"
                  variant="light"
                  color={RATING_INK[rating]}
                  radius="sm"
                  tt="none"
                >
                  {t(`practice.rate.${rating}`)} · {format.number(count)}
                </Badge>
              ))}
            </Group>
            {moves.length > 0 ? (
              <Stack gap="xs">
                {moves.map((entry) =>
                  entry.result.stage?.transition ? (
                    <StageChangeNotice
                      key={`${entry.item.objectionId}-${entry.result.stage.transition.at}`}
                      change={entry.result.stage.transition}
                      skillName={entry.item.title}
                    />
                  ) : null,
                )}
              </Stack>
            ) : (
              <Text fz="sm" c="gray.7">
                {t('practice.summary.noMoves')}
              </Text>
            )}
            {counts && (
              <Text fz="sm" c="gray.7">
                {counts.due > 0
                  ? t('practice.summary.stillDue', { count: counts.due })
                  : counts.nextDueAt
                    ? t('practice.summary.nextDue', { at: format.dateTime(counts.nextDueAt) })
                    : t('practice.summary.allDone')}
              </Text>
            )}
          </>
        )}
        <Group gap="sm">
          <Button onClick={onAgain} leftSection={<Icon name="refresh" size={18} />}>
            {t('practice.summary.again')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
