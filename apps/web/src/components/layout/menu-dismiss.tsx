'use client';

import { useEffect } from 'react';

/**
 * The header's menus are native `<details data-menu>`: they open and close without JavaScript.
 * This adds what a menu is expected to do on top: Escape closes it (focus back on its button), and
 * so do a click outside it and following a link inside it (the page changes, the menu goes away).
 */
export function MenuDismiss() {
  useEffect(() => {
    const openMenus = () => Array.from(document.querySelectorAll<HTMLDetailsElement>('details[data-menu][open]'));
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      for (const menu of openMenus()) {
        const hadFocus = menu.contains(document.activeElement);
        menu.open = false;
        if (hadFocus) menu.querySelector('summary')?.focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      for (const menu of openMenus()) {
        if (!target || !menu.contains(target) || (target.closest('a') && menu.contains(target.closest('a')))) menu.open = false;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('click', onClick);
    };
  }, []);
  return null;
}
