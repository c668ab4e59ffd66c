import { useEffect, useState } from 'react';
import type { TWorkspaceSettings } from '../../api/workspace-settings.ts';
import { useUpdateWorkspaceSettings, useWorkspaceSettings } from '../../api/workspace-settings.ts';

/**
 * A section's part of the workspace settings as an editable copy: `dirty` once it differs from what is
 * stored, `save` sends only that part (PATCH), `reset` goes back to the stored values.
 */
export function useSettingsDraft<T>(pick: (settings: TWorkspaceSettings) => T) {
  const settings = useWorkspaceSettings();
  const update = useUpdateWorkspaceSettings();
  const stored = settings.data ? pick(settings.data) : null;
  const storedKey = JSON.stringify(stored);
  const [draft, setDraft] = useState<T | null>(null);
  const [base, setBase] = useState<string | null>(null);

  // Take the stored values when they arrive or change elsewhere, unless the user is editing.
  useEffect(() => {
    if (stored == null) return;
    if (draft == null || (base !== storedKey && JSON.stringify(draft) === base)) {
      setDraft(JSON.parse(storedKey) as T);
      setBase(storedKey);
    }
  }, [stored, storedKey, draft, base]);

  const dirty = draft != null && JSON.stringify(draft) !== storedKey;
  return {
    query: settings,
    update,
    draft,
    setDraft: (next: T) => setDraft(next),
    dirty,
    reset: () => {
      update.reset();
      setDraft(JSON.parse(storedKey) as T);
      setBase(storedKey);
    },
    markSaved: (next: TWorkspaceSettings) => {
      const key = JSON.stringify(pick(next));
      setDraft(JSON.parse(key) as T);
      setBase(key);
    },
  };
}
