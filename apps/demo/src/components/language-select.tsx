import { useId } from 'react';
import { useStrings } from '../i18n/strings';
import { type Language, setLanguage, usePreferences } from '../state/preferences';

/** English or German, for the storefront and the kit (its messages, amounts and card fields). */
export function LanguageSelect() {
  const t = useStrings();
  const { language } = usePreferences();
  const id = useId();
  return (
    <div className="field field--inline">
      {/* The select's name; the options say what it is to sighted customers. */}
      <label htmlFor={id} className="visually-hidden">
        {t.language}
      </label>
      <select
        id={id}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        <option value="en" lang="en">
          English
        </option>
        <option value="de" lang="de">
          Deutsch
        </option>
      </select>
    </div>
  );
}
