import '../features/touches/touches.css';
import '../features/skills/skills.css';
import {
  Alert,
  Button,
  CloseButton,
  Group,
  Kbd,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuthStatus } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';
import {
  type TPlaybookObjection,
  type TResponseSort,
  usePlaybook,
  usePlaybookSearch,
} from '../api/playbook.ts';
import { Icon } from '../components/icons.tsx';
import { PageLoader } from '../components/PageLoader.tsx';
import { EditObjectionModal } from '../features/playbook/EditObjectionModal.tsx';
import { NewObjectionModal } from '../features/playbook/NewObjectionModal.tsx';
import { ObjectionCard } from '../features/playbook/ObjectionCard.tsx';
import { QuickView } from '../features/playbook/QuickView.tsx';
import { WhatWorksDrawer } from '../features/playbook/WhatWorksDrawer.tsx';

type Source = 'all' | 'default' | 'team';
type Order = 'playbook' | 'met';

const SEARCH_DELAY_MS = 200;

/**
 * The objection playbook (method §5): find an objection by a fragment of Chinese or English words while on
 * the phone, open the quick view to read the response out, see what works; managers edit.
 */
export function PlaybookPage() {
  const { t } = useTranslation();
  const auth = useAuthStatus();
  const role = auth.data?.user?.role;
  const canEdit = role === 'manager' || role === 'admin';
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [query] = useDebouncedValue(text.trim(), SEARCH_DELAY_MS);
  const [sort, setSort] = useState<TResponseSort>('preferred');
  const [source, setSource] = useState<Source>('all');
  const [order, setOrder] = useState<Order>('playbook');
  const [quickId, setQuickId] = useState<string | null>(null);
  const [worksId, setWorksId] = useState<string | null>(null);
  // The editor works on the copy it opened with (and the versions it saves), not on refreshed lists.
  const [editing, setEditing] = useState<TPlaybookObjection | null>(null);
  const [creating, setCreating] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  const playbook = usePlaybook('preferred');
  const takenCodes = useMemo(() => playbook.data?.objections.map((o) => o.code) ?? [], [playbook.data]);
  const search = usePlaybookSearch(query);

  // The query is part of the address, so a search can be shared or reloaded; typing replaces the entry.
  useEffect(() => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (query) next.set('q', query);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [query, setParams]);

  // "/" jumps to the search box from anywhere on the page.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, [role="dialog"]')) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const searching = query.length > 0;
  const matched = useMemo(() => {
    const ids = new Map<string, string[]>();
    for (const hit of search.data?.hits ?? []) ids.set(hit.objection.id, hit.matched.responseIds);
    return ids;
  }, [search.data]);

  // The latest copy of each objection: the list's (refreshed after edits), else the search hit's.
  const byId = useMemo(() => {
    const map = new Map<string, TPlaybookObjection>();
    for (const hit of search.data?.hits ?? []) map.set(hit.objection.id, hit.objection);
    for (const objection of playbook.data?.objections ?? []) map.set(objection.id, objection);
    return map;
  }, [playbook.data, search.data]);

  const shown = useMemo(() => {
    const list = searching
      ? (search.data?.hits ?? []).map((hit) => byId.get(hit.objection.id) ?? hit.objection)
      : (playbook.data?.objections ?? []);
    const filtered = list.filter(
      (o) => source === 'all' || (source === 'default' ? o.isDefault : !o.isDefault),
    );
    // Search results stay best match first; the full list may be ordered by how often each is met.
    return !searching && order === 'met'
      ? [...filtered].sort((a, b) => b.stats.count - a.stats.count)
      : filtered;
  }, [searching, search.data, playbook.data, byId, source, order]);

  const stale = searching && (text.trim() !== query || search.isFetching);
  const quick = quickId ? (byId.get(quickId) ?? null) : null;
  const works = worksId ? (byId.get(worksId) ?? null) : null;
  const source$ = searching ? search : playbook;

  let body: React.ReactNode;
  if (source$.isError && !source$.data) {
    const error = source$.error;
    body = (
      <Alert
        color="red"
        variant="light"
        icon={<Icon name="alert" />}
        title={t('playbook.loadFailed')}
        role="alert"
      >
        <Stack gap="sm" align="flex-start">
          <Text fz="sm">
            {error instanceof ApiError && error.isNetworkError ? t('errors.network') : error.message}
          </Text>
          <Button size="xs" variant="white" color="red" onClick={() => void source$.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!playbook.data || (searching && !search.data)) {
    body = <PageLoader label={t('playbook.loading')} minHeight={200} />;
  } else if (shown.length === 0) {
    body = (
      <Paper withBorder radius="md" p="xl" ta="center" data-testid="playbook-empty">
        <Stack align="center" gap="xs">
          <Text fw={600} fz="lg">
            {searching ? t('playbook.empty.searchTitle', { query }) : t('playbook.empty.title')}
          </Text>
          <Text c="dimmed" fz="sm" maw={460}>
            {searching ? t('playbook.empty.searchBody') : t('playbook.empty.body')}
          </Text>
        </Stack>
      </Paper>
    );
  } else {
    body = (
      <Stack gap="sm" aria-busy={stale} className={stale ? 'is-stale' : undefined}>
        {shown.map((objection) => (
          <ObjectionCard
            key={objection.id}
            objection={objection}
            sort={sort}
            query={searching ? query : ''}
            matchedResponseIds={matched.get(objection.id)}
            canEdit={canEdit}
            onQuickView={() => setQuickId(objection.id)}
            onWhatWorks={() => setWorksId(objection.id)}
            onEdit={() => setEditing(objection)}
          />
        ))}
      </Stack>
    );
  }

  return (
    <Stack gap="lg" className="playbook-page">
      <Group justify="space-between" align="flex-start" gap="sm">
        <div>
          <Title order={1} fz="h2">
            {t('playbook.title')}
          </Title>
          <Text c="dimmed" fz="sm" maw={720}>
            {t('playbook.intro')}
          </Text>
        </div>
        {canEdit && (
          <Button leftSection={<Icon name="plus" size={16} />} onClick={() => setCreating(true)}>
            {t('playbook.create.button')}
          </Button>
        )}
      </Group>

      <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} className="playbook-search">
        <Stack gap="sm">
          <TextInput
            ref={searchRef}
            size="lg"
            radius="md"
            type="search"
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                const first = shown[0];
                if (first && !stale) {
                  event.preventDefault();
                  setQuickId(first.id);
                }
              } else if (event.key === 'Escape' && text) {
                event.preventDefault();
                setText('');
              }
            }}
            leftSection={<Icon name="search" size={20} />}
            rightSection={
              text ? (
                <CloseButton aria-label={t('playbook.search.clear')} onClick={() => setText('')} />
              ) : (
                <Kbd size="sm" visibleFrom="sm" aria-hidden="true">
                  /
                </Kbd>
              )
            }
            label={t('playbook.search.label')}
            placeholder={t('playbook.search.placeholder')}
            description={t('playbook.search.hint')}
            aria-keyshortcuts="/"
            data-testid="playbook-search"
            maxLength={200}
          />
          <Group gap="sm" wrap="wrap" align="flex-end">
            <div>
              <Text fz="xs" fw={600} c="gray.8" mb={4} id="sort-label">
                {t('playbook.filters.sort')}
              </Text>
              <SegmentedControl
                size="xs"
                value={sort}
                onChange={(value) => setSort(value as TResponseSort)}
                aria-labelledby="sort-label"
                data={[
                  { value: 'preferred', label: t('playbook.filters.preferredFirst') },
                  { value: 'effectiveness', label: t('playbook.filters.bestFirst') },
                ]}
              />
            </div>
            <Select
              size="xs"
              w={150}
              label={t('playbook.filters.source')}
              allowDeselect={false}
              value={source}
              onChange={(value) => value && setSource(value as Source)}
              data={[
                { value: 'all', label: t('playbook.filters.all') },
                { value: 'default', label: t('playbook.filters.default') },
                { value: 'team', label: t('playbook.filters.team') },
              ]}
            />
            <Select
              size="xs"
              w={150}
              label={t('playbook.filters.order')}
              allowDeselect={false}
              value={order}
              disabled={searching}
              onChange={(value) => value && setOrder(value as Order)}
              data={[
                { value: 'playbook', label: t('playbook.filters.playbookOrder') },
                { value: 'met', label: t('playbook.filters.mostMet') },
              ]}
            />
          </Group>
        </Stack>
      </Paper>

      <section aria-labelledby="playbook-results">
        <Group justify="space-between" align="baseline" mb="sm" gap="xs">
          <Title order={2} fz="lg" id="playbook-results">
            {searching ? t('playbook.results.searchHeading') : t('playbook.results.heading')}
          </Title>
          <Text fz="sm" c="dimmed" aria-live="polite" data-testid="playbook-count">
            {playbook.data && (!searching || search.data)
              ? t('playbook.results.count', { count: shown.length })
              : ''}
          </Text>
        </Group>
        {body}
      </section>

      <QuickView objection={quick} sort={sort} onClose={() => setQuickId(null)} />
      <WhatWorksDrawer objection={works} onClose={() => setWorksId(null)} />
      {canEdit && <EditObjectionModal objection={editing} onClose={() => setEditing(null)} />}
      {canEdit && (
        <NewObjectionModal
          opened={creating}
          takenCodes={takenCodes}
          onClose={() => setCreating(false)}
          onCreated={(objection) => {
            // Straight on to the editor: add alternatives, choose the preferred one.
            setCreating(false);
            setEditing(objection);
          }}
        />
      )}
    </Stack>
  );
}
