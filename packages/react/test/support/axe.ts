/**
 * Runs axe-core on a rendered tree and returns its violations as readable lines, so that a failing
 * test says what is wrong (`expect(await axeViolations(container)).toEqual([])`).
 */
import axe from 'axe-core';

export async function axeViolations(context: Element): Promise<string[]> {
  const jsdom = /jsdom/i.test(navigator.userAgent);
  const results = await axe.run(context, {
    // In a real browser axe also checks the card fields' frame (same-origin in MSW mode) and
    // contrast; jsdom computes no colours and its frames are stand-ins.
    iframes: !jsdom,
    rules: { 'color-contrast': { enabled: !jsdom } },
  });
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}
