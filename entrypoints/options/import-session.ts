import { useEffect, useState } from 'preact/hooks';
import { db } from '../../lib/db/instance';
import type { CsvMapping, CsvPreview } from '../../lib/import/csv';
import type { Detection, ImportFormat } from '../../lib/import/detect';
import type { ImportProgress, ImportSummary } from '../../lib/import/run-import';

// The import's code (format detection, the parsers, the store writer) loads when a file is chosen, not with the
// tracking view: a file can be dropped on any view, but most visits import nothing (components/lazy-view.tsx).
const detectModule = () => import('../../lib/import/detect');
const csvModule = () => import('../../lib/import/csv');
const runModule = () => import('../../lib/import/run-import');

/**
 * The tracking view's one file import, kept outside the import page's component: a file dropped anywhere on the
 * view lands here, and an import goes on (and its progress stays visible) when the user opens another view and
 * comes back. The import itself runs in this page (lib/import/run-import.ts says why).
 */
export type ImportView =
  | { step: 'choose' }
  | { step: 'reading'; file: File }
  | { step: 'ready'; file: File; detection: Detection; preview: CsvPreview | undefined }
  | { step: 'unreadable'; file: File }
  | { step: 'waiting' | 'importing'; file: File; format: ImportFormat; progress: ImportProgress }
  | { step: 'summary'; file: File; format: ImportFormat; summary: ImportSummary }
  | { step: 'empty'; file: File };

let view: ImportView = { step: 'choose' };
let controller: AbortController | undefined;
const listeners = new Set<(v: ImportView) => void>();

function set(next: ImportView): void {
  view = next;
  for (const l of listeners) l(next);
}

export function currentImport(): ImportView {
  return view;
}

export function isImporting(): boolean {
  return view.step === 'waiting' || view.step === 'importing';
}

/** The session, re-rendering on every change. */
export function useImportSession(): ImportView {
  const [current, setCurrent] = useState(view);
  useEffect(() => {
    listeners.add(setCurrent);
    setCurrent(view);
    return () => {
      listeners.delete(setCurrent);
    };
  }, []);
  return current;
}

/** Takes a file the user chose or dropped: reads its first bytes, detects the format, previews a CSV. */
export async function chooseFile(file: File): Promise<void> {
  if (isImporting()) return;
  if (file.size === 0) return set({ step: 'empty', file });
  set({ step: 'reading', file });
  let head: string;
  let detectFormat: typeof import('../../lib/import/detect').detectFormat;
  let previewCsv: typeof import('../../lib/import/csv').previewCsv;
  try {
    const [detect, csv] = await Promise.all([detectModule(), csvModule()]);
    ({ detectFormat } = detect);
    ({ previewCsv } = csv);
    head = new TextDecoder('utf-8').decode(await file.slice(0, detect.HEAD_BYTES).arrayBuffer());
  } catch (error) {
    console.warn('Tracking Logs: could not read the file', error);
    return set({ step: 'unreadable', file });
  }
  // A newer choice made while this one was read wins.
  if (view.step !== 'reading' || view.file !== file) return;
  const detection = detectFormat(head);
  if (detection.format === undefined && detection.problem === 'empty') return set({ step: 'empty', file });
  set({ step: 'ready', file, detection, preview: previewCsv(head) });
}

/** Imports the chosen file as `format`; resolves when it has ended (done, cancelled or failed). */
export async function startImport(format: ImportFormat, csv?: CsvMapping): Promise<void> {
  if (view.step !== 'ready') return;
  const file = view.file;
  const progress: ImportProgress = { bytesRead: 0, totalBytes: file.size, records: 0, stored: 0, duplicates: 0, rejected: 0 };
  controller = new AbortController();
  const signal = controller.signal;
  set({ step: 'importing', file, format, progress });
  // Closing the tab stops the import (what was committed stays): ask first.
  const warn = (event: BeforeUnloadEvent): void => event.preventDefault();
  window.addEventListener('beforeunload', warn);
  try {
    const { importFile } = await runModule();
    const summary = await importFile(
      { file, name: file.name, format, csv },
      {
        db,
        signal,
        onWait: () => set({ step: 'waiting', file, format, progress }),
        onProgress: (p) => set({ step: 'importing', file, format, progress: p }),
      },
    );
    set({ step: 'summary', file, format, summary });
  } catch (error) {
    if (signal.aborted) {
      // Cancelled while waiting for the workflow's run: nothing was written.
      set({ step: 'choose' });
    } else if (error instanceof Error && error.name === 'ImportError' && (error as { code?: unknown }).code === 'empty') {
      set({ step: 'empty', file });
    } else {
      console.error('Tracking Logs: the import failed', error);
      set({ step: 'unreadable', file });
    }
  } finally {
    controller = undefined;
    window.removeEventListener('beforeunload', warn);
  }
}

export function cancelImport(): void {
  controller?.abort();
}

/** Back to choosing a file (not while an import runs). */
export function resetImport(): void {
  if (!isImporting()) set({ step: 'choose' });
}
