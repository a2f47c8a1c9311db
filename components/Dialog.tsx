import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/**
 * A modal dialog on the native <dialog>: the browser traps focus, closes it on Escape and gives focus back to the
 * element that opened it.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  actions,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children?: ComponentChildren;
  actions: ComponentChildren;
}): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  // Layout effect: open and close in the same frame as the state change, so Escape and the buttons feel instant.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="dialog-title"
      // Escape closes the native dialog by itself; `close` then tells the owner, which keeps `open` in step.
      onClose={() => {
        if (open) onClose();
      }}
    >
      <h2 id="dialog-title" class="dialog__title">
        {title}
      </h2>
      <div class="dialog__body">{children}</div>
      <div class="dialog__actions">{actions}</div>
    </dialog>
  );
}
