import {
  Badge,
  Box,
  Button,
  Group,
  Kbd,
  Modal,
  Stack,
  Tabs,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TPlaybookObjection, TResponseSort } from '../../api/playbook.ts';
import { Icon } from '../../components/icons.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { copyText } from './copy.ts';
import { Effectiveness } from './Effectiveness.tsx';
import { apiLang, inLang, objectionTitle, otherLang, sortResponses } from './text.ts';

interface Props {
  objection: TPlaybookObjection | null;
  sort: TResponseSort;
  onClose: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea') != null)
  );
}

/**
 * The quick view for a call: the objection as the customer says it, then the response to give in big type —
 * the preferred one first, in the user's language — with the others one key away (1–9, ← →), a copy button
 * (c) and the other language on demand (l). Full screen on a phone.
 */
export function QuickView({ objection, sort, onClose }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const lang = apiLang(format.language);
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const responses = useMemo(
    () => (objection ? sortResponses(objection.responses, sort) : []),
    [objection, sort],
  );
  const [active, setActive] = useState<string | null>(null);
  const [showOther, setShowOther] = useState(false);
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);

  // A new objection opens on its first response (the preferred one, unless sorted by what works).
  useEffect(() => {
    setActive(responses[0]?.id ?? null);
    setCopied(null);
  }, [responses]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const index = Math.max(
    0,
    responses.findIndex((r) => r.id === active),
  );
  const current = responses[index];

  async function copy() {
    if (!current) return;
    setCopied((await copyText(inLang(current, lang))) ? 'ok' : 'failed');
  }

  // Keys work wherever focus is in the dialog (its header and close button included).
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
      return;
    const onTab = event.target instanceof HTMLElement && event.target.getAttribute('role') === 'tab';
    const step = (delta: number) => {
      const next = responses[(index + delta + responses.length) % responses.length];
      if (next) setActive(next.id);
    };
    if (/^[1-9]$/.test(event.key)) {
      const chosen = responses[Number(event.key) - 1];
      if (chosen) setActive(chosen.id);
    } else if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && !onTab) {
      step(event.key === 'ArrowRight' ? 1 : -1);
    } else if (event.key === 'c') {
      void copy();
    } else if (event.key === 'l') {
      setShowOther((show) => !show);
    } else {
      return;
    }
    event.preventDefault();
  };
  const open = objection != null;
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open]);

  const title = objection ? objectionTitle(objection, lang) : '';
  const phrasings = objection ? objection.variants[lang] : [];
  const other = current ? otherLang(current, lang) : null;

  return (
    <Modal
      opened={objection != null}
      onClose={onClose}
      size={920}
      fullScreen={isPhone}
      radius="lg"
      padding={isPhone ? 'md' : 'xl'}
      title={
        <Group gap="sm" wrap="nowrap">
          <Icon name="playbook" size={22} />
          <Title order={2} fz="h3" component="span">
            {title}
          </Title>
        </Group>
      }
      closeButtonProps={{ 'aria-label': t('playbook.quick.close') }}
      data-testid="quick-view"
    >
      {objection && (
        <div>
          <Stack gap="lg">
            <Box className="customer-says">
              <Text fz="xs" fw={700} tt="uppercase" c="gray.7" mb={4}>
                {t('playbook.quick.customerSays')}
              </Text>
              <Text component="blockquote" className="customer-quote" data-testid="quick-objection">
                {inLang(objection, lang)}
              </Text>
              {phrasings.length > 0 && (
                <Text fz="sm" c="gray.7" mt={6}>
                  {t('playbook.quick.alsoSaid')} {phrasings.map((phrase) => `“${phrase}”`).join(' ')}
                </Text>
              )}
            </Box>

            {responses.length === 0 ? (
              <Text c="dimmed">{t('playbook.noResponses')}</Text>
            ) : (
              <Tabs
                value={current?.id ?? null}
                onChange={setActive}
                variant="pills"
                radius="md"
                keepMounted={false}
                activateTabWithKeyboard
              >
                <Tabs.List aria-label={t('playbook.quick.responses')} mb="md">
                  {responses.map((response, i) => (
                    <Tabs.Tab
                      key={response.id}
                      value={response.id}
                      leftSection={
                        <Kbd size="xs" aria-hidden="true" className="keyboard-hint">
                          {i + 1}
                        </Kbd>
                      }
                      rightSection={
                        response.preferred ? (
                          <Badge size="xs" variant="filled" color="#066649" radius="sm" tt="none">
                            {t('playbook.preferred')}
                          </Badge>
                        ) : null
                      }
                      aria-keyshortcuts={String(i + 1)}
                    >
                      {/* The badge beside says which one is preferred; the tab names it by its key. */}
                      {t('playbook.quick.alternativeTab', { n: i + 1 })}
                    </Tabs.Tab>
                  ))}
                </Tabs.List>
                {responses.map((response) => (
                  <Tabs.Panel key={response.id} value={response.id}>
                    <Stack gap="sm">
                      <Text fz="xs" fw={700} tt="uppercase" c="gray.7">
                        {t('playbook.quick.youSay')}
                      </Text>
                      <Text
                        className="quick-response"
                        data-testid="quick-response"
                        lang={lang === 'zh' ? 'zh-CN' : 'en'}
                      >
                        {inLang(response, lang)}
                      </Text>
                      {showOther && other && (
                        <Text
                          className="quick-response-other"
                          c="gray.7"
                          lang={lang === 'zh' ? 'en' : 'zh-CN'}
                        >
                          {otherLang(response, lang)}
                        </Text>
                      )}
                      <Effectiveness stats={response.stats} kind="used" />
                    </Stack>
                  </Tabs.Panel>
                ))}
              </Tabs>
            )}

            <Group justify="space-between" gap="sm" wrap="wrap" className="quick-actions">
              <Group gap="xs">
                <Button
                  onClick={() => void copy()}
                  leftSection={<Icon name={copied === 'ok' ? 'check' : 'copy'} size={18} />}
                  color={copied === 'ok' ? '#066649' : undefined}
                  aria-keyshortcuts="c"
                  disabled={!current}
                  data-testid="quick-copy"
                >
                  {copied === 'ok' ? t('playbook.quick.copied') : t('playbook.quick.copy')}
                </Button>
                {other && (
                  <Button
                    variant="default"
                    onClick={() => setShowOther((show) => !show)}
                    aria-pressed={showOther}
                    aria-keyshortcuts="l"
                  >
                    {showOther ? t('playbook.quick.hideOther') : t('playbook.quick.showOther')}
                  </Button>
                )}
              </Group>
              <Text fz="xs" c="dimmed" visibleFrom="sm" className="keyboard-hint">
                {t('playbook.quick.keys')}
              </Text>
            </Group>
            <VisuallyHidden role="status">
              {copied === 'ok'
                ? t('playbook.quick.copied')
                : copied === 'failed'
                  ? t('playbook.quick.copyFailed')
                  : ''}
            </VisuallyHidden>
            {copied === 'failed' && (
              <Text fz="sm" c="red.8">
                {t('playbook.quick.copyFailed')}
              </Text>
            )}
          </Stack>
        </div>
      )}
    </Modal>
  );
}
