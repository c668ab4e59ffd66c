import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { type AccountView, parseView, writeView } from './account-view.ts';

const ACCOUNT_PARAM = 'account';

/** History state marking an entry that opened the drawer from the list, so closing it can step back. */
export const OPENED_FROM_LIST = { openedFromList: true } as const;

function openedFromList(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'openedFromList' in state;
}

/**
 * The Accounts page state, kept in the URL: links can be shared, Back undoes a filter, and an open
 * account (`?account=<id>`) is part of the link too.
 */
export function useAccountView() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const view = useMemo(() => parseView(params), [params]);
  const openId = params.get(ACCOUNT_PARAM);

  const setView = useCallback(
    (next: AccountView, options: { replace?: boolean } = {}) => {
      setParams((current) => writeView(next, current), { replace: options.replace });
    },
    [setParams],
  );

  const openAccount = useCallback(
    (id: string) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set(ACCOUNT_PARAM, id);
          return next;
        },
        { state: OPENED_FROM_LIST },
      );
    },
    [setParams],
  );

  // Opened from the list: step back, so Back afterwards does not reopen it. Opened from a shared link:
  // drop the parameter in place.
  const closeAccount = useCallback(() => {
    if (openedFromList(location.state)) {
      navigate(-1);
      return;
    }
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete(ACCOUNT_PARAM);
        return next;
      },
      { replace: true },
    );
  }, [location.state, navigate, setParams]);

  /** The link that opens an account in the drawer, keeping the current filters. */
  const accountHref = useCallback(
    (id: string) => {
      const next = new URLSearchParams(params);
      next.set(ACCOUNT_PARAM, id);
      return `?${next.toString()}`;
    },
    [params],
  );

  return { view, setView, openId, openAccount, closeAccount, accountHref };
}
