/** Headless: the plans and the billing period from the hook, on your own elements. */
import { type PricingPlan, usePricing } from '@tillkit/react';

export function HeadlessPricing({
  onChoose,
}: {
  onChoose?: (price: PricingPlan['price']) => void;
}) {
  const pricing = usePricing({ onSelect: (price) => onChoose?.(price) });
  return (
    <div>
      {pricing.intervals.length > 1 ? (
        <button
          type="button"
          aria-pressed={pricing.interval === 'year'}
          onClick={() => pricing.setInterval(pricing.interval === 'year' ? 'month' : 'year')}
        >
          Pay yearly{pricing.formattedYearlySaving ? `, save ${pricing.formattedYearlySaving}` : ''}
        </button>
      ) : null}
      <ul>
        {pricing.plans.map((plan) => (
          <li key={plan.price.id}>
            {plan.product.name}: {plan.formattedPrice}{' '}
            <button type="button" onClick={() => pricing.select(plan)}>
              Choose {plan.product.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
