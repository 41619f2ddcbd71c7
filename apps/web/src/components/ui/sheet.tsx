'use client';

import { XIcon } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { cn } from '@/lib/utils';

/**
 * A panel sliding in from the side, built on the native modal `<dialog>`: the browser traps
 * focus, makes the page behind inert, closes on Escape and returns focus to the trigger.
 */
export function Sheet({
  open,
  onOpenChange,
  title,
  side = 'right',
  id,
  className,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  side?: 'left' | 'right';
  id?: string;
  className?: string;
  children: ReactNode;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      id={id}
      aria-label={title}
      onClose={() => onOpenChange(false)}
      // A click on the backdrop lands on the dialog element itself, never on its content.
      onClick={(event) => event.target === event.currentTarget && onOpenChange(false)}
      className={cn(
        'fixed inset-y-0 m-0 h-dvh max-h-none w-3/4 max-w-sm bg-background p-0 text-foreground shadow-lg backdrop:bg-black/50',
        side === 'right' ? 'right-0 left-auto border-l' : 'left-0 border-r',
        className,
      )}
    >
      <div className="flex h-full flex-col gap-4 p-6">
        <div className="flex items-center justify-between">
          <p className="font-semibold">{title}</p>
          <button
            type="button"
            onClick={() => onOpenChange(false)}
            className="rounded-sm p-1 opacity-70 hover:opacity-100"
            aria-label="Close menu"
          >
            <XIcon className="size-5" aria-hidden />
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}
