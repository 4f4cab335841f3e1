import { sandboxAdvance } from '@tillkit/protocol/client';
import { formatMessage, TillkitApiError, useTillkit } from '@tillkit/react';
import { useState } from 'react';
import { useStrings } from '../i18n/strings';
import { locales, usePreferences } from '../state/preferences';

/**
 * Sandbox only: moves the signed-in customer's test clock a month ahead
 * (`POST /_sandbox/advance`), so a renewal, a trial's end or a failed renewal happens now.
 */
export function AdvanceClock({ onAdvanced }: { onAdvanced(): void }) {
  const t = useStrings();
  const locale = locales[usePreferences().language];
  const { transport } = useTillkit();
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({
    busy: false,
    message: null,
  });
  const advance = async () => {
    setState({ busy: true, message: null });
    try {
      const { frozenTime } = await sandboxAdvance(transport, { days: 31 });
      const date = new Date(frozenTime).toLocaleDateString(locale, { dateStyle: 'long' });
      setState({ busy: false, message: formatMessage(t.advanced, { date }) });
      onAdvanced();
    } catch (error) {
      const reason = error instanceof TillkitApiError ? error.message : String(error);
      setState({ busy: false, message: formatMessage(t.advanceFailed, { reason }) });
    }
  };
  return (
    <div className="stack stack--tight">
      <p className="muted">{t.timeTravelLead}</p>
      <p>
        <button
          type="button"
          className="button"
          aria-disabled={state.busy || undefined}
          onClick={state.busy ? undefined : advance}
        >
          {state.busy ? t.advancing : t.advanceClock}
        </button>
      </p>
      <p role="status">{state.message}</p>
    </div>
  );
}
