import type { ComponentPropsWithoutRef, MouseEvent } from 'react';
import { navigate, useLocation } from './history';

export interface LinkProps extends ComponentPropsWithoutRef<'a'> {
  href: string;
  /** Marks the link `aria-current="page"` while its path is shown. */
  current?: boolean;
}

/** An `<a>` that changes the page without a reload; modified clicks open a tab as usual. */
export function Link({ href, current, onClick, ...props }: LinkProps) {
  const { pathname } = useLocation();
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified || props.target) return;
    event.preventDefault();
    navigate(href);
  };
  const here = current && new URL(href, window.location.href).pathname === pathname;
  return <a href={href} aria-current={here ? 'page' : undefined} onClick={follow} {...props} />;
}
