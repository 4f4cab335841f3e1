import { Page } from '../components/page';
import { useStrings } from '../i18n/strings';

/** The test cards worth trying in this store (README.md lists every one the sandbox knows). */
export function TestCardsPage() {
  const t = useStrings();
  const cards = [
    ['4242 4242 4242 4242', t.cardSucceeds],
    ['5555 5555 5555 4444', t.cardSucceeds],
    ['4000 0000 0000 0002', t.cardDeclined],
    ['4000 0000 0000 9995', t.cardInsufficientFunds],
    ['4000 0027 6000 3184', t.cardThreeDSecure],
    ['4000 0000 0000 0341', t.cardChargeFails],
  ];
  return (
    <Page title={t.testCardsTitle} lead={t.testCardsLead}>
      <div className="card">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t.cardNumber}</th>
              <th scope="col">{t.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {cards.map(([number, outcome]) => (
              <tr key={number}>
                <th scope="row">
                  <code>{number}</code>
                </th>
                <td>{outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
