/**
 * What storefront-layout.spec.ts measures in the page, as a customer on a phone meets it: reflow
 * (WCAG 1.4.10: nothing scrolls sideways or is cut off), target size (2.5.8: 24 by 24 CSS px, or
 * the spacing and inline exceptions) and a visible focus indicator (2.4.7) at each Tab stop.
 * The first two are one `evaluate` each (functions serialized into the page, so each is
 * self-contained); the focus walk presses Tab and reads the focused element after each press.
 */
import type { Frame, Page } from 'playwright/test';

/** What a check found: one readable line per problem, and notes that are not problems. */
export interface Findings {
  problems: string[];
  notes: string[];
}

/**
 * Reflow: the page (or a frame's document) does not scroll sideways, and no visible element or
 * text reaches past the viewport's left or right edge, runs out of its container's content box
 * (over its padding or border), or has its content clipped by its own `overflow: hidden | clip`.
 * Content inside a container that scrolls on purpose (`overflow-x: auto | scroll`, such as a
 * table wrapper) is left to that container, which is listed in the notes when it does scroll.
 * Elements hidden on purpose (the visually-hidden pattern: `clip-path` or `clip`) are skipped.
 */
export function measureOverflow(page: Page | Frame): Promise<Findings> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const notes: string[] = [];
    const describe = (element: Element): string => {
      const slot = element.getAttribute('data-slot');
      const classes = [...element.classList].slice(0, 2).join('.');
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${element.tagName.toLowerCase()}${slot ? ` data-slot=${slot}` : ''}${classes ? ` .${classes}` : ''}>${text ? ` "${text}"` : ''}`;
    };
    const root = document.scrollingElement ?? document.documentElement;
    const width = document.documentElement.clientWidth;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(
        `the page scrolls sideways: scrollWidth ${root.scrollWidth} > ${root.clientWidth}`,
      );
    }
    // Hidden on purpose (itself or an ancestor), or inside a container that scrolls sideways on
    // purpose: each element's verdict, memoized along the way down.
    const verdicts = new Map<Element, boolean>();
    const scroller = (element: Element) =>
      element !== document.body && ['auto', 'scroll'].includes(getComputedStyle(element).overflowX);
    const exempt = (element: Element | null): boolean => {
      if (!element || element === document.body) return false;
      let verdict = verdicts.get(element);
      if (verdict === undefined) {
        const style = getComputedStyle(element);
        const parent = element.parentElement;
        verdict =
          style.clipPath !== 'none' ||
          (style.clip !== 'auto' && style.position === 'absolute') ||
          (parent !== null && scroller(parent)) ||
          exempt(parent);
        verdicts.set(element, verdict);
      }
      return verdict;
    };
    const outside = (rect: DOMRect) => rect.right > width + 1 || rect.left < -1;
    const px = (rect: DOMRect) => `left ${Math.round(rect.left)}, right ${Math.round(rect.right)}`;
    for (const element of document.body.querySelectorAll('*')) {
      if (!element.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
      const style = getComputedStyle(element);
      if (scroller(element) && element.scrollWidth > element.clientWidth + 1) {
        notes.push(
          `${describe(element)} scrolls sideways on purpose (${element.scrollWidth} in ${element.clientWidth} px)`,
        );
      }
      if (exempt(element)) continue;
      const rect = element.getBoundingClientRect();
      if (rect.width > 0 && rect.height > 0 && outside(rect)) {
        problems.push(`${describe(element)} reaches past the viewport (${width} px): ${px(rect)}`);
      }
      // Out of its container's content box (into its padding, over its border): a box that
      // would not shrink, such as a select as wide as its longest option. Only boxes in the
      // flow of a block, flex or grid container (not positioned ones, or a table's insides).
      const parent = element.parentElement;
      if (
        parent &&
        parent !== document.body &&
        rect.width > 0 &&
        !style.position.endsWith('absolute') &&
        style.position !== 'fixed'
      ) {
        const around = getComputedStyle(parent);
        if (
          /^(block|flow-root|flex|grid|inline-block|inline-flex|inline-grid|list-item)$/.test(
            around.display,
          )
        ) {
          const box = parent.getBoundingClientRect();
          const left =
            box.left +
            Number.parseFloat(around.borderLeftWidth) +
            Number.parseFloat(around.paddingLeft);
          const right =
            box.right -
            Number.parseFloat(around.borderRightWidth) -
            Number.parseFloat(around.paddingRight);
          if (rect.right > right + 1 || rect.left < left - 1) {
            problems.push(
              `${describe(element)} runs out of ${describe(parent)}: ${px(rect)}, its content box ${Math.round(left)} to ${Math.round(right)}`,
            );
          }
        }
      }
      // Its own content clipped: form fields scroll their value on purpose, so they are not.
      const field = element.matches('input, select, textarea, iframe, img, svg, video, canvas');
      if (!field) {
        for (const [axis, overflow, scroll, client] of [
          ['sideways', style.overflowX, element.scrollWidth, element.clientWidth],
          ['downwards', style.overflowY, element.scrollHeight, element.clientHeight],
        ] as const) {
          if ((overflow === 'hidden' || overflow === 'clip') && scroll > client + 1) {
            problems.push(
              `${describe(element)} clips its content ${axis}: ${scroll} px in ${client}`,
            );
          }
        }
      }
      // Text that runs out of its box (an unbreakable word) is not in any element's box.
      for (const node of element.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width > 0 && outside(box)) {
          problems.push(
            `text "${node.textContent.trim().slice(0, 40)}" in ${describe(element)} reaches past the viewport (${width} px): ${px(box)}`,
          );
        }
      }
    }
    return { problems, notes };
  });
}

/**
 * Target size (WCAG 2.5.8): every visible control is at least 24 by 24 CSS px, or undersized
 * but spaced: a 24 px circle centred on its box intersects no other target and no other
 * undersized target's circle. A checkbox's or radio's labels are part of its target (a click on
 * them toggles it), so its target is the largest of its own box and its labels' boxes. A link in
 * a sentence (its parent holds text of its own beside it) is excepted, as the criterion allows.
 * Controls out of the document's area (a skip link until it is focused) are not shown.
 */
export function measureTargets(page: Page): Promise<Findings> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const notes: string[] = [];
    const describe = (element: Element): string => {
      const name =
        element.getAttribute('aria-label') ??
        (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const slot = element.getAttribute('data-slot');
      return `<${element.tagName.toLowerCase()}${slot ? ` data-slot=${slot}` : ''}${element instanceof HTMLInputElement ? ` type=${element.type}` : ''}>${name ? ` "${name}"` : ''}`;
    };
    const hidden = (element: Element): boolean => {
      for (let at: Element | null = element; at; at = at.parentElement) {
        const style = getComputedStyle(at);
        if (style.clipPath !== 'none' || (style.clip !== 'auto' && style.position === 'absolute'))
          return true;
      }
      return false;
    };
    const inSentence = (element: Element): boolean =>
      element.matches('a[href]') &&
      getComputedStyle(element).display === 'inline' &&
      [...(element.parentElement?.childNodes ?? [])].some(
        (node) =>
          node !== element && node.nodeType === Node.TEXT_NODE && /\w/.test(node.textContent ?? ''),
      );
    const selector =
      'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [tabindex="0"]';
    const area = (rect: DOMRect) => rect.width * rect.height;
    // `rect`: the target's bounding box (the circle's centre); `size`: its largest piece, as a
    // link broken over two lines is two short boxes, not one tall one.
    const targets: Array<{ element: Element; rect: DOMRect; size: DOMRect; inline: boolean }> = [];
    for (const element of document.querySelectorAll(selector)) {
      if (!element.checkVisibility({ visibilityProperty: true }) || hidden(element)) continue;
      let rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.bottom + window.scrollY <= 0 || rect.right + window.scrollX <= 0) continue;
      let size = [...element.getClientRects()].reduce((a, b) => (area(b) > area(a) ? b : a));
      if (element instanceof HTMLInputElement && element.labels) {
        for (const label of element.labels) {
          const box = label.getBoundingClientRect();
          if (area(box) > area(rect)) {
            rect = box;
            size = box;
          }
        }
      }
      targets.push({ element, rect, size, inline: inSentence(element) });
    }
    const RADIUS = 12;
    const small = (rect: DOMRect) => rect.width < 24 - 0.01 || rect.height < 24 - 0.01;
    const centre = (rect: DOMRect) => ({
      x: rect.left + rect.width / 2,
      y: rect.top + rect.height / 2,
    });
    // Distance from a point to a box (0 inside it).
    const distance = (point: { x: number; y: number }, rect: DOMRect) =>
      Math.hypot(
        Math.max(rect.left - point.x, 0, point.x - rect.right),
        Math.max(rect.top - point.y, 0, point.y - rect.bottom),
      );
    for (const target of targets) {
      if (!small(target.size)) continue;
      const size = `${target.size.width.toFixed(1)}×${target.size.height.toFixed(1)} px`;
      if (target.inline) {
        notes.push(`${describe(target.element)} (${size}) is a link in a sentence: excepted`);
        continue;
      }
      const point = centre(target.rect);
      const crowded = targets.filter((other) => {
        if (
          other === target ||
          other.element.contains(target.element) ||
          target.element.contains(other.element)
        )
          return false;
        if (distance(point, other.rect) < RADIUS) return true;
        if (!small(other.size)) return false;
        const there = centre(other.rect);
        return Math.hypot(point.x - there.x, point.y - there.y) < 2 * RADIUS;
      });
      if (crowded.length > 0) {
        problems.push(
          `${describe(target.element)} is ${size}, and its 24 px circle meets ${crowded.map((other) => describe(other.element)).join(', ')}`,
        );
      } else {
        notes.push(
          `${describe(target.element)} is ${size} but spaced (its 24 px circle meets no other target)`,
        );
      }
    }
    return { problems, notes };
  });
}

/** What one Tab stop showed, read in the document that has focus (the page's or a frame's). */
interface FocusStop {
  /** The focused element, described; null when focus is on no element of this document. */
  key: string | null;
  /** Focus is in a frame inside this document. */
  frame: boolean;
  problems: string[];
}

/**
 * Reads the focused element of the document it runs in (serialized into the page or a frame):
 * its indicator, and the element focused before it, now without focus, for the difference.
 */
function inspectFocus(): FocusStop {
  type Look = { outline: string; shadow: string; indicator: boolean };
  const state = window as unknown as { __focusWalk?: { element: Element; focused: Look } };
  const describe = (element: Element): string => {
    const name =
      element.getAttribute('aria-label') ??
      (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    const slot = element.getAttribute('data-slot');
    const type = element instanceof HTMLInputElement ? ` type=${element.type}` : '';
    return `<${element.tagName.toLowerCase()}${slot ? ` data-slot=${slot}` : ''}${type}>${name ? ` "${name}"` : ''}`;
  };
  const look = (element: Element): Look => {
    // Its end state: a transition of the ring (the card fields' frame has one) is read at its
    // end, not at whatever point it reached.
    for (const animation of element.getAnimations()) animation.finish();
    const style = getComputedStyle(element);
    const transparent = (color: string) =>
      color === 'transparent' || /rgba\(.*,\s*0\)$/.test(color) || /\/\s*0\)$/.test(color);
    const outline =
      style.outlineStyle !== 'none' &&
      Number.parseFloat(style.outlineWidth) > 0 &&
      !transparent(style.outlineColor);
    return {
      outline: outline
        ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`
        : 'none',
      shadow: style.boxShadow,
      indicator: outline || style.boxShadow !== 'none',
    };
  };
  const problems: string[] = [];
  // The element Tab left, now without focus: its indicator must have been focus's own.
  const previous = state.__focusWalk;
  const element = document.hasFocus() ? document.activeElement : null;
  // (One with no indicator at all was reported when it had focus.)
  if (previous?.focused.indicator && previous.element !== element && previous.element.isConnected) {
    const now = look(previous.element);
    if (now.outline === previous.focused.outline && now.shadow === previous.focused.shadow) {
      problems.push(
        `${describe(previous.element)} looks the same with focus as without (outline ${now.outline}, box-shadow ${now.shadow})`,
      );
    }
  }
  state.__focusWalk = undefined;
  if (!element || element === document.body || element === document.documentElement) {
    return { key: null, frame: false, problems };
  }
  const key = describe(element);
  if (element.tagName === 'IFRAME') return { key, frame: true, problems };
  const focused = look(element);
  state.__focusWalk = { element, focused };
  if (!focused.indicator) {
    problems.push(
      `${key} shows no focus indicator (outline ${focused.outline}, box-shadow ${focused.shadow})`,
    );
  }
  // Shown: its middle is in the viewport and on top there, not under a sticky header or a
  // toast (or, for a box taller than the viewport, one of its corners is).
  const rect = element.getBoundingClientRect();
  type Point = [x: number, y: number];
  const inView = ([x, y]: Point) =>
    x >= 0 && y >= 0 && x < window.innerWidth && y < window.innerHeight;
  const middle: Point = [rect.left + rect.width / 2, rect.top + rect.height / 2];
  const corners: Point[] = [
    [rect.left + 2, rect.top + 2],
    [rect.right - 2, rect.top + 2],
    [rect.left + 2, rect.bottom - 2],
    [rect.right - 2, rect.bottom - 2],
  ];
  const points = inView(middle) ? [middle] : corners.filter(inView);
  const hits = points.map(([x, y]) => document.elementFromPoint(x, y));
  const shown = hits.some(
    (hit) => hit !== null && (element.contains(hit) || hit.contains(element)),
  );
  if (!shown) {
    const on = hits[0];
    const where = points.length ? `under ${on ? describe(on) : 'nothing'}` : 'out of the viewport';
    problems.push(
      `${key} is focused but not shown: ${where} (top ${Math.round(rect.top)}, bottom ${Math.round(rect.bottom)})`,
    );
  }
  return { key, frame: false, problems };
}

/**
 * Focus visible (WCAG 2.4.7): from the top of the page (or from where the last click left the
 * browser's starting point), presses Tab until focus leaves the page (or comes back to where it
 * started) and checks each element focused: an outline (style not `none`, width above 0, colour
 * not transparent) or a box-shadow, that it did not have without focus (read again once Tab
 * moved on), and shown: its middle not under something else (a sticky header, a toast; 2.4.11).
 * In a frame (the Payment Element's, from the sandbox's origin) the same is read in the frame's
 * own document, stop by stop, until focus comes out.
 */
export async function walkFocus(
  page: Page,
  { fromTop = true, limit = 80 }: { fromTop?: boolean; limit?: number } = {},
): Promise<Findings> {
  const problems: string[] = [];
  const notes: string[] = [];
  // From the top: focus on <body> moves the browser's starting point for Tab there. Otherwise
  // from where the customer is: a click (Add to cart) leaves it at what was clicked.
  if (fromTop) {
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus({ preventScroll: true });
      document.body.removeAttribute('tabindex');
      window.scrollTo(0, 0);
    });
  }
  let first: string | null = null;
  // The frame focus was in at the last stop: read once more when focus leaves it.
  let inFrame: Frame | null = null;
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(inspectFocus);
    problems.push(...stop.problems);
    let frameStop: FocusStop | null = null;
    if (stop.frame) {
      for (const frame of page.mainFrame().childFrames()) {
        const seen = await frame.evaluate(inspectFocus);
        problems.push(...seen.problems.map((problem) => `in ${frame.url()}: ${problem}`));
        if (seen.key !== null) {
          frameStop = seen;
          inFrame = frame;
        }
      }
      if (frameStop) notes.push(`in ${stop.key}: ${frameStop.key}`);
    } else if (inFrame) {
      const seen = await inFrame.evaluate(inspectFocus);
      problems.push(...seen.problems.map((problem) => `in ${inFrame?.url()}: ${problem}`));
      inFrame = null;
    }
    if (stop.key === null || stop.key === first) {
      notes.push(`${step} Tab stops, from ${first ?? 'nowhere'}`);
      break;
    }
    first ??= stop.key;
    if (step === limit - 1)
      problems.push(`focus did not leave the page after ${limit} Tab presses`);
  }
  return { problems, notes };
}
