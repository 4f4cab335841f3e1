/**
 * The question of a plan change's confirmation step, as `SubscriptionManager` and `PricingTable`
 * both ask it: "Change Starter to Pro · $29.00 / month? You’ll pay $20.00 now for the rest of this
 * period, then $29.00 / month from June 1, 2026." (or the credit a downgrade leaves), from the
 * server's preview (`POST /subscriptions/:id/change-preview`). Each feature passes its own strings,
 * so neither bundle carries the other's.
 */
import type { SubscriptionChangePreview } from '@tillkit/protocol';
import { formatMessage } from '../messages/messages.js';

/** The strings the question is made of (`{plan}`, `{newPlan}`, `{amount}`, `{price}`, `{date}`). */
export interface PlanChangeQuestionMessages {
  changeQuestion: string;
  changeChargesRest: string;
  changeCharges: string;
  changeCredit: string;
  changeNoCharge: string;
}

export interface PlanChangeQuestion {
  /** The subscription's plan now, and the new plan's label ("Pro · $29.00 / month"). */
  plan: string;
  newPlan: string;
  /** The subscription's current period end: a charge until then is "for the rest of this period". */
  periodEnd: string | null | undefined;
  /** The new price times the quantity (`nextAmount`), labelled ("$29.00 / month"). */
  price: (nextAmount: number) => string;
  formatMoney: (amount: number, currency: string) => string;
  longDate: (iso: string) => string;
}

/** The confirmation step's question for `preview`, in `messages`' words. */
export function planChangeQuestion(
  messages: PlanChangeQuestionMessages,
  preview: SubscriptionChangePreview,
  { plan, newPlan, periodEnd, price, formatMoney, longDate }: PlanChangeQuestion,
): string {
  const { amountDue, credit, currency, nextAmount, nextPaymentDate } = preview;
  const terms = formatMessage(
    messages[
      amountDue
        ? nextPaymentDate === periodEnd
          ? 'changeChargesRest'
          : 'changeCharges'
        : credit
          ? 'changeCredit'
          : 'changeNoCharge'
    ],
    {
      amount: formatMoney(amountDue || credit, currency),
      price: price(nextAmount),
      date: longDate(nextPaymentDate),
    },
  );
  return `${formatMessage(messages.changeQuestion, { plan, newPlan })} ${terms}`;
}
