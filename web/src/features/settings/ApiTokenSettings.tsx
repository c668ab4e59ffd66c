import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Modal,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type TApiToken,
  type TApiTokenCreated,
  useApiTokens,
  useCreateApiToken,
  useRevokeApiToken,
  useVisibleUserNames,
} from '../../api/api-tokens.ts';
import { useAuthStatus } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { type FormProblem, formProblem, noProblem } from '../../api/form-errors.ts';
import { Icon } from '../../components/icons.tsx';
import { keepValuesTogether } from '../../components/keep-together.tsx';
import { useFormat } from '../../i18n/use-format.ts';
import { STRONG_TEXT } from '../../theme.ts';
import { toneAlert } from '../plan/tone.ts';
import { SettingsSection } from './SettingsSection.tsx';

type TokenState = 'active' | 'expired' | 'revoked';
type Access = TApiToken['access'];

/** Revoked wins over expired: a token revoked before its expiry reads as revoked. */
function tokenState(token: TApiToken, now: number): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Expiry choices offered when a token is made, in days; `never` as the API's own default. */
const EXPIRY_CHOICES = ['never', '30', '90', '365'] as const;
type Expiry = (typeof EXPIRY_CHOICES)[number];
const NAME_MAX = 100;

interface Owner {
  name: string;
  email: string;
}

/**
 * Personal API tokens (`Authorization: Bearer tl_…`) for scripts and the CLI with `--server`: everyone lists,
 * makes and revokes their own; the secret is shown once, when made. An admin also sees everyone else's tokens
 * and may revoke them, as the API allows (GET and DELETE /api/auth/tokens); nobody else sees anyone's but theirs.
 */
export function ApiTokenSettings() {
  const { t } = useTranslation();
  const auth = useAuthStatus();
  const me = auth.data?.user ?? null;
  const isAdmin = me?.role === 'admin';
  const tokens = useApiTokens();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TApiToken | null>(null);
  const signedOut = tokens.error instanceof ApiError && tokens.error.status === 401;
  const all = tokens.data ?? [];
  // The server sends a non-admin only their own; the split by owner is for an admin's view.
  const mine = all.filter((token) => token.userId === me?.id);
  const others = isAdmin ? all.filter((token) => token.userId !== me?.id) : [];
  const owners = useVisibleUserNames(isAdmin && others.length > 0);
  const ownerOf = (token: TApiToken): Owner | null => owners.data?.get(token.userId) ?? null;

  return (
    <SettingsSection
      id="tokens"
      title={t('settings.tokens.title')}
      description={t('settings.tokens.description')}
    >
      {tokens.isError ? (
        <Alert {...toneAlert(signedOut ? 'orange' : 'red')} icon={<Icon name="alert" />}>
          {signedOut ? t('settings.tokens.signIn') : tokens.error.message}
        </Alert>
      ) : !tokens.data ? (
        <Skeleton h={80} />
      ) : (
        <Stack gap="md">
          <Stack gap="xs">
            {isAdmin && (
              <Title order={3} fz="md">
                {t('settings.tokens.mine')}
              </Title>
            )}
            {mine.length === 0 ? (
              <Text fz="sm" c="dimmed">
                {t('settings.tokens.none')}
              </Text>
            ) : (
              <TokenList
                tokens={mine}
                label={isAdmin ? t('settings.tokens.mine') : t('settings.tokens.title')}
                ownerOf={null}
                onRevoke={setRevoking}
                testId="api-tokens-mine"
              />
            )}
          </Stack>
          {isAdmin && (
            <Stack gap="xs">
              <Title order={3} fz="md">
                {t('settings.tokens.others')}
              </Title>
              <Text fz="sm" c="dimmed">
                {t('settings.tokens.othersHint')}
              </Text>
              {others.length === 0 ? (
                <Text fz="sm" c="dimmed">
                  {t('settings.tokens.noneOthers')}
                </Text>
              ) : (
                <TokenList
                  tokens={others}
                  label={t('settings.tokens.others')}
                  ownerOf={ownerOf}
                  onRevoke={setRevoking}
                  testId="api-tokens-others"
                />
              )}
            </Stack>
          )}
        </Stack>
      )}

      <Group justify="flex-end">
        <Button
          onClick={() => setCreating(true)}
          disabled={signedOut}
          leftSection={<Icon name="plus" size={16} />}
        >
          {t('settings.tokens.create')}
        </Button>
      </Group>

      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <RevokeTokenModal
        token={revoking}
        owner={
          revoking && revoking.userId !== me?.id
            ? (ownerOf(revoking) ?? { name: revoking.userId, email: '' })
            : null
        }
        onClose={() => setRevoking(null)}
      />
    </SettingsSection>
  );
}

function AccessBadge({ access }: { access: Access }) {
  const { t } = useTranslation();
  return access === 'write' ? (
    <Badge variant="light" color="orange" c={STRONG_TEXT.orange} tt="none" radius="sm">
      {t('settings.tokens.access.write')}
    </Badge>
  ) : (
    <Badge variant="light" color="indigo" c="indigo.9" tt="none" radius="sm">
      {t('settings.tokens.access.read')}
    </Badge>
  );
}

function StateCell({ token, state }: { token: TApiToken; state: TokenState }) {
  const { t } = useTranslation();
  const format = useFormat();
  const badge =
    state === 'active' ? (
      <Badge variant="light" color="teal" c={STRONG_TEXT.teal} tt="none" radius="sm">
        {t('settings.tokens.state.active')}
      </Badge>
    ) : state === 'expired' ? (
      <Badge variant="light" color="red" c={STRONG_TEXT.red} tt="none" radius="sm">
        {t('settings.tokens.state.expired')}
      </Badge>
    ) : (
      <Badge variant="outline" color="gray" c="gray.8" tt="none" radius="sm">
        {t('settings.tokens.state.revoked')}
      </Badge>
    );
  // The date stays on one line (Chinese may break between any two characters).
  const when =
    state === 'revoked' && token.revokedAt
      ? keepValuesTogether((v) => t('settings.tokens.revokedOn', v), {
          date: format.dateTime(token.revokedAt),
        })
      : token.expiresAt
        ? keepValuesTogether(
            (v) => t(state === 'expired' ? 'settings.tokens.expiredOn' : 'settings.tokens.expiresOn', v),
            { date: format.dateTime(token.expiresAt) },
          )
        : null;
  return (
    <Stack gap={2} align="flex-start">
      {badge}
      {when && (
        <Text fz="xs" c="gray.7">
          {when}
        </Text>
      )}
    </Stack>
  );
}

/**
 * A moment as its date and its time, each kept whole (Chinese may break between any two characters: 2026年11月28 /
 * 日), so a narrow column breaks only between the two.
 */
function When({ value }: { value: string }) {
  const format = useFormat();
  if (!format.timeZone) return <span className="nowrap">{format.dateTime(value)}</span>;
  return (
    <>
      <span className="nowrap">{format.date(value)}</span>{' '}
      <span className="nowrap">{format.timeOfDay(value, format.timeZone)}</span>
    </>
  );
}

function Prefix({ token, fz = 'sm' }: { token: TApiToken; fz?: 'sm' | 'xs' }) {
  return (
    <Text component="code" ff="monospace" fz={fz}>
      {`${token.prefix}…`}
    </Text>
  );
}

function RevokeButton({ token, onRevoke }: { token: TApiToken; onRevoke: (token: TApiToken) => void }) {
  const { t } = useTranslation();
  return (
    <Button
      size="compact-sm"
      variant="subtle"
      color="red"
      c={STRONG_TEXT.red}
      onClick={() => onRevoke(token)}
      aria-label={t('settings.tokens.revokeLabel', { name: token.name })}
    >
      {t('settings.tokens.revoke')}
    </Button>
  );
}

/**
 * The tokens as a table on a wide screen and as one card each on a phone (no sideways scrolling at 390 px).
 * `ownerOf` given: a column with whose token it is.
 */
function TokenList({
  tokens,
  label,
  ownerOf,
  onRevoke,
  testId,
}: {
  tokens: TApiToken[];
  label: string;
  ownerOf: ((token: TApiToken) => Owner | null) | null;
  onRevoke: (token: TApiToken) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const now = Date.now();
  const ownerName = (token: TApiToken) => ownerOf?.(token)?.name ?? token.userId;
  const lastUsed = (token: TApiToken) =>
    token.lastUsedAt ? <When value={token.lastUsedAt} /> : t('settings.tokens.neverUsed');

  if (isPhone) {
    return (
      <Stack
        component="ul"
        gap="sm"
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        aria-label={label}
        data-testid={testId}
      >
        {tokens.map((token) => {
          const state = tokenState(token, now);
          return (
            <Paper
              component="li"
              key={token.id}
              withBorder
              radius="md"
              p="sm"
              data-testid="api-token"
              data-token-id={token.id}
            >
              <Stack gap="xs">
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Text fw={600} fz="sm" style={{ overflowWrap: 'anywhere' }}>
                    {token.name}
                  </Text>
                  <AccessBadge access={token.access} />
                </Group>
                <SimpleGrid component="dl" cols={2} spacing="xs" verticalSpacing={6} m={0}>
                  {ownerOf && <Field label={t('settings.tokens.owner')}>{ownerName(token)}</Field>}
                  <Field label={t('settings.tokens.prefix')}>
                    <Prefix token={token} />
                  </Field>
                  <Field label={t('settings.tokens.createdAt')}>
                    <When value={token.createdAt} />
                  </Field>
                  <Field label={t('settings.tokens.lastUsedAt')}>{lastUsed(token)}</Field>
                  <Field label={t('settings.tokens.stateLabel')}>
                    <StateCell token={token} state={state} />
                  </Field>
                </SimpleGrid>
                {state === 'active' && (
                  <Group justify="flex-end">
                    <RevokeButton token={token} onRevoke={onRevoke} />
                  </Group>
                )}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
    );
  }

  return (
    // Focusable with a name: on a narrow screen it scrolls sideways, also when no row has a button left.
    <Table.ScrollContainer
      minWidth={ownerOf ? 680 : 560}
      type="native"
      pos="relative"
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      <Table verticalSpacing="xs" fz="sm" data-testid={testId} aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('settings.tokens.name')}</Table.Th>
            {ownerOf && <Table.Th scope="col">{t('settings.tokens.owner')}</Table.Th>}
            <Table.Th scope="col">{t('settings.tokens.accessLabel')}</Table.Th>
            <Table.Th scope="col">{t('settings.tokens.createdAt')}</Table.Th>
            <Table.Th scope="col">{t('settings.tokens.lastUsedAt')}</Table.Th>
            <Table.Th scope="col">{t('settings.tokens.stateLabel')}</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>{t('settings.tokens.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => {
            const state = tokenState(token, now);
            const owner = ownerOf?.(token);
            return (
              <Table.Tr key={token.id} data-testid="api-token" data-token-id={token.id}>
                <Table.Td>
                  <Text fz="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {token.name}
                  </Text>
                  <Text fz="xs" c="gray.7">
                    <VisuallyHidden>{`${t('settings.tokens.prefix')}: `}</VisuallyHidden>
                    <Prefix token={token} fz="xs" />
                  </Text>
                </Table.Td>
                {ownerOf && (
                  <Table.Td>
                    <Text fz="sm">{ownerName(token)}</Text>
                    {owner && (
                      <Text fz="xs" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
                        {owner.email}
                      </Text>
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <AccessBadge access={token.access} />
                </Table.Td>
                <Table.Td>
                  <When value={token.createdAt} />
                </Table.Td>
                <Table.Td>{lastUsed(token)}</Table.Td>
                <Table.Td>
                  <StateCell token={token} state={state} />
                </Table.Td>
                <Table.Td ta="right">
                  {state === 'active' && <RevokeButton token={token} onRevoke={onRevoke} />}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" fz="xs" c="gray.7">
        {label}
      </Text>
      <Text component="dd" m={0} fz="sm">
        {children}
      </Text>
    </div>
  );
}

/** Name, access and expiry; once made, the secret with a copy button and the warning that it is shown only now. */
function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<TApiTokenCreated | null>(null);
  const close = () => {
    // The secret leaves memory with the dialog: it cannot be shown again.
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      // Once the secret is on screen a stray click must not throw it away; Escape and the buttons still close.
      closeOnClickOutside={created === null}
      title={
        <Text component="span" fw={700}>
          {created ? t('settings.tokens.createdTitle') : t('settings.tokens.createTitle')}
        </Text>
      }
      closeButtonProps={{ 'aria-label': t('settings.tokens.close') }}
    >
      {opened &&
        (created ? (
          <CreatedToken created={created} onDone={close} />
        ) : (
          <CreateTokenForm onCreated={setCreated} onCancel={close} />
        ))}
    </Modal>
  );
}

function CreateTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (created: TApiTokenCreated) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [access, setAccess] = useState<Access>('read');
  const [expiry, setExpiry] = useState<Expiry>('never');
  const [submitted, setSubmitted] = useState(false);
  const [problem, setProblem] = useState<FormProblem>(noProblem());
  const nameError = submitted && name.trim() === '' ? t('settings.tokens.nameRequired') : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (name.trim() === '') return;
    setProblem(noProblem());
    create.mutate(
      {
        name: name.trim(),
        access,
        ...(expiry === 'never' ? {} : { expiresInDays: Number(expiry) }),
      },
      {
        onSuccess: onCreated,
        onError: (cause) => setProblem(formProblem(cause, t('errors.network'))),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('settings.tokens.createTitle')}>
      <Stack gap="md">
        <TextInput
          label={t('settings.tokens.name')}
          description={t('settings.tokens.nameHint')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={nameError ?? problem.fields.name}
          maxLength={NAME_MAX}
          required
          autoComplete="off"
          data-autofocus
        />
        <Radio.Group
          label={t('settings.tokens.accessLabel')}
          value={access}
          onChange={(value) => setAccess(value === 'write' ? 'write' : 'read')}
          error={problem.fields.access}
        >
          <Stack gap="xs" mt="xs">
            <Radio
              value="read"
              label={t('settings.tokens.access.read')}
              description={t('settings.tokens.access.readHint')}
            />
            <Radio
              value="write"
              label={t('settings.tokens.access.write')}
              description={t('settings.tokens.access.writeHint')}
            />
          </Stack>
        </Radio.Group>
        <Select
          label={t('settings.tokens.expiry')}
          data={EXPIRY_CHOICES.map((choice) => ({
            value: choice,
            label:
              choice === 'never'
                ? t('settings.tokens.expiryNever')
                : t('settings.tokens.expiryDays', { count: Number(choice) }),
          }))}
          value={expiry}
          onChange={(value) => {
            const next = EXPIRY_CHOICES.find((choice) => choice === value);
            if (next) setExpiry(next);
          }}
          allowDeselect={false}
          error={problem.fields.expiresInDays}
          comboboxProps={{ withinPortal: true }}
        />
        {problem.message && (
          <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert">
            {problem.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            {t('settings.tokens.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('settings.tokens.createConfirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CreatedToken({ created, onDone }: { created: TApiTokenCreated; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="api-token-created">
      <Alert
        {...toneAlert('orange')}
        icon={<Icon name="alert" />}
        title={t('settings.tokens.onceTitle')}
        role="alert"
      >
        {t('settings.tokens.onceBody')}
      </Alert>
      <Text fz="sm">
        {t('settings.tokens.createdBody', {
          name: created.name,
          access: t(`settings.tokens.access.${created.access}`),
        })}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          label={t('settings.tokens.secret')}
          value={created.token}
          readOnly
          data-autofocus
          onFocus={(event) => event.currentTarget.select()}
          style={{ flex: 1, minWidth: 0 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        />
        <CopyButton value={created.token} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              onClick={copy}
              color={copied ? 'teal.8' : undefined}
              leftSection={<Icon name={copied ? 'check' : 'copy'} size={16} />}
            >
              {copied ? t('settings.tokens.copied') : t('settings.tokens.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text fz="xs" c="gray.7">
        {t('settings.tokens.usage')}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('settings.tokens.done')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Confirms a revocation; an admin revoking someone else's token is told whose it is. */
function RevokeTokenModal({
  token,
  owner,
  onClose,
}: {
  token: TApiToken | null;
  owner: Owner | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const revoke = useRevokeApiToken();
  // The last token asked about (and its owner), so the dialog keeps its words while it fades out.
  const [shown, setShown] = useState(token);
  const [shownOwner, setShownOwner] = useState(owner);
  if (token && token !== shown) setShown(token);
  if (token && owner?.name !== shownOwner?.name) setShownOwner(owner);
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal
      opened={token != null}
      onClose={close}
      title={
        <Text component="span" fw={700}>
          {t('settings.tokens.revokeTitle', { name: shown?.name ?? '' })}
        </Text>
      }
      closeButtonProps={{ 'aria-label': t('settings.tokens.cancel') }}
    >
      <Stack gap="md">
        {shownOwner && <Text fz="sm">{t('settings.tokens.revokeOwner', { owner: shownOwner.name })}</Text>}
        <Text fz="sm">{t('settings.tokens.revokeBody')}</Text>
        {revoke.isError && (
          <Alert {...toneAlert('red')} icon={<Icon name="alert" />} role="alert">
            {revoke.error.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('settings.tokens.cancel')}
          </Button>
          <Button
            color="red.9"
            loading={revoke.isPending}
            onClick={() => token && revoke.mutate(token.id, { onSuccess: close })}
          >
            {t('settings.tokens.revokeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
