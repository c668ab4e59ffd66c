import { useEffect, useState } from 'react';
import type { TWorkspaceSettingsPatch } from '../../../../src/schemas/workspace.ts';
import { conflictCurrent } from '../../api/conflict.ts';
import type { TWorkspaceSettingsVersioned } from '../../api/workspace-settings.ts';
import { useUpdateWorkspaceSettings, useWorkspaceSettings } from '../../api/workspace-settings.ts';

/** A section's change, built from the settings it is saved on. */
type Change = (stored: TWorkspaceSettingsVersioned) => Omit<TWorkspaceSettingsPatch, 'version'>;

/**
 * A section's part of the workspace settings as an editable copy: `dirty` once it differs from what is
 * stored, `save` sends only that part (PATCH) on the version the draft started from, `reset` goes back to the
 * stored values. The draft follows the stored settings while the user is not editing it, and so does its version
 * while this section's part stays as the draft started from (a change of another section, by this user or another,
 * cannot be lost by saving this one). When this part changed elsewhere meanwhile, the save is refused (409
 * version_conflict) and nothing is saved: the settings as they are now are loaded (every section shows them), the
 * draft keeps the user's change and `conflict` is set: saving again applies it on top of what is saved now,
 * `reset` drops it.
 */
export function useSettingsDraft<T>(pick: (settings: TWorkspaceSettingsVersioned) => T) {
  const settings = useWorkspaceSettings();
  const update = useUpdateWorkspaceSettings();
  const stored = settings.data ? pick(settings.data) : null;
  const storedKey = JSON.stringify(stored);
  const [draft, setDraft] = useState<T | null>(null);
  const [base, setBase] = useState<string | null>(null);
  const [baseVersion, setBaseVersion] = useState(0);
  const [conflict, setConflict] = useState(false);
  const version = settings.data?.version ?? 0;

  // Take the stored values when they arrive or change elsewhere, unless the user is editing.
  useEffect(() => {
    if (stored == null) return;
    if (draft == null || (base !== storedKey && JSON.stringify(draft) === base)) {
      setDraft(JSON.parse(storedKey) as T);
      setBase(storedKey);
      setBaseVersion(version);
    } else if (base === storedKey) {
      setBaseVersion(version);
    }
  }, [stored, storedKey, draft, base, version]);

  const markSaved = (next: TWorkspaceSettingsVersioned) => {
    const key = JSON.stringify(pick(next));
    setDraft(JSON.parse(key) as T);
    setBase(key);
    setBaseVersion(next.version);
  };

  const save = (change: Change, onSaved?: (next: TWorkspaceSettingsVersioned) => void) => {
    const current = settings.data;
    if (!current) return;
    setConflict(false);
    update.mutate(
      { ...change(current), version: baseVersion },
      {
        onSuccess: (next) => {
          markSaved(next);
          onSaved?.(next);
        },
        onError: (error) => {
          const now = conflictCurrent<TWorkspaceSettingsVersioned>(error);
          if (now) {
            // The user has seen what is saved now: saving again applies their change on top of it.
            setBase(JSON.stringify(pick(now)));
            setBaseVersion(now.version);
            setConflict(true);
          }
        },
      },
    );
  };

  const dirty = draft != null && JSON.stringify(draft) !== storedKey;
  return {
    query: settings,
    update,
    draft,
    setDraft: (next: T) => setDraft(next),
    dirty,
    save,
    /** Someone else saved the settings since they were read; the draft still holds the user's change. */
    conflict,
    /** The failure to show, other than a conflict. */
    error: conflict ? null : update.error,
    reset: () => {
      update.reset();
      setConflict(false);
      setDraft(JSON.parse(storedKey) as T);
      setBase(storedKey);
    },
  };
}
