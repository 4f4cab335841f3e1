import { type ReactNode, useEffect, useRef } from 'react';
import { hasNavigated } from '../router/history';

/**
 * A page's heading and title. After a change of page (not the first load) the heading takes
 * focus, so keyboard and screen reader users start at the new page's top, as after a page load.
 */
export function Page({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: ReactNode;
  children?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Tillkit demo store`;
  }, [title]);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus();
  }, []);
  return (
    <>
      <div className="page__intro">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {lead ? <p className="lead">{lead}</p> : null}
      </div>
      {children}
    </>
  );
}
